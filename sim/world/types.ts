/**
 * The world as a reader of the trace sees it at one event index: every node, connection end,
 * session, Will, timer, link and segment in flight. Produced by the world reducer (world.ts)
 * and read by the app's Inspector, Topology and faults menu, and by the paired check.
 */
import type { CloseCause, TcpStateName, TimerName } from '../trace/types.ts';
import type { WillSpec } from '../scenario/types.ts';

export interface ConnView {
  conn: string; peer: string; tcpState: TcpStateName;
  /** conn.open seen and no conn.closed yet: the application still uses it. */
  open: boolean;
  closedCause: CloseCause | null;
}

export interface TimerView {
  timer: TimerName; dueMs: number; setMs: number; remainingMs: number;
  conn: string | null; clientId: string | null;
}

export interface ClientMqttView {
  /**
   * Keep-alive in force: the configured one until a CONNACK; then the one `client.connected`
   * reports (an MQTT 5 Server Keep Alive replaces the client's value, MQTT 5 §3.2.2.3.14).
   */
  clientId: string; protocol: string; library: string; keepAliveSeconds: number;
  cleanStart: boolean; sessionExpirySeconds: number;
  will: Required<WillSpec> | null;
  subscriptions: { topic: string; qos: number }[];
  /** Last client.state seen ("connecting", "connected", ...), or "idle". */
  state: string;
  connectedConn: string | null;
  sessionPresent: boolean | null;
}

export type WillStatus = 'none' | 'armed' | 'scheduled' | 'published' | 'discarded';

export interface BrokerSessionView {
  clientId: string;
  /** Node the session's last CONNECT came from. */
  fromNode: string;
  conn: string | null;
  status: 'connected' | 'disconnected' | 'expired' | 'discarded';
  /** The CONNECT's keep-alive, or the CONNACK's Server Keep Alive when the broker sent one. */
  keepAliveSeconds: number | null;
  lastRecvMs: number | null;
  sessionExpirySeconds: number | null;
  /** The Will of the session's latest CONNECT; `conn` is the connection that CONNECT came on. */
  will: { topic: string; status: WillStatus; dueMs: number | null; conn: string | null } | null;
  subscriptions: string[];
}

export interface NodeView {
  id: string;
  role: 'broker' | 'client';
  host: 'up' | 'off' | 'crashed';
  /** Broker: stopped by SIGSTOP (action pause) until resume: its kernel still ACKs, accepts and takes FINs. */
  paused: boolean;
  conns: ConnView[];
  timers: TimerView[];
  client: ClientMqttView | null;
  sessions: BrokerSessionView[];
}

export interface LinkView {
  /** [client, broker]. */
  between: [string, string];
  latencyMs: number; jitterMs: number; loss: number;
  /** Segments client → broker are dropped. */
  cutUp: boolean;
  /** Segments broker → client are dropped. */
  cutDown: boolean;
}

/** A TCP segment on a link at the cursor (sent, neither delivered nor dropped yet). */
export interface FlightView {
  id: number; conn: string; from: string; to: string; flags: string; len: number;
  sentMs: number; retransmit: boolean;
  /**
   * The link's one-way latency when it was sent (null: no link between the two): the
   * soonest it can arrive is sentMs + linkLatencyMs, jitter only adds.
   */
  linkLatencyMs: number | null;
  /** The MQTT packets it carries, by their place in the sender's stream (seg.send `packets`). */
  packets: number[];
}

/**
 * One TCP connection as both ends see it. `halfOpen`: exactly one end still believes it is
 * open (ESTABLISHED, application attached, host up) while the other has closed or forgotten
 * it, and no FIN or RST from the other end is on its way to tell it (RFC 9293 §3.5.1). While
 * such a segment is in flight the connection is `closing`, not half-open: the effect of the
 * fault is not complete yet.
 */
export interface ConnPairView {
  conn: string;
  /** [client end's node, broker end's node]. */
  ends: [string, string];
  halfOpen: boolean;
  /** A FIN or RST is on its way to an end that still believes the connection is open. */
  closing: boolean;
  /** The end that still believes it is open, when half-open or closing. */
  believer: string | null;
}

export interface WorldView {
  cursorMs: number;
  cursorSeq: number;
  nodes: Record<string, NodeView>;
  links: LinkView[];
  flights: FlightView[];
  pairs: ConnPairView[];
}
