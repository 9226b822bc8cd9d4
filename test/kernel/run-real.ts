/**
 * The real side alone, for one or more experiments: `npx tsx test/kernel/run-real.ts NAME…`
 * prints the segments, the events and the measured quantities (no simulator involved).
 */
import { readFileSync } from 'node:fs';
import { installExitCleanup, sweepStale } from './netns.ts';
import { runWave, type ScenarioJson } from './harness.ts';

installExitCleanup();
sweepStale();
const names = process.argv.slice(2);
const scs = names.map((name, i) => ({ sc: JSON.parse(readFileSync(new URL(`./experiments/${name}.json`, import.meta.url), 'utf8')) as ScenarioJson, tag: `r${i}` }));
const settled = await runWave(scs, console.error);
const results = await Promise.allSettled(names.map(async (name, i) => {
  const s0 = settled[i]!;
  if (s0.status === 'rejected') throw s0.reason;
  const r = s0.value;
  const out: string[] = [`## ${name} (kernel ${r.kernel}, late ≤ ${r.maxLateMs} ms, ${r.frames} frames)`, `sysctls ${JSON.stringify(r.sysctls)}`, `conntrack ${JSON.stringify(r.conntrack)}`];
  for (const s of r.obs.segs) out.push(`${s.t.toFixed(3).padStart(10)} seg ${s.from}>${s.to} ${s.conn} ${s.flags} seq=${s.seq} ack=${s.ack} len=${s.len}${s.retx ? ' RETX' : ''} ${s.mqtt.join(',')}`);
  for (const e of r.obs.events) out.push(`${e.t.toFixed(3).padStart(10)} ev ${e.kind} ${JSON.stringify({ ...e, t: undefined, kind: undefined })}`);
  console.log(out.join('\n'));
}));
for (const [i, r] of results.entries()) if (r.status === 'rejected') { console.log(`## ${names[i]} FAILED: ${(r.reason as Error).stack}`); process.exitCode = 1; }
