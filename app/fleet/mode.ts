/**
 * When the app shows a scenario as a fleet. CONTRACT.md §5: the Fleet region shows at least
 * when a scenario has 50 clients or more. A scenario too large for the event-by-event views
 * (app/model/estimate.ts APP_LIMITS) but within FLEET_LIMITS runs "sampled": the worker runs
 * every device, feeds every event to the fleet aggregator (sim/fleet) and keeps only the
 * events of a few devices per group (sample.ts) for the timeline, log and inspector; the trace
 * of the whole fleet is never held in the tab.
 */
export const FLEET_MIN_CLIENTS = 50;

export const FLEET_LIMITS = {
  /**
   * Devices a sampled run may have: the scenario format's own maximum. Memory is what bounds
   * it: the simulator's and the aggregator's state is ~14 KB per device (1.4 GB of heap for
   * 100,000, measured in Node with runSampled), within a tab's worker.
   */
  clients: 100_000,
  /**
   * Estimated trace events of a sampled run: bounded by the worker's wall time (~250,000 trace
   * events/s on a busy 2-core machine, so up to a few minutes, with a progress bar and a
   * Cancel button), not by memory, since the full trace is not kept.
   */
  events: 40_000_000,
} as const;

/** Wall time after which a sampled run is stopped (RunProgress shows it going, and can cancel it). */
export const FLEET_TIME_CAP_MS = 15 * 60_000;

/** The command that runs a fleet of any size whole, with the same aggregates (README "Run summary as JSON"). */
export const FLEET_CLI = 'npx halfopen run FILE --summary json';

export interface Size { clients: number; events: number }

/** Members a sampled run keeps per group (sample.ts): the first, the middle and the last. */
export const SAMPLE_PER_GROUP = 3;

/** Lanes of a sampled run: every single client, and a sample of each group. */
export function sampledLanes(clients: readonly { count?: number }[]): number {
  return clients.reduce((n, c) => n + (c.count === undefined ? 1 : Math.min(SAMPLE_PER_GROUP, c.count)), 0);
}

/**
 * Whether a run of this size, over the app's limits for a full trace, can run sampled: the
 * sample must itself fit the timeline (5,000 single clients do not become a fleet: only
 * groups are sampled).
 */
export function fitsSampled(e: Size, appLimits: Size, lanes: number): boolean {
  return (e.clients > appLimits.clients || e.events > appLimits.events) && lanes <= appLimits.clients
    && e.clients >= FLEET_MIN_CLIENTS && e.clients <= FLEET_LIMITS.clients && e.events <= FLEET_LIMITS.events;
}
