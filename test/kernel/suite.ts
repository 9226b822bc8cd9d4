/**
 * The kernel suite's engine, shared by kernel.test.ts and run-real.ts: loads every experiment
 * (experiments/<name>.json + <name>.compare.json), runs the real side in waves, runs the
 * simulator with the host TCP settings the real namespaces reported, computes every quantity on
 * both sides with the same extractor and judges it with the tolerance table.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runWave, type RealResult, type ScenarioJson } from './harness.ts';
import { expand, isStat, measure, statOf, type CompareFile, type QuantitySpec } from './quantities.ts';
import { runSimulated } from './simulated.ts';
import type { Observation } from './observation.ts';
import { agrees, agreesStat, describeTolerance, type Value } from './tolerances.ts';

/**
 * `simSeeds`: how many simulated runs (seeds seed, seed+1, …) the statistical quantities pool;
 * the other quantities use the scenario's own seed, the first of them.
 */
export interface Experiment { name: string; sc: ScenarioJson; quantities: QuantitySpec[]; simSeeds: number }

const dir = new URL('./experiments/', import.meta.url);

export function loadExperiments(only?: string[]): Experiment[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.compare.json')).sort()
    .map((f) => f.replace(/\.json$/, ''))
    .filter((name) => !only || only.length === 0 || only.includes(name))
    .map((name) => {
      const cmp = JSON.parse(readFileSync(new URL(`${name}.compare.json`, dir), 'utf8')) as CompareFile;
      return {
        name,
        sc: JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as ScenarioJson,
        quantities: expand(cmp.quantities),
        simSeeds: cmp.simSeeds ?? 1,
      };
    });
}

export interface Row {
  experiment: string;
  quantity: string;
  tol: QuantitySpec['tol'];
  tolerance: string;
  real: Value;
  sim: Value;
  /** null: no simulated value to judge (the simulator refused or failed the scenario). */
  agrees: boolean | null;
  note: string;
  /** Statistical quantities: how many samples each side's statistic has (and successes, for a fraction). */
  realN?: { n: number; hits?: number };
  simN?: { n: number; hits?: number };
}

export interface ExperimentResult {
  name: string;
  rows: Row[];
  real: RealResult | null;
  realError: string | null;
  simError: string | null;
}

/** Waves of at most `width` experiments, longest first, so that a wave lasts as long as its first. */
export function planWaves(exps: Experiment[], width: number): Experiment[][] {
  const sorted = [...exps].sort((a, b) => b.sc.durationMs - a.sc.durationMs);
  const waves: Experiment[][] = [];
  for (let i = 0; i < sorted.length; i += width) waves.push(sorted.slice(i, i + width));
  return waves;
}

export async function runExperiments(exps: Experiment[], opts: { width?: number; simulate?: boolean; log?: (s: string) => void } = {}): Promise<ExperimentResult[]> {
  const out: ExperimentResult[] = [];
  let n = 0;
  for (const wave of planWaves(exps, opts.width ?? 5)) {
    opts.log?.(`wave: ${wave.map((e) => e.name).join(', ')}`);
    const settled = await runWave(wave.map((e) => ({ sc: e.sc, tag: `k${n++}` })), opts.log);
    for (const [i, e] of wave.entries()) {
      const s = settled[i]!;
      if (s.status === 'rejected') {
        out.push({ name: e.name, rows: [], real: null, realError: (s.reason as Error).stack ?? String(s.reason), simError: null });
        continue;
      }
      const real = s.value;
      saveObservation(e.name, real);
      let simObs: Observation | null = null;
      const simPool: Observation[] = [];
      let simError: string | null = null;
      if (opts.simulate !== false) {
        const base = (e.sc.seed as number | undefined) ?? 1;
        for (let k = 0; k < e.simSeeds && simError === null; k++) {
          const sim = await runSimulated({ ...e.sc, seed: base + k }, real.hostTcp);
          if ('error' in sim) simError = sim.error; else simPool.push(sim.obs);
        }
        if (simError === null) simObs = simPool[0]!;
      } else simError = 'not simulated (HALFOPEN_KERNEL_REAL_ONLY)';
      const rows = e.quantities.map((q): Row => {
        if (isStat(q)) {
          const rs = statOf([real.obs], q);
          const ss = simObs ? statOf(simPool, q) : null;
          return {
            experiment: e.name, quantity: q.id, tol: q.tol, tolerance: describeTolerance(q.tol, q.window),
            real: rs.value, sim: ss?.value ?? null, agrees: ss ? agreesStat(q.tol, rs, ss, q.window) : null, note: q.note ?? '',
            realN: { n: rs.n, hits: rs.hits }, ...(ss ? { simN: { n: ss.n, hits: ss.hits } } : {}),
          };
        }
        const rv = measure(real.obs, q);
        const sv = simObs ? measure(simObs, q) : null;
        return {
          experiment: e.name, quantity: q.id, tol: q.tol, tolerance: describeTolerance(q.tol, q.window),
          real: rv, sim: sv, agrees: simObs ? agrees(q.tol, rv, sv, q.window) : null, note: q.note ?? '',
        };
      });
      out.push({ name: e.name, rows, real, realError: null, simError });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The raw real observation (segments and events) of the last run, for whoever calibrates the model. */
function saveObservation(name: string, real: RealResult): void {
  const out = new URL('../../test-results/kernel/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(new URL(`${name}.real.json`, out), JSON.stringify({ kernel: real.kernel, hostTcp: real.hostTcp, conntrack: real.conntrack, brokerLog: real.brokerLog, events: real.obs.events, segs: real.obs.segs }, null, 1));
}

const fmt = (v: Value, n?: { n: number; hits?: number }): string => {
  const base = v === null ? '—' : typeof v === 'string' ? (v === '' ? '(none)' : v) : String(v);
  if (!n) return base;
  return n.hits !== undefined ? `${base} (${n.hits}/${n.n})` : `${base} (n=${n.n})`;
};

export function resultsMarkdown(results: ExperimentResult[], header: string): string {
  const lines = [header, '', '| experiment | quantity | simulated | real | tolerance | agrees |', '|---|---|---:|---:|---|---|'];
  for (const r of results) {
    if (r.realError) { lines.push(`| ${r.name} | (real side failed: ${r.realError.split('\n')[0]!.replace(/\|/g, '/')}) | | | | no |`); continue; }
    for (const row of r.rows) {
      lines.push(`| ${row.experiment} | ${row.quantity.replace(/\|/g, '/')} | ${fmt(row.sim, row.simN)} | ${fmt(row.real, row.realN)} | ${row.tolerance} | ${row.agrees === null ? 'n/a' : row.agrees ? 'yes' : '**NO**'} |`);
    }
  }
  const simErrors = results.filter((r) => r.simError);
  if (simErrors.length > 0) {
    lines.push('', 'Simulated side missing:', '');
    for (const r of simErrors) lines.push(`- ${r.name}: ${r.simError}`);
  }
  const real = results.filter((r) => r.real);
  if (real.length > 0) {
    lines.push('', `Kernel ${real[0]!.real!.kernel}. Host TCP settings as read from each namespace (and given to the simulator):`, '');
    for (const r of real) {
      lines.push(`- ${r.name}: ${Object.entries(r.real!.hostTcp).map(([node, t]) => `${node} ${JSON.stringify(t)}`).join('; ')}${Object.keys(r.real!.conntrack).length ? `; NAT ${JSON.stringify(r.real!.conntrack)}` : ''}`);
    }
    lines.push('', 'Latest a scheduled action ran after its time, per experiment (ms): ' + real.map((r) => `${r.name} ${r.real!.maxLateMs}`).join(', '));
  }
  return `${lines.join('\n')}\n`;
}

export function resultsText(results: ExperimentResult[]): string {
  const rows = results.flatMap((r) => r.rows.map((x) => [x.experiment, x.quantity, fmt(x.sim, x.simN), fmt(x.real, x.realN), x.tolerance, x.agrees === null ? 'n/a' : x.agrees ? 'yes' : 'NO']));
  const head = ['experiment', 'quantity', 'simulated', 'real', 'tolerance', 'agrees'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}
