/**
 * The soonest each segment in flight may arrive (µs), by segment id: all a forgetting world
 * (the invariant checker's, apply.ts `forget`) keeps of a segment, instead of a FlightView.
 * The checker's segment-latency check reads it for every segment of a run, so it is two typed
 * rings indexed by the id (ids are sequential and most segments land within moments: no
 * hashing, no object per segment); a segment still in flight when its slot is wanted again
 * (a ring's length of sends later) moves to an overflow map. -1: the segment's ends have no
 * link (no bound). The ring holds 65,536 (1 MB): a storm without jitter sends 10,000 SYNs and
 * their answers within one link latency, and with 4,096 a third of all segments went through
 * the overflow map.
 */
const EMPTY = -1;

export class ArrivalTable {
  private readonly mask: number;
  private readonly ids: Float64Array;
  private readonly soonest: Float64Array;
  private readonly overflow = new Map<number, number>();
  size = 0;

  /** `ringBits`: log2 of the ring's length (tests make it small, to reach the overflow). */
  constructor(ringBits = 16) {
    this.mask = (1 << ringBits) - 1;
    this.ids = new Float64Array(1 << ringBits).fill(EMPTY);
    this.soonest = new Float64Array(1 << ringBits);
  }

  /** Segment `id` left at `sentUs` over a link of `latencyUs` (null: no link). */
  sent(id: number, sentUs: number, latencyUs: number | null): void {
    const i = id & this.mask;
    const old = this.ids[i]!;
    if (old !== EMPTY) this.overflow.set(old, this.soonest[i]!);
    this.ids[i] = id;
    this.soonest[i] = latencyUs === null ? -1 : sentUs + latencyUs;
    this.size++;
  }

  /** The soonest segment `id` may arrive (-1: unbounded), or undefined when it is not in flight. */
  get(id: number): number | undefined {
    const i = id & this.mask;
    if (this.ids[i] === id) return this.soonest[i];
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  /** The segment was delivered or dropped. */
  delete(id: number): void {
    const i = id & this.mask;
    if (this.ids[i] === id) { this.ids[i] = EMPTY; this.size--; return; }
    if (this.overflow.delete(id)) this.size--;
  }

  /** [id, soonest µs] of every segment in flight, in id order (tests compare it with the flights). */
  entries(): [number, number][] {
    const out: [number, number][] = [...this.overflow];
    for (let i = 0; i <= this.mask; i++) if (this.ids[i] !== EMPTY) out.push([this.ids[i]!, this.soonest[i]!]);
    return out.sort((a, b) => a[0] - b[0]);
  }
}
