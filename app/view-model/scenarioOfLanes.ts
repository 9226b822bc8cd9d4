/**
 * The resolved scenario of a trace read without one (a hand-written trace in a test): the first
 * lane is the broker, every other lane a client linked to it, everything else the file format's
 * defaults (sim's resolveScenario, so no default is written here a second time). sim/world only
 * needs the nodes and links from it.
 */
import { resolveScenario } from '../../sim/index.ts';
import type { ResolvedScenario } from '../../sim/index.ts';

export function scenarioOfLanes(nodes: readonly string[], durationMs: number): ResolvedScenario {
  const [broker = 'broker', ...clients] = nodes;
  return resolveScenario({
    format: 'halfopen/scenario', version: 1, name: '', durationMs,
    broker: { id: broker }, clients: clients.map((id) => ({ id })),
  });
}
