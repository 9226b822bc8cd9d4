/**
 * The invariant checker's world (sim/invariants.ts applyAsChecker: its kinds and timers only,
 * into a Work that forgets, sim/world/apply.ts `forget`), checked on every shipped scenario
 * and a small reconnect storm against the full world reduced from the same trace. Everything
 * a check reads (the broker's sessions, published Wills, armed keep-alive deadlines, pending
 * CONNECTs, segments in flight and the soonest each may arrive) must be the same wherever a check looks;
 * what a forgetting world drops must be only what nothing names again.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { applyEvent, initialWork, type Work } from '../../sim/world/apply.ts';
import { Journal } from '../../sim/world/journal.ts';
import { applyAsChecker } from '../../sim/invariants.ts';

function resolve(json: unknown): ResolvedScenario {
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveScenario(parsed.scenario);
}

/** What the checks read of a world (sim/invariants.ts), as comparable data. */
function checked(w: Work): unknown {
  const b = w.nodes.get(w.scenario.broker.id)!;
  return {
    paused: b.paused,
    sessions: [...b.sessions.values()].map((s) => JSON.stringify(s)),
    sessionByConn: [...b.sessionByConn.keys()].sort(),
    deadlines: [...b.timers.values()].filter((t) => t.timer === 'broker.keepalive').map((t) => `${t.conn} ${t.clientId} ${t.dueMs}`).sort(),
    connects: [...b.connects].map(([k, v]) => `${k} ${JSON.stringify(v)}`).sort(),
    publishedWills: [...b.publishedWills].sort(),
    // Segments in flight and the soonest each may arrive: a forgetting world keeps only that.
    flights: w.forget ? w.arrivals!.entries().map(([id, us]) => `${id} ${us}`)
      : [...w.flights.values()].map((f) => `${f.id} ${f.linkLatencyMs === null ? -1 : Math.round(f.sentMs * 1000) + Math.round(f.linkLatencyMs * 1000)}`),
  };
}

/** armedByConn agrees with the timers it counts. */
function armedAgrees(w: Work): void {
  const b = w.nodes.get(w.scenario.broker.id)!;
  const count = new Map<string, number>();
  for (const t of b.timers.values()) if (t.conn !== null) count.set(t.conn, (count.get(t.conn) ?? 0) + 1);
  expect([...b.armedByConn].sort()).toEqual([...count].sort());
}

/**
 * Reduces `trace` three ways: the full world, one that forgets but reads every event (`ends`,
 * for the rule on connection ends), and the checker's; compares what the checks read.
 */
function compare(resolved: ResolvedScenario, trace: readonly TraceEvent[]): { full: Work; ends: Work; lean: Work } {
  const full = initialWork(resolved);
  const ends = initialWork(resolved, { forget: true });
  const lean = initialWork(resolved, { forget: true });
  const j = new Journal(() => {}, false);
  for (const ev of trace) {
    // Before the event, where a check looks: a segment arriving, a CONNACK, a Will.
    if (ev.kind === 'seg.deliver' || ev.kind === 'mqtt.send' || ev.kind === 'will.published') {
      expect(checked(lean), `before #${ev.seq} ${ev.kind}`).toEqual(checked(full));
    }
    applyEvent(full, j, ev, ev.tMs);
    applyEvent(ends, j, ev, ev.tMs);
    applyAsChecker(lean, j, ev, ev.tMs);
    // After a close (no-keepalive-deadline-after-close reads the deadlines by connection).
    if (ev.kind === 'conn.closed') {
      expect(checked(lean), `after #${ev.seq} ${ev.kind}`).toEqual(checked(full));
      expect(checked(ends), `after #${ev.seq} ${ev.kind}`).toEqual(checked(full));
      armedAgrees(lean);
    }
  }
  expect(checked(lean)).toEqual(checked(full));
  armedAgrees(lean);
  return { full, ends, lean };
}

const ends = (w: Work): number => [...w.nodes.values()].reduce((k, n) => k + n.conns.size, 0);

describe('a forgetting world (the invariant checker\'s)', () => {
  const dir = 'public/scenarios';
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
    it(`reads as the full world does where the checks look: ${file}`, () => {
      const resolved = resolve(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')));
      const { trace } = runScenario(resolved, { keepTrace: true });
      const { full, ends: e, lean } = compare(resolved, trace);
      // What a forgetting world keeps of the ends is exactly the full world's unfinished ones.
      const unfinished = (w: Work) => [...w.nodes.values()].flatMap((n) =>
        [...n.conns.values()].filter((c) => !(c.tcpState === 'CLOSED' && !c.open)).map((c) => `${n.id} ${c.conn}`)).sort();
      expect(unfinished(e)).toEqual(unfinished(full));
      expect(ends(e)).toBe(unfinished(e).length);
      // The checker's world holds no ends, no link cache, and timer ids only for armed timers.
      expect(ends(lean)).toBe(0);
      expect(lean.connLinks.size).toBe(0);
      const armed = [...lean.nodes.values()].reduce((k, n) => k + n.timers.size, 0);
      expect(lean.owners.size).toBeLessThanOrEqual(armed + 1);
    });
  }

  it('keeps a reconnect storm\'s world the size of its live connections', () => {
    const resolved = resolve({
      format: 'halfopen/scenario', version: 1, name: 'small storm', seed: 1, durationMs: 120_000,
      broker: { id: 'broker', profile: 'mosquitto-2.0' },
      clients: [{ id: 'dev', count: 20, keepAliveSeconds: 10, connectAtMs: { fromMs: 0, toMs: 2_000 } }],
      actions: [{ atMs: 30_000, do: 'crash', node: 'broker' }, { atMs: 60_000, do: 'restart', node: 'broker' }],
    });
    const { trace } = runScenario(resolved, { keepTrace: true });
    const { full, ends: e, lean } = compare(resolved, trace);
    // MQTT.js retries every second while the broker is down: hundreds of connections.
    expect(full.connLinks.size).toBeGreaterThan(500);
    expect(ends(full)).toBeGreaterThan(500);
    expect(full.owners.size).toBeGreaterThan(500);
    // Each device's live connection has two ends (some may still be closing).
    expect(ends(e)).toBeLessThanOrEqual(2 * 20 + 10);
    // One keep-alive deadline per live connection, and an id for each.
    expect(lean.owners.size).toBeLessThanOrEqual(20 + 1);
  });

  it('finds each segment\'s link latency whether the links are alike or not, before and after set-link', () => {
    const resolved = resolve({
      format: 'halfopen/scenario', version: 1, name: 'latencies', seed: 2, durationMs: 200_000,
      broker: { id: 'broker', profile: 'spec' },
      clients: [{ id: 'a', keepAliveSeconds: 10 }, { id: 'b', keepAliveSeconds: 10 }],
      links: [{ between: ['a', 'broker'], latencyMs: 20 }, { between: ['b', 'broker'], latencyMs: 20 }],
      actions: [
        { atMs: 50_000, do: 'set-link', link: ['a', 'broker'], latencyMs: 80 },
        { atMs: 100_000, do: 'set-link', link: ['b', 'broker'], latencyMs: 80 },
        { atMs: 150_000, do: 'set-link', link: ['b', 'broker'], latencyMs: 5 },
      ],
    });
    const { trace } = runScenario(resolved, { keepTrace: true });
    const { lean } = compare(resolved, trace);
    expect(lean.sameLatencyMs).toBeNull();
    expect(trace.filter((e) => e.kind === 'seg.deliver').length).toBeGreaterThan(100);
  });

  it('is the checker\'s only: a world that shows connections forgets nothing', () => {
    expect(initialWork(resolve({
      format: 'halfopen/scenario', version: 1, name: 'x', seed: 1, durationMs: 1, broker: { id: 'broker', profile: 'spec' }, clients: [{ id: 'c' }],
    })).forget).toBe(false);
  });
});
