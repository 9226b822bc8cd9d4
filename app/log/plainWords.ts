/**
 * One plain-language line per trace event, shown beside its jargon (the kind `seg.deliver`,
 * a TCP state name, a close cause) in the event log and in full in the Inspector for the
 * selected event. Words only: what happened, said the way a student would say it; the
 * precise terms stay in the row beside them.
 */
import type { TraceEvent } from '../../sim/index.ts';
import { CLOSE_CAUSE_WORDS, DROP_REASON_WORDS, HOST_STATE_WORDS, TIMERS } from '../../sim/index.ts';

/** What a timer is for, in the simulator's words (sim/trace/timers.ts). */
const timerMeaning = (name: string): string => (TIMERS as Record<string, { meaning: string } | undefined>)[name]?.meaning ?? 'a deadline';

const PACKET_PLAIN: Record<string, string> = {
  CONNECT: 'asks the broker to start an MQTT session',
  CONNACK: 'the broker accepts (or refuses) the connection',
  PUBLISH: 'an application message',
  PUBACK: 'confirms a QoS 1 message arrived',
  PUBREC: 'QoS 2, step 2: message received',
  PUBREL: 'QoS 2, step 3: release the message',
  PUBCOMP: 'QoS 2, step 4: done',
  SUBSCRIBE: 'asks for messages on topics',
  SUBACK: 'the broker confirms the subscription',
  UNSUBSCRIBE: 'stops messages on topics',
  UNSUBACK: 'the broker confirms the unsubscribe',
  PINGREQ: '“I am still here” (the client’s keep-alive)',
  PINGRESP: 'the broker answers the keep-alive: “so am I”',
  DISCONNECT: 'a clean goodbye: the session ends on purpose',
  AUTH: 'an authentication exchange',
};

const TCP_STATE_PLAIN: Record<string, string> = {
  CLOSED: 'no connection',
  LISTEN: 'waiting for connections',
  'SYN-SENT': 'asked to connect, waiting for the answer',
  'SYN-RECEIVED': 'answered a connection request, waiting for the last step',
  ESTABLISHED: 'connected: data can flow',
  'FIN-WAIT-1': 'this side closed the connection and waits for the other side to acknowledge',
  'FIN-WAIT-2': 'this side closed; the other side acknowledged but has not closed yet',
  'CLOSE-WAIT': 'the other side closed the connection; this side has not closed yet',
  CLOSING: 'both sides closed at the same moment',
  'LAST-ACK': 'the other side closed first, this side closed too and waits for the last acknowledgement',
  'TIME-WAIT': 'closed; waits a while so that late packets cannot confuse a new connection',
};


/** The segment's flags in words: SYN opens, FIN closes, RST resets, otherwise data or an ack. */
function segmentWords(flags: string, len: number): string {
  if (flags.includes('RST')) return 'a reset (RST): “I do not know this connection”';
  if (flags.includes('SYN')) return flags.includes('ACK') ? 'the answer to a connection request (SYN-ACK)' : 'a request to open a connection (SYN)';
  if (flags.includes('FIN')) return 'a goodbye (FIN): the sender is closing';
  if (len > 0) return `${len} bytes of data`;
  return 'an acknowledgement (ACK): “got it”';
}

export function plainLine(ev: TraceEvent): string {
  const e = ev as unknown as Readonly<Record<string, unknown>>;
  const s = (k: string): string => String(e[k] ?? '');
  switch (ev.kind) {
    case 'seg.send':
      return `${e['retransmit'] ? 'sent again (no acknowledgement came): ' : 'a packet leaves: '}${segmentWords(s('flags'), Number(e['len'] ?? 0))}`;
    case 'seg.deliver': return `a segment arrived at ${s('peer')}`;
    case 'seg.drop': return `a segment was ${(DROP_REASON_WORDS as Record<string, string | undefined>)[s('reason')] ?? 'lost'}`;
    case 'tcp.state': return `${s('node')}: ${TCP_STATE_PLAIN[s('to')] ?? s('to')}`;
    case 'conn.closed': return (CLOSE_CAUSE_WORDS as Record<string, string | undefined>)[s('cause')] ?? 'the connection is over for this side';
    case 'conn.open': return 'the TCP connection is open: both sides can talk';
    case 'mqtt.send': return `${s('node')} sends: ${PACKET_PLAIN[s('packet')] ?? 'an MQTT packet'}`;
    case 'mqtt.recv': return `${s('node')} receives: ${PACKET_PLAIN[s('packet')] ?? 'an MQTT packet'}`;
    case 'timer.set': {
      const starts = `a timer starts: ${timerMeaning(s('timer'))}`;
      // `replaces`: the same timer moved; what it did until now stops here without going off.
      return e['replaces'] === undefined ? starts
        : `${starts}, in place of one that stops without going off: ${timerMeaning(s('replaces'))}`;
    }
    case 'timer.clear': return `a timer is stopped before it goes off: ${timerMeaning(s('timer'))}`;
    case 'timer.fire': return `a timer went off: ${timerMeaning(s('timer'))}`;
    case 'host.state': return (HOST_STATE_WORDS as Record<string, string | undefined>)[s('state')] ?? 'the host changed state';
    case 'client.state': return `the MQTT client is now ${s('state').replace(/-/g, ' ')}`;
    case 'client.connected': return 'the broker said yes: connected';
    case 'client.keepalive-timeout': return 'the client waited too long for PINGRESP and drops the connection';
    case 'client.gave-up': return 'the client gave up on this connection';
    case 'broker.keepalive-expired': return 'the broker heard nothing before its keep-alive deadline and gives up on the client';
    case 'broker.connect-timeout': return 'the broker closes a connection that never sent CONNECT';
    case 'broker.takeover': return 'a new connection with the same ClientId replaces the old one';
    case 'broker.protocol-error': return 'the broker closes a connection that broke the protocol';
    case 'will.scheduled': return 'the Will waits for its delay before it is published';
    case 'will.published': return 'the client’s Last Will goes out to its subscribers';
    case 'will.discarded': return 'the Will is thrown away, never published';
    case 'session.created': return 'the broker starts a fresh session for this client';
    case 'session.resumed': return 'the broker picks up the session it kept';
    case 'session.discarded': return 'the broker throws the old session away';
    case 'session.expired': return 'the stored session ran out of time and is gone';
    case 'message.delivered': return 'a subscriber receives the message';
    case 'nat.expired': return 'the NAT forgot the idle flow: packets on it are now dropped silently';
    case 'proxy.timeout': return 'the proxy found the flow idle too long and closes it on both sides';
    case 'tcp.listen-overflow': return 'the broker host’s queue of new connections is full: this one waits or is turned away';
    case 'broker.store-saved': return 'the broker writes its sessions and retained messages to disk';
    case 'broker.store-restored': return 'the broker reads back what it last saved to disk';
    case 'session.restored': return 'a session comes back from the broker’s disk, not yet connected';
    case 'action': return 'a fault or scripted step happens';
    case 'run.end': return 'the simulation ends here';
    default: return '';
  }
}
