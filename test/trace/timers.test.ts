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
