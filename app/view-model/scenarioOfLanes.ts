/**
 * The resolved scenario of a trace read without one (a hand-written trace in a test): the first
 * lane is the broker, every other lane a client linked to it. sim/world only needs the nodes
 * and links from it; link latencies are then unknown (segmentArrows.ts draws its default).
 */
import type { ResolvedScenario } from '../../sim/index.ts';

export function scenarioOfLanes(nodes: readonly string[], durationMs: number): ResolvedScenario {
  const [broker = 'broker', ...clients] = nodes;
  return {
    name: '', description: '', seed: 1, durationMs,
    broker: { id: broker },
    clients: clients.map((id) => ({
      id, clientId: id, protocol: '3.1.1', library: 'mqttjs-5', keepAliveSeconds: 60, cleanStart: true,
      sessionExpirySeconds: 0, will: null, subscriptions: [],
    })),
    links: clients.map((id) => ({ between: [id, broker], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: null })),
    actions: [],
  } as unknown as ResolvedScenario;
}
