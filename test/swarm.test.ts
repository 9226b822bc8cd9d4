/**
 * Swarm: many seeds → random worlds (1–5 clients, protocols, keep-alives, profiles, Wills,
 * delays, sessions, subscriptions, publishing, lossy/jittery/NAT links) and random fault
 * scripts, each run with the simulator's invariants on. Only invariants and a few structural
 * facts of the trace are checked, never outcomes.
 *
 * Replay one seed:   SWARM_SEED=<n> npx vitest run test/swarm.test.ts
 * More seeds:        SWARM_COUNT=5000 npx vitest run test/swarm.test.ts
 * Other seeds:       SWARM_FROM=100000 SWARM_COUNT=20000 … (seeds FROM … FROM+COUNT-1; default 1)
 * Coverage:         SWARM_STATS=1 prints how often each notable event kind happened.
 * A failure prints the replay line and the generated scenario (JSON) on stderr.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../sim/index.ts';
import type { ScenarioV1, TraceEvent } from '../sim/index.ts';
import { randomScenario } from './swarm-world.ts';

/** Event kinds seen over all seeds (SWARM_STATS=1), to check that the swarm reaches the interesting cases. */
const tally = new Map<string, number>();
const TALLIED = new Set([
  'client.connected', 'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover',
  'will.scheduled', 'will.published', 'will.discarded', 'session.expired', 'session.resumed', 'nat.expired', 'proxy.timeout',
  'client.gave-up', 'broker.store-saved', 'session.restored',
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
  /** Per client node: when and on which connection it last got a successful CONNACK. */
  const connectedAt = new Map<string, { tMs: number; conn: string }>();
  let expectedSeq = 0;
  let lastT = 0;
  /**
   * When the broker's process was stopped (SIGSTOP, action pause) and continued: a deadline
   * that falls in such a window is acted on at the resume (its timers wait with it).
   */
  const stopped: { fromMs: number; toMs: number }[] = [];
  let brokerUp = true;
  let stoppedSince: number | null = null;
  const stoppedAtDeadline = (deadlineMs: number, atMs: number): boolean =>
    stopped.some((w) => w.fromMs <= deadlineMs && deadlineMs <= w.toMs && atMs === w.toMs);
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
      case 'action':
        if (e.node !== s.broker.id) break;
        if (e.do === 'pause' && brokerUp && stoppedSince === null) stoppedSince = e.tMs;
        if (e.do === 'resume' && stoppedSince !== null) { stopped.push({ fromMs: stoppedSince, toMs: e.tMs }); stoppedSince = null; }
        break;
      case 'host.state':
        if (e.node === s.broker.id) { brokerUp = e.state === 'up'; stoppedSince = null; }
        break;
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
        // A client resends (DUP 1) only right after a CONNACK ([MQTT-4.4.0-1]; the libraries do it
        // after every CONNACK), never in the middle of a connection.
        if (e.kind === 'mqtt.send' && e.dup === true && cleanStart.has(e.node)) {
          const r = connectedAt.get(e.node);
          if (r === undefined || r.tMs !== e.tMs || r.conn !== e.conn) fail(`a resend (DUP) by ${e.node} not right after a CONNACK`);
          tally.set('mqtt.send dup by a client', (tally.get('mqtt.send dup by a client') ?? 0) + 1);
        }
        break;
      case 'client.connected':
        if (!cleanStart.has(e.node)) fail(`${e.node} is not a client`);
        // [MQTT-3.2.2-1] (3.1.1) / [MQTT-3.2.2-2] (5.0): Clean Start 1 → Session Present 0.
        if (cleanStart.get(e.node) === true && e.sessionPresent !== false) fail('Session Present 1 after a Clean Start');
        connectedAt.set(e.node, { tMs: e.tMs, conn: String(e.conn) });
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
        if (want !== null && Math.abs(idleMs - want) > 1e-6 && !stoppedAtDeadline(Number(e.lastRecvMs) + want, e.tMs)) fail(`expired after ${idleMs} ms of silence, want ${want}`);
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
    const r = runScenario(resolveScenario(parsed.scenario), { keepTrace: true, pairedCheck: true, checkInvariants: true, onEvent: traceChecker(s) });
    return r.summary.events;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`\nswarm seed ${seed} failed: ${msg}\nreplay: ${replay}\nscenario: ${JSON.stringify(s)}\n`);
    throw new Error(`seed ${seed}: ${msg}\nreplay: ${replay}`, { cause: e });
  }
}

const only = process.env.SWARM_SEED;
const count = Number(process.env.SWARM_COUNT ?? 500);
const from = Number(process.env.SWARM_FROM ?? 1);
const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => i + from);

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
