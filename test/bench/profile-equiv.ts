/**
 * Perf helper: fingerprints of full traces + wire records for shipped scenarios (3 seeds) and
 * synthetic many-client scenarios with jitter/loss/NAT/cuts, so engine/TCP optimisations can be
 * checked for byte-identical behaviour. Usage: npx tsx test/bench/profile-equiv.ts > out.json
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, parseScenarioText, resolveScenario, runScenario, traceToNdjson } from '../../sim/index.ts';
import type { ScenarioV1 } from '../../sim/index.ts';
import { benchScenario } from './scenario.ts';

const out: Record<string, string> = {};
const dir = join(import.meta.dirname, '..', '..', 'public', 'scenarios');
function fp(name: string, text: string | ScenarioV1, seeds: number[]) {
  const p = typeof text === 'string' ? parseScenarioText(text) : parseScenario(text);
  if (!p.ok) throw new Error(name + JSON.stringify(p.problems.slice(0, 3)));
  const r = resolveScenario(p.scenario);
  for (const seed of seeds) {
    const res = runScenario(r, { seed, recordWire: true });
    const h = createHash('sha256');
    h.update(traceToNdjson(res.trace));
    h.update(JSON.stringify(res.wire, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)));
    h.update(JSON.stringify(res.summary));
    out[`${name}#${seed}`] = `${h.digest('hex').slice(0, 16)} ev=${res.summary.events} tr=${res.trace.length}`;
    // The checker-only (lite) path must count the same events and trace events.
    const lite = runScenario(r, { seed, keepTrace: false, checkInvariants: true });
    const off = runScenario(r, { seed, keepTrace: false, checkInvariants: false });
    if (lite.summary.traceEvents !== res.summary.traceEvents || lite.summary.events !== res.summary.events
      || off.summary.events !== res.summary.events) {
      throw new Error(`${name}#${seed}: lite/off summary differs: ${JSON.stringify([res.summary, lite.summary, off.summary])}`);
    }
  }
}
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()) {
  fp(f, readFileSync(join(dir, f), 'utf8'), [1, 2, 3]);
}
const base = benchScenario(60);
base.durationMs = 600_000;
fp('bench60', base, [1]);
const jit: ScenarioV1 = { ...base, name: 'jit', links: base.clients.map((c, i) => ({
  between: [c.id, 'broker'] as [string, string], latencyMs: 5 + (i % 7), jitterMs: i % 3 === 0 ? 20 : 0,
  loss: i % 5 === 0 ? 0.2 : 0, ...(i % 11 === 0 ? { natIdleTimeoutMs: 45_000 } : {}),
})), actions: [
  { atMs: 100_000, do: 'cut', link: ['c1', 'broker'] }, { atMs: 300_000, do: 'heal', link: ['c1', 'broker'] },
  { atMs: 200_000, do: 'power-off', node: 'c2' }, { atMs: 250_000, do: 'power-on', node: 'c2' },
  { atMs: 220_000, do: 'crash', node: 'c3' }, { atMs: 230_000, do: 'restart', node: 'c3' },
  { atMs: 400_000, do: 'crash', node: 'broker' }, { atMs: 410_000, do: 'restart', node: 'broker' },
] };
fp('jit60', jit, [1, 7]);
console.log(JSON.stringify(out, null, 1));
