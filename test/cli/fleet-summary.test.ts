// `halfopen run --summary human|json` on a fleet (issue 13, part 6): the real binary on a real
// group scenario; the summary says what happened after each action, and the JSON carries the
// same numbers for scripts (its shape: README "Run summary as JSON").
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'sim/cli/bin.mjs');
const dir = mkdtempSync(join(tmpdir(), 'halfopen-fleet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fleet = join(dir, 'fleet.json');
writeFileSync(fleet, JSON.stringify({
  format: 'halfopen/scenario', version: 1, name: 'broker restart', seed: 5, durationMs: 90_000,
  broker: { id: 'broker', profile: 'mosquitto-2.0' },
  clients: [
    { id: 'dev', count: 200, keepAliveSeconds: 30, connectAtMs: { fromMs: 0, toMs: 10_000 },
      will: { topic: 'status/dev', payload: 'offline', qos: 1 } },
  ],
  actions: [{ atMs: 30_000, do: 'power-off', node: 'broker' }, { atMs: 40_000, do: 'power-on', node: 'broker' }],
  expect: [{ kind: 'client.connected', atLeast: 400 }],
}));

describe('halfopen run: the fleet summary', { timeout: 300_000 }, () => {
  it('says after each action what happened, with reconnection times', () => {
    const o = cli('run', fleet);
    expect(o.status).toBe(0);
    const lines = o.stdout.split('\n');
    expect(lines).toContain('  devices: 200 (groups: dev 200)');
    expect(lines).toContain('  after power-off broker at 30 s (until 40 s):');
    expect(lines).toContain('    believed online 200 → 0, truly alive 200 → 0');
    expect(lines).toContain('  after power-on broker at 40 s (until 90 s):');
    // The same numbers as test/fleet/real-run.test.ts reads from the aggregator.
    expect(lines).toContain('    200 reconnections: first 41.05 s (+1.05 s), median 42.75 s (+2.75 s), p99 47.934 s (+7.934 s), last 48.062 s (+8.062 s)');
    expect(o.stdout).toMatch(/^ {4}\d+ broker keep-alive detections, \d+ connection attempts given up, \d+ Wills published, \d+ SYN drops, \d+ segments dropped$/m);
  });

  it('--summary json prints one JSON object with the same numbers', () => {
    const o = cli('run', fleet, '--summary', 'json');
    expect(o.status).toBe(0);
    const j = JSON.parse(o.stdout);
    expect(j).toMatchObject({ format: 'halfopen/summary', version: 1, scenario: 'broker restart', seed: 5, endMs: 90_000 });
    expect(j.expectations).toEqual({ checked: 1, passed: 1, failures: [] });
    expect(j.fleet.devices).toBe(200);
    const on = j.fleet.phases[2];
    expect(on).toMatchObject({ action: 'power-on', target: 'broker', atMs: 40_000, untilMs: 90_000, believedAtEnd: 200 });
    expect(on.reconnections).toEqual({ count: 200, firstMs: 41050, medianMs: 42750, p99Ms: 47934, lastMs: 48062 });
    const s = j.fleet.series;
    expect(s.bucketMs).toBe(1000);
    expect(s.believed).toHaveLength(90);
    expect(s.believed[35]).toBe(0);
    expect(s.believed[89]).toBe(200);
    expect(s.counters.synDrops).toHaveLength(90);
    expect(s.connackP50Ms[35]).toBe(null);
    expect(s.groups).toEqual([{ id: 'dev', believed: s.believed, alive: s.alive }]);
    // CONNACK latencies are whole µs in ms: at most three decimals, never 28185.050000000047.
    const latencies = [j.fleet.connackMs.p50, j.fleet.connackMs.p99, j.fleet.connackMs.max,
      ...s.connackP50Ms, ...s.connackP99Ms, ...s.connackMaxMs].filter((v) => v !== null);
    expect(latencies.length).toBeGreaterThan(10);
    expect(latencies.filter((v) => !/^\d+(\.\d{1,3})?$/.test(String(v)))).toEqual([]);
  });

  it('--summary json with --trace - goes to standard error, the trace alone on standard output', () => {
    const o = cli('run', fleet, '--summary', 'json', '--trace', '-', '--until-ms', '5000');
    expect(o.status).toBe(1);
    const trace = o.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(trace.at(-1).kind).toBe('run.end');
    const last = o.stderr.trim().split('\n').at(-1)!;
    expect(JSON.parse(last).fleet.series.believed).toHaveLength(5);
  });

  it('refuses an unknown --summary value with one line naming the option', () => {
    const o = cli('run', fleet, '--summary', 'xml');
    expect(o.status).toBe(2);
    expect(o.stderr.trim()).toBe('--summary: must be human or json, not "xml"');
  });
});
