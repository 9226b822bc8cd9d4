/**
 * The MQTT broker application on its node: listens on 1883, reads packets and dispatches
 * them (MQTT 3.1.1 / 5.0 §3). CONNECT is in connect.ts, keep-alive and closing in
 * connection.ts, Wills and session ends in will.ts, message routing in routing.ts.
 *
 * A crash or power-off discards the whole object (`discard`): its timers stop and no Will of
 * its clients is published — the standards let a failed server defer Wills until restart
 * (§3.1.2.5 "MAY defer"), and no modelled store keeps Wills, so they are lost (behaviour.md
 * §3.4). A restart builds a fresh broker; with `broker.persistence` it first reads what the
 * last save left on disk (store.ts). An orderly stop (SIGTERM) is stop.ts.
 * Leaves out: AUTH, topic aliases, shared subscriptions, $SYS topics.
 */
import type { Engine } from '../../engine/types.ts';
import type { HostStack, TcpSocket } from '../../net/api.ts';
import type { CloseCause } from '../../trace/types.ts';
import { MQTT_PORT } from '../../net/api.ts';
import type { BrokerProfile } from '../../profiles/broker-profiles.ts';
import type { QoS } from '../../scenario/types.ts';
import type { Packet } from '../codec.ts';
import { createDecoder, encode, encodePingresp, encodePuback, MalformedPacket } from '../codec.ts';
import { isValidTopicFilter, isValidTopicName } from '../topic.ts';
import { sendPacket, traceRecv } from '../wire.ts';
import { own } from '../../empty-map.ts';
import { handleConnect } from './connect.ts';
import { closeConnection, dropWill, keepAliveScanAtResume, touchKeepAlive } from './connection.ts';
import { armConnectWait, endConnectWait } from './connect-wait.ts';
import { routeMessage, sendRetained } from './routing.ts';
import type { Broker, BrokerConfig, BrokerConn, BrokerStats } from './state.ts';
import { AWAITING_CONNECT, CLOSED } from './state.ts';
import { willOnClientDisconnect, willTimingAfterClose } from '../../profiles/decisions.ts';
import { publishWill, scheduleWill } from './will.ts';
import { BROKER_CAPACITY } from '../../profiles/broker-capacity.ts';
import { charge, createProcessor, onThread, processorFree, readyToAccept } from './processor.ts';
import { countChange } from './store-save.ts';

import type { Provenance } from '../provenance.ts';

const PINGRESP_PACKET: Packet = Object.freeze({ cmd: 'pingresp' }) as Packet;

export function createBroker(
  engine: Engine, host: HostStack, profile: BrokerProfile, config: BrokerConfig, stats: BrokerStats,
  provenance: Provenance,
): Broker {
  const b: Broker = {
    node: host.name, engine, host, profile, config, startUs: engine.now(), scanOriginS: 0, stats, provenance, alive: true,
    conns: new Set(), sessions: new Map(), subscribers: new Set(), pendingWills: new Map(),
    retained: new Map(), proc: createProcessor(engine), autosave: null, changes: 0,
  };
  b.proc.onResume = (pausedAtUs) => keepAliveScanAtResume(b, pausedAtUs);
  const ka = config.tcpKeepAlive; // SO_KEEPALIVE on accepted sockets (off unless the scenario asks)
  const cap = BROKER_CAPACITY[profile.name];
  b.proc.listening = host.listen(MQTT_PORT, (socket) => accept(b, socket), ka === null ? null
    : { idleSeconds: ka.idleSeconds, intervalSeconds: ka.intervalSeconds, probes: ka.probes },
  { backlog: cap.listenBacklog.value, ready: () => readyToAccept(b.proc) });
  return b;
}

/**
 * Crash / power-off: the process and all its state are gone; nothing more runs. Its timers
 * end, in the trace too (`why`: what happened to the host).
 */
export function discardBroker(b: Broker, why: string): void {
  b.alive = false;
  for (const c of b.conns) {
    c.connectTimer?.clear(why);
    c.kaTimer?.clear(why);
  }
  for (const s of b.sessions.values()) s.expiryTimer?.clear(why);
  for (const p of b.pendingWills.values()) p.timer.clear(why);
  b.autosave?.clear(why);
  b.conns.clear();
}

function accept(b: Broker, socket: TcpSocket): void {
  const c: BrokerConn = {
    socket, decoder: createDecoder(4), version: 4, protocol: '3.1.1', state: AWAITING_CONNECT,
    clientId: null, session: null, keepAliveSeconds: 0, lastRecvUs: b.engine.now(), kaTimer: null, connectTimer: null,
    will: null, cleanStart: true, sessionExpirySeconds: 0, unread: 0,
  };
  b.conns.add(c);
  armConnectWait(b, c, () => closeConnection(b, c, null, true));
  socket.setHandlers({
    onOpen() { /* accepted sockets are already open */ },
    onData(bytes) {
      if (!b.alive || c.state === CLOSED) return;
      let packets: readonly Packet[];
      try {
        packets = c.decoder.push(bytes);
      } catch (e) {
        if (!(e instanceof MalformedPacket)) throw e;
        protocolError(b, c, `malformed packet: ${e.message} [MQTT-4.8.0-1]`);
        return;
      }
      const cost = BROKER_CAPACITY[b.profile.name].processing.value;
      for (let i = 0; i < packets.length && (c.state as number) !== CLOSED; i++) {
        const p = packets[i]!;
        const us = p.cmd === 'connect' ? cost.connectUs : cost.packetUs;
        if (processorFree(b.proc)) {
          onPacket(b, c, p);
          charge(b.proc, us);
        } else {
          c.unread++;
          onThread(b.proc, us, () => {
            c.unread--;
            if (b.alive && c.state !== CLOSED) onPacket(b, c, p);
          });
        }
      }
    },
    readsLater(end) {
      // Stopped (SIGSTOP), or busy with packets of this connection still to read: it reads the
      // end of the connection after them, in order with what waited before it (processor.ts),
      // and only then is the connection closed for it.
      if (!b.alive || (!b.proc.paused && c.unread === 0)) return false;
      onThread(b.proc, 0, end);
      return true;
    },
    onClose(cause) {
      if (!b.alive) return undefined;
      if (b.proc.paused || c.unread > 0) return closedLater(b, c, cause);
      closeConnection(b, c, 'connection-lost', false);
      return undefined;
    },
  });
}

/**
 * The kernel closed a connection that the broker cannot read yet: the process is stopped
 * (SIGSTOP), or its thread is busy and packets of this connection still wait to be read. It
 * sees the end only after its overdue timers and the packets that came before it
 * (processor.ts): a socket is read in order, its data before its end of stream (read() returns
 * the queued bytes before 0 or ECONNRESET: Linux net/ipv4/tcp.c tcp_recvmsg_locked walks the receive queue before it
 * looks at sk_err or RCV_SHUTDOWN). Only then does it close its own half (its FIN; the kernel
 * holds CLOSE-WAIT meanwhile) and publish the Will. While stopped, its keep-alive deadline
 * stays: at resume mosquitto checks keep-alive before reading.
 */
function closedLater(b: Broker, c: BrokerConn, cause: CloseCause): 'later' | undefined {
  const atMs = b.engine.now() / 1000;
  const seen = cause === 'fin' ? 'its FIN' : cause === 'rst' ? 'its RST' : 'the kernel\'s give-up';
  const why = b.proc.paused
    ? `${seen} came at ${atMs} ms while the broker was stopped (SIGSTOP); it read the end of the connection when it continued`
    : `${seen} came at ${atMs} ms while the broker was busy and ${c.unread} packet(s) of this connection waited to be read; it read the end of the connection after them`;
  onThread(b.proc, 0, () => {
    if (b.alive && c.state !== CLOSED) closeConnection(b, c, 'connection-lost', cause === 'fin', false, why);
  });
  return cause === 'fin' ? 'later' : undefined;
}

function protocolError(b: Broker, c: BrokerConn, why: string): void {
  b.engine.emit({ kind: 'broker.protocol-error', node: b.node, conn: c.socket.conn, clientId: c.clientId, why });
  closeConnection(b, c, 'server-closed', true);
}

function onPacket(b: Broker, c: BrokerConn, p: Packet): void {
  traceRecv(b.engine, c.socket, p, c.clientId);
  if (c.state === AWAITING_CONNECT) {
    if (p.cmd !== 'connect') {
      // [MQTT-3.1.0-1]: the first packet from the client MUST be CONNECT.
      protocolError(b, c, `[MQTT-3.1.0-1] first packet was ${p.cmd.toUpperCase()}, not CONNECT`);
      return;
    }
    endConnectWait(b, c);
    handleConnect(b, c, p);
    return;
  }
  touchKeepAlive(b, c);
  switch (p.cmd) {
    case 'pingreq':
      // [MQTT-3.12.4-1] The Server MUST send a PINGRESP in response to a PINGREQ.
      sendPacket(b.engine, c.socket, encodePingresp(), PINGRESP_PACKET, c.clientId);
      return;
    case 'publish': onPublish(b, c, p); return;
    case 'puback': case 'pubcomp': c.session?.inflight.delete(p.messageId!); countChange(b); return;
    case 'pubrec': {
      const o = c.session?.inflight.get(p.messageId!);
      if (o) o.stage = 'pubrel';
      const rel = { cmd: 'pubrel' as const, messageId: p.messageId! };
      sendPacket(b.engine, c.socket, encode(rel, c.version), rel, c.clientId);
      return;
    }
    case 'pubrel': {
      c.session?.qos2In?.delete(p.messageId!);
      const comp = { cmd: 'pubcomp' as const, messageId: p.messageId! };
      sendPacket(b.engine, c.socket, encode(comp, c.version), comp, c.clientId);
      return;
    }
    case 'subscribe': onSubscribe(b, c, p); return;
    case 'unsubscribe': {
      const s = c.session!;
      const granted = p.unsubscriptions.map((t) => (s.subscriptions.delete(t) ? 0x00 : 0x11));
      if (s.subscriptions.size === 0) b.subscribers.delete(s);
      const ack = (c.version === 5
        ? { cmd: 'unsuback', messageId: p.messageId!, granted }
        : { cmd: 'unsuback', messageId: p.messageId! }) as Packet;
      sendPacket(b.engine, c.socket, encode(ack, c.version), ack, c.clientId);
      countChange(b);
      return;
    }
    case 'disconnect': onDisconnect(b, c, p.reasonCode ?? 0); return;
    case 'connect':
      // [MQTT-3.1.0-2]: a second CONNECT is a protocol violation.
      protocolError(b, c, '[MQTT-3.1.0-2] a second CONNECT on one connection');
      return;
    default:
      protocolError(b, c, `unexpected ${p.cmd.toUpperCase()} from a client`);
  }
}

function onPublish(b: Broker, c: BrokerConn, p: Extract<Packet, { cmd: 'publish' }>): void {
  if (!isValidTopicName(p.topic)) {
    protocolError(b, c, `[MQTT-3.3.2-2] invalid topic name "${p.topic}" in PUBLISH`);
    return;
  }
  const m = { topic: p.topic, payload: String(p.payload), qos: p.qos, retain: p.retain };
  if (p.qos === 1) {
    // [MQTT-4.3.2-2]: PUBACK with the packet identifier.
    sendPacket(b.engine, c.socket, encodePuback(p.messageId!), { cmd: 'puback', messageId: p.messageId! },
      c.clientId);
  } else if (p.qos === 2) {
    const held = c.session!.qos2In ??= new Set();
    const first = !held.has(p.messageId!);
    held.add(p.messageId!);
    const rec = { cmd: 'pubrec' as const, messageId: p.messageId! };
    sendPacket(b.engine, c.socket, encode(rec, c.version), rec, c.clientId);
    if (!first) return; // [MQTT-4.3.3-2] method A: deliver once
  }
  routeMessage(b, m);
}

function onSubscribe(b: Broker, c: BrokerConn, p: Extract<Packet, { cmd: 'subscribe' }>): void {
  const s = c.session!;
  const granted: number[] = [];
  const fresh: [string, QoS][] = [];
  for (const sub of p.subscriptions) {
    if (!isValidTopicFilter(sub.topic)) {
      granted.push(c.version === 5 ? 0x8f : 0x80);
      continue;
    }
    const qos = (sub.qos > 2 ? 2 : sub.qos) as QoS;
    (s.subscriptions = own(s.subscriptions)).set(sub.topic, qos);
    granted.push(qos);
    fresh.push([sub.topic, qos]);
  }
  if (s.subscriptions.size > 0) b.subscribers.add(s);
  const ack = { cmd: 'suback' as const, messageId: p.messageId!, granted };
  sendPacket(b.engine, c.socket, encode(ack, c.version), ack, c.clientId);
  countChange(b);
  // [MQTT-3.3.1-6]: retained messages matching a new subscription are sent.
  for (const [filter, qos] of fresh) sendRetained(b, s, filter, qos);
}

function onDisconnect(b: Broker, c: BrokerConn, reasonCode: number): void {
  const d = willOnClientDisconnect(b.profile, c.protocol, reasonCode);
  if (c.will !== null && c.clientId !== null) {
    if (!d.publish) {
      dropWill(b, c, 'disconnect', d.why, d.rule);
    } else {
      const will = c.will;
      c.will = null;
      const cid = c.clientId;
      const t = willTimingAfterClose(b.profile, c.protocol, c.sessionExpirySeconds, will.delaySeconds);
      if (t.kind === 'delay') {
        scheduleWill(b, cid, c.socket.conn, will, b.engine.now());
      } else {
        publishWill(b, cid, c.socket.conn, will, 'disconnect-with-will', d.why, d.rule);
      }
    }
  }
  // [MQTT-3.14.4-1]: after DISCONNECT the Server closes the Network Connection.
  closeConnection(b, c, null, true);
}

