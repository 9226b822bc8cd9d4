/**
 * What the values of the trace's own vocabularies mean, in plain words, beside the value sets
 * in trace/schema.ts (as trace/timers.ts does for timers): a segment's drop `reason` and a
 * host's `state`. The app shows these words (the event log's plain line, the timeline's
 * tooltips) instead of writing its own account of what the simulator does; the generated
 * sim/trace/README.md lists them.
 */
import type { DROP_REASONS, HOST_STATES } from './schema.ts';

/** seg.drop `reason`: where the segment died. Reads after "a segment was ". */
export const DROP_REASON_WORDS: Record<(typeof DROP_REASONS)[number], string> = {
  loss: 'lost on the link (random loss)',
  cut: 'dropped: the link is cut',
  nat: 'dropped by the NAT, which has forgotten this flow',
  proxy: 'taken by the proxy, which has already closed this flow',
  'host-down': 'dropped on arrival: the receiving host is down',
  'no-route': 'dropped: there is no route to deliver it',
};

/** host.state `state`: what the host is now. */
export const HOST_STATE_WORDS: Record<(typeof HOST_STATES)[number], string> = {
  up: 'the host is running',
  off: 'the host lost power: everything in memory is gone, its TCP connections included',
  crashed: 'the program died; the operating system is still up and closes its connections',
};
