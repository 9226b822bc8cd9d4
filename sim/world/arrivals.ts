/**
 * The soonest each segment in flight may arrive (µs), by segment id: all a forgetting world
 * (the invariant checker's, apply.ts `forget`) keeps of a segment, instead of a FlightView.
 * The checker's segment-latency check reads it for every segment of a run, so it is two typed
 * rings indexed by the id (ids are sequential and most segments land within moments: no
 * hashing, no object per segment); a segment still in flight when its slot is wanted again
 * (RING sends later) moves to an overflow map. -1: the segment's ends have no link (no bound).
 */
const RING = 1 << 12;
const MASK = RING - 1;
const EMPTY = -1;

export class ArrivalTable {
  private readonly ids = new Float64Array(RING).fill(EMPTY);
  private readonly soonest = new Float64Array(RING);
  private readonly overflow = new Map<number, number>();
  size = 0;

  /** Segment `id` left at `sentUs` over a link of `latencyUs` (null: no link). */
  sent(id: number, sentUs: number, latencyUs: number | null): void {
    const i = id & MASK;
    const old = this.ids[i]!;
    if (old !== EMPTY) this.overflow.set(old, this.soonest[i]!);
    this.ids[i] = id;
    this.soonest[i] = latencyUs === null ? -1 : sentUs + latencyUs;
    this.size++;
  }

  /** The soonest segment `id` may arrive (-1: unbounded), or undefined when it is not in flight. */
  get(id: number): number | undefined {
    const i = id & MASK;
    if (this.ids[i] === id) return this.soonest[i];
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  /** The segment was delivered or dropped. */
  delete(id: number): void {
    const i = id & MASK;
    if (this.ids[i] === id) { this.ids[i] = EMPTY; this.size--; return; }
    if (this.overflow.delete(id)) this.size--;
  }

  /** [id, soonest µs] of every segment in flight, in id order (tests compare it with the flights). */
  entries(): [number, number][] {
    const out: [number, number][] = [...this.overflow];
    for (let i = 0; i < RING; i++) if (this.ids[i] !== EMPTY) out.push([this.ids[i]!, this.soonest[i]!]);
    return out.sort((a, b) => a[0] - b[0]);
  }
}
