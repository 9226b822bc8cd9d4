/** The world reducer: the state of every node, connection, session, Will, timer and link at any event index. */
export { World, worldAt } from './world.ts';
export type * from './types.ts';
export { worldHistory } from './history.ts';
export type { ConnEndSpan, HalfOpenSpan, HostDownSpan, LinkFaultSpan, TimerOutcome, TimerSpan, WorldHistory } from './history.ts';
