import { describe, it, expect } from 'vitest';
import { resolveScenario } from '../../sim/index.ts';
import { worldAt as stateAt } from '../../sim/world/index.ts';
import { lastIndexAtOrBefore } from '../../app/model/cursor.ts';
import { simulate } from '../../app/worker/simulate.ts';
import { DEFAULT_SCENARIO } from '../../app/defaultScenario.ts';
import { sensorScenario, sensorTrace } from '../app/fixtures/sensor.ts';

const resolved = resolveScenario(sensorScenario);
const at = (tMs: number) => stateAt(sensorTrace, resolved, lastIndexAtOrBefore(sensorTrace, tMs), tMs);

describe('stateAt (hand-written trace)', () => {
  it('before the first event: configuration only, nothing connected, no timers', () => {
    const w = stateAt(sensorTrace, resolved, -1, 0);
    expect(w.nodes['sensor']!.client!.keepAliveSeconds).toBe(10);
    expect(w.nodes['sensor']!.client!.will!.topic).toBe('status/sensor-1');
    expect(w.nodes['sensor']!.conns).toEqual([]);
    expect(w.nodes['broker']!.sessions).toEqual([]);
    expect(w.nodes['sensor']!.timers).toEqual([]);
  });

  it('after CONNACK both ends are ESTABLISHED and the broker holds a connected session with an armed Will', () => {
    const w = at(5000);
    expect(w.nodes['sensor']!.conns[0]).toMatchObject({ conn: 'sensor/1', tcpState: 'ESTABLISHED', open: true });
    expect(w.nodes['broker']!.conns[0]).toMatchObject({ conn: 'sensor/1', tcpState: 'ESTABLISHED', open: true });
    expect(w.nodes['sensor']!.client!.connectedConn).toBe('sensor/1');
    const s = w.nodes['broker']!.sessions[0]!;
    expect(s).toMatchObject({ clientId: 'sensor-1', status: 'connected', conn: 'sensor/1', keepAliveSeconds: 10 });
    expect(s.will).toEqual({ topic: 'status/sensor-1', status: 'armed', dueMs: null, conn: 'sensor/1' });
  });

  it('timers count down in virtual time: remaining = dueMs − cursorMs', () => {
    const w = at(5000);
    const ping = w.nodes['sensor']!.timers.find((t) => t.timer === 'client.ping')!;
    expect(ping.dueMs).toBe(10040);
    expect(ping.remainingMs).toBe(5040);
    expect(at(9000).nodes['sensor']!.timers.find((t) => t.timer === 'client.ping')!.remainingMs).toBe(1040);
    // The broker's deadline is 1.5 × 10 s after the last packet it received [MQTT-3.1.2-24].
    const ka = at(22000).nodes['broker']!.timers.find((t) => t.timer === 'broker.keepalive')!;
    expect(ka.dueMs - 20070).toBe(15000);
    expect(ka.remainingMs).toBe(35070 - 22000);
  });

  it('timer.clear removes a timer, and a timer past its due time is not shown', () => {
    expect(at(10055).nodes['sensor']!.timers.map((t) => t.timer)).toContain('client.pingresp');
    expect(at(10065).nodes['sensor']!.timers.map((t) => t.timer)).not.toContain('client.pingresp');
    expect(stateAt(sensorTrace, resolved, 3, 1500).nodes['sensor']!.timers).toEqual([]);
  });

  it('power-off leaves the broker half-open until the keep-alive expires, then the Will is published', () => {
    const mid = at(30000);
    expect(mid.nodes['sensor']!.host).toBe('off');
    expect(mid.nodes['sensor']!.conns.map((c) => [c.tcpState, c.open])).toEqual([['CLOSED', false]]);
    expect(mid.pairs).toEqual([{ conn: 'sensor/1', ends: ['sensor', 'broker'], halfOpen: true, closing: false, believer: 'broker' }]);
    expect(mid.nodes['broker']!.conns[0]!.open).toBe(true);
    const end = at(40000);
    const s = end.nodes['broker']!.sessions[0]!;
    expect(s.will!.status).toBe('published');
    expect(s.status).toBe('disconnected');
    expect(end.nodes['broker']!.conns[0]).toMatchObject({ open: false, closedCause: 'local', tcpState: 'FIN-WAIT-1' });
  });

  it('is pure: the same cursor gives an equal world, whatever was asked before', () => {
    const a = at(22000);
    at(40000); at(100);
    expect(at(22000)).toEqual(a);
  });
});

describe('stateAt (real simulator run)', () => {
  it('agrees with the trace on link cuts and checkpoints over a long trace', () => {
    const scenario = structuredClone(DEFAULT_SCENARIO);
    scenario.actions = [{ atMs: 5000, do: 'cut', link: ['broker', 'sensor'], direction: 'a->b' }];
    const r = simulate(scenario);
    if (!r.ok) throw new Error(r.message);
    const res = resolveScenario(scenario);
    const seq = lastIndexAtOrBefore(r.trace, 6000);
    const w = stateAt(r.trace, res, seq, 6000);
    const link = w.links.find((l) => l.between[0] === 'sensor')!;
    // a->b of ["broker","sensor"] is broker → sensor: the down lane of [sensor, broker].
    expect(link.cutDown).toBe(true);
    expect(link.cutUp).toBe(false);
    // Replaying in one go and from checkpoints gives the same world.
    const direct = stateAt([...r.trace], res, r.trace.length - 1, 60000);
    expect(stateAt(r.trace, res, r.trace.length - 1, 60000)).toEqual(direct);
  });
});
