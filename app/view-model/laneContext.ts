/**
 * Who is where: lane indices for nodes, and the lane a connection's story is drawn in.
 *
 * Design choice: everything about one client's connection — the client's belief, the
 * broker's belief, the client's timers and the broker's timers for that client — is drawn
 * in the *client's* lane, in adjacent rows. A half-open connection is then two bars one
 * above the other that visibly disagree, instead of two bars a whole diagram apart, and
 * the broker lane stays one lifeline however many clients there are.
 */
import type { TraceEvent } from '../../sim/index.ts';

export interface LaneContext {
  readonly broker: string;
  readonly names: string[];
  laneOf(name: string): number;
  /** Lane where a connection's bands and the broker's timers for it are drawn. */
  laneForConn(conn: string, fallbackNode: string): number;
  /** Lane of the client node that last connected with this ClientId (broker timers). */
  laneForClientId(clientId: string, fallbackNode: string): number;
  /** Records what an event reveals about connections and ClientIds (call before builders). */
  observe(e: TraceEvent): void;
}

export function createLaneContext(nodes: readonly string[]): LaneContext {
  const names = [...nodes];
  const lanes = new Map<string, number>();
  names.forEach((n, i) => lanes.set(n, i));
  const broker = names[0] ?? 'broker';
  const connEnds = new Map<string, [string, string]>();
  const clientNodeById = new Map<string, string>();

  function laneOf(name: string): number {
    let lane = lanes.get(name);
    if (lane === undefined) {
      lane = names.length;
      names.push(name);
      lanes.set(name, lane);
    }
    return lane;
  }

  function remember(conn: string, node: string, peer: string): void {
    if (!connEnds.has(conn)) connEnds.set(conn, [node, peer]);
    laneOf(node);
    laneOf(peer);
  }

  return {
    broker,
    names,
    laneOf,
    laneForConn(conn, fallbackNode) {
      const ends = connEnds.get(conn);
      if (!ends) return laneOf(fallbackNode);
      const [a, b] = ends;
      return laneOf(a === broker ? b : a);
    },
    laneForClientId(clientId, fallbackNode) {
      const node = clientNodeById.get(clientId);
      return laneOf(node ?? fallbackNode);
    },
    observe(e) {
      switch (e.kind) {
        case 'conn.open': case 'conn.closed': case 'seg.send': case 'tcp.state':
          remember(e.conn, e.node, e.peer);
          break;
        case 'mqtt.send': case 'mqtt.recv': {
          remember(e.conn, e.node, e.peer);
          if (e.packet === 'CONNECT' && e.clientId !== undefined) {
            // The sender of a CONNECT is the client; the receiver's peer is the client.
            clientNodeById.set(e.clientId, e.kind === 'mqtt.send' ? e.node : e.peer);
          }
          break;
        }
        default:
          if ('node' in e && typeof e.node === 'string') laneOf(e.node);
      }
    },
  };
}
