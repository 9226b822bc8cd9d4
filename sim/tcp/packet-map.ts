/**
 * Which MQTT packets a data segment carries (seg.send `packets`), so that no reader of the
 * trace has to recover it by counting bytes. Kept only when tracing: per connection and
 * direction, where each written packet ends in the byte stream (stream offset 0 = the first
 * byte after the SYN), forgotten once acknowledged.
 */
export class PacketMap {
  private starts: number[] = [];
  private ends: number[] = [];
  private ordinals: number[] = [];
  private head = 0;
  private written = 0;

  /** Packet `ordinal` (1-based place among the writes) of `bytes` bytes was queued. */
  wrote(ordinal: number, bytes: number): void {
    this.starts.push(this.written);
    this.written += bytes;
    this.ends.push(this.written);
    this.ordinals.push(ordinal);
  }

  /**
   * The packets overlapping stream bytes [offset, offset + len); `acked`: stream bytes below
   * it are acknowledged (their packets can no longer be sent, so they are forgotten).
   */
  carried(offset: number, len: number, acked: number): number[] {
    const ends = this.ends;
    while (this.head < ends.length && ends[this.head]! <= acked) this.head++;
    if (this.head > 64 && this.head * 2 > ends.length) {
      this.starts = this.starts.slice(this.head);
      this.ends = ends.slice(this.head);
      this.ordinals = this.ordinals.slice(this.head);
      this.head = 0;
    }
    const out: number[] = [];
    const st = this.starts, e = this.ends, o = this.ordinals;
    for (let i = this.head; i < e.length; i++) {
      if (e[i]! <= offset) continue;
      if (st[i]! >= offset + len) break;
      out.push(o[i]!);
    }
    return out;
  }
}
