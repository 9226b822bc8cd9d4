// `halfopen run` when the simulator stops midway (exit 3, an extension of CONTRACT.md section 1):
// the invariant's message is printed, with no stack, and the partial trace file is removed.
// The simulator is replaced by a stub that emits a few events and then throws.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { RunOptions } from '../../sim/run-types.ts';
import { InvariantViolation } from '../../sim/invariants.ts';
import { minimal } from '../scenario/fixtures.ts';

const behaviour = { fail: 'invariant' as 'invariant' | 'other' };

vi.mock('../../sim/run.ts', () => ({
  startScenario: (_resolved: unknown, options: RunOptions) => ({
    advance(): boolean {
      for (let seq = 0; seq < 50_000; seq++) {
        options.onFields?.({ kind: 'host.state', node: 'broker', state: 'up' }, seq, seq * 1000);
      }
      if (behaviour.fail === 'invariant') {
        throw new InvariantViolation({ invariant: 'one-session-per-client', message: 'two sessions for c1', seed: 1, eventIndex: 49_999, tMs: 49_999 });
      }
      throw new Error('event limit exceeded');
    },
    finish(): never { throw new Error('not reached'); },
  }),
}));

const { runCommand } = await import('../../sim/cli/run-command.ts');

const dir = mkdtempSync(join(tmpdir(), 'halfopen-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => { vi.restoreAllMocks(); process.exitCode = 0; });

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
  return lines;
}

describe('halfopen run when the simulator stops', () => {
  const scenario = join(dir, 's.json');
  writeFileSync(scenario, JSON.stringify(minimal()));

  it('an invariant violation exits 3 with its message, and the partial trace is removed', async () => {
    behaviour.fail = 'invariant';
    const err = captureStderr();
    const trace = join(dir, 'partial.ndjson');
    const status = await runCommand({ cmd: 'run', file: scenario, trace }, { inline: true });
    expect(status).toBe(3);
    expect(err.join('')).toMatch(/^halfopen: invariant violated: Invariant "one-session-per-client" broken after trace event #49999 .*seed 1.*--seed 1/);
    expect(err.join('')).not.toMatch(/^\s+at /m);
    expect(existsSync(trace)).toBe(false);
  });

  it('any other failure also exits 3 with one line and removes the trace', async () => {
    behaviour.fail = 'other';
    const err = captureStderr();
    const trace = join(dir, 'partial2.ndjson');
    const status = await runCommand({ cmd: 'run', file: scenario, trace }, { inline: true });
    expect(status).toBe(3);
    expect(err).toEqual(['halfopen: the simulator stopped: event limit exceeded\n']);
    expect(existsSync(trace)).toBe(false);
  });
});
