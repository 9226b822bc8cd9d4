/**
 * Swarm: many seeds → random worlds (1–5 clients, protocols, keep-alives, profiles, Wills,
 * delays, sessions, subscriptions, publishing, lossy/jittery/NAT links) and random fault
 * scripts, each run with the simulator's invariants on. Only invariants and a few structural
 * facts of the trace are checked, never outcomes.
 *
 * Replay one seed:   SWARM_SEED=<n> npx vitest run test/swarm.test.ts
 * More seeds:        SWARM_COUNT=5000 npx vitest run test/swarm.test.ts
 * Coverage:         SWARM_STATS=1 prints how often each notable event kind happened.
 * A failure prints the replay line and the generated scenario (JSON) on stderr.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../sim/index.ts';
import type {
  Action, ClientSpec, LinkSpec, QoS, ScenarioV1, TraceEvent,
} from '../sim/index.ts';

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

function randomScenario(seed: number): ScenarioV1 {
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
  if (actions.length > 0) s.actions = actions;
  return s;
}

/** Event kinds seen over all seeds (SWARM_STATS=1), to check that the swarm reaches the interesting cases. */
const tally = new Map<string, number>();
const TALLIED = new Set([
  'client.connected', 'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover',
  'will.scheduled', 'will.published', 'will.discarded', 'session.expired', 'session.resumed', 'nat.expired',
  'client.gave-up',
]);

/**
 * Facts every trace must have, whatever happened (the simulator's own invariants do the rest):
 * ordering, and a few rules of the standards that hold in any world.
 */
function traceChecker(s: ScenarioV1) {
  const willOwners = new Set(s.clients.filter((c) => c.will).map((c) => c.clientId ?? c.id));
  const cleanStart = new Map(s.clients.map((c) => [c.id, c.cleanStart ?? true]));
  const profile = s.broker.profile ?? 'spec';
  const open = new Set<string>();
  const closed = new Set<string>();
  const expiredAt = new Map<string, number>();
  const takenOverAt = new Map<string, number>();
  const scheduled = new Set<string>();
  /** Per client node: when and on which connection it last got a CONNACK with Session Present 1. */
  const resumedAt = new Map<string, { tMs: number; conn: string }>();
  let expectedSeq = 0;
  let lastT = 0;
  return (ev: TraceEvent) => {
    const e = ev as TraceEvent & Record<string, unknown>;
    const where = `event seq ${e.seq} (${e.kind} at ${e.tMs} ms)`;
    const fail = (msg: string) => { throw new Error(`${where}: ${msg}`); };
    if (e.seq !== expectedSeq) fail(`seq should be ${expectedSeq}`);
    expectedSeq++;
    if (!(e.tMs >= lastT)) fail(`time went backwards from ${lastT}`);
    if (e.tMs > s.durationMs) fail(`after durationMs ${s.durationMs}`);
    lastT = e.tMs;
    if (TALLIED.has(e.kind)) {
      const key = e.kind === 'will.published' || e.kind === 'will.discarded' ? `${e.kind} ${String(e.cause)}` : e.kind;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const nodeConn = `${String(e.node)} ${String(e.conn)}`;
    switch (e.kind) {
      case 'conn.open':
        if (open.has(nodeConn) || closed.has(nodeConn)) fail(`${nodeConn} opened twice`);
        open.add(nodeConn);
        break;
      case 'conn.closed':
        if (closed.has(nodeConn)) fail(`${nodeConn} closed twice (onClose is called at most once)`);
        open.delete(nodeConn);
        closed.add(nodeConn);
        break;
      case 'mqtt.send': case 'mqtt.recv':
        if (!open.has(nodeConn)) fail(`${String(e.packet)} on ${nodeConn}, which is not an open connection of that node`);
        // [MQTT-4.4.0-1]: a client resends (DUP 1) only right after a CONNACK with Session Present 1.
        if (e.kind === 'mqtt.send' && e.dup === true && cleanStart.has(e.node)) {
          const r = resumedAt.get(e.node);
          if (r === undefined || r.tMs !== e.tMs || r.conn !== e.conn) fail(`a resend (DUP) by ${e.node} not right after a resumed session`);
          tally.set('mqtt.send dup by a client', (tally.get('mqtt.send dup by a client') ?? 0) + 1);
        }
        break;
      case 'client.connected':
        if (!cleanStart.has(e.node)) fail(`${e.node} is not a client`);
        // [MQTT-3.2.2-1] (3.1.1) / [MQTT-3.2.2-2] (5.0): Clean Start 1 → Session Present 0.
        if (cleanStart.get(e.node) === true && e.sessionPresent !== false) fail('Session Present 1 after a Clean Start');
        if (e.sessionPresent === true) resumedAt.set(e.node, { tMs: e.tMs, conn: String(e.conn) });
        break;
      case 'client.keepalive-timeout':
        if (!cleanStart.has(e.node)) fail(`${e.node} is not a client`);
        break;
      case 'broker.keepalive-expired': {
        const k = Number(e.keepAliveSeconds);
        if (!(k > 0)) fail('keep-alive expired although K = 0 turns it off (3.1.2.10)');
        const idleMs = e.tMs - Number(e.lastRecvMs);
        // [MQTT-3.1.2-24] / [MQTT-3.1.2-22]: exactly 1.5 K for `spec`; aedes arms K*1500 + 1 ms.
        const want = profile === 'spec' ? k * 1500 : profile === 'aedes' ? k * 1500 + 1 : null;
        if (want !== null && Math.abs(idleMs - want) > 1e-6) fail(`expired after ${idleMs} ms of silence, want ${want}`);
        expiredAt.set(e.conn, e.tMs);
        break;
      }
      case 'broker.takeover':
        takenOverAt.set(e.oldConn, e.tMs);
        break;
      case 'will.scheduled':
        scheduled.add(String(e.conn));
        break;
      case 'will.published': {
        if (!willOwners.has(e.clientId)) fail(`a Will for ${e.clientId}, which has none`);
        const conn = String(e.conn);
        if (e.cause === 'keepalive' && expiredAt.get(conn) !== e.tMs) fail(`cause keepalive without broker.keepalive-expired of ${conn}`);
        if (e.cause === 'takeover' && takenOverAt.get(conn) !== e.tMs) fail(`cause takeover without broker.takeover of ${conn}`);
        if (e.cause === 'delay-elapsed' && !scheduled.has(conn)) fail(`cause delay-elapsed without will.scheduled for ${conn}`);
        break;
      }
    }
  };
}

function runSeed(seed: number): number {
  const s = randomScenario(seed);
  const replay = `SWARM_SEED=${seed} npx vitest run test/swarm.test.ts`;
  const parsed = parseScenario(s);
  if (!parsed.ok) {
    throw new Error(`generator made an invalid scenario (a test bug): ${JSON.stringify(parsed.problems)}\nreplay: ${replay}`);
  }
  try {
    const r = runScenario(resolveScenario(parsed.scenario), { keepTrace: false, checkInvariants: true, onEvent: traceChecker(s) });
    return r.summary.events;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`\nswarm seed ${seed} failed: ${msg}\nreplay: ${replay}\nscenario: ${JSON.stringify(s)}\n`);
    throw new Error(`seed ${seed}: ${msg}\nreplay: ${replay}`, { cause: e });
  }
}

const only = process.env.SWARM_SEED;
const count = Number(process.env.SWARM_COUNT ?? 500);
const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => i + 1);

describe('swarm', () => {
  afterAll(() => {
    if (!process.env.SWARM_STATS) return;
    const rows = [...tally.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    console.log(`swarm: ${seeds.length} seeds\n${rows.map(([k, n]) => `  ${k.padEnd(34)} ${n}`).join('\n')}`);
  });

  it('the generator is itself deterministic and makes valid scenarios', () => {
    expect(JSON.stringify(randomScenario(42))).toBe(JSON.stringify(randomScenario(42)));
    expect(JSON.stringify(randomScenario(42))).not.toBe(JSON.stringify(randomScenario(43)));
    for (let seed = 1; seed <= 50; seed++) expect(parseScenario(randomScenario(seed)).ok).toBe(true);
  });

  it.each(seeds)('seed %i runs with invariants on', (seed) => {
    expect(runSeed(seed)).toBeGreaterThan(0);
  });
});
