/**
 * The per-kind NDJSON writer (sim/trace/ndjson.ts) writes exactly what
 * `JSON.stringify(event) + '\n'` writes: on every event of every golden trace, on the live
 * events of every shipped scenario, and on events built to trip a hand-made serialiser.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventToLine, fieldsToLine, traceToNdjson } from '../../sim/trace/ndjson.ts';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';
import type { TraceEvent } from '../../sim/index.ts';

const root = join(import.meta.dirname, '..', '..');
const goldenDir = join(root, 'test', 'golden');
const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.ndjson')).sort();
const scenarioDir = join(root, 'public', 'scenarios');
const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

describe('eventToLine equals JSON.stringify', () => {
  it('there are golden traces to prove it on', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(12);
  });

  it('the goldens carry the newer kinds and fields the writer must get right', () => {
    const all = goldens.map((f) => readFileSync(join(goldenDir, f), 'utf8')).join('');
    expect(all).toContain('"kind":"timer.fire"');
    expect(all).toMatch(/"packets":\[\d+/);
    expect(all).toContain('"host":"off"');
  });

  it.each(goldens)('on every line of %s', (file) => {
    const lines = readFileSync(join(goldenDir, file), 'utf8').split('\n').filter((l) => l !== '');
    let differ = 0;
    let first = '';
    for (const line of lines) {
      const ev = JSON.parse(line) as TraceEvent;
      const ours = eventToLine(ev);
      if (ours !== JSON.stringify(ev) + '\n' || ours !== line + '\n') {
        if (differ++ === 0) first = `${line}\n${ours}`;
      }
    }
    expect(first).toBe('');
    expect(differ).toBe(0);
  });

  it.each(scenarios)('on the live events of %s', (file) => {
    const parsed = parseScenarioText(readFileSync(join(scenarioDir, file), 'utf8'));
    if (!parsed.ok) throw new Error(`${file} is invalid`);
    const trace = runScenario(resolveScenario(parsed.scenario), {}).trace;
    let expected = '';
    for (const e of trace) expected += JSON.stringify(e) + '\n';
    expect(traceToNdjson(trace)).toBe(expected);
  });

  it('on values a hand-made serialiser gets wrong', () => {
    const sparse: number[] = [1, 2, 3];
    delete sparse[1];
    const odd = [
      { seq: 0, tMs: -0, kind: 'action', do: 'publish', node: 'a\u2028b"\\\u0000', topic: 'x\ud800y', payload: '\udc00', qos: 1 },
      { seq: 1, tMs: 1e21, kind: 'run.end', events: NaN },
      { seq: 2, tMs: 0.001, kind: 'run.end', events: Infinity, why: undefined, extra: [1, 'two', null] },
      { seq: 3, tMs: 5e-7, kind: 'timer.set', node: 'n', timer: 'tcp.rto', dueMs: 1.5, conn: undefined, profile: 'p' },
      { seq: 4, tMs: 1, kind: 'broker.protocol-error', node: 'n', conn: 'c', clientId: null },
      { seq: 5, tMs: 1, kind: 'nat.expired', link: ['a', 'b'], conn: 'c' },
      { seq: 6, tMs: 1, kind: 'mqtt.send', node: 'n', peer: 'p', conn: 'c', packet: 'SUBACK', granted: [0, 128], bytes: 5, qos: '1' },
      { seq: 7, tMs: 1, kind: 'no.such-kind', x: 1 },
      { tMs: 1, seq: 8, kind: 'run.end', events: 1 },
      { seq: 9, tMs: 2, kind: 'host.state', node: 'n', state: 'up', fn: () => 1 },
      // seg.send `packets` (a list of numbers) and the neighbours of its fast path.
      { seq: 10, tMs: 2, kind: 'seg.send', id: 1, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [1, 2, 3] },
      { seq: 11, tMs: 2, kind: 'seg.send', id: 2, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [] },
      { seq: 12, tMs: 2, kind: 'seg.send', id: 3, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [-0, 1e21, 5e-7, 0.1] },
      { seq: 13, tMs: 2, kind: 'seg.send', id: 4, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [1, NaN, Infinity] },
      { seq: 14, tMs: 2, kind: 'seg.send', id: 5, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: sparse },
      { seq: 15, tMs: 2, kind: 'seg.send', id: 6, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: [1, '2', null, [3], undefined] },
      { seq: 16, tMs: 2, kind: 'seg.send', id: 7, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: Object.assign([1, 2], { toJSON: () => 'x' }) },
      { seq: 17, tMs: 2, kind: 'seg.send', id: 8, node: 'n', peer: 'p', conn: 'c', flags: 'ACK', tcpSeq: 0, ack: 0, len: 4, packets: { 0: 1, length: 1 } },
      { seq: 18, tMs: 2, kind: 'conn.closed', node: 'n', peer: 'p', conn: 'c', cause: 'rst', host: 'off' },
      { seq: 19, tMs: 2, kind: 'timer.fire', node: 'n', timer: 'tcp.rto', conn: 'c', clientId: undefined },
    ];
    for (const ev of odd) {
      expect(eventToLine(ev as unknown as TraceEvent)).toBe(JSON.stringify(ev) + '\n');
    }
    // The same events as lent fields (what the CLI writes from): twice, and with the keys of
    // one kind in two orders, so the per-kind key memo is both hit and missed.
    const reordered = { seq: 20, tMs: 3, kind: 'seg.send', node: 'n', id: 9, conn: 'c', peer: 'p', len: 4, flags: 'ACK', ack: 0, tcpSeq: 0 };
    for (const ev of [...odd, reordered, ...odd]) {
      const { seq, tMs, ...fields } = ev as Record<string, unknown>;
      if (typeof seq !== 'number' || typeof tMs !== 'number' || Object.keys(fields)[0] !== 'kind') continue;
      expect(fieldsToLine(fields as { kind: string }, seq, tMs)).toBe(JSON.stringify({ seq, tMs, ...fields }) + '\n');
    }
  });
});

describe('fieldsToLine on the fields the engine lends (RunOptions.onFields)', () => {
  it('writes every time that is a whole number of µs as JSON does (tMs from integers), and others too', () => {
    const times: number[] = [0, 0.001, 0.01, 0.1, 1, 1.5, 10.05, 99.999, 100.007, 60000.12, 3599999.999, 8e9 + 0.001, 8.5e9 + 0.123, 9e12 + 0.5, 0.0005, 1e-7, 1 / 3, -1, 2 ** 53];
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const us = i % 2 === 0 ? x : x * 2003 + (x % 1000);
      times.push(us / 1000);
    }
    for (const tMs of times) {
      expect(fieldsToLine({ kind: 'run.end', events: 1 } as { kind: string }, 7, tMs)).toBe(JSON.stringify({ seq: 7, tMs, kind: 'run.end', events: 1 }) + '\n');
    }
  });

  it.each(scenarios)('gives the same NDJSON as the kept trace of %s', (file) => {
    const parsed = parseScenarioText(readFileSync(join(scenarioDir, file), 'utf8'));
    if (!parsed.ok) throw new Error(`${file} is invalid`);
    const resolved = resolveScenario(parsed.scenario);
    const expected = traceToNdjson(runScenario(resolved, {}).trace);
    let lines = '';
    runScenario(resolved, { keepTrace: false, onFields: (f, seq, nowUs) => { lines += fieldsToLine(f, seq, nowUs / 1000); } });
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines === expected).toBe(true);
  });
});
