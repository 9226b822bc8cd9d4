// Small seeded generator of valid scenarios for the trace-field drift guard
// (event-fields.test.ts): many clients, both protocols and libraries, Wills with delays,
// sessions, subscriptions, publishing, lossy/NAT links and every action kind, so that a run
// reaches most emit sites. test/swarm.test.ts has a larger generator of its own (not exported).
import type { Action, ClientSpec, QoS, ScenarioV1 } from '../../sim/scenario/types.ts';

/** splitmix32, as in test/swarm.test.ts. */
class Gen {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  int(lo: number, hi: number): number { return lo + (this.u32() % (hi - lo + 1)); }
  chance(percent: number): boolean { return this.u32() % 100 < percent; }
  pick<T>(xs: readonly T[]): T { return xs[this.u32() % xs.length] as T; }
}

const qos = (g: Gen): QoS => g.pick([0, 1, 2] as const);

function client(g: Gen, i: number): ClientSpec {
  const id = `c${i + 1}`;
  const v5 = g.chance(50);
  const c: ClientSpec = { id, protocol: v5 ? '5.0' : '3.1.1', library: g.pick(['mqttjs-5', 'paho-python'] as const) };
  if (i > 0 && g.chance(20)) c.clientId = 'c1';
  c.keepAliveSeconds = g.pick([0, 2, 5, 10, 30]);
  if (g.chance(40)) c.cleanStart = false;
  if (v5 && g.chance(60)) c.sessionExpirySeconds = g.pick([0, 5, 300]);
  if (g.chance(70)) {
    c.will = { topic: `status/${id}`, payload: 'offline', qos: qos(g), retain: g.chance(40) };
    if (v5 && g.chance(60)) c.will.delaySeconds = g.pick([1, 5, 60]);
  }
  if (g.chance(70)) c.subscriptions = [{ topic: g.pick(['#', 'status/#', 'data/+/x']), qos: qos(g) }];
  if (g.chance(60)) c.publish = [{ topic: `data/${id}/x`, payload: 'p', qos: qos(g), retain: g.chance(20), everyMs: g.int(500, 5000) }];
  if (g.chance(30)) c.reconnect = g.chance(30) ? false : { delayMs: g.int(100, 3000) };
  if (g.chance(15)) c.tcpKeepAlive = { idleSeconds: g.int(1, 10), intervalSeconds: g.int(1, 5), probes: g.int(1, 3) };
  return c;
}

function action(g: Gen, atMs: number, clients: readonly ClientSpec[]): Action {
  const c = g.pick(clients);
  const node = g.chance(25) ? 'broker' : c.id;
  const link: [string, string] = [c.id, 'broker'];
  switch (g.int(0, 9)) {
    case 0: return { atMs, do: 'power-off', node };
    case 1: return { atMs, do: 'power-on', node };
    case 2: return { atMs, do: 'crash', node };
    case 3: return { atMs, do: 'restart', node };
    case 4: return { atMs, do: 'cut', link, direction: g.pick(['both', 'a->b', 'b->a'] as const) };
    case 5: return { atMs, do: 'heal', link };
    case 6: return c.protocol === '5.0'
      ? { atMs, do: 'disconnect', node: c.id, reasonCode: g.pick([0, 4, 128]) }
      : { atMs, do: 'disconnect', node: c.id };
    case 7: return { atMs, do: 'connect', node: c.id };
    case 8: return { atMs, do: 'set-link', link, latencyMs: g.pick([0, 50, 500]), jitterMs: g.int(0, 20), loss: g.pick([0, 0.3, 1]) };
    default: return { atMs, do: 'publish', node: c.id, topic: `status/${c.id}`, payload: 'once', qos: qos(g), retain: g.chance(50) };
  }
}

export function randomWorld(seed: number): ScenarioV1 {
  const g = new Gen(seed);
  const clients = Array.from({ length: g.int(2, 4) }, (_, i) => client(g, i));
  const durationMs = g.pick([30_000, 90_000]);
  const s: ScenarioV1 = {
    format: 'halfopen/scenario', version: 1, name: `world ${seed}`, seed: g.u32(), durationMs,
    broker: { id: 'broker', profile: g.pick(['spec', 'mosquitto-2.0', 'aedes'] as const) },
    clients,
    links: clients.map((c) => ({
      between: [c.id, 'broker'] as [string, string], latencyMs: g.pick([1, 10, 200]), jitterMs: g.int(0, 30),
      loss: g.pick([0, 0, 0.05, 0.3]), ...(g.chance(30) ? { natIdleTimeoutMs: g.int(2000, 20_000) } : {}),
    })),
    actions: Array.from({ length: g.int(2, 8) }, () => action(g, g.int(0, durationMs), clients)),
  };
  if (g.chance(30)) s.broker.serverKeepAliveSeconds = g.pick([0, 3, 20]);
  if (g.chance(20)) s.broker.maxKeepAliveSeconds = g.pick([1, 10]);
  return s;
}
