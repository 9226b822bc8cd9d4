/**
 * A client node in the world holds no broker state (sim/world/apply.ts NO_BROKER_STATE): every
 * client node shares one empty Map for sessions, pending CONNECTs, sessions by connection and
 * published Wills, and a write to it throws, so a reducer that wrote broker state on a client
 * node fails loudly instead of sharing it between devices. The paired check (test/world/paired*)
 * and the swarm run every kind through the reducer with this in place.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';
import { applyEvent, initialWork } from '../../sim/world/apply.ts';
import { Journal } from '../../sim/world/journal.ts';

const resolved = (() => {
  const p = parseScenario({
    format: 'halfopen/scenario', version: 1, name: 'two devices and a takeover', seed: 3, durationMs: 40_000,
    broker: { id: 'broker', profile: 'mosquitto-2.0' },
    clients: [
      { id: 'a', clientId: 'same', keepAliveSeconds: 5, will: { topic: 'w/a', payload: 'gone' } },
      { id: 'b', clientId: 'same', keepAliveSeconds: 5, connectAtMs: 10_000 },
    ],
    actions: [{ atMs: 20_000, do: 'power-off', node: 'b' }],
  });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return resolveScenario(p.scenario);
})();

describe('client nodes hold no broker state', () => {
  it('share one empty map per broker-only field, which refuses writes', () => {
    const w = initialWork(resolved);
    const a = w.nodes.get('a')!;
    const b = w.nodes.get('b')!;
    expect(a.sessions).toBe(b.sessions);
    expect(a.publishedWills).toBe(b.sessionByConn);
    expect(() => a.sessions.set('x', null as never)).toThrow(/no broker state/);
    // The broker's are its own and writable; armedByConn counts a client's timers too.
    const broker = w.nodes.get('broker')!;
    expect(broker.sessions).not.toBe(a.sessions);
    expect(a.armedByConn).not.toBe(b.armedByConn);
    a.armedByConn.set('c1', 1);
    expect(b.armedByConn.size).toBe(0);
  });

  it('a full run reduces without writing to them, and the broker keeps the session', () => {
    const trace = runScenario(resolved).trace;
    const w = initialWork(resolved);
    const j = new Journal(() => {}, true);
    for (const ev of trace) applyEvent(w, j, ev, ev.tMs);
    expect(w.nodes.get('a')!.sessions.size).toBe(0);
    expect([...w.nodes.get('broker')!.sessions.keys()]).toEqual(['same']);
    expect(w.nodes.get('broker')!.publishedWills.size).toBeGreaterThan(0);
  });
});
