/**
 * An MQTT client application on its node, behaving like its library profile (behaviour.md
 * §6): TCP connect then CONNECT; CONNACK → `client.connected`; SUBSCRIBE when the session is
 * not present; periodic PUBLISH; keep-alive (keepalive.ts); connect timeout; reconnect with the
 * profile's delay (or the scenario's `reconnect`); MQTT 5 Server Keep Alive per profile
 * ([MQTT-3.1.2-21]). Scenario actions: connect, disconnect (DISCONNECT + close, and no
 * automatic reconnect until the next `connect`), publish.
 *
 * Unacknowledged QoS 1/2 messages are session state (outgoing.ts), resent after every CONNACK as
 * both libraries do (the standard requires it when the session is present, [MQTT-4.4.0-1]), DUP
 * per profile (`dupOnResend`). A publish while disconnected is kept and sent after the next
 * CONNACK or dropped, per profile (`offlinePublish`): QoS 0 in `offlineQueue`, QoS 1/2 unsent in
 * `outgoing`. Leaves out: flow control, AUTH.
 *
 * The client's fields are in state.ts; sending a packet and publish() in send.ts; the resends
 * after CONNACK in after-connack.ts. Its timers trace themselves (engine.timer with a tag).
 */
import type { Engine, Rng, Timer } from '../../engine/types.ts';
import type { CloseCause, MessageOrigin, TraceFieldsOf } from '../../trace/types.ts';
import type { Provenance } from '../provenance.ts';
import type { HostStack, SocketHandlers, TcpSocket } from '../../net/api.ts';
import { MQTT_PORT } from '../../net/api.ts';
import type { ClientProfile } from '../../profiles/client-profiles.ts';
import type { ResolvedClient } from '../../scenario/types.ts';
import type { IConnectPacket, IPublishPacket, Packet } from '../codec.ts';
import { createDecoder, encode, encodeDisconnect, encodePingreq, encodePuback, MalformedPacket } from '../codec.ts';
import { payloadText } from '../codec.ts';
import { sendPacket, traceRecv } from '../wire.ts';
import {
  connackCheckDue, createKeepAlive, notePacketIn, stopKeepAlive, onKeepAliveTimer, reschedule, reschedulesOn, startKeepAlive,
} from './keepalive.ts';
import type { KeepAliveState } from './keepalive.ts';
import { connectTimeoutUs, reconnectDelayMs } from './policy.ts';
import { released } from './outgoing.ts';
import { emptyMap, own } from '../../empty-map.ts';
import { afterConnack, flowCompleted } from './after-connack.ts';
import { publish, send } from './send.ts';
import type { Client, ClientStateName } from './state.ts';

const PINGREQ_PACKET: Packet = Object.freeze({ cmd: 'pingreq' }) as Packet;

export function createClient(
  engine: Engine, host: HostStack, broker: string, spec: ResolvedClient, profile: ClientProfile,
  provenance: Provenance,
): Client {
  const self: Client = {
    node: spec.id, spec, profile, engine, host, broker, version: spec.protocol === '5.0' ? 5 : 4,
    alive: true, state: 'idle', stopped: false, socket: null, decoder: null, packetsRead: 0, provenance,
    keepAliveSeconds: spec.keepAliveSeconds, connectSentUs: 0, attemptStartUs: 0, waits: 0, nextId: 1,
    ka: undefined as unknown as KeepAliveState,
    connectTimer: engine.timer(() => onConnectTimeout(self), { node: spec.id, timer: 'client.connect-timeout' }),
    reconnectTimer: engine.timer(() => { if (self.alive) connectNow(self); }, { node: spec.id, timer: 'client.reconnect' }),
    publishTimers: [], connectBytes: null, connectPacket: null, outgoing: emptyMap(), offlineQueue: [],
    qos2In: emptyMap(), qos2Origin: emptyMap(), draining: null, connackSessionPresent: false, heldPublishes: [],
  };
  (self as { ka: KeepAliveState }).ka = createKeepAlive(profile.keepAlive.value,
    engine.timer(() => onKeepAlive(self), { node: spec.id, timer: 'client.ping' }));
  return self;
}

/** The application starts: connect at connectAtMs (or now if that has passed). */
export function startClient(c: Client): void {
  const at = c.spec.connectAtMs * 1000;
  if (at > c.engine.now()) {
    c.reconnectTimer.set(at);
  } else {
    connectNow(c);
  }
  for (const p of c.spec.publish) {
    const first = Math.max(p.startMs * 1000, nextGrid(c.engine.now(), p.startMs * 1000, p.everyMs * 1000));
    const t: Timer = c.engine.timer(() => {
      if (!c.alive) return;
      publish(c, p.topic, p.payload, p.qos, p.retain);
      t.set(c.engine.now() + p.everyMs * 1000);
    });
    t.set(first);
    c.publishTimers.push(t);
  }
}

function nextGrid(now: number, start: number, every: number): number {
  if (now <= start) return start;
  return start + Math.ceil((now - start) / every) * every;
}

/** Power-off / crash: the process and its state are gone; its timers end (`why`: what happened to the host). */
export function discardClient(c: Client, why: string): void {
  c.alive = false;
  if (c.socket !== null) c.provenance.forget(c.socket.conn);
  stopKeepAlive(c.ka, why);
  c.connectTimer.clear(why);
  c.reconnectTimer.clear(why);
  for (const t of c.publishTimers) t.clear();
}

/**
 * The `why` of the client.state being emitted: its text is put together only when the event is
 * built (a reconnect storm makes a million state changes nobody may read).
 */
let stateWhy: string | undefined;
/** What onClosed adds to it: the reconnect delay (ms), null when reconnect is off. */
let stateAfter: number | null | undefined;

function stateFields(c: Client): TraceFieldsOf<'client.state'> {
  const ev: TraceFieldsOf<'client.state'> = { kind: 'client.state', node: c.node, state: c.state };
  if (c.socket) ev.conn = c.socket.conn;
  const why = stateAfter === undefined ? stateWhy
    : stateAfter === null ? `${stateWhy}; reconnect is off` : `${stateWhy}; reconnecting in ${stateAfter} ms`;
  if (why) ev.why = why;
  return ev;
}

function setState(c: Client, state: ClientStateName, why?: string, after?: number | null): void {
  if (c.state === state) return;
  c.state = state;
  stateWhy = why;
  stateAfter = after;
  c.engine.emitOf('client.state', c.node, stateFields, c);
  stateWhy = undefined;
  stateAfter = undefined;
}

/**
 * One connection attempt's socket callbacks, as one object (not an object and three closures:
 * a reconnect storm makes hundreds of thousands of attempts). Each names its own socket, so a
 * late callback of an earlier attempt is ignored (`c.socket !== socket`).
 */
class AttemptHandlers implements SocketHandlers {
  socket: TcpSocket | null = null;
  constructor(private readonly c: Client) {}
  onOpen(): void { onOpen(this.c, this.socket!); }
  onData(bytes: Uint8Array): void { onData(this.c, this.socket!, bytes); }
  onClose(cause: CloseCause): void { onClosed(this.c, this.socket!, `the connection closed (${cause})`); }
}

export function connectNow(c: Client): void {
  if (!c.alive || c.socket !== null) return;
  c.reconnectTimer.clear(); // a `connect` action came first
  const kaOpts = c.spec.tcpKeepAlive;
  const handlers = new AttemptHandlers(c);
  const socket = c.host.connect(c.broker, MQTT_PORT, handlers, kaOpts);
  handlers.socket = socket;
  c.socket = socket;
  c.attemptStartUs = c.engine.now();
  c.decoder = null;
  c.packetsRead = 0;
  setState(c, 'connecting');
  const timeout = connectTimeoutUs(c.profile, c.spec.keepAliveSeconds);
  if (timeout !== null) c.connectTimer.set(c.engine.now() + timeout, undefined, socket.conn);
}

function connectPacket(c: Client): IConnectPacket {
  const s = c.spec;
  const p: IConnectPacket = {
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: c.version, clientId: s.clientId,
    clean: s.cleanStart, keepalive: s.keepAliveSeconds,
  };
  if (c.version === 5 && s.sessionExpirySeconds > 0) p.properties = { sessionExpiryInterval: s.sessionExpirySeconds };
  if (s.will) {
    p.will = { topic: s.will.topic, payload: s.will.payload, qos: s.will.qos, retain: s.will.retain };
    if (c.version === 5 && s.will.delaySeconds > 0) p.will.properties = { willDelayInterval: s.will.delaySeconds };
  }
  return p;
}

function onOpen(c: Client, socket: TcpSocket): void {
  if (!c.alive || c.socket !== socket) return;
  const packet = c.connectPacket ??= connectPacket(c);
  const bytes = c.connectBytes ??= encode(packet, c.version);
  c.connectSentUs = c.engine.now();
  sendPacket(c.engine, socket, bytes, packet, c.spec.clientId);
  setState(c, 'awaiting-connack');
  const k = c.spec.keepAliveSeconds;
  if (c.profile.connectTimeout.value.kind === 'keep-alive') {
    // Paho: the keep-alive check in its network loop closes a not-yet-connected socket once K
    // has passed since the attempt began; with K = 0 nothing bounds the wait. This replaces
    // the socket's connect timeout, which ended with the handshake.
    if (k > 0) {
      c.connectTimer.set(connackCheckDue(c.ka, c.attemptStartUs, c.connectSentUs, k), undefined, socket.conn);
    } else {
      clearConnectTimer(c);
    }
  }
}

function clearConnectTimer(c: Client): void {
  c.connectTimer.clear();
}

function onData(c: Client, socket: TcpSocket, bytes: Uint8Array): void {
  if (!c.alive || c.socket !== socket) return;
  let packets: readonly Packet[];
  try {
    packets = (c.decoder ??= createDecoder(c.version)).push(bytes);
  } catch (e) {
    if (!(e instanceof MalformedPacket)) throw e;
    closeAndRetry(c, `malformed packet from the broker: ${e.message}`);
    return;
  }
  for (let i = 0; i < packets.length && c.socket === socket; i++) onPacket(c, packets[i]!, ++c.packetsRead);
}

/** `ordinal`: the packet's place in the broker's stream on this connection (provenance.ts). */
function onPacket(c: Client, p: Packet, ordinal: number): void {
  const e = c.engine;
  const now = e.now();
  const origin = p.cmd === 'publish' ? c.provenance.received(c.socket!.conn, ordinal) : undefined;
  traceRecv(e, c.socket!, p, c.spec.clientId, origin);
  notePacketIn(c.ka, now, p.cmd);
  if (c.state === 'connected' && reschedulesOn(c.ka, p.cmd) && c.ka.kUs > 0) reschedule(c.ka, now);
  switch (p.cmd) {
    case 'connack': onConnack(c, p); return;
    case 'publish': {
      if (p.qos === 2) {
        // Kept until PUBREL (see qos2In); PUBREC at once, also for a duplicate.
        (c.qos2In = own(c.qos2In)).set(p.messageId!, p);
        if (origin !== undefined) (c.qos2Origin = own(c.qos2Origin)).set(p.messageId!, origin);
        const rec = { cmd: 'pubrec' as const, messageId: p.messageId! };
        send(c, encode(rec, c.version), rec);
        return;
      }
      delivered(c, p, origin);
      if (p.qos === 1) send(c, encodePuback(p.messageId!), { cmd: 'puback', messageId: p.messageId! });
      return;
    }
    case 'puback': case 'pubcomp':
      flowCompleted(c, p.messageId!);
      return;
    case 'pubrec': {
      released(c.outgoing, p.messageId!);
      const rel = { cmd: 'pubrel' as const, messageId: p.messageId! };
      send(c, encode(rel, c.version), rel);
      return;
    }
    case 'pubrel': {
      const held = c.qos2In.get(p.messageId!);
      if (held !== undefined) {
        c.qos2In.delete(p.messageId!);
        const heldOrigin = c.qos2Origin.get(p.messageId!);
        c.qos2Origin.delete(p.messageId!);
        delivered(c, held, heldOrigin);
      }
      const comp = { cmd: 'pubcomp' as const, messageId: p.messageId! };
      send(c, encode(comp, c.version), comp);
      return;
    }
    default:
      // PINGRESP, SUBACK, UNSUBACK: keep-alive bookkeeping above is all.
      // DISCONNECT from a 5.0 server (0x8D, 0x8E): the server closes next; we wait for it.
      return;
  }
}

/** The library hands a received message to the application (`origin`: the Will it is, if one). */
function delivered(c: Client, p: IPublishPacket, origin: MessageOrigin | undefined): void {
  const ev: TraceFieldsOf<'message.delivered'> = {
    kind: 'message.delivered', node: c.node, clientId: c.spec.clientId, topic: p.topic,
    payload: payloadText(p.payload), qos: p.qos, retain: p.retain,
  };
  c.engine.emit(origin === undefined ? ev : Object.assign(ev, origin));
}

function onConnack(c: Client, p: Extract<Packet, { cmd: 'connack' }>): void {
  const e = c.engine;
  const code = p.reasonCode ?? p.returnCode ?? 0;
  clearConnectTimer(c);
  if (code !== 0) {
    const refusal = c.profile.afterRefusedConnack;
    if (refusal.value === 'stay-down') {
      c.stopped = true; // a later `connect` action starts it again
      closeAndRetry(c, `CONNACK refused the connection with code ${code}; ${c.profile.name} does not ` +
        `reconnect after a refusal (${refusal.source})`);
      return;
    }
    closeAndRetry(c, `CONNACK refused the connection with code ${code}`);
    return;
  }
  c.waits = 0;
  let k = c.spec.keepAliveSeconds;
  let why = '';
  const ska = p.properties?.serverKeepAlive;
  if (ska !== undefined) {
    if (c.profile.serverKeepAlive.value === 'obey-when-both-nonzero' && k !== 0 && ska !== 0) {
      why = `[MQTT-3.1.2-21] uses the Server Keep Alive of ${ska} s instead of its own ${k} s`;
      k = ska;
    } else {
      why = `${c.profile.name} ignores the Server Keep Alive of ${ska} s and keeps ${k} s ` +
        `(${c.profile.serverKeepAlive.source})`;
    }
  }
  c.keepAliveSeconds = k;
  setState(c, 'connected');
  const ev: TraceFieldsOf<'client.connected'> = {
    kind: 'client.connected', node: c.node, conn: c.socket!.conn, sessionPresent: p.sessionPresent,
    clientId: c.spec.clientId, keepAliveSeconds: k,
  };
  if (why) { ev.why = why; ev.profile = c.profile.name; }
  e.emit(ev);
  c.ka.conn = c.socket!.conn;
  startKeepAlive(c.ka, k, e.now(), c.connectSentUs, c.spec.pingIntervalMs ?? null);
  c.connackSessionPresent = p.sessionPresent;
  afterConnack(c);
}

function onKeepAlive(c: Client): void {
  if (!c.alive || c.state !== 'connected') return;
  const a = onKeepAliveTimer(c.ka, c.engine.now());
  if (a.kind === 'rearm') return; // Paho: its loop woke, nothing due yet: the next check is armed
  if (a.kind === 'ping') { // the slot is armed for the PINGRESP wait (client.pingresp)
    send(c, encodePingreq(), PINGREQ_PACKET);
    return;
  }
  const k = c.keepAliveSeconds;
  // The period the library's timing runs on: K, or the firmware's own ping interval.
  const p = c.ka.kUs / 1_000_000;
  const own = c.spec.pingIntervalMs != null && c.spec.pingIntervalMs !== false
    ? ` (the device pings every ${c.spec.pingIntervalMs} ms, pingIntervalMs, not every K = ${k} s)` : '';
  const why = c.ka.model.kind === 'reschedule-ticks'
    ? `MQTT.js: no PINGRESP or ack ${p * 1.5} s (1.5 × ${p} s) after the last reschedule, ` +
      `${p / 2} s after PINGREQ: 'Keepalive timeout'${own}`
    : `Paho Python: no PINGRESP ${p} s after PINGREQ (MQTT_ERR_KEEPALIVE)${own}`;
  c.engine.emit({
    kind: 'client.keepalive-timeout', node: c.node, conn: c.socket!.conn, clientId: c.spec.clientId,
    keepAliveSeconds: k, why, profile: c.profile.name,
  });
  closeAndRetry(c, 'keep-alive timeout');
}

function onConnectTimeout(c: Client): void {
  if (!c.alive || c.socket === null || c.state === 'connected') return;
  const socketTimeout = c.profile.socketConnectTimeout.value;
  const why = c.state === 'connecting' && socketTimeout !== null
    ? `TCP connect not completed in ${socketTimeout.ms / 1000} s (${c.profile.socketConnectTimeout.source})`
    : `no CONNACK in time (${c.profile.connectTimeout.source})`;
  c.engine.emit({
    kind: 'client.gave-up', node: c.node, conn: c.socket.conn, reason: 'connect-timeout',
    why, profile: c.profile.name,
  });
  closeAndRetry(c, 'connect timeout');
}

/** The client's own stream for reconnect jitter, made on first use (no other stream shifts). */
function jitterRng(c: Client): Rng {
  return c.jitterRng ??= c.engine.rng(`reconnect-jitter:${c.node}`);
}

/** The client whose reconnect jitter is asked for (one shared function, no closure per close). */
let jitterOf: Client | null = null;
const jitterOfClient = (): Rng => jitterRng(jitterOf!);

/** The client closes its socket itself, then plans a reconnect. */
function closeAndRetry(c: Client, why: string): void {
  const socket = c.socket;
  if (socket === null) return;
  socket.close();
  onClosed(c, socket, why);
}

function onClosed(c: Client, socket: TcpSocket, why: string): void {
  if (!c.alive || c.socket !== socket) return;
  // MQTT.js: a close during the store drain fails the publish() calls waiting on it
  // (_flushStoreProcessingQueue, "Connection closed"); the store itself is kept.
  c.draining = null;
  c.heldPublishes.length = 0;
  stopKeepAlive(c.ka);
  clearConnectTimer(c);
  c.provenance.forget(socket.conn);
  c.socket = null;
  if (c.stopped) { setState(c, 'disconnected', why); return; }
  jitterOf = c;
  const delay = reconnectDelayMs(c.profile, c.spec.reconnect, c.waits++, jitterOfClient);
  if (delay === null) { setState(c, 'disconnected', why, null); return; }
  const at = c.engine.now() + delay * 1000;
  setState(c, 'waiting-to-reconnect', why, delay);
  c.reconnectTimer.set(at);
}

/** Scenario action `disconnect`: DISCONNECT (reason for 5.0), close, stay down. */
export function disconnectAction(c: Client, reasonCode: number): void {
  if (!c.alive) return;
  c.stopped = true;
  c.reconnectTimer.clear();
  const socket = c.socket;
  if (socket !== null) {
    if (c.state === 'connected') {
      const packet = c.version === 5 ? { cmd: 'disconnect' as const, reasonCode } : { cmd: 'disconnect' as const };
      send(c, encodeDisconnect(c.version, reasonCode), packet);
      // The library closes its socket a moment after the DISCONNECT (MQTT.js: a write callback,
      // then the next event-loop turn); a FIN from the broker in between closes it first. Its
      // keep-alive stops at once (MQTT.js _cleanUp destroys the keep-alive manager right away).
      const afterUs = c.profile.closeAfterDisconnectUs.value;
      if (afterUs > 0) {
        stopKeepAlive(c.ka);
        c.engine.post(c.engine.now() + afterUs, closeAfterDisconnect, { c, socket });
        return;
      }
    }
    closeAndRetry(c, 'disconnect action');
  } else {
    setState(c, 'disconnected', 'disconnect action');
  }
}

function closeAfterDisconnect(a: { c: Client; socket: TcpSocket }): void {
  if (a.c.alive && a.c.socket === a.socket) closeAndRetry(a.c, 'disconnect action');
}

/** Scenario action `connect`: connect now (also after a disconnect). */
export function connectAction(c: Client): void {
  if (!c.alive) return;
  c.stopped = false;
  if (c.socket !== null) return;
  connectNow(c);
}
