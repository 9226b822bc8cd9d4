/**
 * The simulated side alone against saved real observations (test-results/kernel/<name>.real.json,
 * written by every suite run): `npx tsx test/kernel/recheck-saved.ts NAME… [--dir DIR]`. For
 * showing that a quantity can fail: break the simulator, run this, restore it.
 */
import { readFileSync } from 'node:fs';
import { loadExperiments } from './suite.ts';
import { runSimulated } from './simulated.ts';
import { measure } from './quantities.ts';
import { agrees } from './tolerances.ts';

const args = process.argv.slice(2);
const di = args.indexOf('--dir');
const dir = di >= 0 ? args.splice(di, 2)[1]! : new URL('../../test-results/kernel/', import.meta.url).pathname;
for (const e of loadExperiments(args)) {
  const saved = JSON.parse(readFileSync(`${dir}/${e.name}.real.json`, 'utf8'));
  const real = { segs: saved.segs, events: saved.events };
  const sim = await runSimulated(e.sc, saved.hostTcp);
  if ('error' in sim) { console.log(`${e.name}: simulator error ${sim.error}`); continue; }
  for (const q of e.quantities) {
    if (q.m === 'retx-median' || q.m === 'retx-fraction') continue;
    const rv = measure(real, q);
    const sv = measure(sim.obs, q);
    console.log(`${e.name} | ${q.id} | sim ${JSON.stringify(sv)} | real ${JSON.stringify(rv)} | ${agrees(q.tol, rv, sv, q.window) ? 'yes' : 'NO'}`);
  }
}
