/**
 * What the values of the trace's own vocabularies mean, in plain words, beside the value sets
 * in trace/schema.ts (as trace/timers.ts does for timers): a segment's drop `reason` and a
 * host's `state`. The app shows these words (the event log's plain line, the timeline's
 * tooltips) instead of writing its own account of what the simulator does; the generated
 * sim/trace/README.md lists them.
 */
import type { CLOSE_CAUSES, DROP_REASONS, HOST_STATES, Kind } from './schema.ts';

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

/**
 * One plain line per event kind, shown beside the kind's code name (event log, Inspector).
 * A Record over every kind, so a new kind does not compile without its words.
 */
export const KIND_WORDS: Record<Kind, string> = {
  action: 'a fault or scripted action happens',
  'mqtt.send': 'an MQTT packet is sent',
  'mqtt.recv': 'an MQTT packet arrives',
  'conn.open': 'a TCP connection is established',
  'conn.closed': 'this side considers the TCP connection over',
  'client.connected': 'the client got CONNACK: it is connected',
  'client.keepalive-timeout': 'the client stopped waiting for PINGRESP and drops the connection',
  'client.gave-up': 'the client gave up on this connection attempt',
  'client.state': 'the MQTT client changed state',
  'broker.keepalive-expired': 'the broker’s keep-alive deadline passed with nothing received: it closes the connection',
  'broker.connect-timeout': 'the broker closes a connection that never sent CONNECT',
  'broker.takeover': 'a new connection with the same ClientId replaces the old one',
  'broker.protocol-error': 'the broker closes a connection for a malformed packet',
  'will.scheduled': 'the broker will publish the Will after the Will Delay',
  'will.published': 'the broker publishes the client’s Last Will',
  'will.discarded': 'the Will is dropped without being published',
  'session.created': 'the broker creates a session for the client',
  'session.resumed': 'the broker resumes a stored session',
  'session.discarded': 'the broker throws the old session away',
  'session.expired': 'the broker ends a stored session',
  'session.restored': 'a restarted broker reads a session back from its store on disk',
  'broker.store-saved': 'the broker writes its store to disk',
  'broker.store-restored': 'a restarted broker reads its last saved store back',
  'message.delivered': 'a subscriber receives an application message',
  'tcp.state': 'a TCP connection changes state',
  'tcp.listen-overflow': 'the listening socket’s queue is full: a connection request is dropped or refused',
  'seg.send': 'a TCP segment leaves the host',
  'seg.deliver': 'a TCP segment arrives at the other end',
  'seg.drop': 'a TCP segment is lost on the way',
  'timer.set': 'a timer is started',
  'timer.clear': 'a timer is stopped before it goes off',
  'timer.fire': 'a timer goes off',
  'host.state': 'a host powers on or off, or its process crashes',
  'nat.expired': 'the NAT forgot an idle flow: packets on it are now dropped',
  'proxy.timeout': 'a proxy closed an idle flow',
  'run.end': 'the simulation ends',
};

/** conn.closed `cause`: why this side's connection is over. */
export const CLOSE_CAUSE_WORDS: Record<(typeof CLOSE_CAUSES)[number], string> = {
  local: 'closed by this side’s own application (not the other side)',
  fin: 'closed normally: both sides said goodbye (FIN)',
  rst: 'reset by the other side (RST): it no longer knows this connection',
  timeout: 'given up by TCP: nothing it sent was acknowledged',
};
