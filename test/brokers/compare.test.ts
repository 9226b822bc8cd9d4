/**
 * The comparison's own rules, on hand-made logs: how a real log is classified, and where the
 * tolerances draw the line. No broker needed.
 */
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import type { ScenarioV1 } from '../../sim/scenario/types.ts';
import { compareRuns, fromObserved, type Comparable } from './compare.ts';
import type { ObservedEvent } from './observed.ts';

const scenario = (k: number, extra: Partial<ScenarioV1> = {}) => resolveScenario({
  format: 'halfopen/scenario', version: 1, name: 't', durationMs: 20_000,
  broker: { id: 'broker' },
  clients: [{ id: 'sensor', clientId: 'c', keepAliveSeconds: k, will: { topic: 'status/c', payload: 'x' } }],
  ...extra,
});

describe('fromObserved', () => {
  it('a broker close after a client close the proxy swallowed (power loss) is a keep-alive close', () => {
    const log: ObservedEvent[] = [
      { tMs: 1, kind: 'packet', node: 'sensor', leg: 1, from: 'client', packet: 'CONNECT', forwarded: true, clientId: 'p-c' },
      { tMs: 2000, kind: 'packet', node: 'sensor', leg: 1, from: 'client', packet: 'PINGREQ', forwarded: true },
      { tMs: 2500, kind: 'leg.closed', node: 'sensor', leg: 1, side: 'client', how: 'fin', passed: false },
      { tMs: 5001, kind: 'leg.closed', node: 'sensor', leg: 1, side: 'broker', how: 'fin', passed: false },
    ];
    const out = fromObserved(log, 'p-');
    expect(out.filter((c) => c.kind === 'keepalive-close')).toEqual([
      { kind: 'keepalive-close', key: 'c', tMs: 5001, lastInMs: 2000 },
    ]);
  });

  it('a broker close of an older connection right after a same-ClientId CONNECT is a takeover', () => {
    const log: ObservedEvent[] = [
      { tMs: 1, kind: 'packet', node: 'old', leg: 1, from: 'client', packet: 'CONNECT', forwarded: true, clientId: 'p-dup' },
      { tMs: 2001, kind: 'packet', node: 'new', leg: 2, from: 'client', packet: 'CONNECT', forwarded: true, clientId: 'p-dup' },
      { tMs: 2003, kind: 'leg.closed', node: 'old', leg: 1, side: 'broker', how: 'fin', passed: true },
    ];
    expect(fromObserved(log, 'p-').filter((c) => c.kind === 'takeover' || c.kind === 'keepalive-close'))
      .toEqual([{ kind: 'takeover', key: 'dup', tMs: 2003 }]);
  });

  it('a broker close after the client DISCONNECT is neither', () => {
    const log: ObservedEvent[] = [
      { tMs: 1, kind: 'packet', node: 's', leg: 1, from: 'client', packet: 'CONNECT', forwarded: true, clientId: 'p-c' },
      { tMs: 2000, kind: 'packet', node: 's', leg: 1, from: 'client', packet: 'DISCONNECT', forwarded: true },
      { tMs: 2000.5, kind: 'leg.closed', node: 's', leg: 1, side: 'broker', how: 'fin', passed: true },
    ];
    expect(fromObserved(log, 'p-').map((c) => c.kind)).toEqual(['disconnect']);
  });
});

describe('compareRuns tolerances', () => {
  const close = (tMs: number, lastInMs: number): Comparable => ({ kind: 'keepalive-close', key: 'c', tMs, lastInMs });

  it('aedes: a keep-alive close 101 ms off fails, 99 ms off passes', () => {
    const sc = scenario(2);
    expect(compareRuns([close(5000, 2000)], [close(5099, 2000)], sc, 'aedes')[0]!.verdict).toBe('PASS');
    expect(compareRuns([close(5000, 2000)], [close(5101, 2000)], sc, 'aedes')[0]!.verdict).toBe('FAIL');
  });

  it('mosquitto K=2: both closes must lie in (3, 10] s after the last packet in', () => {
    const sc = scenario(2);
    expect(compareRuns([close(5500, 2000)], [close(10700, 2000)], sc, 'mosquitto')[0]!.verdict).toBe('PASS');
    expect(compareRuns([close(5000, 2000)], [close(12200, 2000)], sc, 'mosquitto')[0]!.verdict).toBe('FAIL');
    // Earlier than floor(1.5 K) after the last packet is impossible for mosquitto:
    expect(compareRuns([close(4900, 2000)], [close(5500, 2000)], sc, 'mosquitto')[0]!.verdict).toBe('FAIL');
  });

  it('a Will in one world only fails; absence in both is shown as a passing row', () => {
    const sc = scenario(2);
    const will: Comparable = { kind: 'will', key: 'status/c', tMs: 3000 };
    const rows = compareRuns([will], [], sc, 'aedes');
    expect(rows.find((r) => r.event === 'Will status/c')).toMatchObject({ verdict: 'FAIL', note: 'simulated, not observed' });
    const none = compareRuns([], [], sc, 'aedes');
    expect(none.find((r) => r.event === 'no Will status/c')?.verdict).toBe('PASS');
  });

  it('connects must agree on sessionPresent', () => {
    const sc = scenario(2);
    const c = (sp: boolean): Comparable => ({ kind: 'connected', key: 'sensor', tMs: 5, sessionPresent: sp });
    expect(compareRuns([c(true)], [c(false)], sc, 'mosquitto')[0]!.verdict).toBe('FAIL');
    expect(compareRuns([c(true)], [c(true)], sc, 'mosquitto')[0]!.verdict).toBe('PASS');
  });
});
