/**
 * Which drawn item shows each event, as two typed arrays indexed by seq (item type code and
 * item index) rather than a Map of 17,000 small objects: cheap to build, and moved from the
 * worker to the UI thread without copying (a Map of objects took longer to receive than the
 * rest of the layout together).
 */
import type { ItemLookup, ItemRef, ItemType } from './layoutTypes.ts';

const TYPES: readonly ItemType[] = ['arrow', 'band', 'halfOpen', 'ribbon', 'marker', 'fault'];
const CODE = new Map(TYPES.map((t, i) => [t, i]));

export class SeqItemIndex implements ItemLookup {
  /** types[seq] = index into TYPES, or -1 when no item shows event seq. */
  readonly types: Int8Array;
  readonly indices: Int32Array;

  constructor(size: number);
  constructor(types: Int8Array, indices: Int32Array);
  constructor(a: number | Int8Array, b?: Int32Array) {
    if (typeof a === 'number') {
      this.types = new Int8Array(a).fill(-1);
      this.indices = new Int32Array(a);
    } else {
      this.types = a;
      this.indices = b ?? new Int32Array(a.length);
    }
  }

  /** The item showing event `seq`, if any. */
  get(seq: number): ItemRef | undefined {
    const code = this.types[seq];
    if (code === undefined || code < 0) return undefined;
    return { type: TYPES[code] as ItemType, index: this.indices[seq] as number };
  }

  /** Records `ref` for `seq` unless an item already claims it (or seq is out of range). */
  claim(seq: number, ref: ItemRef): void {
    if (seq < 0 || seq >= this.types.length || (this.types[seq] as number) >= 0) return;
    this.types[seq] = CODE.get(ref.type) ?? -1;
    this.indices[seq] = ref.index;
  }
}
