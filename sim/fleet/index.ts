/** Fleet aggregates: the dashboard's lie, connects, drops, CONNACK latency, per phase. */
export { FleetAggregator, FLEET_KINDS, fleetReport, defaultBucketMs, MAX_BUCKETS } from './aggregator.ts';
export type { FleetOptions } from './aggregator.ts';
export { COUNTER_ROWS } from './counters.ts';
export type { CounterRow, CountContext } from './counters.ts';
export { fleetGroups, groupIndex, memberIds } from './groups.ts';
export type { FleetGroup } from './groups.ts';
export { percentileSorted, spread } from './percentile.ts';
export type { Spread } from './percentile.ts';
export type * from './types.ts';
