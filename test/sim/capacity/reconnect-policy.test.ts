/**
 * Reconnect policies (sim/mqtt/client/policy.ts): the libraries as their sources are, and the
 * scenario's own policy with backoff, cap and jitter.
 */
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, reconnectPolicyDelayMs } from '../../../sim/mqtt/client/policy.ts';
import { CLIENT_PROFILES } from '../../../sim/profiles/client-profiles.ts';
import { createRng } from '../../../sim/engine/rng.ts';
import type { Rng } from '../../../sim/engine/types.ts';
import { run, scenario } from '../behaviour/helpers.ts';

const noRng = (): Rng => { throw new Error('drawn without jitter'); };
const waits = (n: number, f: (i: number) => number | null) => Array.from({ length: n }, (_, i) => f(i));

describe('library reconnect policies, as their sources are', () => {
  it('MQTT.js: reconnectPeriod 1000 ms, fixed, no jitter', () => {
    expect(waits(6, (i) => reconnectDelayMs(CLIENT_PROFILES['mqttjs-5'], null, i, noRng))).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  });
  it('Paho Python: reconnect_delay_set(1, 120): 1, 2, 4 … doubling, capped at 120 s, no jitter', () => {
    expect(waits(10, (i) => reconnectDelayMs(CLIENT_PROFILES['paho-python'], null, i, noRng)))
      .toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 120_000, 120_000, 120_000]);
  });
  it('reconnect false: never', () => {
    expect(reconnectDelayMs(CLIENT_PROFILES['mqttjs-5'], false, 0, noRng)).toBeNull();
  });
});

describe('a scenario\'s own reconnect policy', () => {
  const policy = (over: Partial<{ delayMs: number; backoff: number; maxDelayMs: number; jitter: number }>) =>
    ({ delayMs: 1000, backoff: 1, maxDelayMs: 86_400_000, jitter: 0, ...over });

  it('fixed (backoff 1) replaces the library\'s', () => {
    expect(waits(4, (i) => reconnectDelayMs(CLIENT_PROFILES['paho-python'], policy({ delayMs: 250 }), i, noRng))).toEqual([250, 250, 250, 250]);
  });
  it('backoff multiplies each further wait, floored to whole ms, up to maxDelayMs', () => {
    expect(waits(7, (i) => reconnectPolicyDelayMs(policy({ backoff: 2, maxDelayMs: 30_000 }), i, noRng)))
      .toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(waits(5, (i) => reconnectPolicyDelayMs(policy({ delayMs: 333, backoff: 1.5 }), i, noRng)))
      .toEqual([333, 499, 748, 1122, 1683]);
  });
  it('jitter takes a uniform whole number of ms from 0 to floor(d × jitter) off the wait', () => {
    const rng = createRng(7, 'test');
    const draws = waits(2000, () => reconnectPolicyDelayMs(policy({ jitter: 0.5 }), 0, () => rng)) as number[];
    expect(Math.min(...draws)).toBe(500);
    expect(Math.max(...draws)).toBe(1000);
    expect(new Set(draws).size).toBeGreaterThan(400);
    // Full jitter: anywhere from 1 ms (never 0: a reconnect is always a later event) to d.
    const full = waits(2000, () => reconnectPolicyDelayMs(policy({ jitter: 1 }), 0, () => rng)) as number[];
    expect(Math.min(...full)).toBeGreaterThanOrEqual(1);
    expect(Math.min(...full)).toBeLessThan(10);
    expect(Math.max(...full)).toBeGreaterThan(990);
  });
  it('in a run: each client draws from its own seeded stream; the same seed gives the same waits', () => {
    const s = () => scenario({
      durationMs: 8000,
      clients: [{ id: 'd', count: 3, reconnect: { delayMs: 1000, backoff: 2, jitter: 0.5 } }],
      actions: [{ atMs: 1000, do: 'crash', node: 'broker' }],
    });
    const syns = (r: ReturnType<typeof run>) => ['d-1', 'd-2', 'd-3'].map((n) => r.events('seg.send', { node: n, flags: 'SYN' }).map((e) => e.tMs));
    const a = syns(run(s()));
    expect(syns(run(s()))).toEqual(a);
    for (const t of a) {
      // First connect at 0; after the crash's FIN (1010 ms) waits in [500, 1000], then [1000, 2000], …
      expect(t[0]).toBe(0);
      expect(t[1]! - 1010).toBeGreaterThanOrEqual(500);
      expect(t[1]! - 1010).toBeLessThanOrEqual(1000);
    }
    expect(new Set(a.map((t) => t[1])).size).toBe(3); // the three drift apart
  });
});
