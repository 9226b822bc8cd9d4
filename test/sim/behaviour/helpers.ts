/** Small helpers for behaviour tests: build a scenario, run it, pick events. */
import { resolveScenario } from '../../../sim/scenario/resolve.ts';
import { runScenario } from '../../../sim/run.ts';
import type { RunOptions, RunResult } from '../../../sim/run-types.ts';
import type { ClientSpec, ScenarioV1 } from '../../../sim/scenario/types.ts';
import type { TraceEvent } from '../../../sim/trace/types.ts';

export type Ev = TraceEvent & Record<string, unknown>;

export function scenario(over: Partial<ScenarioV1> & { clients: ClientSpec[] }): ScenarioV1 {
  return {
    format: 'halfopen/scenario', version: 1, name: 'test', durationMs: 60_000,
    broker: { id: 'broker', profile: 'spec' }, ...over,
  };
}

export function run(s: ScenarioV1, opts?: RunOptions): RunResult & { events: (kind: string, where?: Record<string, unknown>) => Ev[] } {
  // Every behaviour test also runs the paired check (sim/world equals the live objects after every event).
  const r = runScenario(resolveScenario(s), { pairedCheck: opts?.keepTrace !== false, ...opts });
  const events = (kind: string, where: Record<string, unknown> = {}) =>
    (r.trace as Ev[]).filter((e) => e.kind === kind && Object.entries(where).every(([k, v]) => e[k] === v));
  return Object.assign(r, { events });
}
