/**
 * Every timer the trace names (the `timer` of timer.set, timer.clear and timer.fire), with
 * what it is for in plain words. This is the one list of timer names (trace/schema.ts takes
 * them from here) and of their words: the app shows them (the timeline's ribbon label, the
 * Inspector's countdowns, the event log's lines) and sim/trace/README.md lists them. A new
 * timer is added here, with its words, or it does not compile.
 */

export interface TimerWords {
  /** A few words, for a ribbon on the timeline. */
  readonly label: string;
  /** What it is for (when it goes off, or what it waits for); reads after "a timer starts: ". */
  readonly meaning: string;
  /** What its going off means, before what it then does (timer.fire). */
  readonly fired: string;
}

export const TIMERS = {
  'client.ping': {
    label: 'PINGREQ due', meaning: 'when the client sends its next PINGREQ (keep-alive)',
    fired: 'keep-alive interval passed: a PINGREQ is due',
  },
  'client.pingresp': {
    label: 'give up if no PINGRESP', meaning: 'how long the client waits for PINGRESP before it gives up (library profile)',
    fired: 'waited for PINGRESP long enough',
  },
  'client.reconnect': {
    label: 'reconnect', meaning: 'when the client tries to connect again', fired: 'reconnect delay over',
  },
  'client.connect-timeout': {
    label: 'CONNACK timeout', meaning: 'how long the client waits for CONNACK', fired: 'connect timeout went off',
  },
  'client.publish': {
    label: 'next PUBLISH', meaning: 'when the client publishes next', fired: 'time for the next PUBLISH',
  },
  'broker.keepalive': {
    label: 'keep-alive deadline',
    meaning: 'the broker’s keep-alive deadline: no packet before it and the broker gives up on the client (the factor is the broker profile’s)',
    fired: 'keep-alive deadline went off',
  },
  'broker.connect-wait': {
    label: 'CONNECT wait', meaning: 'how long the broker waits for CONNECT on a new connection (broker profile)',
    fired: 'wait for CONNECT over',
  },
  'broker.will-delay': {
    label: 'Will Delay', meaning: 'when the Will is published (MQTT 5 Will Delay Interval)', fired: 'Will Delay went off',
  },
  'broker.session-expiry': {
    label: 'session expiry', meaning: 'when the stored session ends (Session Expiry Interval)', fired: 'session expiry went off',
  },
  'broker.autosave': {
    label: 'store autosave', meaning: 'when the broker next writes its store to disk (broker.persistence autosave interval)',
    fired: 'autosave interval passed: the broker writes its store',
  },
  'tcp.rto': {
    label: 'TCP retransmit (RTO)', meaning: 'when TCP sends unacknowledged data (or its FIN) again: the retransmission timeout',
    fired: 'TCP retransmission timeout went off',
  },
  'tcp.tlp': {
    label: 'TCP loss probe', meaning: 'when TCP resends its last segment to probe for a loss, before the RTO (tail loss probe)',
    fired: 'TCP loss probe timer went off',
  },
  'tcp.syn': {
    label: 'SYN retransmit', meaning: 'when TCP asks to connect again (SYN retransmission)', fired: 'SYN retransmission timer went off',
  },
  'tcp.keepalive': {
    label: 'TCP keepalive probe', meaning: 'when TCP checks an idle connection (SO_KEEPALIVE probe)', fired: 'TCP keepalive timer went off',
  },
  'tcp.time-wait': {
    label: 'TIME-WAIT', meaning: 'when TIME-WAIT ends (2 MSL)', fired: 'TIME-WAIT over',
  },
  'nat.idle': {
    label: 'NAT idle timeout', meaning: 'when the NAT forgets this idle flow', fired: 'NAT idle timeout went off',
  },
} as const satisfies Record<string, TimerWords>;

/** A timer's name, as the trace writes it. */
export type TimerName = keyof typeof TIMERS;

/** Every timer name, in the table's order. */
export const TIMER_NAMES = Object.keys(TIMERS) as readonly TimerName[];
