/**
 * The kernel-backed reference suite (README.md in this folder): every experiment runs on real
 * kernels in network namespaces with real mosquitto / aedes / MQTT.js, captured with tshark, and
 * in the simulator with the host TCP settings the namespaces reported; every quantity of
 * experiments/*.compare.json must agree within its tolerance (tolerances.ts).
 *
 * HALFOPEN_KERNEL_REAL_ONLY=1: the real side alone (nothing simulated; the measured values are
 * printed and written to last-results.md, only the real runs themselves are asserted).
 * HALFOPEN_KERNEL_ONLY=a,b: only these experiments.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { missingCapabilities } from './capabilities.ts';
import { aedesVersion, findMosquitto, mosquittoVersion, mqttjsVersion } from './brokers.ts';
import { cleanupAllSync, installExitCleanup, kernelRelease, sweepStale } from './netns.ts';
import { loadExperiments, resultsMarkdown, resultsText, runExperiments, type ExperimentResult } from './suite.ts';

const missing = missingCapabilities();
const underCi = process.env.CI === 'true';
const realOnly = process.env.HALFOPEN_KERNEL_REAL_ONLY === '1';
const only = (process.env.HALFOPEN_KERNEL_ONLY ?? '').split(',').filter(Boolean);
const experiments = loadExperiments(only);

if (missing.length > 0 && !underCi) {
  console.warn(`\n!!! kernel suite SKIPPED: missing ${missing.join('; ')}\n!!! (under CI=true this is a failure)\n`);
}

describe.skipIf(missing.length > 0 && !underCi)('kernel reference suite', () => {
  let results: ExperimentResult[] = [];

  it('the machine has what the suite needs', () => {
    expect(missing, `missing: ${missing.join('; ')}`).toEqual([]);
  });

  it('has at least 10 experiments and 60 compared quantities', () => {
    if (only.length > 0) return;
    expect(experiments.length).toBeGreaterThanOrEqual(10);
    expect(experiments.reduce((n, e) => n + e.quantities.length, 0)).toBeGreaterThanOrEqual(60);
  });

  it('runs every experiment on real kernels (and in the simulator)', async () => {
    if (missing.length > 0) return;
    installExitCleanup();
    const swept = sweepStale();
    if (swept.length) console.log(`removed stale namespaces of dead runs: ${swept.join(', ')}`);
    const t0 = Date.now();
    results = await runExperiments(experiments, { simulate: !realOnly, log: (s) => console.log(s) });
    // The real side is a real system on a shared machine: a scheduler delay can move one run of a
    // race (a scan boundary, a SYN answered one retry earlier). An experiment that disagrees is run
    // again, real and simulated, up to twice; it fails only if every run disagrees, and every run
    // is printed and named in last-results.md, so a repeated miss stays visible.
    const disagreeing = (r: ExperimentResult): string[] =>
      r.realError !== null || r.simError !== null ? ['(run failed)'] : r.rows.filter((row) => row.agrees !== true).map((row) =>
        `${row.quantity}: simulated ${JSON.stringify(row.sim)}, real ${JSON.stringify(row.real)}`);
    const retried: string[] = [];
    const history = new Map<string, string[]>();
    // Up to two more runs: three CI runs of this stop saw 0, 3 and 3 first-run misses, each time in
    // other experiments (a few per cent each), none twice in a row.
    for (let attempt = 2; attempt <= 3 && !realOnly; attempt++) {
      const miss = results.filter((r) => disagreeing(r).length > 0);
      if (miss.length === 0) break;
      for (const r of miss) {
        console.warn(`\n*** ${r.name} disagreed on run ${attempt - 1}, running it again:\n  ${disagreeing(r).join('\n  ')}`);
        history.set(r.name, [...(history.get(r.name) ?? []), `run ${attempt - 1}: ${disagreeing(r).join('; ')}`]);
      }
      // Alone, one at a time: a rerun is for a run that a neighbour may have disturbed (the
      // misses seen were all under load: broker-pause, ka-expiry, a FIN race), so it gets the
      // machine to itself. A few experiments at most, each under a minute.
      const again = await runExperiments(experiments.filter((e) => miss.some((r) => r.name === e.name)), { width: 1, simulate: true, log: (s) => console.log(s) });
      for (const r2 of again) results[results.findIndex((r) => r.name === r2.name)] = r2;
    }
    for (const [name, runs] of history) {
      const last = results.find((r) => r.name === name)!;
      retried.push(`${name} (${runs.join('; ')}; last run: ${disagreeing(last).length === 0 ? 'agrees' : disagreeing(last).join('; ')})`);
    }
    const header = [
      '# Kernel suite: last results',
      '',
      `Kernel ${kernelRelease()}, mosquitto ${mosquittoVersion(findMosquitto()!)}, aedes ${aedesVersion()}, MQTT.js ${mqttjsVersion()}; ` +
        `${experiments.length} experiments, ${results.reduce((n, r) => n + r.rows.length, 0)} quantities, ${Math.round((Date.now() - t0) / 1000)} s` +
        (realOnly ? ' (real side only)' : ''),
      '',
      'Regenerated by `npm run test:kernel`. "simulated" is `runScenario` on the same scenario file with the host TCP settings read from the namespaces.',
      ...(retried.length > 0 ? ['', 'Run again because a run disagreed (the table shows the last run):', ...retried.map((t) => `- ${t}`)] : []),
    ].join('\n');
    const md = resultsMarkdown(results, header);
    writeFileSync(new URL('./last-results.md', import.meta.url), md);
    // A full run also refreshes the copy in README.md (between the results markers).
    if (only.length === 0) {
      const readmeUrl = new URL('./README.md', import.meta.url);
      const readme = readFileSync(readmeUrl, 'utf8');
      const m = /<!-- results:begin -->[\s\S]*<!-- results:end -->/.exec(readme);
      if (m) writeFileSync(readmeUrl, readme.replace(m[0], `<!-- results:begin -->\n${md.replace(/^# .*\n/, '')}<!-- results:end -->`));
    }
    console.log(`\n${resultsText(results)}\n`);
    for (const r of results) if (r.simError) console.log(`${r.name}: ${r.simError}`);
    for (const r of results) expect(r.realError, `${r.name}: real side failed`).toBeNull();
  });

  for (const e of experiments) {
    it.skipIf(realOnly)(`${e.name}: every quantity agrees with the simulator`, () => {
      const r = results.find((x) => x.name === e.name);
      expect(r, 'experiment did not run').toBeDefined();
      expect(r!.realError).toBeNull();
      expect(r!.simError, 'simulator could not run the scenario').toBeNull();
      const bad = r!.rows.filter((row) => row.agrees !== true);
      expect(bad.map((b) => `${b.quantity}: simulated ${JSON.stringify(b.sim)}, real ${JSON.stringify(b.real)} (${b.tolerance})`)).toEqual([]);
    });
  }

  afterAll(() => { cleanupAllSync(); });
});
