/**
 * What the TCP layer needs from the network it runs on: the engine, node names, the ISN
 * stream, and a way to put a segment on the wire. Kept as an interface so TCP does not
 * import the network (the network owns the hosts and calls into TCP on arrival).
 */
import type { Engine, Rng } from '../engine/types.ts';
import type { Segment } from './segment.ts';

export interface TcpEnv {
  readonly engine: Engine;
  /** Node names by index. */
  readonly names: readonly string[];
  /** Node index by name; throws for an unknown node. */
  indexOf(name: string): number;
  /** Initial sequence numbers (stream 'tcp.isn'). */
  readonly isnRng: Rng;
  /** Ephemeral port starts (stream 'tcp.ports'). */
  readonly portRng: Rng;
  /** Put a segment on the wire now (the network decides its fate). */
  transmit(seg: Segment): void;
  /** The route (link direction) from node src to node dst, null if none; stable for the run. */
  route(src: number, dst: number): object | null;
}
