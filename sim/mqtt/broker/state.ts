/**
 * The broker's data: connections, sessions (by ClientId), delayed Wills and retained
 * messages. Plain records; the behaviour lives in the sibling files.
 *
 * Session lifetime (MQTT 3.1.1 §3.1.2.4, 5.0 §3.1.2.11.2): `expirySeconds` 0 ends the session
 * with the connection; NEVER (0xFFFFFFFF, and every 3.1.1 CleanSession=0 session) never
 * expires.
 */
import type { Engine, TracedTimer } from '../../engine/types.ts';
import type { HostStack, TcpSocket } from '../../net/api.ts';
import type { BrokerProfile } from '../../profiles/broker-profiles.ts';
import type { ProtocolVersion, QoS, ResolvedScenario } from '../../scenario/types.ts';
import type { StreamDecoder, WireVersion } from '../codec.ts';
import type { Processor } from './processor.ts';
import type { Provenance } from '../provenance.ts';
import type { MessageOrigin } from '../../trace/types.ts';

export const NEVER = 0xffffffff;

export interface Message {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
  /** A Will's message: whose (trace `origin` fields; provenance.ts). Absent for a client's PUBLISH. */
  from?: MessageOrigin;
  /** Cached QoS 0 encodings by wire version (live forward, RETAIN 0). */
  enc4?: Uint8Array;
  enc5?: Uint8Array;
}

export interface Will extends Message { delaySeconds: number }

export const AWAITING_CONNECT = 0;
export const CONNECTED = 1;
export const CLOSED = 2;
export type ConnState = 0 | 1 | 2;

export interface BrokerConn {
  socket: TcpSocket;
  decoder: StreamDecoder;
  version: WireVersion;
  protocol: ProtocolVersion;
  state: ConnState;
  clientId: string | null;
  session: Session | null;
  keepAliveSeconds: number;
  lastRecvUs: number;
  kaTimer: TracedTimer | null;
  /** Waiting for CONNECT (profile connectWait); null once it came or when the profile sets no limit. */
  connectTimer: TracedTimer | null;
  will: Will | null;
  cleanStart: boolean;
  sessionExpirySeconds: number;
  /**
   * Packets that arrived and wait for the thread (processor.ts): still in the kernel's receive
   * buffer as the real broker would have it, so closing now resets (Linux tcp_close: data unread).
   */
  unread: number;
}

export interface Outgoing {
  message: Message;
  qos: QoS;
  stage: 'publish' | 'pubrel';
  /** RETAIN as first sent (1 for a retained message sent on subscribe, [MQTT-3.3.1-8]); a resend keeps it. */
  retain: boolean;
}

export interface Session {
  clientId: string;
  conn: BrokerConn | null;
  /** Protocol of its last connection (how overlapping subscriptions are served, profile data). */
  protocol: ProtocolVersion;
  /** This and `inflight` start as the shared empty Map (sim/empty-map.ts): take own() to write. */
  subscriptions: Map<string, QoS>;
  expirySeconds: number;
  queue: Message[];
  inflight: Map<number, Outgoing>;
  /**
   * Packet ids of QoS 2 messages received from the client and not yet released (PUBREL):
   * session state (§4.1), so a PUBLISH resent after a reconnect is answered with PUBREC and
   * not delivered again ([MQTT-4.3.3-2]; mosquitto msgs_in, aedes incomingStorePacket).
   */
  qos2In: Set<number> | null;
  nextId: number;
  expiryTimer: TracedTimer | null;
  /** Clean Start of its last CONNECT (false for a session restored from the store). */
  cleanStart: boolean;
}

export interface PendingWill {
  clientId: string;
  conn: string;
  will: Will;
  timer: TracedTimer;
  dueUs: number;
}

export interface BrokerConfig {
  id: string;
  serverKeepAliveSeconds: number | null;
  maxKeepAliveSeconds: number | null;
  tcpKeepAlive: ResolvedScenario['broker']['tcpKeepAlive'];
  /** The broker's store on its host's disk (broker.persistence); it outlives the process. */
  disk: Disk | null;
}

/** What is on disk: the autosave setting and the last save (null: never saved). store.ts. */
export interface Disk {
  readonly autosaveIntervalSeconds: number;
  /** mosquitto autosave_on_changes: save once this many changes were counted (null: off). */
  readonly autosaveAfterChanges: number | null;
  store: StoredState | null;
}

export interface StoredSession {
  clientId: string;
  protocol: ProtocolVersion;
  subscriptions: [string, QoS][];
  expirySeconds: number;
  queue: Message[];
  inflight: [number, Outgoing][];
  qos2In: number[];
  nextId: number;
}

export interface StoredState {
  savedAtUs: number;
  sessions: StoredSession[];
  retained: Message[];
}

export interface BrokerStats { willsPublished: number; connections: number }

export interface Broker {
  readonly node: string;
  readonly engine: Engine;
  readonly host: HostStack;
  readonly profile: BrokerProfile;
  readonly config: BrokerConfig;
  readonly startUs: number;
  /**
   * The clock second mosquitto's keep-alive scans count from (profiles/decisions.ts
   * keepAliveCloseAt): 0, its start, until a scan at SIGCONT (connection.ts) moves it.
   */
  scanOriginS: number;
  readonly stats: BrokerStats;
  /** Notes which PUBLISHes it writes carry a Will, for the receiving client's trace (provenance.ts). */
  readonly provenance: Provenance;
  alive: boolean;
  readonly conns: Set<BrokerConn>;
  readonly sessions: Map<string, Session>;
  /** Sessions with at least one subscription (routing only looks at these). */
  readonly subscribers: Set<Session>;
  readonly pendingWills: Map<string, PendingWill>;
  readonly retained: Map<string, Message>;
  /** The broker's single thread: packet costs, pause/resume, the accept gate (processor.ts). */
  readonly proc: Processor;
  /** The autosave timer (broker.persistence with an interval), else null. */
  autosave: TracedTimer | null;
  /** Changes counted since the last save (mosquitto db.persistence_changes; in memory only). */
  changes: number;
}

/**
 * The simulator's own bound on a session's offline queue (memory), beyond any broker limit
 * (profile offlineQueueLimit): the oldest message is dropped beyond it.
 */
export const MAX_QUEUED = 100_000;
