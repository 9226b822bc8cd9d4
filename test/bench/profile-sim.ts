/**
 * Perf helper (owned by the perf helper): one process, runs the bench scenario for N clients and
 * a bare binary-heap loop (one event per ping) alternately, and prints the ratio sim/bare.
 * Usage: npx tsx test/bench/profile-sim.ts N [runs] [inv=on|off]
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import { bareLoop } from './bare-loop.ts';
import { benchScenario, HOUR_MS, KEEPALIVE_S, stagger } from './scenario.ts';

function hwm(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}
const n = Number(process.argv[2] ?? 10000);
const runs = Number(process.argv[3] ?? 3);
const inv = (process.argv[4] ?? 'off') === 'on';
const parsed = parseScenario(benchScenario(n));
if (!parsed.ok) throw new Error('parse');
const resolved = resolveScenario(parsed.scenario);
const sims: number[] = []; const bares: number[] = []; let events = 0;
for (let r = 0; r < runs; r++) {
  let t0 = performance.now(); bareLoop(n); bares.push((performance.now() - t0) / 1000);
  t0 = performance.now();
  const res = runScenario(resolved, { keepTrace: false, checkInvariants: inv, maxEvents: 2_000_000_000 });
  sims.push((performance.now() - t0) / 1000); events = res.summary.events;
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const s = med(sims); const b = med(bares);
console.log(JSON.stringify({ n, inv, events, sim: +s.toFixed(3), bare: +b.toFixed(3), ratio: +(s / b).toFixed(1),
  evPerS: Math.round(events / s), rssMB: Math.round(hwm()), sims: sims.map((x) => +x.toFixed(2)) }));
