/**
 * A sampled fleet run (app/fleet/runFleet.ts runSampled) reads the engine's lent fields and
 * builds an event object only for what the aggregator, the sampler or an `expect` entry
 * reads. This holds it to what it gave when every event was built and handed to all three
 * (RunOptions.onEvent, the previous path, kept here as the reference): the same sampled trace
 * (byte for byte as NDJSON, and as objects), the same fleet report, expectations and summary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkExpectations, fleetGroups, FleetAggregator, parseScenario, parseScenarioText, resolveScenario, runScenario, traceToNdjson,
} from '../../sim/index.ts';
import type { ResolvedScenario, Scenario, TraceEvent } from '../../sim/index.ts';
import { runSampled } from '../../app/fleet/runFleet.ts';
import { FLEET_LIMITS } from '../../app/fleet/mode.ts';
import { createKeepTest, laneIds, sampledResolved } from '../../app/fleet/sample.ts';

/** The sampled run as it was made before: every event built (onEvent) and given to every reader. */
function referenceRun(s: Scenario, resolved: ResolvedScenario) {
  const lanes = laneIds(s, true);
  const keep = new Set(lanes.slice(1));
  const test = createKeepTest(resolved, keep);
  const kept: TraceEvent[] = [];
  const agg = new FleetAggregator(resolved, { groups: fleetGroups(s) });
  const expectKinds = new Set<string>(resolved.expect.map((e) => e.kind));
  const selected: TraceEvent[] = [];
  const onEvent = (ev: TraceEvent): void => {
    agg.add(ev);
    if (test(ev)) kept.push({ ...ev, seq: kept.length });
    if (expectKinds.has(ev.kind)) selected.push(ev);
  };
  const result = runScenario(resolved, { keepTrace: false, onEvent, maxEvents: FLEET_LIMITS.events * 4 });
  return {
    trace: kept, ndjson: traceToNdjson(kept), resolved: sampledResolved(resolved, keep), summary: result.summary,
    expectations: checkExpectations(s.expect ?? [], selected).map((r, index) => ({ index, ok: r.ok, message: r.message })),
    fleet: { report: agg.finish(), sampled: { lanes, devices: s.clients.reduce((n, c) => n + (c.count ?? 1), 0) } },
  };
}

function same(s: Scenario): { kept: number; traceEvents: number } {
  const resolved = resolveScenario(s);
  const want = referenceRun(s, resolved);
  const got = runSampled(s, resolved, () => 0, Infinity);
  expect(got.ndjson).toBe(want.ndjson);
  expect(got.trace).toStrictEqual(want.trace);
  expect(got.fleet).toStrictEqual(want.fleet);
  expect(got.expectations).toStrictEqual(want.expectations);
  expect(got.summary).toStrictEqual(want.summary);
  expect(got.resolved).toStrictEqual(want.resolved);
  return { kept: got.trace.length, traceEvents: got.summary.traceEvents };
}

function scenario(file: object): Scenario {
  const p = parseScenario(file);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.scenario;
}

const SHIPPED = join(__dirname, '../../public/scenarios');

describe('a sampled run built from lent fields is the run built from every event', () => {
  it('every shipped scenario (the reconnect storms, the Wills, the takeovers, the cuts)', () => {
    const files = readdirSync(SHIPPED).filter((f) => f.endsWith('.json') && f !== 'index.json');
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) {
      const p = parseScenarioText(readFileSync(join(SHIPPED, f), 'utf8'));
      if (!p.ok) throw new Error(`${f}: ${JSON.stringify(p.problems)}`);
      same(p.scenario);
    }
  });

  it('a storm like the benchmark\'s: 300 devices, the broker down 40 s, a small listen queue, with expectations', () => {
    const r = same(scenario({
      format: 'halfopen/scenario', version: 1, name: 'small storm', seed: 3, durationMs: 150_000,
      broker: { id: 'broker', profile: 'mosquitto-2.0', tcp: { somaxconn: 16 } },
      clients: [
        { id: 'dev', count: 300, keepAliveSeconds: 20, connectAtMs: { fromMs: 0, toMs: 5000 }, will: { topic: 'status/dev', payload: 'off', qos: 1 } },
        { id: 'dash', subscriptions: [{ topic: 'status/#', qos: 1 }] },
      ],
      links: [{ between: ['dev', 'broker'], latencyMs: 5 }],
      actions: [
        { atMs: 30_000, do: 'crash', node: 'broker' }, { atMs: 70_000, do: 'restart', node: 'broker' },
        { atMs: 100_000, do: 'power-off', node: 'dev' }, { atMs: 120_000, do: 'power-on', node: 'dev' },
      ],
      expect: [
        { kind: 'client.connected', where: { node: 'dev-150' }, atLeast: 2 },
        { kind: 'tcp.listen-overflow', atLeast: 1 },
        { kind: 'will.published', count: 7 },
      ],
    }));
    expect(r.traceEvents).toBeGreaterThan(r.kept * 20);
  });
});
