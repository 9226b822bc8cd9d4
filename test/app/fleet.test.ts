/**
 * The app's side of fleets (app/fleet): which scenarios run sampled, what the sampled trace
 * keeps (every event of the sampled devices, the broker's events about them, nothing about the
 * others), and that a sampled run's aggregates are those of the whole trace.
 */
import { describe, expect, it } from 'vitest';
import { fleetGroups, fleetReport, parseScenario, resolveScenario, runScenario, World } from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';
import { runsSampled, tooLargeForApp } from '../../app/model/estimate.ts';
import { laneIds, sampleMembers } from '../../app/fleet/sample.ts';
import { runSampled } from '../../app/fleet/runFleet.ts';
import { simulate } from '../../app/worker/simulate.ts';
import { deviceView, localAtOrBefore, localOf } from '../../app/fleet/drill.ts';

function scenario(file: object): Scenario {
  const p = parseScenario(file);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.scenario;
}

const group = (count: number, durationMs = 60_000) => scenario({
  format: 'halfopen/scenario', version: 1, name: `group of ${count}`, seed: 2, durationMs,
  broker: { id: 'broker', profile: 'mosquitto-2.0' },
  clients: [
    { id: 'dev', count, keepAliveSeconds: 15, connectAtMs: { fromMs: 0, toMs: 3000 }, will: { topic: 'status/dev', payload: 'off', qos: 1 } },
    { id: 'dash', subscriptions: [{ topic: 'status/#', qos: 1 }] },
  ],
  actions: [{ atMs: 20_000, do: 'power-off', node: 'dev' }, { atMs: 40_000, do: 'power-on', node: 'dev' }],
  expect: [{ kind: 'will.published', count: count }],
});

describe('which scenarios run sampled', () => {
  it('a group of 1,000 to 99,999 devices (100,000 with the dashboard) runs sampled; 5,000 single clients or a fleet of weeks are refused, saying why and what to run', () => {
    expect(runsSampled(group(1000))).toBe(true);
    expect(tooLargeForApp(group(9999))).toBe(null);
    expect(tooLargeForApp(group(10_000))).toBe(null);
    expect(runsSampled(group(99_999))).toBe(true);
    expect(tooLargeForApp(group(99_999))).toBe(null);
    expect(runsSampled(group(100))).toBe(false); // held whole: 101 clients, few events
    expect(tooLargeForApp(group(10_000, 7 * 86_400_000))).toMatch(
      /too large to run in the browser \(10,001 clients for 7 days, about .* billion events: more than the 40 million events this tab computes in a few minutes\)\. The command line runs it whole.*--summary json/);
    const singles = scenario({
      format: 'halfopen/scenario', version: 1, name: 'singles', durationMs: 60_000, broker: { id: 'broker' },
      clients: Array.from({ length: 5000 }, (_, i) => ({ id: `c${i}` })),
    });
    expect(tooLargeForApp(singles)).toMatch(/5,000 clients/);
  });

  it('lanes: a group is its members, or (sampled) its first, middle and last', () => {
    expect(sampleMembers('dev', 1000)).toEqual(['dev-0001', 'dev-0500', 'dev-1000']);
    expect(sampleMembers('dev', 2)).toEqual(['dev-1', 'dev-2']);
    expect(laneIds(group(3), false)).toEqual(['broker', 'dev-1', 'dev-2', 'dev-3', 'dash']);
    expect(laneIds(group(1000), true)).toEqual(['broker', 'dev-0001', 'dev-0500', 'dev-1000', 'dash']);
  });
});

describe('a sampled run', () => {
  const s = group(60);
  const resolved = resolveScenario(s);
  const full = runScenario(resolved).trace;
  const sampled = runSampled(s, resolved, () => 0, Infinity);
  const lanes = sampled.fleet.sampled!.lanes;

  it('reports its progress while it computes, in simulated time', () => {
    let clock = 0;
    const seen: { events: number; tMs: number; durationMs: number }[] = [];
    runSampled(s, resolved, () => (clock += 1000), Infinity, (p) => seen.push(p));
    expect(seen.length).toBeGreaterThanOrEqual(2); // a report every 4,096 events once 250 ms have passed
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.events).toBeGreaterThan(seen[i - 1]!.events);
      expect(seen[i]!.tMs).toBeGreaterThanOrEqual(seen[i - 1]!.tMs);
    }
    expect(seen.every((p) => p.durationMs === s.durationMs && p.tMs <= s.durationMs)).toBe(true);
  });

  it('counts every device as the whole trace does', () => {
    const whole = fleetReport(resolved, full, { groups: fleetGroups(s) });
    expect(sampled.fleet.report.phases).toEqual(whole.phases);
    expect([...sampled.fleet.report.series.believed]).toEqual([...whole.series.believed]);
    expect([...sampled.fleet.report.series.alive]).toEqual([...whole.series.alive]);
    expect(sampled.fleet.report.maxLie).toBe(60);
    expect(sampled.expectations).toEqual([{ index: 0, ok: true, message: expect.any(String) }]);
    expect(sampled.summary.traceEvents).toBe(full.length);
  });

  it('keeps every event of a sampled device, none of the others, and renumbers seq', () => {
    expect(lanes).toEqual(['broker', 'dev-01', 'dev-30', 'dev-60', 'dash']);
    const strip = ({ seq: _s, ...rest }: { seq: number }) => rest;
    for (const id of ['dev-30', 'dash']) {
      const mine = (t: readonly object[]) => t.filter((e) => (e as { node?: string }).node === id).map((e) => strip(e as never));
      expect(mine(sampled.trace)).toEqual(mine(full));
    }
    expect(sampled.trace.some((e) => 'node' in e && e.node === 'dev-02')).toBe(false);
    expect(sampled.trace.some((e) => 'peer' in e && e.peer === 'dev-02')).toBe(false);
    sampled.trace.forEach((e, i) => expect(e.seq).toBe(i));
    expect(sampled.resolved.clients.map((c) => c.id)).toEqual(lanes.slice(1));
  });

  it('is a trace the world reducer reads: the broker\'s sessions of the sampled devices agree with the whole run', () => {
    const cut = 30_000; // after the power-off: sessions still "connected" (the broker has not noticed)
    const at = (t: typeof full): number => { let i = -1; while (i + 1 < t.length && t[i + 1]!.tMs <= cut) i++; return i; };
    const small = new World(sampled.resolved, sampled.trace);
    small.seek(at(sampled.trace));
    const big = new World(resolved, full);
    big.seek(at(full));
    const sessions = (w: World) => w.view(cut).nodes.broker!.sessions
      .filter((x) => ['dev-01', 'dev-30', 'dev-60', 'dash'].includes(x.clientId)).map((x) => [x.clientId, x.status, x.conn]);
    expect(sessions(small)).toEqual(sessions(big));
    expect(small.view(cut).nodes['dev-30']!.host).toBe('off');
  });

  it('the worker answers a large group scenario with the sample, its layout and the fleet', () => {
    const r = simulate(group(1000, 45_000));
    if (!r.ok) throw new Error(r.message);
    expect(r.fleet?.sampled?.devices).toBe(1001);
    expect(r.derived?.nodes).toEqual(['broker', 'dev-0001', 'dev-0500', 'dev-1000', 'dash']);
    expect(r.fleet?.report.devices).toBe(1001);
    expect(r.summary.traceEvents).toBeGreaterThan(r.trace.length * 5);
  });
});

describe('drill-down to one device (app/fleet/drill.ts)', () => {
  const s = group(20);
  const resolved = resolveScenario(s);
  const trace = runScenario(resolved).trace;
  const v = deviceView(trace, resolved, 'dev-07', s.durationMs);

  it('draws that device and the broker alone, each event still the run\'s own', () => {
    expect(v.layout.lanes.map((l) => l.name)).toEqual(['broker', 'dev-07']);
    expect(v.trace.length).toBeGreaterThan(50);
    v.trace.forEach((ev, i) => expect(trace[v.global[i]!]).toBe(ev));
    const about = (ev: object, id: string) => Object.values(ev).some((x) => x === id || (Array.isArray(x) && x.includes(id)));
    expect(v.trace.some((ev) => about(ev, 'dev-08') || about(ev, 'dash'))).toBe(false);
    // Every event of dev-07 itself is there.
    expect(v.trace.filter((ev) => 'node' in ev && ev.node === 'dev-07').length)
      .toBe(trace.filter((ev) => 'node' in ev && ev.node === 'dev-07').length);
    expect(v.layout.arrows.every((a) => [a.from, a.to].every((n) => n === 'broker' || n === 'dev-07'))).toBe(true);
  });

  it('maps the run\'s cursor and selection onto the events drawn', () => {
    const g = v.global;
    expect(localAtOrBefore(g, g[5]!)).toBe(5);
    expect(localAtOrBefore(g, g[5]! + 1 === g[6] ? g[5]! : g[5]! + 1)).toBe(5);
    expect(localAtOrBefore(g, -1)).toBe(-1);
    expect(localAtOrBefore(g, trace.length)).toBe(g.length - 1);
    expect(localOf(g, g[9]!)).toBe(9);
    expect(localOf(g, null)).toBe(null);
    const notDrawn = trace.findIndex((_, i) => !g.includes(i));
    expect(localOf(g, notDrawn)).toBe(null);
  });
});
