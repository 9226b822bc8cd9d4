/**
 * The flags of the SYN segments still in flight, by segment id (the aggregator counts a
 * seg.drop as a SYN drop from them: seg.drop names only the id). A storm sends hundreds of
 * thousands of SYNs, each delivered moments later: ids are sequential, so a direct-mapped ring
 * holds them with no hashing and no table to grow and shrink; an entry still there when its
 * slot is wanted again moves to an overflow map (as sim/world/flights.ts does).
 */
const RING = 1 << 12;
const MASK = RING - 1;

export class SynTable {
  private readonly ids = new Float64Array(RING).fill(-1);
  private readonly flags: (string | undefined)[] = new Array<string | undefined>(RING);
  private readonly overflow = new Map<number, string>();

  get(id: number): string | undefined {
    const i = id & MASK;
    if (this.ids[i] === id) return this.flags[i];
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, flags: string): void {
    const i = id & MASK;
    const old = this.ids[i]!;
    if (old !== -1 && old !== id) this.overflow.set(old, this.flags[i]!);
    else if (old === -1 && this.overflow.size > 0 && this.overflow.has(id)) { this.overflow.set(id, flags); return; }
    this.ids[i] = id;
    this.flags[i] = flags;
  }

  delete(id: number): void {
    const i = id & MASK;
    if (this.ids[i] === id) { this.ids[i] = -1; this.flags[i] = undefined; return; }
    if (this.overflow.size > 0) this.overflow.delete(id);
  }
}
