/**
 * The CLI's byte writer (sim/cli/trace-bytes.ts) writes exactly the UTF-8 bytes of the string
 * writer's line (sim/trace/ndjson.ts fieldsToLine, itself proven equal to JSON.stringify in
 * ndjson-writer.test.ts): on every line of every golden trace, on the live fields of every
 * shipped scenario, on hostile values, and when the buffer is too small.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldsToLine, traceToNdjson } from '../../sim/trace/ndjson.ts';
import { fieldsToBytes } from '../../sim/cli/trace-bytes.ts';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';

const root = join(import.meta.dirname, '..', '..');
const goldenDir = join(root, 'test', 'golden');
const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.ndjson')).sort();
const scenarioDir = join(root, 'public', 'scenarios');
const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

/** The bytes the writer gives for one line (a fresh buffer of `size`), or null when it declined. */
function bytesOf(fields: Record<string, unknown>, seq: number, nowUs: number, size = 1 << 16): string | null {
  const buf = Buffer.alloc(size);
  const end = fieldsToBytes(fields as { kind: string }, seq, nowUs, buf, 0, size);
  return end < 0 ? null : buf.subarray(0, end).toString('utf8');
}

/** The line the string writer gives, checked to survive a UTF-8 round trip (lone surrogates do not). */
const lineOf = (fields: Record<string, unknown>, seq: number, nowUs: number): string =>
  fieldsToLine(fields as { kind: string }, seq, nowUs / 1000);

describe('fieldsToBytes writes the bytes of fieldsToLine', () => {
  it.each(goldens)('on every line of %s', (file) => {
    const lines = readFileSync(join(goldenDir, file), 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(10);
    let differ = 0;
    let first = '';
    for (const line of lines) {
      const { seq, tMs, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const nowUs = Math.round((tMs as number) * 1000);
      const ours = bytesOf(fields, seq as number, nowUs);
      if (ours !== line + '\n') {
        if (differ++ === 0) first = `${line}\n${ours}`;
      }
    }
    expect(first).toBe('');
    expect(differ).toBe(0);
  });

  it.each(scenarios)('on the lent fields of %s, in one shared buffer', (file) => {
    const parsed = parseScenarioText(readFileSync(join(scenarioDir, file), 'utf8'));
    if (!parsed.ok) throw new Error(`${file} is invalid`);
    const resolved = resolveScenario(parsed.scenario);
    const expected = traceToNdjson(runScenario(resolved, {}).trace);
    const buf = Buffer.alloc(expected.length * 3 + 4096);
    let used = 0;
    let declined = 0;
    runScenario(resolved, {
      keepTrace: false,
      onFields: (f, seq, nowUs) => {
        const end = fieldsToBytes(f, seq, nowUs, buf, used, buf.length);
        if (end < 0) { declined++; used += buf.write(fieldsToLine(f, seq, nowUs / 1000), used, 'utf8'); } else used = end;
      },
    });
    expect(used).toBeGreaterThan(1000);
    expect(declined).toBe(0);
    expect(buf.subarray(0, used).toString('utf8') === expected).toBe(true);
  });

  it('on values with no plain ASCII form: escapes, other scripts, lone surrogates, fractions, null, lists', () => {
    const odd: Record<string, unknown>[] = [
      { kind: 'action', do: 'publish', node: 'a\u2028b"\\\u0000', topic: 'x\ud800y', payload: '\udc00', qos: 1 },
      { kind: 'action', do: 'publish', node: 'capteur-é', topic: 'maison/🌡', payload: 'x'.repeat(5000), qos: 0 },
      { kind: 'action', do: 'publish', node: '\u007f\u0080\u009f', topic: '\t\n', payload: '', qos: 2 },
      { kind: 'action', do: 'publish', node: 'back\\slash', topic: 'say "hi"', payload: '~ !', qos: 1 },
      { kind: 'run.end', events: NaN },
      { kind: 'run.end', events: Infinity, why: undefined, extra: [1, 'two', null] },
      { kind: 'timer.set', node: 'n', timer: 'tcp.rto', dueMs: 1.5, conn: undefined, profile: 'p' },
      { kind: 'timer.set', node: 'n', timer: 'tcp.rto', dueMs: -3, conn: 'c' },
      { kind: 'timer.set', node: 'n', timer: 'tcp.rto', dueMs: 1e15, conn: 'c' },
      { kind: 'timer.set', node: 'n', timer: 'tcp.rto', dueMs: 999999999999999, conn: 'c' },
      { kind: 'timer.set', node: 'n', timer: 'tcp.rto', dueMs: -0, conn: 'c' },
      { kind: 'broker.protocol-error', node: 'n', conn: 'c', clientId: null },
      { kind: 'nat.expired', link: ['a', 'b'], conn: 'c' },
      { kind: 'mqtt.send', node: 'n', peer: 'p', conn: 'c', packet: 'SUBACK', granted: [0, 128], bytes: 5, qos: '1' },
      { kind: 'host.state', node: 'n', state: 'up', fn: () => 1 },
      { kind: 'seg.send', id: 1, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [1, 2, 3] },
      { kind: 'seg.send', id: 2, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [] },
      { kind: 'seg.send', id: 3, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [-0, 1e21, 5e-7, 0.1] },
      { kind: 'seg.send', id: 4, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [1, NaN, Infinity] },
      { kind: 'seg.send', id: 6, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [1, '2', null, [3], undefined] },
      { kind: 'seg.send', id: 7, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: Object.assign([1, 2], { toJSON: () => 'x' }) },
      { kind: 'seg.send', id: 8, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 4294967295, ack: 0, len: 4, packets: { 0: 1, length: 1 } },
      { kind: 'seg.send', node: 'n', id: 9, conn: 'c', peer: 'p', len: 4, flags: 'ACK', ack: 0, tcpSeq: 0 },
      { kind: 'no.such-kind', x: 1 },
    ];
    const sparse: number[] = [1, 2, 3];
    delete sparse[1];
    odd.push({ kind: 'seg.send', id: 5, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: sparse });
    const times = [0, 1, 1000, 1001, 1010, 1100, 123456789, 8e12, 8e12 + 1, 0.5, -1, 2 ** 53];
    for (const fields of [...odd, ...odd]) {
      for (const nowUs of times) {
        const line = lineOf(fields, 7, nowUs);
        const ours = bytesOf(fields, 7, nowUs);
        if (fields.kind === 'no.such-kind') { expect(ours).toBeNull(); continue; }
        // A line with a lone surrogate is not valid UTF-16 text: compare the encoded bytes.
        expect(ours === null ? null : Buffer.from(ours, 'utf8').equals(Buffer.from(line, 'utf8'))).toBe(true);
      }
    }
    for (const seq of [0, 9, 10, 99, 100, 12345678901234]) {
      expect(bytesOf({ kind: 'run.end', events: seq }, seq, 0)).toBe(lineOf({ kind: 'run.end', events: seq }, seq, 0));
    }
  });

  it('declines a line that does not fit before `end`, writing nothing past it', () => {
    const fields = { kind: 'action', do: 'publish', node: 'n', topic: 't', payload: 'y'.repeat(3000), qos: 0 };
    const buf = Buffer.alloc(2000, 0xee);
    expect(fieldsToBytes(fields, 1, 0, buf, 0, 1500)).toBe(-1);
    expect(buf.subarray(1500).every((b) => b === 0xee)).toBe(true);
    const big = Buffer.alloc(1 << 16);
    const end = fieldsToBytes(fields, 1, 0, big, 0, big.length);
    expect(big.subarray(0, end).toString('utf8')).toBe(lineOf(fields, 1, 0));
  });
});
