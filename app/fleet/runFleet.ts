/**
 * The worker's part of the Fleet view. A run the app holds whole (up to APP_LIMITS) gets its
 * fleet report from the trace; a sampled run (mode.ts) runs every device with the aggregator
 * and the sampler listening, keeping no trace of its own, so a 10,000-device run costs the tab
 * the sampled devices' events plus a few typed arrays.
 */
import {
  checkExpectations, eventOfFields, fleetGroups, fleetReport, FleetAggregator, FLEET_KINDS, runScenario, traceToNdjson,
} from '../../sim/index.ts';
import type { Kind, ResolvedScenario, RunResult, Scenario, TraceEvent, TraceFields } from '../../sim/index.ts';
import { FLEET_CLI, FLEET_LIMITS, FLEET_MIN_CLIENTS } from './mode.ts';
import { createKeepTest, laneIds, sampledResolved } from './sample.ts';
import type { FleetData } from './fleetData.ts';

const devices = (s: Scenario): number => s.clients.reduce((n, c) => n + (c.count ?? 1), 0);

/** The report of a run held whole, when the scenario has enough clients for a Fleet view. */
export function fleetOfTrace(s: Scenario, resolved: ResolvedScenario, trace: readonly TraceEvent[]): FleetData | undefined {
  if (devices(s) < FLEET_MIN_CLIENTS) return undefined;
  return { report: fleetReport(resolved, trace, { groups: fleetGroups(s) }), sampled: null };
}

export interface SampledRun {
  trace: TraceEvent[]; ndjson: string; resolved: ResolvedScenario; summary: RunResult['summary'];
  expectations: { index: number; ok: boolean; message: string }[]; fleet: FleetData;
}

export class SampledRunStopped extends Error {}

/** How far a run has got, for the progress bar (app/fleet/RunProgress.tsx). */
export interface RunProgressReport { events: number; tMs: number; durationMs: number; elapsedMs: number }

/** How often (wall ms) a long run reports its progress. */
export const PROGRESS_EVERY_MS = 250;

/**
 * Runs every device; keeps the aggregates, the sampled devices' events and what `expect` reads.
 * The aggregator takes each event as it happens (sim/fleet: counters and levels change by what
 * the event changed), so the cost is proportional to the run's events, not to events × devices.
 *
 * The engine lends each event's fields (RunOptions.onFields, as the CLI reads them): the
 * aggregator reads those of its kinds (FleetAggregator.wants, addFields), and an event object
 * is built only for the few that are kept: the sampled devices' and the broker's about them
 * (the keep test), the kinds an `expect` entry names. A storm of 10,000 devices is ~15 million trace events,
 * most of them timers, segments and pings of devices nobody looks at; building each one (and
 * the invariant checker's full path that onEvent takes) was most of the run's cost.
 */
export function runSampled(
  s: Scenario, resolved: ResolvedScenario, now: () => number, timeCapMs: number,
  onProgress?: (p: RunProgressReport) => void,
): SampledRun {
  const lanes = laneIds(s, true);
  const keep = new Set(lanes.slice(1));
  const keeps = createKeepTest(resolved, keep);
  const kept: TraceEvent[] = [];
  const agg = new FleetAggregator(resolved, { groups: fleetGroups(s) });
  const expectKinds = new Set<string>(resolved.expect.map((e) => e.kind));
  const selected: TraceEvent[] = [];
  const started = now();
  let reported = started;
  let checkedAt = 0;
  const onFields = (f: TraceFields, seq: number, nowUs: number): void => {
    // The keep test is stateful (it learns the sampled devices' connections): asked of every event.
    const sampled = keeps(f);
    // The aggregator reads the lent fields themselves (it keeps none of the object).
    if (agg.wants(f)) agg.addFields(f, nowUs / 1000);
    const expected = expectKinds.has(f.kind);
    if (sampled || expected) {
      const ev = eventOfFields(f, seq, nowUs);
      if (expected) selected.push(ev);
      // The sampled trace is a trace of its own: renumbered (a copy when `expect` holds ev too).
      if (sampled) kept.push(expected ? { ...ev, seq: kept.length } : Object.assign(ev, { seq: kept.length }));
    }
    const count = seq + 1;
    // Other devices' events of kinds nobody here reads are not built (focusNodes), so the
    // events seen are not every seq: look at the clock once per 4,096 seqs.
    if (count - checkedAt < 4096) return;
    checkedAt = count;
    const t = now();
    if (t - started > timeCapMs) {
      throw new SampledRunStopped(`The fleet run was stopped after ${Math.round(timeCapMs / 1000)} s of computing (${count.toLocaleString('en-US')} events so far, ${Math.round(nowUs / 1e6)} s of ${Math.round(s.durationMs / 1000)} s simulated). The command line runs it whole, with the same aggregates: ${FLEET_CLI}.`);
    }
    if (onProgress && t - reported >= PROGRESS_EVERY_MS) {
      reported = t;
      onProgress({ events: count, tMs: nowUs / 1000, durationMs: s.durationMs, elapsedMs: t - started });
    }
  };
  // Every event of the sampled devices and the broker (the keep test picks the broker's about
  // them); of the other devices only what the aggregator and `expect` read: their timers,
  // TCP and client states, most of a storm's events, are not even built.
  const result = runScenario(resolved, {
    keepTrace: false, onFields, maxEvents: FLEET_LIMITS.events * 4,
    kinds: [...new Set([...FLEET_KINDS, ...expectKinds])] as Kind[], focusNodes: [resolved.broker.id, ...keep],
  });
  const expectations = checkExpectations(s.expect ?? [], selected).map((r, index) => ({ index, ok: r.ok, message: r.message }));
  const small = sampledResolved(resolved, keep);
  return {
    trace: kept, ndjson: traceToNdjson(kept), resolved: small, summary: result.summary, expectations,
    fleet: { report: agg.finish(), sampled: { lanes, devices: devices(s) } },
  };
}
