/**
 * Perf helper (owned by the perf helper): one process, runs the bench scenario for N clients and
 * a bare binary-heap loop (one event per ping) alternately, and prints the ratio sim/bare.
 * Usage: npx tsx test/bench/profile-sim.ts N [runs] [inv=on|off]
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import { benchScenario, HOUR_MS, KEEPALIVE_S, stagger } from './scenario.ts';

interface Entry { time: number; seq: number; fn: () => void }
function bareLoop(n: number): number {
  const h: Entry[] = [];
  let seq = 0;
  const before = (a: Entry, b: Entry) => a.time < b.time || (a.time === b.time && a.seq < b.seq);
  const push = (time: number, fn: () => void) => {
    const e: Entry = { time, seq: seq++, fn };
    let i = h.length; h.push(e);
    while (i > 0) { const p = (i - 1) >> 1; const pe = h[p] as Entry; if (!before(e, pe)) break; h[i] = pe; i = p; }
    h[i] = e;
  };
  const pop = (): Entry => {
    const top = h[0] as Entry; const last = h.pop() as Entry; const size = h.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1; if (l >= size) break; const r = l + 1; let c = l;
        if (r < size && before(h[r] as Entry, h[l] as Entry)) c = r;
        const ce = h[c] as Entry; if (!before(ce, last)) break; h[i] = ce; i = c;
      }
      h[i] = last;
    }
    return top;
  };
  const until = HOUR_MS * 1000; const period = KEEPALIVE_S * 1_000_000;
  let now = 0; let events = 0; const at = stagger(n);
  for (let i = 0; i < n; i++) { const ping = () => { push(now + period, ping); }; push((at[i] as number) * 1000, ping); }
  while (h.length > 0) { const e = pop(); if (e.time > until) break; now = e.time; events++; e.fn(); }
  return events;
}
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
