/**
 * The per-kind NDJSON writer (sim/trace/ndjson.ts) writes exactly what
 * `JSON.stringify(event) + '\n'` writes: on every event of every golden trace, on the live
 * events of every shipped scenario, and on events built to trip a hand-made serialiser.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventToLine, traceToNdjson } from '../../sim/trace/ndjson.ts';
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
    ];
    for (const ev of odd) {
      expect(eventToLine(ev as unknown as TraceEvent)).toBe(JSON.stringify(ev) + '\n');
    }
  });
});
