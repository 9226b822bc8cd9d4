/**
 * Trace events per keep-alive exchange on the bench workload (test/bench/scenario.ts: N idle
 * clients, K = 60 s, one hour), counted by kind and, for timer.*, by timer, per PINGREQ sent.
 * What a trace costs to build and write grows with these counts (issue 14: "fewer events per
 * ping"). Counts only: no timing, so the machine's load does not matter.
 *
 * Usage: npx tsx test/bench/events-per-ping.ts [N=1000]
 */
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import { benchScenario } from './scenario.ts';

const n = Number(process.argv[2] ?? 1000);
const parsed = parseScenario(benchScenario(n));
if (!parsed.ok) throw new Error('bench scenario is invalid');
const byKind = new Map<string, number>();
const byTimer = new Map<string, number>();
let events = 0;
let pings = 0;
runScenario(resolveScenario(parsed.scenario), {
  keepTrace: false, checkInvariants: false,
  onEvent: (e) => {
    events++;
    byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    if (e.kind === 'timer.set' || e.kind === 'timer.clear' || e.kind === 'timer.fire') {
      const k = `${e.kind} ${e.timer}${e.kind === 'timer.set' && e.replaces !== undefined ? ` (replaces ${e.replaces})` : ''}`;
      byTimer.set(k, (byTimer.get(k) ?? 0) + 1);
    }
    if (e.kind === 'mqtt.send' && e.packet === 'PINGREQ') pings++;
  },
});
const per = (x: number): string => (x / pings).toFixed(2);
console.log(`N=${n}: ${events} events, ${pings} PINGREQs, ${per(events)} events per ping`);
for (const [k, v] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(24)} ${String(v).padStart(9)}  ${per(v)}`);
for (const [k, v] of [...byTimer].sort((a, b) => b[1] - a[1])) console.log(`    ${k.padEnd(54)} ${String(v).padStart(9)}  ${per(v)}`);
