/**
 * What the invariant checker costs: the same run with `checkInvariants` on and off, in one
 * process, alternating (off, on, on, off, ...) so drift in the machine's load hits both
 * equally; prints the medians and the ratio on / off. Trace off (keepTrace false, no onEvent):
 * the checker is then the engine's only sink, as in the CLI without --trace and in the bench.
 *
 * Usage: npx tsx test/bench/checker-cost.ts [N=2000] [runs=7] [FILE.json ...] [--baseline DIR]
 *   N: the bench workload (test/bench/scenario.ts: N idle clients, keep-alive 60 s, one hour).
 *   FILE.json: also each of these scenarios (shipped ones, e.g. scenarios/*.json), repeated
 *   until a run takes at least 0.2 s, so that short scenarios are measured above timer noise.
 *   --baseline DIR: also the checker of another checkout (DIR/sim/run.ts, e.g. `git archive`
 *   of an older commit with node_modules linked), in the same process and the same rounds,
 *   so before and after are compared under the same load.
 * Times are CPU time of this process (user + system), which a busy shared machine disturbs
 * less than wall time; the machine is shared anyway: compare ratios taken in the same run.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import type { RunOptions, RunResult } from '../../sim/run-types.ts';
import type { ResolvedScenario } from '../../sim/scenario/types.ts';
import { benchScenario } from './scenario.ts';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function resolve(json: unknown, what: string): ResolvedScenario {
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(`${what}: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  return resolveScenario(parsed.scenario);
}

type Runner = (resolved: ResolvedScenario, options: RunOptions) => RunResult;

const cpuS = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

function time(run: Runner, resolved: ResolvedScenario, on: boolean, reps: number): number {
  const t0 = cpuS();
  for (let i = 0; i < reps; i++) run(resolved, { keepTrace: false, checkInvariants: on, maxEvents: 2_000_000_000 });
  return cpuS() - t0;
}

function measure(label: string, resolved: ResolvedScenario, runs: number, baseline: Runner | null): void {
  // Warm up every path, and find how many repetitions make one sample >= 0.3 s.
  time(runScenario, resolved, false, 1);
  time(runScenario, resolved, true, 1);
  if (baseline !== null) time(baseline, resolved, true, 1);
  let reps = 1;
  while (time(runScenario, resolved, false, reps) < 0.3 && reps < 4096) reps *= 2;
  // One round: unchecked, checked (this tree), checked (baseline), in a rotating order.
  const paths: [string, Runner, boolean][] = [['off', runScenario, false], ['on', runScenario, true]];
  if (baseline !== null) paths.push(['baseOn', baseline, true]);
  const t: Record<string, number[]> = { off: [], on: [], baseOn: [] };
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < paths.length; i++) {
      const [name, run, on] = paths[(i + r) % paths.length]!;
      t[name]!.push(time(run, resolved, on, reps));
    }
  }
  const off = median(t.off!);
  const out: Record<string, unknown> = {
    workload: label, runs, reps, offS: +off.toFixed(3), onS: +median(t.on!).toFixed(3),
    ratio: +(median(t.on!) / off).toFixed(3),
    pairRatios: t.on!.map((x, i) => +(x / t.off![i]!).toFixed(3)),
  };
  if (baseline !== null) {
    out.baseOnS = +median(t.baseOn!).toFixed(3);
    out.baseRatio = +(median(t.baseOn!) / off).toFixed(3);
    out.basePairRatios = t.baseOn!.map((x, i) => +(x / t.off![i]!).toFixed(3));
  }
  console.log(JSON.stringify(out));
}

const argv = process.argv.slice(2);
const bi = argv.indexOf('--baseline');
const baseDir = bi >= 0 ? argv.splice(bi, 2)[1] : undefined;
const baseline: Runner | null = baseDir === undefined ? null
  : ((await import(pathToFileURL(resolvePath(baseDir, 'sim/run.ts')).href)) as { runScenario: Runner }).runScenario;
const n = Number(argv[0] ?? 2000);
const runs = Number(argv[1] ?? 7);
if (!(runs >= 5)) throw new Error('runs: at least 5 (medians)');
measure(`bench N=${n}`, resolve(benchScenario(n), 'bench'), runs, baseline);
for (const file of argv.slice(2)) measure(file, resolve(JSON.parse(readFileSync(file, 'utf8')), file), runs, baseline);
