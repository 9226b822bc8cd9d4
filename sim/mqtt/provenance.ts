/**
 * What the simulator knows about a forwarded message and the wire does not carry: that a
 * PUBLISH the broker writes is a client's Last Will (the trace's `origin` fields). The broker
 * notes it against its packet's place in its stream on the connection; the receiving client,
 * which counts the packets it decodes there, takes it back. TCP delivers the stream in order
 * and whole, so the n-th packet the client decodes on a connection is the broker's n-th write
 * on it (tcp/connection.ts counts writes the same way for seg.send `packets`).
 *
 * Nothing here changes what either side does: it only lets the client's mqtt.recv and
 * message.delivered name the Will they carry, so that no reader of the trace has to guess it
 * by topic and time. One per run (run.ts), shared by the broker and the clients.
 */
import type { MessageOrigin } from '../trace/types.ts';

export class Provenance {
  /** By connection, then by packet place in the broker's stream. Only Wills are noted. */
  private readonly notes = new Map<string, Map<number, MessageOrigin>>();

  /** The sender's `ordinal`-th write on `conn` (1 = its first) carries a message from `origin`. */
  sent(conn: string, ordinal: number, origin: MessageOrigin): void {
    let m = this.notes.get(conn);
    if (m === undefined) this.notes.set(conn, m = new Map());
    m.set(ordinal, origin);
  }

  /** The origin of the `ordinal`-th packet received on `conn`, if one was noted; forgets it. */
  received(conn: string, ordinal: number): MessageOrigin | undefined {
    const m = this.notes.get(conn);
    if (m === undefined) return undefined;
    const o = m.get(ordinal);
    if (o !== undefined) {
      m.delete(ordinal);
      if (m.size === 0) this.notes.delete(conn);
    }
    return o;
  }

  /** A connection the receiver is done with: what it never read is dropped. */
  forget(conn: string): void {
    // A storm's refused attempts noted nothing: no lookup (a new id's first one hashes it).
    if (this.notes.size > 0) this.notes.delete(conn);
  }
}
