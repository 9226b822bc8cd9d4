/**
 * Trace, version 1 (CONTRACT.md section 3): one event per line, in processing order.
 *
 * Every event has `seq`, `tMs` (virtual ms; fractions down to µs) and `kind`; the other
 * fields depend on the kind. The kinds required by the contract are listed first; the
 * rest are Halfopen's extensions, which the timeline, inspector and capture export read.
 *
 * Field order in the JSON is the order in which the emitting code builds the object, so
 * emitters always write `seq, tMs, kind` first and then the fields in the order below.
 */

export type CloseCause = 'fin' | 'rst' | 'timeout' | 'local';

/** RFC 9293 state names. */
export type TcpStateName =
  | 'CLOSED' | 'LISTEN' | 'SYN-SENT' | 'SYN-RECEIVED' | 'ESTABLISHED'
  | 'FIN-WAIT-1' | 'FIN-WAIT-2' | 'CLOSE-WAIT' | 'CLOSING' | 'LAST-ACK' | 'TIME-WAIT';

export type TimerName =
  | 'client.ping'            // client's next PINGREQ is due
  | 'client.pingresp'        // client gives up waiting (library profile)
  | 'client.reconnect'       // next connection attempt
  | 'client.connect-timeout' // CONNACK not received in time
  | 'client.publish'         // next periodic PUBLISH
  | 'broker.keepalive'       // broker's keep-alive deadline (1.5 x K, profile-dependent)
  | 'broker.connect-wait'    // broker closes a connection that sent no CONNECT (profile-dependent)
  | 'broker.will-delay'      // MQTT 5 Will Delay Interval
  | 'broker.session-expiry'  // Session Expiry Interval
  | 'tcp.rto'                // retransmission timeout (data or FIN)
  | 'tcp.tlp'                // tail loss probe (RACK-TLP): resend the last segment before the RTO
  | 'tcp.syn'                // SYN retransmission
  | 'tcp.keepalive'          // SO_KEEPALIVE probe
  | 'tcp.time-wait'          // 2 MSL
  | 'nat.idle';              // middlebox flow idle timeout

export interface TraceBase { seq: number; tMs: number; kind: string }

export interface MqttPacketFields {
  node: string; peer: string; conn: string; packet: string;
  clientId?: string; topic?: string; payload?: string; qos?: number; reasonCode?: number;
  messageId?: number; retain?: boolean; dup?: boolean; keepAliveSeconds?: number;
  cleanStart?: boolean; sessionPresent?: boolean; bytes: number;
}

/** Required kinds (CONTRACT.md section 3). */
export type RequiredEvent =
  | (TraceBase & { kind: 'action'; do: string; node?: string; link?: [string, string] } & Record<string, unknown>)
  | (TraceBase & { kind: 'mqtt.send' } & MqttPacketFields)
  | (TraceBase & { kind: 'mqtt.recv' } & MqttPacketFields)
  | (TraceBase & { kind: 'conn.open'; node: string; peer: string; conn: string })
  | (TraceBase & { kind: 'conn.closed'; node: string; peer: string; conn: string; cause: CloseCause })
  | (TraceBase & { kind: 'client.connected'; node: string; conn: string; sessionPresent: boolean; clientId?: string; keepAliveSeconds?: number })
  | (TraceBase & { kind: 'client.keepalive-timeout'; node: string; conn: string; clientId?: string; keepAliveSeconds?: number })
  | (TraceBase & { kind: 'broker.keepalive-expired'; node: string; clientId: string; conn: string; lastRecvMs: number; keepAliveSeconds?: number })
  | (TraceBase & { kind: 'broker.takeover'; node: string; clientId: string; oldConn: string; newConn: string })
  | (TraceBase & { kind: 'will.scheduled'; node: string; clientId: string; dueMs: number; conn?: string; delaySeconds?: number })
  | (TraceBase & { kind: 'will.published'; node: string; clientId: string; topic: string; cause: WillPublishedCause; conn?: string; payload?: string; qos?: 0 | 1 | 2; retain?: boolean })
  | (TraceBase & { kind: 'will.discarded'; node: string; clientId: string; cause: WillDiscardedCause; conn?: string })
  | (TraceBase & { kind: 'session.expired'; node: string; clientId: string });

export type WillPublishedCause =
  | 'keepalive' | 'connection-lost' | 'takeover' | 'disconnect-with-will'
  | 'delay-elapsed' | 'session-ended' | 'server-closed';
export type WillDiscardedCause = 'disconnect' | 'reconnected' | 'takeover';

/**
 * Extension kinds. `seg.*` describe TCP segments on a link; `id` pairs a send with its
 * delivery or drop. `why` (plain language, with the standard's statement id) and `rule`
 * and `profile` may be present on any notable event.
 */
export type ExtensionEvent =
  | (TraceBase & { kind: 'tcp.state'; node: string; peer: string; conn: string; from: TcpStateName; to: TcpStateName })
  | (TraceBase & {
      kind: 'seg.send'; id: number; node: string; peer: string; conn: string;
      flags: string; tcpSeq: number; ack: number; len: number; retransmit?: boolean;
      /** 'nat': sent by a NAT's own stack for the address behind it (an RST for a forgotten flow). */
      by?: 'nat';
    })
  | (TraceBase & { kind: 'seg.deliver'; id: number; node: string; peer: string; conn: string })
  | (TraceBase & {
      kind: 'seg.drop'; id: number; node: string; peer: string; conn: string;
      reason: 'loss' | 'cut' | 'nat' | 'host-down' | 'no-route';
    })
  | (TraceBase & { kind: 'timer.set'; node: string; timer: TimerName; dueMs: number; conn?: string; clientId?: string })
  | (TraceBase & { kind: 'timer.clear'; node: string; timer: TimerName; conn?: string; clientId?: string })
  | (TraceBase & { kind: 'host.state'; node: string; state: 'up' | 'off' | 'crashed' })
  | (TraceBase & { kind: 'client.state'; node: string; state: string; conn?: string })
  | (TraceBase & { kind: 'client.gave-up'; node: string; conn: string; reason: string })
  | (TraceBase & { kind: 'session.created' | 'session.resumed' | 'session.discarded'; node: string; clientId: string })
  | (TraceBase & { kind: 'message.delivered'; node: string; clientId: string; topic: string; payload: string })
  | (TraceBase & { kind: 'nat.expired'; link: [string, string]; conn: string })
  | (TraceBase & { kind: 'broker.protocol-error'; node: string; conn: string; clientId?: string })
  | (TraceBase & { kind: 'broker.connect-timeout'; node: string; conn: string; waitedMs: number })
  | (TraceBase & { kind: 'run.end'; events: number });

export type TraceEvent = (RequiredEvent | ExtensionEvent) & {
  why?: string; rule?: string; profile?: string;
};

/** Kinds a user would call notable: the app's "jump to next notable event" and the log's badges. */
export const NOTABLE_KINDS: readonly string[] = [
  'client.connected', 'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover',
  'will.scheduled', 'will.published', 'will.discarded', 'session.expired', 'action',
  'conn.closed', 'broker.connect-timeout',
];
