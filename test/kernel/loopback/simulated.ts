/**
 * The simulator side of the comparison: loads sim/index.ts lazily, so that the real-broker side
 * still runs (and says loudly why the comparison is skipped) while sim/run.ts is missing.
 */
import type { BrokerProfileName, ResolvedScenario, ScenarioV1 } from '../../../sim/scenario/types.ts';
import type { TraceEvent } from '../../../sim/trace/types.ts';

export interface Simulator {
  /** Validates the file with the simulator's own parser. */
  parse(json: unknown): { ok: true; scenario: ScenarioV1 } | { ok: false; problems: unknown[] };
  resolve(s: ScenarioV1): ResolvedScenario;
  run(sc: ResolvedScenario, brokerProfile: BrokerProfileName): TraceEvent[];
}

export async function loadSimulator(): Promise<{ sim: Simulator } | { error: string }> {
  try {
    const mod = await import('../../../sim/index.ts');
    return {
      sim: {
        parse: (json) => mod.parseScenario(json),
        resolve: (s) => mod.resolveScenario(s),
        run: (sc, brokerProfile) => mod.runScenario(sc, { brokerProfile }).trace,
      },
    };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] ?? String(err) };
  }
}
