// `halfopen validate` refuses an expect entry whose `where` names a field the kind never has
// (CONTRACT.md section 2: unknown keys are refused, exit 2, one line per problem with its path).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractExample } from '../scenario/fixtures.ts';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'sim/cli/bin.mjs');
const dir = mkdtempSync(join(tmpdir(), 'halfopen-where-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('halfopen validate: expect[].where fields', { timeout: 120_000 }, () => {
  it('exits 2 for a where key with the wrong case, naming its path and the field meant', () => {
    const s = contractExample();
    s.expect!.push({ kind: 'will.published', where: { clientid: 'sensor' } });
    const path = join(dir, 'typo.json');
    writeFileSync(path, JSON.stringify(s, null, 2));
    const o = spawnSync(process.execPath, [bin, 'validate', path], { cwd: dir, encoding: 'utf8' });
    expect(o.status).toBe(2);
    expect(o.stdout).toBe('');
    expect(o.stderr.split('\n').filter((l) => l !== '')).toEqual([
      'expect[1].where.clientid: will.published events have no field "clientid" (did you mean "clientId"?), ' +
        'so it could never match (fields: "node", "clientId", "topic", "cause", "conn", "payload", "qos", ' +
        '"retain", "why", "rule", "profile")',
    ]);

    s.expect![1]!.where = { clientId: 'sensor' };
    writeFileSync(path, JSON.stringify(s, null, 2));
    const fixed = spawnSync(process.execPath, [bin, 'validate', path], { cwd: dir, encoding: 'utf8' });
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
  });
});
