/**
 * The engine's pending-event queue: an indexed 4-ary min-heap ordered by (time, insertion
 * sequence). Equal times pop in insertion order (FIFO), which makes the run deterministic
 * without any tie-breaking randomness.
 *
 * Indexed: every entry has a stable id whose heap position is tracked, so a timer can be moved
 * (`update`, which counts as a new insertion: it takes a fresh sequence number) or removed
 * (`remove`) where it sits. Protocol timers are re-armed and cancelled far more often than they
 * fire (an RTO armed and cleared per exchange, a broker keep-alive deadline pushed forward per
 * packet), so this keeps exactly one live entry per armed timer and no stale entries at all.
 *
 * Performance (the benchmark moves ~10 million entries per 10,000 client-hours): the heap is
 * kept in parallel typed arrays indexed by heap position — time and sequence as Float64 (times
 * reach 2^52 µs, sequences may pass 2^32) and the entry id — so a comparison reads two numbers
 * without touching an object and nothing is allocated per operation; four children per node
 * halve the depth a pop walks down. The payload (fn, arg) and the position live in arrays
 * indexed by id, recycled through a free-id stack.
 */

/** A popped entry as the compatibility `pop()` returns it (one shared object, valid until the next pop). */
export class QueueEntry {
  at = 0;
  /** Called with `arg` (one-shot events); null for timer-slot entries. */
  fn: ((arg: unknown) => void) | null = null;
  arg: unknown = undefined;
}

export class EventQueue {
  private cap = 1024;
  private hAt = new Float64Array(this.cap);
  private hSeq = new Float64Array(this.cap);
  private hId = new Int32Array(this.cap);
  private n = 0;
  private nextSeq = 0;
  // By entry id.
  private pFn: (((arg: unknown) => void) | null)[] = [];
  private pArg: unknown[] = [];
  private pos = new Int32Array(this.cap);
  private freeIds = new Int32Array(this.cap);
  private nFree = 0;
  private nSlots = 0;
  /** Filled by `take()`: the payload of the entry just removed. */
  outAt = 0;
  outFn: ((arg: unknown) => void) | null = null;
  outArg: unknown = undefined;
  private readonly scratch = new QueueEntry();

  // Lanes: one-shot entries (no id: never moved nor removed) whose times came in order, kept
  // first in first out beside the heap. Most of a run's events are segment deliveries at now +
  // a link's latency, which arrive in time order when the latencies are equal (a fleet behind
  // identical links): those skip the heap's sift down and up. A post goes to the first lane
  // whose last time is not after its own (the scenario's actions, posted at the start for
  // their far-off times, take one lane and leave the others to the deliveries), or to the heap.
  // `take` pops the earliest of the lanes' heads and the heap's top by (time, sequence), so
  // the order is the one the heap alone gives.
  private readonly lanes: Lane[] = [new Lane(), new Lane(), new Lane()];
  private laneCount = 0;

  get size(): number {
    return this.n + this.laneCount;
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekAt(): number {
    let t = this.n === 0 ? Infinity : this.hAt[0]!;
    if (this.laneCount === 0) return t;
    for (const l of this.lanes) if (l.len > 0 && l.at[l.head]! < t) t = l.at[l.head]!;
    return t;
  }

  /**
   * A one-shot entry (no id: it cannot be moved or removed), in the same (time, insertion)
   * order as `push`.
   */
  post(at: number, fn: (arg: unknown) => void, arg: unknown): void {
    for (const l of this.lanes) {
      if (l.len === 0 || l.lastAt <= at) {
        l.add(at, this.nextSeq++, fn, arg);
        this.laneCount++;
        return;
      }
    }
    this.push(at, fn, arg);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const at = new Float64Array(cap); at.set(this.hAt); this.hAt = at;
    const sq = new Float64Array(cap); sq.set(this.hSeq); this.hSeq = sq;
    const id = new Int32Array(cap); id.set(this.hId); this.hId = id;
    const p = new Int32Array(cap); p.set(this.pos); this.pos = p;
    const f = new Int32Array(cap); f.set(this.freeIds); this.freeIds = f;
    this.cap = cap;
  }

  /** Insert an entry; returns its id (valid until it is taken or removed). */
  push(at: number, fn: ((arg: unknown) => void) | null, arg: unknown): number {
    if (this.n === this.cap) this.grow();
    let id: number;
    if (this.nFree > 0) {
      id = this.freeIds[--this.nFree]!;
      this.pFn[id] = fn;
      this.pArg[id] = arg;
    } else {
      id = this.nSlots++;
      this.pFn.push(fn);
      this.pArg.push(arg);
    }
    this.siftUp(this.n++, at, this.nextSeq++, id);
    return id;
  }

  /** Move entry `id` to time `at`, as if it were inserted now (fresh sequence number). */
  update(id: number, at: number): void {
    this.place(this.pos[id]!, at, this.nextSeq++, id);
  }

  /** Remove entry `id` from wherever it is in the heap. */
  remove(id: number): void {
    const i = this.pos[id]!;
    this.release(id);
    const n = --this.n;
    if (i !== n) this.place(i, this.hAt[n]!, this.hSeq[n]!, this.hId[n]!);
  }

  /** Put (at, seq, id) into the hole at position i: up if it now precedes its parent, else down. */
  private place(i: number, at: number, seq: number, id: number): void {
    if (i > 0) {
      const p = (i - 1) >> 2;
      const pa = this.hAt[p]!;
      if (at < pa || (at === pa && seq < this.hSeq[p]!)) {
        this.siftUp(i, at, seq, id);
        return;
      }
    }
    this.siftDown(i, at, seq, id);
  }

  /**
   * Remove the earliest entry (the queue must not be empty) and put its fields in
   * outAt / outFn / outArg; its id is recycled at once.
   */
  take(): void {
    if (this.laneCount > 0) {
      // The earliest lane head, if it comes before the heap's top.
      let best: Lane | null = null;
      let bAt = this.n === 0 ? Infinity : this.hAt[0]!;
      let bSeq = this.n === 0 ? Infinity : this.hSeq[0]!;
      for (const l of this.lanes) {
        if (l.len === 0) continue;
        const a = l.at[l.head]!;
        if (a < bAt || (a === bAt && l.seq[l.head]! < bSeq)) { best = l; bAt = a; bSeq = l.seq[l.head]!; }
      }
      if (best !== null) {
        this.outAt = bAt;
        best.shift(this);
        this.laneCount--;
        return;
      }
    }
    const id = this.hId[0]!;
    this.outAt = this.hAt[0]!;
    this.outFn = this.pFn[id]!;
    this.outArg = this.pArg[id];
    this.release(id);
    const n = --this.n;
    if (n === 0) return;
    this.siftDown(0, this.hAt[n]!, this.hSeq[n]!, this.hId[n]!);
  }

  private release(id: number): void {
    this.pFn[id] = null;
    this.pArg[id] = undefined;
    this.freeIds[this.nFree++] = id;
  }

  /** Place (at, seq, id) at position i or above it. */
  private siftUp(i: number, at: number, seq: number, id: number): void {
    const hAt = this.hAt;
    const hSeq = this.hSeq;
    const hId = this.hId;
    const pos = this.pos;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pa = hAt[p]!;
      if (pa < at || (pa === at && hSeq[p]! < seq)) break;
      const pid = hId[p]!;
      hAt[i] = pa; hSeq[i] = hSeq[p]!; hId[i] = pid; pos[pid] = i;
      i = p;
    }
    hAt[i] = at; hSeq[i] = seq; hId[i] = id; pos[id] = i;
  }

  /** Place (at, seq, id) at position i or below it (the heap has n entries). */
  private siftDown(i: number, at: number, seq: number, id: number): void {
    const hAt = this.hAt;
    const hSeq = this.hSeq;
    const hId = this.hId;
    const pos = this.pos;
    const n = this.n;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // The smallest of up to four children.
      let c = first;
      let cAt = hAt[first]!;
      let cSeq = hSeq[first]!;
      const end = first + 4 < n ? first + 4 : n;
      for (let k = first + 1; k < end; k++) {
        const kAt = hAt[k]!;
        if (kAt < cAt || (kAt === cAt && hSeq[k]! < cSeq)) { c = k; cAt = kAt; cSeq = hSeq[k]!; }
      }
      if (at < cAt || (at === cAt && seq < cSeq)) break;
      const cid = hId[c]!;
      hAt[i] = cAt; hSeq[i] = cSeq; hId[i] = cid; pos[cid] = i;
      i = c;
    }
    hAt[i] = at; hSeq[i] = seq; hId[i] = id; pos[id] = i;
  }

  /** Compatibility: remove and return the earliest entry (a shared object, valid until the next pop). */
  pop(): QueueEntry | undefined {
    if (this.size === 0) return undefined;
    this.take();
    const e = this.scratch;
    e.at = this.outAt; e.fn = this.outFn; e.arg = this.outArg;
    this.outFn = null; this.outArg = undefined;
    return e;
  }
}

/** One lane of in-order one-shot entries: a ring of parallel arrays. */
class Lane {
  cap = 256;
  at = new Float64Array(this.cap);
  seq = new Float64Array(this.cap);
  fn: (((arg: unknown) => void) | undefined)[] = new Array<((arg: unknown) => void) | undefined>(this.cap);
  arg: unknown[] = new Array<unknown>(this.cap);
  head = 0;
  len = 0;
  lastAt = -Infinity;

  add(at: number, seq: number, fn: (arg: unknown) => void, arg: unknown): void {
    if (this.len === this.cap) this.grow();
    const i = (this.head + this.len++) & (this.cap - 1);
    this.at[i] = at; this.seq[i] = seq; this.fn[i] = fn; this.arg[i] = arg;
    this.lastAt = at;
  }

  /** Hand the head's payload to the queue's out fields and drop it. */
  shift(q: { outFn: ((arg: unknown) => void) | null; outArg: unknown }): void {
    const i = this.head;
    q.outFn = this.fn[i]!;
    q.outArg = this.arg[i];
    this.fn[i] = undefined;
    this.arg[i] = undefined;
    this.head = (i + 1) & (this.cap - 1);
    if (--this.len === 0) this.lastAt = -Infinity;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const at = new Float64Array(cap); const seq = new Float64Array(cap);
    const fn = new Array<((arg: unknown) => void) | undefined>(cap); const arg = new Array<unknown>(cap);
    for (let k = 0; k < this.len; k++) {
      const i = (this.head + k) & (this.cap - 1);
      at[k] = this.at[i]!; seq[k] = this.seq[i]!; fn[k] = this.fn[i]; arg[k] = this.arg[i];
    }
    this.at = at; this.seq = seq; this.fn = fn; this.arg = arg;
    this.head = 0; this.cap = cap;
  }
}
