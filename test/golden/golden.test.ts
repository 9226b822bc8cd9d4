/**
 * Golden traces: every shipped scenario (public/scenarios/*.json) is run and its NDJSON trace is
 * compared byte for byte with test/golden/<name>.ndjson.
 *
 * - `npx vitest run test/golden -u` rewrites the golden files after an intended change; review
 *   the diff (one event per line) before committing it.
 * - With CI=true a missing golden file is a failure, never a silent write.
 * - Each scenario's `expect` entries must hold: the shipped scenarios double as regression tests.
 * - The CLI (`halfopen run FILE --trace -`) must exit 0 for every file and print the same trace.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkExpectations, parseScenarioText, resolveScenario, runScenario, traceToNdjson,
} from '../../sim/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const scenarioDir = join(root, 'public', 'scenarios');
const files = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .sort();

function load(file: string) {
  const parsed = parseScenarioText(readFileSync(join(scenarioDir, file), 'utf8'));
  if (!parsed.ok) {
    throw new Error(`${file} is invalid:\n${parsed.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
  return resolveScenario(parsed.scenario);
}

/** In-process traces, kept so the CLI test can compare its stdout with them. */
const traces = new Map<string, string>();

function traceOf(file: string): string {
  let text = traces.get(file);
  if (text === undefined) {
    text = traceToNdjson(runScenario(load(file), { checkInvariants: true }).trace);
    traces.set(file, text);
  }
  return text;
}

describe('shipped scenarios', () => {
  it('there are at least 12, and index.json lists each exactly once', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    const index = JSON.parse(readFileSync(join(scenarioDir, 'index.json'), 'utf8')) as
      { file: string; name: string; summary: string }[];
    expect(index.map((e) => e.file).sort()).toEqual(files);
    for (const entry of index) {
      const s = JSON.parse(readFileSync(join(scenarioDir, entry.file), 'utf8')) as { name: string; description?: string };
      expect(entry.name).toBe(s.name);
      expect(entry.summary.length).toBeGreaterThan(20);
      expect(entry.summary).not.toContain('\n');
      expect(s.description ?? '').toMatch(/\[MQTT-\d/);
    }
    // The app's default scenario: a sensor losing power, a dashboard seeing the Will.
    expect(index[0]?.file).toBe('keepalive-power-loss.json');
  });
});

describe.each(files)('%s', (file) => {
  const name = file.replace(/\.json$/, '');
  const golden = join(here, `${name}.ndjson`);

  it('matches its golden trace', async () => {
    if (process.env.CI && !existsSync(golden)) {
      throw new Error(`golden trace test/golden/${name}.ndjson is missing; run \`npx vitest run test/golden -u\` locally and commit it`);
    }
    await expect(traceOf(file)).toMatchFileSnapshot(golden);
  });

  it('meets its expect entries', () => {
    const resolved = load(file);
    expect(resolved.expect.length).toBeGreaterThan(0);
    const trace = runScenario(resolved, { checkInvariants: true }).trace;
    const failures = checkExpectations(resolved.expect, trace).filter((r) => !r.ok);
    expect(failures.map((r) => r.message)).toEqual([]);
  });

  it('is deterministic: a second run gives the same bytes', () => {
    const again = traceToNdjson(runScenario(load(file), {}).trace);
    expect(again).toBe(traceOf(file));
  });
});

/** Runs `node sim/cli/bin.mjs run FILE --trace -` (what `npx halfopen` runs). */
function runCli(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'sim', 'cli', 'bin.mjs'), 'run', join(scenarioDir, file), '--trace', '-'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({
      code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
    }));
  });
}

/** Runs `fn` over `items` with at most `limit` at a time, results in input order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe('the CLI', () => {
  it('`halfopen run FILE --trace -` exits 0 for every shipped scenario and prints the same trace', async () => {
    const results = await pool(files, 2, runCli);
    const problems: string[] = [];
    results.forEach((r, i) => {
      const file = files[i] as string;
      if (r.code !== 0) problems.push(`${file}: exit ${r.code}\n${r.stderr}`);
      else if (r.stdout !== traceOf(file)) problems.push(`${file}: CLI trace differs from the in-process trace`);
    });
    expect(problems).toEqual([]);
  });

  it('`npx halfopen run` works as documented (first scenario)', async () => {
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('npx', ['--no-install', 'halfopen', 'run', join(scenarioDir, 'keepalive-power-loss.json'), '--trace', '-'],
        { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8') }));
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(traceOf('keepalive-power-loss.json'));
  });
});
