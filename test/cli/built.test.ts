/**
 * The built command (what `npx halfopen` runs: sim/cli/bin.mjs → lib/halfopen.mjs, built by
 * sim/cli/build.mjs) and the TypeScript sources (sim/cli/from-source.mjs, through tsx) give
 * byte-identical traces, summaries and exit codes on every shipped scenario.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const scenarioDir = join(root, 'public', 'scenarios');
const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

function cli(entry: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'sim', 'cli', entry), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the built CLI', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(root, 'sim', 'cli', 'build.mjs'), '--bundle-only'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 60_000);

  it('is what the bin runs: lib/halfopen.mjs exists and is newer than every source', () => {
    const built = statSync(join(root, 'lib', 'halfopen.mjs')).mtimeMs;
    expect(existsSync(join(root, 'lib', 'index.mjs'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['halfopen']).toBe('sim/cli/bin.mjs');
    const bin = readFileSync(join(root, 'sim', 'cli', 'bin.mjs'), 'utf8');
    expect(bin).toContain('lib/halfopen.mjs');
    expect(bin).not.toContain('tsx');
    expect(statSync(join(root, 'sim', 'run.ts')).mtimeMs).toBeLessThanOrEqual(built);
  });

  it.each(files)('gives the same trace, summary and status as the sources on %s', (file) => {
    const args = ['run', join(scenarioDir, file), '--trace', '-'];
    const built = cli('bin.mjs', args);
    const source = cli('from-source.mjs', args);
    expect(built.code).toBe(0);
    expect(source.code).toBe(0);
    expect(built.stdout.length).toBeGreaterThan(1000);
    expect(built.stdout === source.stdout).toBe(true);
    expect(built.stderr).toBe(source.stderr);
  }, 60_000);

  it('gives the same problems for an invalid file', () => {
    const bad = join(root, 'test', 'cli', 'fixtures-missing.json');
    const built = cli('bin.mjs', ['validate', bad]);
    const source = cli('from-source.mjs', ['validate', bad]);
    expect(built.code).toBe(2);
    expect(built).toEqual(source);
  });
});
