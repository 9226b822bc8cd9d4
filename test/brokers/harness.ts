/**
 * Runs a resolved scenario against a real broker, in real time, and records what happened.
 *
 * Each scenario client becomes an MQTT.js 5.16 client (the `mqttjs-5` library profile) that
 * connects through its own FaultProxy; scenario actions become proxy faults and client calls at
 * their `atMs`; a watcher (a direct MQTT.js connection, not part of the scenario) subscribes to
 * every Will topic. ClientIds and topics get a per-run prefix so that runs can share a broker
 * concurrently. All times are ms since the scenario's start (the moment the first timers are
 * armed, after the proxies and the watcher are ready).
 *
 * Supported: power-off/power-on/crash/restart of a client, cut/heal (either direction),
 * disconnect (with reasonCode), connect, publish. Not supported (throws before running):
 * faults of the broker node other than cut/heal, set-link, periodic `publish`, `paho-python`,
 * NAT timeouts, latency (loopback is ~0.1 ms; experiments use 1 ms links).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Action, ResolvedClient, ResolvedScenario } from '../../sim/scenario/types.ts';
import type { RealBroker } from './brokers.ts';
import { createRecorder, type ObservedEvent } from './observed.ts';
import { FaultProxy, type ProxyDirection } from './proxy.ts';

/** `reconnect: null` in a resolved scenario means the library profile's default (behaviour.md). */
const MQTTJS_RECONNECT_MS = 1000;

export interface RealRun {
  events: ObservedEvent[];
  /** Prefix put before every ClientId and topic of this run. */
  prefix: string;
  brokerLog: string;
  /** The latest any scenario timer fired after its planned time: how busy the machine was. */
  maxTimerLateMs: number;
}

export interface RunOptions {
  /** Awaited after the setup (proxies, watcher), just before the scenario clock starts. */
  ready?: () => Promise<void>;
}

/** Why a scenario cannot be reproduced with real processes, or null if it can. */
export function unsupportedReason(sc: ResolvedScenario): string | null {
  for (const c of sc.clients) {
    if (c.library !== 'mqttjs-5') return `client ${c.id}: library ${c.library} (only MQTT.js is real here)`;
    if (c.publish.length > 0) return `client ${c.id}: periodic publish is not reproduced`;
    if (c.tcpKeepAlive !== null) return `client ${c.id}: tcpKeepAlive is not reproduced`;
  }
  for (const l of sc.links) {
    if (l.loss > 0 || l.jitterMs > 0 || l.natIdleTimeoutMs !== null) return `link ${l.between.join('-')}: loss/jitter/NAT not reproduced`;
  }
  for (const a of sc.actions) {
    if (a.do === 'set-link') return 'set-link is not reproduced';
    if ('node' in a && a.node === sc.broker.id) return `action ${a.do} on the broker is not reproduced`;
  }
  return null;
}

export async function runOnRealBroker(
  sc: ResolvedScenario, broker: RealBroker, tag: string, opts: RunOptions = {},
): Promise<RealRun> {
  const why = unsupportedReason(sc);
  if (why !== null) throw new Error(`${sc.name}: ${why}`);
  const rec = createRecorder();
  const prefix = `${tag}-`;
  const topicPrefix = `hx/${tag}/`;
  const proxies = new Map<string, FaultProxy>();
  const clients = new Map<string, MqttClient>();
  const timers: NodeJS.Timeout[] = [];

  for (const c of sc.clients) {
    const proxy = new FaultProxy({ node: c.id, brokerPort: broker.port, recorder: rec });
    await proxy.start();
    proxies.set(c.id, proxy);
  }

  // The watcher: subscribed to every Will topic before the scenario starts.
  const willTopics = [...new Set(sc.clients.flatMap((c) => (c.will ? [c.will.topic] : [])))];
  const watcher = mqtt.connect({
    host: '127.0.0.1', port: broker.port, clientId: `${prefix}watcher`, keepalive: 60, reconnectPeriod: 0,
  });
  watcher.on('error', () => { /* reported by the missing Wills */ });
  await new Promise<void>((resolve, reject) => {
    watcher.once('connect', () => resolve());
    watcher.once('error', reject);
  });
  if (willTopics.length > 0) await watcher.subscribeAsync(willTopics.map((t) => topicPrefix + t), { qos: 1 });
  watcher.on('message', (topic, payload) => {
    rec.record({ tMs: rec.now(), kind: 'will.received', topic: topic.slice(topicPrefix.length), payload: payload.toString() });
  });

  const startClient = (c: ResolvedClient): void => {
    const v5 = c.protocol === '5.0';
    const options: IClientOptions = {
      host: '127.0.0.1',
      port: proxies.get(c.id)!.port,
      protocolVersion: v5 ? 5 : 4,
      clientId: prefix + c.clientId,
      keepalive: c.keepAliveSeconds,
      clean: c.cleanStart,
      reconnectPeriod: c.reconnect === false ? 0 : c.reconnect === null ? MQTTJS_RECONNECT_MS : c.reconnect.delayMs,
      connectTimeout: 30_000,
    };
    if (v5 && c.sessionExpirySeconds > 0) options.properties = { sessionExpiryInterval: c.sessionExpirySeconds };
    if (c.will) {
      options.will = {
        topic: topicPrefix + c.will.topic, payload: Buffer.from(c.will.payload), qos: c.will.qos, retain: c.will.retain,
        ...(v5 && c.will.delaySeconds > 0 ? { properties: { willDelayInterval: c.will.delaySeconds } } : {}),
      };
    }
    const client = mqtt.connect(options);
    clients.set(c.id, client);
    client.on('connect', (connack) => {
      rec.record({ tMs: rec.now(), kind: 'client.connected', node: c.id, sessionPresent: connack.sessionPresent });
    });
    client.on('error', (err) => rec.record({ tMs: rec.now(), kind: 'client.error', node: c.id, message: err.message }));
    client.on('close', () => rec.record({ tMs: rec.now(), kind: 'client.close', node: c.id }));
    for (const s of c.subscriptions) client.subscribe(topicPrefix + s.topic, { qos: s.qos });
  };

  /** The process on the client host is gone: no DISCONNECT, no reconnect. */
  const killClient = (node: string): void => {
    const client = clients.get(node);
    clients.delete(node);
    client?.end(true);
  };

  const clientOf = (link: [string, string]): { node: string; flip: boolean } => {
    if (link[0] === sc.broker.id) return { node: link[1], flip: true };
    return { node: link[0], flip: false };
  };
  const proxyDir = (direction: 'both' | 'a->b' | 'b->a' | undefined, flip: boolean): ProxyDirection => {
    if (direction === undefined || direction === 'both') return 'both';
    const aToB = direction === 'a->b';
    return aToB !== flip ? 'c2b' : 'b2c';
  };

  const apply = (a: Action): void => {
    switch (a.do) {
      case 'power-off': proxies.get(a.node)!.powerLoss(); killClient(a.node); break;
      case 'crash': proxies.get(a.node)!.crash(); killClient(a.node); break;
      case 'power-on':
      case 'restart': {
        proxies.get(a.node)!.powerOn();
        const c = sc.clients.find((x) => x.id === a.node)!;
        if (!clients.has(a.node)) startClient(c);
        break;
      }
      case 'connect': {
        const c = sc.clients.find((x) => x.id === a.node)!;
        killClient(a.node);
        startClient(c);
        break;
      }
      case 'disconnect': {
        const client = clients.get(a.node);
        clients.delete(a.node);
        client?.end(false, a.reasonCode !== undefined ? { reasonCode: a.reasonCode } : {});
        break;
      }
      case 'cut':
      case 'heal': {
        const { node, flip } = clientOf(a.link);
        const proxy = proxies.get(node)!;
        const dir = proxyDir(a.direction, flip);
        if (a.do === 'cut') proxy.cut(dir); else proxy.heal(dir);
        break;
      }
      case 'publish':
        clients.get(a.node)?.publish(topicPrefix + a.topic, a.payload, { qos: a.qos, retain: a.retain ?? false });
        break;
      case 'set-link':
        throw new Error('set-link is not reproduced');
    }
  };

  await opts.ready?.();
  let maxTimerLateMs = 0;
  const at = (ms: number, fn: () => void) => timers.push(setTimeout(() => {
    maxTimerLateMs = Math.max(maxTimerLateMs, rec.now() - ms);
    fn();
  }, ms));
  rec.start();
  await new Promise<void>((resolve) => {
    for (const c of sc.clients) at(c.connectAtMs, () => startClient(c));
    for (const a of sc.actions) at(a.atMs, () => apply(a));
    timers.push(setTimeout(resolve, sc.durationMs));
  });

  for (const t of timers) clearTimeout(t);
  for (const node of [...clients.keys()]) killClient(node);
  await watcher.endAsync(true);
  for (const p of proxies.values()) await p.close();
  return { events: rec.events, prefix, brokerLog: broker.log(), maxTimerLateMs: Math.round(maxTimerLateMs * 10) / 10 };
}
