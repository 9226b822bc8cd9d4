/**
 * The swarm's world generator: a seeded random scenario (1–5 clients, protocols, keep-alives,
 * profiles, Wills, delays, sessions, subscriptions, publishing, lossy/jittery/NAT links, a broker
 * store) and a random fault script (with orderly broker stops). Used by test/swarm.test.ts and by the trace-field drift guard
 * (test/scenario/event-fields.test.ts). Deterministic: the same seed gives the same scenario.
 */
import type { Action, ClientSpec, LinkSpec, QoS, ScenarioV1 } from '../sim/index.ts';

/** splitmix32: a tiny seeded PRNG for the generator (the simulator has its own streams). */
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
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + (this.u32() % (hi - lo + 1)); }
  chance(percent: number): boolean { return this.u32() % 100 < percent; }
  pick<T>(xs: readonly T[]): T { return xs[this.u32() % xs.length] as T; }
}

const KEEPALIVES = [0, 1, 2, 3, 5, 10, 15, 30, 60];
const FILTERS = ['#', 'status/#', 'data/#', 'data/+/x', 'status/c1', '+/c2/x'];
const REASONS_5 = [0, 0, 4, 4, 128, 129, 131, 144, 153];

function qos(g: Gen): QoS { return g.pick([0, 1, 2] as const); }

function randomClient(g: Gen, i: number, ids: readonly string[]): ClientSpec {
  const id = `c${i + 1}`;
  const v5 = g.chance(50);
  const c: ClientSpec = { id, protocol: v5 ? '5.0' : '3.1.1' };
  // Sometimes two nodes share a ClientId: they take each other over, again and again.
  if (i > 0 && g.chance(12)) c.clientId = g.pick(ids.slice(0, i));
  if (g.chance(70)) c.library = g.pick(['mqttjs-5', 'paho-python'] as const);
  c.keepAliveSeconds = g.pick(KEEPALIVES);
  if (g.chance(50)) c.cleanStart = g.chance(50);
  if (v5 && g.chance(50)) c.sessionExpirySeconds = g.pick([0, 1, 5, 30, 300, 4_294_967_295]);
  if (g.chance(65)) {
    c.will = { topic: `status/${id}`, payload: 'offline', qos: qos(g), retain: g.chance(30) };
    if (v5 && g.chance(50)) c.will.delaySeconds = g.pick([0, 1, 3, 10, 60]);
  }
  if (g.chance(60)) {
    c.subscriptions = Array.from({ length: g.int(1, 3) }, () => ({ topic: g.pick(FILTERS), qos: qos(g) }));
  }
  if (g.chance(55)) {
    c.publish = Array.from({ length: g.int(1, 2) }, () => ({
      topic: g.pick([`data/${id}/x`, `status/${id}`, 'data/shared/x']), payload: `p${g.int(0, 99)}`,
      qos: qos(g), retain: g.chance(20), everyMs: g.int(200, 10_000), startMs: g.int(0, 5000),
    }));
  }
  if (g.chance(50)) c.connectAtMs = g.int(0, 5000);
  if (g.chance(40)) c.reconnect = g.chance(25) ? false : { delayMs: g.int(50, 5000) };
  if (g.chance(10)) c.tcpKeepAlive = { idleSeconds: g.int(1, 30), intervalSeconds: g.int(1, 10), probes: g.int(1, 5) };
  return c;
}

function randomLink(g: Gen, id: string): LinkSpec {
  const l: LinkSpec = { between: g.chance(50) ? [id, 'broker'] : ['broker', id] };
  if (g.chance(70)) l.latencyMs = g.pick([0, 1, 5, 10, 50, 200, 1000]);
  if (g.chance(35)) l.jitterMs = g.int(0, 100);
  if (g.chance(35)) l.loss = g.pick([0.01, 0.05, 0.1, 0.3, 0.6, 1]);
  if (g.chance(20)) l.natIdleTimeoutMs = g.int(1000, 60_000);
  return l;
}

function randomAction(g: Gen, atMs: number, clients: readonly ClientSpec[]): Action {
  const client = g.pick(clients);
  const node = g.chance(25) ? 'broker' : client.id;
  const link: [string, string] = g.chance(50) ? [client.id, 'broker'] : ['broker', client.id];
  switch (g.int(0, 10)) {
    case 0: return { atMs, do: 'power-off', node };
    case 1: return { atMs, do: 'power-on', node };
    case 2: return { atMs, do: 'crash', node };
    case 3: return { atMs, do: 'restart', node };
    case 4: return { atMs, do: 'cut', link, direction: g.pick(['both', 'a->b', 'b->a'] as const) };
    case 5: return { atMs, do: 'heal', link, direction: g.pick(['both', 'a->b', 'b->a'] as const) };
    case 6: {
      const a: Extract<Action, { do: 'disconnect' }> = { atMs, do: 'disconnect', node: client.id };
      if (client.protocol === '5.0' && g.chance(70)) a.reasonCode = g.pick(REASONS_5);
      return a;
    }
    case 7: return { atMs, do: 'connect', node: client.id };
    case 8: {
      const a: Extract<Action, { do: 'set-link' }> = { atMs, do: 'set-link', link };
      if (g.chance(60)) a.latencyMs = g.pick([0, 5, 50, 500]);
      if (g.chance(40)) a.jitterMs = g.int(0, 50);
      if (g.chance(60)) a.loss = g.pick([0, 0, 0.1, 0.5, 1]);
      if (a.latencyMs === undefined && a.jitterMs === undefined && a.loss === undefined) a.loss = 0;
      return a;
    }
    default: return {
      atMs, do: 'publish', node: client.id, topic: g.pick([`data/${client.id}/x`, `status/${client.id}`]),
      payload: 'once', qos: qos(g), retain: g.chance(30),
    };
  }
}

export function randomScenario(seed: number): ScenarioV1 {
  const g = new Gen(seed);
  const n = g.int(1, 5);
  const clients: ClientSpec[] = [];
  for (let i = 0; i < n; i++) clients.push(randomClient(g, i, clients.map((c) => c.clientId ?? c.id)));
  const durationMs = g.pick([5_000, 20_000, 60_000, 120_000]);
  const s: ScenarioV1 = {
    format: 'halfopen/scenario', version: 1, name: `swarm ${seed}`, seed: g.u32(), durationMs,
    broker: { id: 'broker', profile: g.pick(['spec', 'mosquitto-2.0', 'aedes'] as const) },
    clients,
  };
  if (g.chance(15)) s.broker.serverKeepAliveSeconds = g.pick([0, 1, 5, 30]);
  if (g.chance(15)) s.broker.maxKeepAliveSeconds = g.pick([1, 10, 60]);
  if (g.chance(10)) s.broker.tcpKeepAlive = { idleSeconds: g.int(1, 30), intervalSeconds: g.int(1, 10), probes: g.int(1, 5) };
  const links = clients.filter(() => g.chance(60)).map((c) => randomLink(g, c.id));
  if (links.length > 0) s.links = links;
  const actions = Array.from({ length: g.int(0, 8) }, () => randomAction(g, g.int(0, durationMs), clients));
  // Drawn last, so the draws above (and the worlds of earlier seeds) stay as they were: a broker
  // store (broker.persistence) and orderly stops (SIGTERM), each followed by a restart.
  if (g.chance(30)) {
    s.broker.persistence = g.pick([
      { autosaveIntervalSeconds: 0 }, { autosaveIntervalSeconds: 1 }, { autosaveIntervalSeconds: 5 },
      { autosaveIntervalSeconds: 60 }, { autosaveAfterChanges: 1 }, { autosaveAfterChanges: 3 },
    ]);
  }
  if (g.chance(20)) {
    const atMs = g.int(0, durationMs);
    actions.push({ atMs, do: 'stop', node: 'broker' }, { atMs: g.int(atMs, durationMs), do: 'restart', node: 'broker' });
  }
  if (actions.length > 0) s.actions = actions;
  addFleetFailures(g, s);
  // Drawn after everything else (earlier seeds' worlds stay as they were): a broker stopped by
  // SIGSTOP, resumed later or never, so the paired check sees closes reach a stopped process.
  if (g.chance(20)) {
    const atMs = g.int(0, durationMs);
    (s.actions ??= []).push({ atMs, do: 'pause', node: 'broker' });
    if (g.chance(70)) s.actions.push({ atMs: g.int(atMs, durationMs), do: 'resume', node: 'broker' });
  }
  return s;
}

/**
 * Proxies that close idle flows, firmware ping intervals and NAT flushes (drawn last, so every
 * earlier draw of a seed, and so the rest of its world, is what it was before they existed).
 */
function addFleetFailures(g: Gen, s: ScenarioV1): void {
  for (const l of s.links ?? []) {
    if (l.natIdleTimeoutMs === undefined && g.chance(15)) {
      l.proxyIdleTimeoutMs = g.pick([300, 2_000, 10_000, 45_000]);
      if (g.chance(50)) l.proxyClose = g.pick(['fin', 'rst', 'rst-to-broker'] as const);
    }
  }
  for (const c of s.clients) if (g.chance(10)) c.pingIntervalMs = g.pick([false, 700, 4_000, 25_000] as const);
  for (const l of s.links ?? []) {
    if (l.natIdleTimeoutMs !== undefined && g.chance(25)) {
      (s.actions ??= []).push({ atMs: g.int(0, s.durationMs), do: 'nat-flush', link: [l.between[0], l.between[1]] });
    }
  }
}
