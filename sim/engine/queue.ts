/**
 * The engine's pending-event queue: a binary min-heap on a plain array, ordered by
 * (time, insertion sequence). Equal times pop in insertion order (FIFO), which makes the run
 * deterministic without any tie-breaking randomness.
 *
 * Entries are small fixed-shape objects and are recycled through a free list (`release`), so
 * a long run does not allocate one object per event. Leaves out: removal of arbitrary
 * entries; cancellation is done by the caller (timer slots ignore stale entries).
 */

export class QueueEntry {
  at = 0;
  seq = 0;
  /** Called with `arg` (one-shot events); null for timer-slot entries. */
  fn: ((arg: unknown) => void) | null = null;
  arg: unknown = undefined;
  /** Timer-slot generation at push time (stale entries are ignored). */
  gen = 0;
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventQueue {
  private readonly heap: QueueEntry[] = [];
  private readonly free: QueueEntry[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekAt(): number {
    const top = this.heap[0];
    return top === undefined ? Infinity : top.at;
  }

  push(at: number, fn: ((arg: unknown) => void) | null, arg: unknown, gen: number): void {
    const e = this.free.pop() ?? new QueueEntry();
    e.at = at;
    e.seq = this.nextSeq++;
    e.fn = fn;
    e.arg = arg;
    e.gen = gen;
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!before(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }

  /** Remove and return the earliest entry. Hand it back with `release` once used. */
  pop(): QueueEntry | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = h[l]!;
        if (r < n) {
          const right = h[r]!;
          if (before(right, child)) { c = r; child = right; }
        }
        if (!before(child, last)) break;
        h[i] = child;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** Return a popped entry to the free list (drops its references). */
  release(e: QueueEntry): void {
    e.fn = null;
    e.arg = undefined;
    if (this.free.length < 4096) this.free.push(e);
  }
}
