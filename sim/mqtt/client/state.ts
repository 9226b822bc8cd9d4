/**
 * An MQTT client application's state (client.ts runs it): its connection attempt, keep-alive,
 * timers, the session state it keeps (outgoing.ts) and what waits while offline or draining.
 * Types only, so that the files acting on a client (client.ts, send.ts, after-connack.ts)
 * share it without importing each other.
 */
import type { Engine, Rng, Timer, TracedTimer } from '../../engine/types.ts';
import type { HostStack, TcpSocket } from '../../net/api.ts';
import type { ClientProfile } from '../../profiles/client-profiles.ts';
import type { QoS, ResolvedClient } from '../../scenario/types.ts';
import type { IConnectPacket, IPublishPacket, StreamDecoder, WireVersion } from '../codec.ts';
import type { KeepAliveState } from './keepalive.ts';
import type { Outgoing } from './outgoing.ts';
import type { Provenance } from '../provenance.ts';
import type { MessageOrigin } from '../../trace/types.ts';

export type ClientStateName =
  | 'idle' | 'connecting' | 'awaiting-connack' | 'connected' | 'waiting-to-reconnect' | 'disconnected';

export interface Client {
  readonly node: string;
  readonly spec: ResolvedClient;
  readonly profile: ClientProfile;
  readonly engine: Engine;
  readonly host: HostStack;
  readonly broker: string;
  readonly version: WireVersion;
  alive: boolean;
  state: ClientStateName;
  /** A deliberate `disconnect` action: no automatic reconnect until `connect`. */
  stopped: boolean;
  socket: TcpSocket | null;
  /** This connection's stream decoder, made when its first bytes arrive (most storm attempts get none). */
  decoder: StreamDecoder | null;
  /** Packets decoded on the current socket: the last one's place in the broker's stream (provenance.ts). */
  packetsRead: number;
  /** Where the broker noted a PUBLISH came from (a Will), taken by the packet's place; one per run. */
  readonly provenance: Provenance;
  keepAliveSeconds: number;
  connectSentUs: number;
  /** When the current connection attempt began (connectNow): Paho counts its CONNACK wait from there. */
  attemptStartUs: number;
  /** Reconnect waits begun since the last accepted CONNACK (Paho's backoff doubles per wait). */
  waits: number;
  nextId: number;
  readonly ka: KeepAliveState;
  readonly connectTimer: TracedTimer;
  readonly reconnectTimer: TracedTimer;
  /** Reconnect jitter's PRNG stream, created when first needed (policy.ts). */
  jitterRng?: Rng;
  readonly publishTimers: Timer[];
  connectBytes: Uint8Array | null;
  connectPacket: IConnectPacket | null;
  /**
   * Own QoS 1/2 messages whose flow is not complete (session state, outgoing.ts). This and the
   * two QoS 2 Maps below start as the shared empty Map (sim/empty-map.ts): take own() to write.
   */
  outgoing: Outgoing;
  /** QoS 0 messages published while offline, sent after the next CONNACK (profile `offlinePublish`). */
  readonly offlineQueue: IPublishPacket[];
  /**
   * Received QoS 2 messages waiting for PUBREL: both libraries hand a QoS 2 message to the app
   * only then (MQTT.js handlers/pubrel.ts reads its incomingStore; Paho _handle_pubrel calls
   * on_message), so a duplicate PUBLISH before it is not delivered twice ([MQTT-4.3.3-9] method B).
   */
  qos2In: Map<number, IPublishPacket>;
  /** The origin of a held QoS 2 message that has one (a Will), by packet id, until its delivery. */
  qos2Origin: Map<number, MessageOrigin>;
  /**
   * MQTT.js draining its store after a CONNACK (profile resendPace 'one-at-a-time'): the
   * ids already resent in this drain, or null when not draining; what to do when it ends.
   */
  draining: Set<number> | null;
  /** Session Present of the last accepted CONNACK (the why line of resends, whether to resubscribe). */
  connackSessionPresent: boolean;
  /** publish() calls made while draining (MQTT.js _storeProcessingQueue), run when it ends. */
  readonly heldPublishes: { topic: string; payload: string; qos: QoS; retain: boolean }[];
}
