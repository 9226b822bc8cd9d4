/**
 * The package a user depends on: `npm pack`, install the tarball in an empty project (offline:
 * the package has no dependencies), then `npx halfopen run` and the programmatic API there,
 * and a TypeScript consumer type-checked against the shipped declarations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const scenario = join(root, 'public', 'scenarios', 'keepalive-power-loss.json');
const golden = join(root, 'test', 'golden', 'keepalive-power-loss.ndjson');
let work = '';
let project = '';
let tarball = '';
let packed: string[] = [];

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('npm pack → install → use', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'halfopen-pack-'));
    // Runs prepare (the build), prepack (drops `prepare` from the packed package.json) and postpack.
    const pack = sh('npm', ['pack', '--json', '--pack-destination', work], root);
    expect(pack.code, pack.stderr).toBe(0);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toContain('"prepare"');
    const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, info[0]!.filename);
    packed = info[0]!.files.map((f) => f.path);
    project = join(work, 'user');
    sh('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user', version: '1.0.0', type: 'module', private: true }));
  }, 180_000);
  afterAll(() => { if (work !== '') rmSync(work, { recursive: true, force: true }); });

  it('ships the built command, the API, its declarations and the schema, and no sources or app', () => {
    for (const f of ['lib/halfopen.mjs', 'lib/index.mjs', 'lib/types/cli/api.d.ts', 'sim/cli/bin.mjs', 'package.json']) {
      expect(packed).toContain(f);
    }
    expect(packed.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packed.filter((f) => f.startsWith('app/') || f.startsWith('test/') || f.startsWith('public/'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(pkg['dependencies'] ?? {}).toEqual({});
  });

  it('installs offline with no warnings and brings nothing else', () => {
    const r = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], project);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => /npm warn/i.test(l) && !/Unknown (user|env) config/.test(l));
    expect(warnings).toEqual([]);
    expect(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['halfopen']);
  }, 120_000);

  it('`npx halfopen run` gives the golden trace; `validate` names the problem', () => {
    const run = sh('npx', ['--no-install', 'halfopen', 'run', scenario, '--trace', '-'], project);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout === readFileSync(golden, 'utf8')).toBe(true);
    expect(run.stderr).toContain('expectations: 4 of 4 passed');
    const bad = join(project, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'halfopen/scenario', version: 1, name: 'x', durationMs: 1000, broker: { id: 'b' }, clients: [{ id: 'c', keepAliveSeconds: 70000 }] }));
    const v = sh('npx', ['--no-install', 'halfopen', 'validate', bad], project);
    expect(v.code).toBe(2);
    expect(v.stderr).toBe('clients[0].keepAliveSeconds: must be an integer from 0 to 65535\n');
  }, 60_000);

  it('the API runs a scenario, validates with the CLI\'s messages and reads a trace', () => {
    writeFileSync(join(project, 'use.mjs'), `
      import { runFile, validateFile, validateText, readTrace, traceToNdjson, worldAt, worldHistory } from 'halfopen';
      import { readFileSync } from 'node:fs';
      const run = runFile(${JSON.stringify(scenario)});
      const ndjson = traceToNdjson(run.result.trace);
      const back = readTrace(ndjson);
      const bad = validateFile('bad.json');
      const text = validateText('{"format": "halfopen/scenario"');
      console.log(JSON.stringify({
        same: ndjson === readFileSync(${JSON.stringify(golden)}, 'utf8'), failures: run.failures, checked: run.checked,
        events: back.length, bad, text, wills: run.result.summary.willsPublished,
        world: typeof worldAt, history: typeof worldHistory,
      }));
    `);
    const r = sh(process.execPath, ['use.mjs'], project);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      same: true, failures: [], checked: 4, wills: 1, world: 'function', history: 'function',
      bad: { ok: false, lines: ['clients[0].keepAliveSeconds: must be an integer from 0 to 65535'] },
      text: { ok: false },
    });
    expect(out['events']).toBe(readFileSync(golden, 'utf8').split('\n').filter(Boolean).length);
  }, 60_000);

  it('a TypeScript consumer type-checks against the shipped declarations', () => {
    writeFileSync(join(project, 'consumer.ts'), `
      import { runFile, validateText, readTrace } from 'halfopen';
      import type { TraceEvent, RunSummary, Validated } from 'halfopen';
      const v: Validated = validateText('{}');
      if (!v.ok) { const lines: string[] = v.lines; void lines; }
      const r = runFile('x.json', { seed: 3 });
      const s: RunSummary = r.result.summary;
      const first: TraceEvent | undefined = readTrace('')[0];
      if (first?.kind === 'will.published') { const cause: string = first.cause; void cause; }
      // @ts-expect-error: not an option of a run
      runFile('x.json', { sede: 3 });
      void s;
    `);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ['consumer.ts'],
    }));
    const tsc = sh(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, 120_000);
});
