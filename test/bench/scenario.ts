/**
 * The benchmark's workload, built programmatically: broker `spec`, N idle clients (MQTT 3.1.1,
 * mqttjs-5, keep-alive 60 s, no Will, no subscriptions) connecting at seeded times in the first
 * 60 s, one simulated hour. Shared by test/bench/run.ts and anyone profiling the simulator.
 */
import type { ScenarioV1 } from '../../sim/scenario/types.ts';

export const HOUR_MS = 3_600_000;
export const KEEPALIVE_S = 60;

/** splitmix32, the same stagger for the simulator and the bare loop. */
export function stagger(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    out[i] = ((z ^ (z >>> 16)) >>> 0) % 60_000;
  }
  return out;
}

export function benchScenario(n: number): ScenarioV1 {
  const at = stagger(n);
  return {
    format: 'halfopen/scenario', version: 1, name: `bench ${n} clients`, seed: 1, durationMs: HOUR_MS,
    broker: { id: 'broker', profile: 'spec' },
    clients: at.map((connectAtMs, i) => ({ id: `c${i}`, keepAliveSeconds: KEEPALIVE_S, connectAtMs })),
  };
}

