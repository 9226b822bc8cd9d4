/**
 * The flags of the SYN segments still in flight, by segment id (the aggregator counts a
 * seg.drop as a SYN drop from them: seg.drop names only the id). A storm sends hundreds of
 * thousands of SYNs, each delivered moments later: ids are sequential, so a direct-mapped ring
 * holds them with no hashing and no table to grow and shrink; an entry still there when its
 * slot is wanted again moves to an overflow map (as sim/world/arrivals.ts does, and with the
 * same 65,536 slots: a storm without jitter has more than 4,096 segments in flight at once).
 */
export class SynTable {
  private readonly mask: number;
  private readonly ids: Float64Array;
  private readonly flags: (string | undefined)[];
  private readonly overflow = new Map<number, string>();

  /** `ringBits`: log2 of the ring's length (tests make it small, to reach the overflow). */
  constructor(ringBits = 16) {
    this.mask = (1 << ringBits) - 1;
    this.ids = new Float64Array(1 << ringBits).fill(-1);
    this.flags = new Array<string | undefined>(1 << ringBits);
  }

  get(id: number): string | undefined {
    const i = id & this.mask;
    if (this.ids[i] === id) return this.flags[i];
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, flags: string): void {
    const i = id & this.mask;
    const old = this.ids[i]!;
    if (old !== -1 && old !== id) this.overflow.set(old, this.flags[i]!);
    else if (old === -1 && this.overflow.size > 0 && this.overflow.has(id)) { this.overflow.set(id, flags); return; }
    this.ids[i] = id;
    this.flags[i] = flags;
  }

  delete(id: number): void {
    const i = id & this.mask;
    if (this.ids[i] === id) { this.ids[i] = -1; this.flags[i] = undefined; return; }
    if (this.overflow.size > 0) this.overflow.delete(id);
  }
}
