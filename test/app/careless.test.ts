/** Issue 10 in the store and the worker's code (no browser): estimates, words, stale results. */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenarioText } from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';
import { estimateRun, tooLargeForApp, APP_LIMITS } from '../../app/model/estimate.ts';
import { nameInvisible } from '../../app/model/visibleText.ts';
import { simulate, userFacingError, parseText } from '../../app/worker/simulate.ts';
import { createAppStore } from '../../app/store/store.ts';
import type { SimRunner } from '../../app/worker/runner.ts';
import { DEFAULT_SCENARIO } from '../../app/defaultScenario.ts';

function fleet(n: number, durationMs: number, keepAliveSeconds: number): Scenario {
  return {
    format: 'halfopen/scenario', version: 1, name: `Fleet of ${n}`, durationMs, broker: { id: 'broker' },
    clients: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, keepAliveSeconds })),
  } as Scenario;
}

describe('estimate before simulating', () => {
  it('every shipped scenario fits; their estimates are within a factor of five of the real run', () => {
    const dir = 'public/scenarios';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'index.json')) {
      const parsed = parseScenarioText(readFileSync(`${dir}/${f}`, 'utf8'));
      if (!parsed.ok) continue;
      expect(tooLargeForApp(parsed.scenario), f).toBeNull();
      const run = simulate(parsed.scenario);
      expect(run.ok, f).toBe(true);
      if (!run.ok) continue;
      const est = estimateRun(parsed.scenario).events;
      expect(run.trace.length / est, f).toBeLessThan(5);
      expect(run.trace.length / est, f).toBeGreaterThan(0.2);
    }
  });

  it('refuses 5,000 clients and a seven-day 1 s keep-alive run, in words naming the command line', () => {
    const many = tooLargeForApp(fleet(5000, 60_000, 60))!;
    expect(many).toMatch(/“Fleet of 5000” is too large to show here \(5,000 clients for 1 minute/);
    expect(many).toContain(`up to ${APP_LIMITS.clients} clients`);
    expect(many).toContain('npx halfopen run FILE');
    expect(tooLargeForApp(fleet(1, 7 * 86_400_000, 1))).toMatch(/1 client for 7 days, about 12 million events/);
    expect(tooLargeForApp(fleet(10, 60_000, 5))).toBeNull();
  });

  it('the worker refuses too large a scenario itself, without running it, and parses text it is sent', () => {
    const t0 = performance.now();
    const r = simulate(fleet(100_000, 60_000, 60));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/100,000 clients/);
    const p = parseText(JSON.stringify(fleet(5000, 60_000, 60)));
    expect(p).toEqual({ ok: false, problems: [], tooLarge: expect.stringMatching(/5,000 clients/) });
    expect(parseText(JSON.stringify(fleet(2, 1000, 5))).ok).toBe(true);
  });
});

describe('internal errors and invisible characters in words', () => {
  it('translates the engine\'s and the browser\'s errors', () => {
    expect(userFacingError(new RangeError('Invalid string length'))).toMatch(/^The run was too large for the browser's memory \(Invalid string length\)\. The app shows/);
    expect(userFacingError(new Error('event limit exceeded: more than 5 events by t=1 ms'))).toMatch(/did not finish: it went over the simulator's event limit/);
    expect(userFacingError(new Error('boom'))).toMatch(/internal error: boom\. Please report it/);
  });

  it('names invisible characters', () => {
    expect(nameInvisible('unexpected "\uFEFF" where a value was expected')).toBe('unexpected U+FEFF (byte-order mark) where a value was expected');
    expect(nameInvisible('a\u200Bb\u202Ec')).toBe('a⟨U+200B (zero-width space)⟩b⟨U+202E (right-to-left override)⟩c');
    expect(nameInvisible('plain\ntext')).toBe('plain\ntext');
  });
});

describe('no stale results', () => {
  it('a failed run clears the previous scenario\'s trace and expectations; loading clears them before the run', async () => {
    let fail = false;
    const runner: SimRunner = {
      run: async (s) => (fail ? { ok: false, message: 'The run was too large', problems: [] } : simulate(s)),
      capture: async () => ({ ok: false, message: 'no' }),
    };
    const store = createAppStore(runner, DEFAULT_SCENARIO);
    const s = store.getState;
    s().loadScenario(DEFAULT_SCENARIO, 'test');
    expect(s().trace).toEqual([]);
    for (let i = 0; i < 100 && s().runStatus !== 'ready'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s().trace.length).toBeGreaterThan(0);
    fail = true;
    s().loadScenario({ ...DEFAULT_SCENARIO, name: 'Next' }, 'test');
    expect(s().trace).toEqual([]);
    expect(s().expectations).toEqual([]);
    for (let i = 0; i < 100 && s().runStatus !== 'error'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s().runStatus).toBe('error');
    expect(s().trace).toEqual([]);
    expect(s().ndjson).toBe('');
    expect(s().message?.text).toBe('The run was too large');
  });
});
