/**
 * The invariant checker's world forgets finished connections (sim/world/apply.ts forgetEnd,
 * Work `forget`): checked on every shipped scenario and a small reconnect storm against the
 * full world reduced from the same trace. Everything a check reads (the broker's sessions,
 * published Wills, armed deadlines by connection, pending CONNECTs, segments in flight) must
 * be the same after every event; what is forgotten must be only finished connections.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { applyEvent, initialWork, type Work } from '../../sim/world/apply.ts';
import { Journal } from '../../sim/world/journal.ts';

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
    armedByConn: [...b.armedByConn].sort(),
    connects: [...b.connects].map(([k, v]) => `${k} ${JSON.stringify(v)}`).sort(),
    publishedWills: [...b.publishedWills].sort(),
    flights: [...w.flights.values()].map((f) => `${f.id} ${f.sentMs} ${f.linkLatencyMs}`),
  };
}

/** Reduces `trace` twice, forgetting and not, comparing what the checks read along the way. */
function compare(resolved: ResolvedScenario, trace: readonly TraceEvent[]): { full: Work; lean: Work } {
  const full = initialWork(resolved);
  const lean = initialWork(resolved, { forget: true });
  const j1 = new Journal(() => {}, false);
  const j2 = new Journal(() => {}, false);
  for (const ev of trace) {
    applyEvent(full, j1, ev, ev.tMs);
    applyEvent(lean, j2, ev, ev.tMs);
    // Where a check looks: a close (no-keepalive-deadline-after-close), a CONNACK, a Will.
    if (ev.kind === 'conn.closed' || ev.kind === 'mqtt.send' || ev.kind.startsWith('will.')) {
      expect(checked(lean), `after #${ev.seq} ${ev.kind}`).toEqual(checked(full));
    }
  }
  expect(checked(lean)).toEqual(checked(full));
  return { full, lean };
}

const ends = (w: Work): number => [...w.nodes.values()].reduce((k, n) => k + n.conns.size, 0);

describe('a forgetting world (the invariant checker\'s)', () => {
  const dir = 'public/scenarios';
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
    it(`reads as the full world does where the checks look: ${file}`, () => {
      const resolved = resolve(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')));
      const { trace } = runScenario(resolved, { keepTrace: true });
      const { full, lean } = compare(resolved, trace);
      // What it kept is exactly the ends the full world has that are not finished.
      const unfinished = (w: Work) => [...w.nodes.values()].flatMap((n) =>
        [...n.conns.values()].filter((c) => !(c.tcpState === 'CLOSED' && !c.open)).map((c) => `${n.id} ${c.conn}`)).sort();
      expect(unfinished(lean)).toEqual(unfinished(full));
      expect(ends(lean)).toBe(unfinished(lean).length);
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
    const { full, lean } = compare(resolved, trace);
    // MQTT.js retries every second while the broker is down: hundreds of connections.
    expect(full.connLinks.size).toBeGreaterThan(500);
    expect(ends(full)).toBeGreaterThan(500);
    // Each device's live connection has two ends (some may still be closing).
    expect(ends(lean)).toBeLessThanOrEqual(2 * 20 + 10);
    expect(lean.connLinks.size).toBeLessThanOrEqual(20 + 10);
    expect(lean.owners.size).toBeLessThanOrEqual(20 + 10);
  });

  it('is the checker\'s only: a world that shows connections forgets nothing', () => {
    expect(initialWork(resolve({
      format: 'halfopen/scenario', version: 1, name: 'x', seed: 1, durationMs: 1, broker: { id: 'broker', profile: 'spec' }, clients: [{ id: 'c' }],
    })).forget).toBe(false);
  });
});
