/**
 * Which MQTT packets a data segment carries (seg.send `packets`), so that no reader of the
 * trace has to recover it by counting bytes. Kept only when tracing: per connection and
 * direction, where each written packet ends in the byte stream (stream offset 0 = the first
 * byte after the SYN), forgotten once acknowledged.
 *
 * One flat array of (start, end, ordinal) triples, emptied as soon as every packet in it is
 * acknowledged (an idle connection's one ping at a time), so that 100,000 connections do not
 * each keep an hour of pings: it used to be three arrays trimmed only past 64 dead entries,
 * ~3 KB per client after an hour (issue 14's memory target).
 */
export class PacketMap {
  private q: number[] = [];
  /** Index (in q) of the first triple not known to be acknowledged. */
  private head = 0;
  private written = 0;

  /** Packet `ordinal` (1-based place among the writes) of `bytes` bytes was queued. */
  wrote(ordinal: number, bytes: number): void {
    const start = this.written;
    this.written += bytes;
    this.q.push(start, this.written, ordinal);
  }

  /**
   * The packets overlapping stream bytes [offset, offset + len); `acked`: stream bytes below
   * it are acknowledged (their packets can no longer be sent, so they are forgotten).
   */
  carried(offset: number, len: number, acked: number): number[] {
    const q = this.q;
    let head = this.head;
    while (head < q.length && q[head + 1]! <= acked) head += 3;
    // At least half of it acknowledged (with one packet in flight: all of the old ones): drop them.
    if (head > 0 && head * 2 >= q.length) {
      q.copyWithin(0, head);
      q.length -= head;
      head = 0;
    }
    this.head = head;
    const out: number[] = [];
    for (let i = head; i < q.length; i += 3) {
      if (q[i + 1]! <= offset) continue;
      if (q[i]! >= offset + len) break;
      out.push(q[i + 2]!);
    }
    return out;
  }
}
