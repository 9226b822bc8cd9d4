/**
 * A long synthetic trace for performance checks: `clients` clients with keep-alive 10 s
 * pinging a broker for `minutes` minutes, publishing every 2 s, with 2% loss.
 */
import type { TraceEvent } from '../../../sim/index.ts';
import { TraceBuilder } from './traceBuilder.ts';

export function buildBigTrace(clients = 4, minutes = 20): { trace: TraceEvent[]; nodes: string[]; durationMs: number } {
  const b = new TraceBuilder(10);
  const nodes = ['broker'];
  const durationMs = minutes * 60_000;
  let n = 0;
  for (let c = 0; c < clients; c++) {
    const id = `c${c + 1}`;
    const conn = `${id}/1`;
    nodes.push(id);
    const t0 = c * 137;
    b.handshake(t0, id, 'broker', conn);
    b.packet(t0 + 20, id, 'broker', conn, 'CONNECT', 30, { clientId: id });
    for (let t = t0 + 2000; t < durationMs; t += 2000) {
      const lost = (n++ * 7919) % 50 === 0;
      b.packet(t, id, 'broker', conn, 'PUBLISH', 24, { topic: `t/${id}`, payload: String(t) }, lost ? 'loss' : undefined);
      if (t % 10_000 < 2000) {
        b.add(t, 'timer.set', { node: id, timer: 'client.ping', dueMs: t + 10_000, conn });
        b.add(t + 10, 'timer.set', { node: 'broker', timer: 'broker.keepalive', dueMs: t + 15_010, conn, clientId: id });
      }
    }
  }
  return { trace: b.build(), nodes, durationMs };
}
