/**
 * What the Inspector (sim/world, worldAt) shows after reconnects, takeovers, broker
 * restarts, a Server Keep Alive and timers that fire at the cursor — checked against the
 * trace of real simulator runs and small hand-written traces.
 */
import { describe, it, expect } from 'vitest';
import { parseScenario, resolveScenario, runScenario } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { worldAt as stateAt } from '../../sim/world/index.ts';
import { lastIndexAtOrBefore } from '../../app/model/cursor.ts';
import { describeEvent } from '../../app/model/describe.ts';
import { sensorScenario } from '../app/fixtures/sensor.ts';
import { TraceBuilder } from '../app/timeline/traceBuilder.ts';

interface Run { trace: TraceEvent[]; resolved: ResolvedScenario }

function run(extra: Record<string, unknown>): Run {
  const parsed = parseScenario({
    format: 'halfopen/scenario', version: 1, name: 'audit', seed: 1, durationMs: 60_000,
    broker: { id: 'broker', profile: 'spec' }, ...extra,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const resolved = resolveScenario(parsed.scenario);
  return { trace: runScenario(resolved, { keepTrace: true }).trace, resolved };
}

const find = (r: Run, pred: (e: Record<string, unknown>) => boolean): TraceEvent => {
  const e = r.trace.find((x) => pred(x as unknown as Record<string, unknown>));
  if (!e) throw new Error('event not in trace');
  return e;
};
/** The broker's CONNACK after event `e` (a CONNECT takes effect with its accepting CONNACK). */
const connackAfter = (r: Run, e: TraceEvent): TraceEvent =>
  r.trace.find((x) => x.seq > e.seq && x.kind === 'mqtt.send' && x.packet === 'CONNACK')!;
/** The world with the cursor on event `e`. */
const on = (r: Run, e: TraceEvent) => stateAt(r.trace, r.resolved, e.seq, e.tMs);
const atMs = (r: Run, tMs: number) => stateAt(r.trace, r.resolved, lastIndexAtOrBefore(r.trace, tMs), tMs);

const SENSOR_WILL = { topic: 'status/sensor', payload: 'offline', qos: 1, retain: false };
const DASHBOARD = { id: 'dashboard', keepAliveSeconds: 60, subscriptions: [{ topic: 'status/#', qos: 1 }] };

describe('the Will shown for a broker session', () => {
  it('after a takeover is the new CONNECT’s armed Will, not the old connection’s published one', () => {
    const r = run({
      durationMs: 30_000,
      clients: [{ id: 'sensor', protocol: '3.1.1', keepAliveSeconds: 10, cleanStart: false, will: SENSOR_WILL }, DASHBOARD],
      actions: [{ atMs: 12_000, do: 'power-off', node: 'sensor' }, { atMs: 16_000, do: 'power-on', node: 'sensor' }],
    });
    const published = find(r, (e) => e['kind'] === 'will.published' && e['cause'] === 'takeover');
    const oldConn = (published as { conn?: string }).conn;
    const newConn = (find(r, (e) => e['kind'] === 'broker.takeover') as { newConn: string }).newConn;
    expect(oldConn).toBe('sensor/1');
    expect(newConn).toBe('sensor/2');
    // At the takeover itself the old connection's Will is published; the new CONNECT's Will is
    // armed by the CONNACK that accepts it (as the broker holds it: the paired check).
    expect(on(r, published).nodes['broker']!.sessions.find((x) => x.clientId === 'sensor')!.will!.status).toBe('published');
    for (const w of [on(r, connackAfter(r, published)), atMs(r, 20_000)]) {
      const s = w.nodes['broker']!.sessions.find((x) => x.clientId === 'sensor')!;
      expect(s.conn).toBe('sensor/2');
      expect(s.will).toEqual({ topic: 'status/sensor', status: 'armed', dueMs: null, conn: 'sensor/2' });
    }
  });

  it('after a reconnect cancels a delayed Will is armed again, and the next crash schedules it', () => {
    const r = run({
      durationMs: 80_000,
      clients: [{
        id: 'sensor', protocol: '5.0', keepAliveSeconds: 10, cleanStart: false, sessionExpirySeconds: 300,
        will: { ...SENSOR_WILL, delaySeconds: 30 },
      }, { ...DASHBOARD, protocol: '5.0' }],
      actions: [{ atMs: 12_000, do: 'crash', node: 'sensor' }, { atMs: 20_000, do: 'restart', node: 'sensor' },
        { atMs: 40_000, do: 'crash', node: 'sensor' }],
    });
    const discarded = find(r, (e) => e['kind'] === 'will.discarded' && e['cause'] === 'reconnected');
    expect(discarded.tMs).toBeGreaterThan(20_000);
    expect(discarded.tMs).toBeLessThan(20_100);
    const will = (tMs: number) => atMs(r, tMs).nodes['broker']!.sessions.find((x) => x.clientId === 'sensor')!.will!;
    expect(on(r, discarded).nodes['broker']!.sessions[0]!.will!.status).toBe('discarded');
    expect(on(r, connackAfter(r, discarded)).nodes['broker']!.sessions[0]!.will!.status).toBe('armed');
    expect(will(30_000).status).toBe('armed');
    expect(will(50_000).status).toBe('scheduled');
    expect(will(75_000).status).toBe('published');
  });
});

describe('a broker that loses power', () => {
  it('comes back without sessions: they vanish at power-off and are created again on reconnect', () => {
    const r = run({
      durationMs: 90_000,
      clients: [{ id: 'sensor', keepAliveSeconds: 10, cleanStart: false, will: SENSOR_WILL }, DASHBOARD],
      actions: [{ atMs: 12_000, do: 'power-off', node: 'broker' }, { atMs: 20_000, do: 'power-on', node: 'broker' }],
    });
    expect(atMs(r, 11_000).nodes['broker']!.sessions.map((s) => s.clientId).sort()).toEqual(['dashboard', 'sensor']);
    const off = find(r, (e) => e['kind'] === 'host.state' && e['node'] === 'broker' && e['state'] === 'off');
    expect(on(r, off).nodes['broker']!.sessions).toEqual([]);
    expect(atMs(r, 19_000).nodes['broker']!.sessions).toEqual([]);
    const created = find(r, (e) => e['kind'] === 'session.created' && (e['tMs'] as number) > 20_000 && e['clientId'] === 'sensor');
    expect(on(r, created).nodes['broker']!.sessions.find((x) => x.clientId === 'sensor')!.status).toBe('disconnected');
    const s = on(r, connackAfter(r, created)).nodes['broker']!.sessions.find((x) => x.clientId === 'sensor')!;
    expect(s.status).toBe('connected');
    expect(s.subscriptions).toEqual([]);
  });
});

describe('keep-alive in force', () => {
  it('is the CONNACK’s Server Keep Alive for the client and for the broker session (MQTT 5 §3.2.2.3.14)', () => {
    const r = run({
      durationMs: 20_000,
      broker: { id: 'broker', profile: 'spec', serverKeepAliveSeconds: 5 },
      clients: [{ id: 's', protocol: '5.0', keepAliveSeconds: 60 }],
    });
    const connect = find(r, (e) => e['kind'] === 'mqtt.recv' && e['packet'] === 'CONNECT');
    // The CONNECT alone opens no session; its CONNACK binds one with the Server Keep Alive.
    expect(on(r, connect).nodes['broker']!.sessions).toEqual([]);
    expect(on(r, connackAfter(r, connect)).nodes['broker']!.sessions[0]!.keepAliveSeconds).toBe(5);
    const w = atMs(r, 1000);
    expect(w.nodes['broker']!.sessions[0]!.keepAliveSeconds).toBe(5);
    expect(w.nodes['s']!.client!.keepAliveSeconds).toBe(5);
  });

  it('stays the CONNECT’s value when the CONNACK carries none (MQTT 3.1.1)', () => {
    const r = run({
      durationMs: 20_000,
      broker: { id: 'broker', profile: 'spec', serverKeepAliveSeconds: 5 },
      clients: [{ id: 's', protocol: '3.1.1', keepAliveSeconds: 60 }],
    });
    const w = atMs(r, 1000);
    expect(w.nodes['broker']!.sessions[0]!.keepAliveSeconds).toBe(60);
    expect(w.nodes['s']!.client!.keepAliveSeconds).toBe(60);
  });
});

describe('a timer due at the cursor', () => {
  const resolved = resolveScenario(sensorScenario);
  const b = new TraceBuilder(10);
  b.add(0, 'timer.set', { node: 'broker', timer: 'broker.keepalive', dueMs: 100, conn: 'sensor/1', clientId: 'sensor-1' });
  b.add(100, 'timer.set', { node: 'sensor', timer: 'client.ping', dueMs: 200, conn: 'sensor/1' });
  b.add(100, 'timer.fire', { node: 'broker', timer: 'broker.keepalive', conn: 'sensor/1', clientId: 'sensor-1' });
  b.add(100, 'broker.keepalive-expired', { node: 'broker', clientId: 'sensor-1', conn: 'sensor/1', lastRecvMs: 0 });
  const trace = b.build();
  const brokerTimers = (seq: number) => stateAt(trace, resolved, seq, trace[seq]!.tMs).nodes['broker']!.timers;

  it('is still listed, with 0 ms left, on an earlier event of the same instant', () => {
    expect(brokerTimers(1)).toMatchObject([{ timer: 'broker.keepalive', remainingMs: 0 }]);
  });

  it('is gone from its timer.fire on, and on the event its firing caused', () => {
    expect(brokerTimers(2)).toEqual([]);
    expect(brokerTimers(3)).toEqual([]);
  });

  it('is gone in a real run at the cursor of broker.keepalive-expired', () => {
    const r = run({
      clients: [{ id: 'sensor', keepAliveSeconds: 10 }],
      actions: [{ atMs: 5000, do: 'power-off', node: 'sensor' }],
    });
    const expired = find(r, (e) => e['kind'] === 'broker.keepalive-expired');
    expect(on(r, expired).nodes['broker']!.timers.map((t) => t.timer)).not.toContain('broker.keepalive');
  });
});

describe('client.pingresp', () => {
  it('is not listed once the PINGRESP has arrived', () => {
    const r = run({ durationMs: 20_000, clients: [{ id: 'sensor', keepAliveSeconds: 10 }] });
    const pingresp = find(r, (e) => e['kind'] === 'mqtt.recv' && e['packet'] === 'PINGRESP');
    const before = find(r, (e) => e['kind'] === 'mqtt.send' && e['packet'] === 'PINGREQ');
    expect(atMs(r, before.tMs).nodes['sensor']!.timers.map((t) => t.timer)).toContain('client.pingresp');
    expect(atMs(r, pingresp.tMs + 1).nodes['sensor']!.timers.map((t) => t.timer)).not.toContain('client.pingresp');
  });
});

describe('run.end in the event log', () => {
  it('says that it counts engine events, not trace lines', () => {
    const e = { seq: 7, tMs: 60_000, kind: 'run.end', events: 118 } as unknown as TraceEvent;
    expect(describeEvent(e)).toBe('End of run (118 engine events)');
  });
});
