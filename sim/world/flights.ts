/**
 * The segments in flight, by segment id. Every segment of a run passes through here (sent,
 * then delivered or dropped), so this is the world's hottest table: the invariant checker
 * reads it for every segment. Ids are sequential and most segments land within moments, so a
 * direct-mapped ring indexed by the id holds them with no hashing and no allocation; a
 * segment still in flight when its slot is wanted again (4,096 sends later) moves to an
 * overflow map. Map-like (has/get/set/delete), so the journal can undo changes to it.
 */
import type { FlightView } from './types.ts';

const RING = 1 << 12;
const MASK = RING - 1;

export class FlightTable {
  private readonly ring: (FlightView | null)[] = new Array<FlightView | null>(RING).fill(null);
  private readonly overflow = new Map<number, FlightView>();
  /** Ids below `lo` are not in the ring; `hi`: the highest id ever set. */
  private lo = 0;
  private hi = -1;
  private inRing = 0;
  size = 0;

  get(id: number): FlightView | undefined {
    const f = this.ring[id & MASK]!;
    if (f !== null && f.id === id) return f;
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** `f.id` must be `id`. */
  set(id: number, f: FlightView): void {
    const i = id & MASK;
    const old = this.ring[i]!;
    if (old !== null && old.id === id) { this.ring[i] = f; return; }
    if (this.overflow.has(id)) { this.overflow.set(id, f); return; }
    if (id <= this.hi - RING) { this.overflow.set(id, f); this.size++; return; }
    if (old !== null) this.overflow.set(old.id, old);
    else if (this.inRing++ === 0 || id < this.lo) this.lo = id;
    this.ring[i] = f;
    this.size++;
    if (id > this.hi) this.hi = id;
  }

  delete(id: number): boolean {
    const i = id & MASK;
    const f = this.ring[i]!;
    if (f !== null && f.id === id) {
      this.ring[i] = null;
      this.size--;
      if (--this.inRing === 0) { this.lo = this.hi + 1; return true; }
      // Keep `lo` at the oldest ring entry, so values() scans only the ids still in play.
      if (id === this.lo) {
        let lo = id + 1;
        while (lo <= this.hi) { const g = this.ring[lo & MASK]!; if (g !== null && g.id === lo) break; lo++; }
        this.lo = lo;
      }
      return true;
    }
    if (this.overflow.delete(id)) { this.size--; return true; }
    return false;
  }

  /** In id order (the order they were sent). */
  *values(): IterableIterator<FlightView> {
    if (this.size === 0) return;
    const ring: FlightView[] = [];
    for (let id = Math.max(this.lo, this.hi - RING + 1); id <= this.hi; id++) {
      const f = this.ring[id & MASK]!;
      if (f !== null && f.id === id) ring.push(f);
    }
    if (this.overflow.size === 0) { yield* ring; return; }
    const all = [...this.overflow.values(), ...ring];
    all.sort((a, b) => a.id - b.id);
    yield* all;
  }
}
