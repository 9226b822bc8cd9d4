/**
 * The simulator's public surface: the app, the CLI and the tests import from here only.
 */
export type * from './scenario/types.ts';
export type * from './trace/types.ts';
export type * from './run-types.ts';
export type { WireSegment } from './net/api.ts';
export { NOTABLE_KINDS } from './trace/types.ts';
export { parseScenario, parseScenarioText } from './scenario/parse.ts';
export type { Problem, ParseResult } from './scenario/parse.ts';
export { resolveScenario, DEFAULTS as SCENARIO_DEFAULTS } from './scenario/resolve.ts';
export { topicMatches } from './mqtt/topic.ts';
export { linkDirection } from './scenario/direction.ts';
export { checkExpectations } from './scenario/expect.ts';
export type { ExpectationResult } from './scenario/expect.ts';
export { runScenario, InvariantViolation } from './run.ts';
export { traceToNdjson } from './trace/ndjson.ts';
export { eventOfFields } from './trace/lent.ts';
export { TIMERS } from './trace/timers.ts';
export { CLOSE_CAUSE_WORDS, DROP_REASON_WORDS, HOST_STATE_WORDS, KIND_WORDS } from './trace/words.ts';
export type { TimerWords } from './trace/timers.ts';
export { writeCapture, annotationsFromTrace } from './pcap/capture.ts';
export { BROKER_PROFILES } from './profiles/broker-profiles.ts';
export { CLIENT_PROFILES } from './profiles/client-profiles.ts';
export { World, worldAt, worldHistory, effectsEnd } from './world/index.ts';
export type { ConnEndSpan, HalfOpenSpan, HostDownSpan, LinkFaultSpan, TimerOutcome, TimerSpan, WorldHistory } from './world/index.ts';
export type * from './world/types.ts';
export { FleetAggregator, FLEET_KINDS, fleetReport, fleetGroups, COUNTER_ROWS, memberIds, defaultBucketMs } from './fleet/index.ts';
export type { FleetReport, FleetSeries, FleetPhase, FleetGroup, FleetOptions, CounterRow, Spread } from './fleet/index.ts';
export { hostTcpDocs, SECTION_DOCS, TCP_KEEPALIVE_DOCS, RECONNECT_DOCS, PERSISTENCE_DOCS, LINK_MIDDLEBOX_DOCS, CLIENT_EXTRA_DOCS } from './scenario/field-docs.ts';
export type { FieldDoc } from './scenario/field-docs.ts';
export { ACTION_DOCS } from './scenario/action-docs.ts';
