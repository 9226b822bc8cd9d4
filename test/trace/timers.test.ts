/**
 * Timers in the trace: every timer.clear / timer.fire names exactly the fields of an armed
 * timer.set (the checker below fails otherwise), a fire comes before what the timer does, and a
 * host that loses power ends every timer it had, a crashed process those of the application
 * (the kernel's tcp.* timers keep running) — so no reader has to know those rules.
 */
import { describe, expect, it } from 'vitest';
import { timerProblems } from '../../sim/trace/check.ts';
import type { TraceEvent } from '../../sim/trace/types.ts';
import { run, scenario } from '../sim/behaviour/helpers.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import { worldAt, worldHistory } from '../../sim/world/index.ts';

describe('timerProblems', () => {
  const set = (seq: number, fields: Record<string, unknown>) => ({ seq, tMs: 0, kind: 'timer.set', node: 'b', timer: 'broker.keepalive', dueMs: 5, ...fields });
  it('fails a clear that names fewer fields than its set, a fire off its due time, a timer left armed at power-off', () => {
    expect(timerProblems([
      set(0, { conn: 'c/1', clientId: 'c' }),
      { seq: 1, tMs: 1, kind: 'timer.clear', node: 'b', timer: 'broker.keepalive', conn: 'c/1' },
    ])).toEqual(['seq 1: timer.clear of b|broker.keepalive|c/1| matches no armed timer.set']);
    expect(timerProblems([set(0, {}), { seq: 1, tMs: 4, kind: 'timer.fire', node: 'b', timer: 'broker.keepalive' }]))
      .toEqual(['seq 1: timer.fire of b|broker.keepalive|| at 4 ms, due at 5 ms (set at seq 0)']);
    expect(timerProblems([set(0, {}), { seq: 1, tMs: 1, kind: 'host.state', node: 'b', state: 'off' }])).toHaveLength(1);
    expect(timerProblems([set(0, { timer: 'tcp.rto' }), { seq: 1, tMs: 1, kind: 'host.state', node: 'b', state: 'crashed' }])).toEqual([]);
    expect(timerProblems([set(0, {}), { seq: 1, tMs: 5, kind: 'timer.fire', node: 'b', timer: 'broker.keepalive' }])).toEqual([]);
  });

  it('a timer.set with `replaces` ends the armed timer of that name, which must be armed', () => {
    const ping = { node: 'c', conn: 'c/1' };
    expect(timerProblems([
      set(0, { ...ping, timer: 'client.pingresp' }),
      set(1, { ...ping, timer: 'client.ping', replaces: 'client.pingresp' }),
      { seq: 2, tMs: 5, kind: 'timer.clear', node: 'c', timer: 'client.pingresp', conn: 'c/1' },
    ])).toEqual(['seq 2: timer.clear of c|client.pingresp|c/1| matches no armed timer.set']);
    expect(timerProblems([set(0, { ...ping, timer: 'client.ping', replaces: 'client.pingresp' })]))
      .toEqual(['seq 0: timer.set replaces c|client.pingresp|c/1|, which is not armed']);
  });
});

describe('a timer that moves is one event', () => {
  const resolved = resolveScenario(scenario({
    durationMs: 130_000, seed: 3,
    links: [{ between: ['sensor', 'broker'], latencyMs: 10 }],
    clients: [{ id: 'sensor', keepAliveSeconds: 60 }],
  }));
  const trace = runScenario(resolved).trace;

  it('the client\'s PINGRESP wait becomes its next ping in one timer.set naming what it replaces', () => {
    expect(timerProblems(trace)).toEqual([]);
    const resp = trace.findIndex((e) => e.kind === 'mqtt.recv' && e.packet === 'PINGRESP');
    expect(resp).toBeGreaterThan(0);
    const next = trace[resp + 1]!;
    expect(next).toMatchObject({ kind: 'timer.set', node: 'sensor', timer: 'client.ping', dueMs: trace[resp]!.tMs + 60_000, replaces: 'client.pingresp' });
    // No timer.clear of the wait: the move said it.
    expect(trace.some((e) => e.kind === 'timer.clear' && e.timer === 'client.pingresp')).toBe(false);
    // The wait it ended was armed at the PINGREQ, named the same way.
    const wait = trace.slice(0, resp).filter((e) => e.kind === 'timer.set' && e.timer === 'client.pingresp').pop();
    expect(wait).toMatchObject({ node: 'sensor', conn: (next as { conn?: string }).conn });
  });

  it('the world and its history read the move: the wait ends there, drawn as cleared', () => {
    const resp = trace.findIndex((e) => e.kind === 'mqtt.recv' && e.packet === 'PINGRESP');
    const timers = (seq: number) => worldAt(trace, resolved, seq, trace[seq]!.tMs).nodes['sensor']!.timers.map((t) => t.timer);
    expect(timers(resp)).toContain('client.pingresp');
    expect(timers(resp + 1)).toEqual(['client.ping']);
    const h = worldHistory(resolved, trace, 130_000);
    const wait = h.timers.find((t) => t.timer === 'client.pingresp')!;
    expect(wait).toMatchObject({ outcome: 'cleared', endSeq: resp + 1, endMs: trace[resp]!.tMs });
  });
});

describe('timers on power-off and crash', () => {
  const world = (what: 'power-off' | 'crash') => run(scenario({
    durationMs: 30_000, seed: 5,
    links: [{ between: ['sensor', 'broker'], latencyMs: 20 }],
    clients: [{ id: 'sensor', keepAliveSeconds: 10, publish: [{ topic: 't', payload: 'x', qos: 1, everyMs: 1000 }] }],
    actions: [{ atMs: 5_010, do: what, node: 'sensor' }],
  })).trace;

  const atAction = (trace: readonly TraceEvent[]) => {
    const i = trace.findIndex((e) => e.kind === 'action');
    const j = trace.findIndex((e, k) => k > i && e.kind === 'host.state');
    return trace.slice(i, j + 1);
  };

  it('power-off ends every timer of the host, TCP ones included, each with why', () => {
    const trace = world('power-off');
    expect(timerProblems(trace)).toEqual([]);
    const clears = atAction(trace).filter((e) => e.kind === 'timer.clear' && e.node === 'sensor');
    expect(clears.some((e) => e.kind === 'timer.clear' && e.timer === 'client.ping')).toBe(true);
    expect(clears.some((e) => e.kind === 'timer.clear' && e.timer.startsWith('tcp.'))).toBe(true);
    expect(clears.every((e) => e.why === 'host powered off')).toBe(true);
    // Nothing of the sensor is set or fires while it is off.
    const off = trace.findIndex((e) => e.kind === 'host.state' && e.node === 'sensor');
    expect(trace.slice(off).filter((e) => (e.kind === 'timer.set' || e.kind === 'timer.fire') && e.node === 'sensor')).toEqual([]);
  });

  it('a crash ends the application\'s timers and the kernel keeps its TCP timers', () => {
    const trace = world('crash');
    expect(timerProblems(trace)).toEqual([]);
    const clears = atAction(trace).filter((e) => e.kind === 'timer.clear' && e.node === 'sensor');
    expect(clears.some((e) => e.kind === 'timer.clear' && e.timer === 'client.ping' && e.why === 'process crashed')).toBe(true);
    expect(clears.some((e) => e.kind === 'timer.clear' && e.timer.startsWith('tcp.') && e.why !== undefined)).toBe(false);
    // The kernel closes the socket (FIN) and its retransmission timer runs on after the crash.
    const crashed = trace.findIndex((e) => e.kind === 'host.state' && e.node === 'sensor');
    expect(trace.slice(crashed).some((e) => (e.kind === 'timer.fire' || e.kind === 'timer.clear') && e.node === 'sensor' && e.timer.startsWith('tcp.'))).toBe(true);
  });

  it('a keep-alive deadline that passes is traced as timer.fire before broker.keepalive-expired', () => {
    const trace = world('power-off');
    const expired = trace.findIndex((e) => e.kind === 'broker.keepalive-expired');
    expect(expired).toBeGreaterThan(0);
    const before = trace[expired - 1]!;
    expect(before).toMatchObject({ kind: 'timer.fire', node: 'broker', timer: 'broker.keepalive', clientId: 'sensor' });
  });
});
