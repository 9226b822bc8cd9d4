/**
 * The run's derived structures (app/view-model/derive.ts) travel to the UI thread with the
 * run; their typed arrays move instead of being copied.
 */
import type { RunDerived } from '../view-model/derive.ts';
import { SeqItemIndex } from '../view-model/itemLookup.ts';

/** Buffers that can move to the UI thread instead of being copied. */
export function derivedTransferables(d: RunDerived): ArrayBuffer[] {
  const { eventMs, eventLane, itemBySeq } = d.layout;
  const lookup = itemBySeq instanceof SeqItemIndex ? [itemBySeq.types.buffer, itemBySeq.indices.buffer] : [];
  return [eventMs.buffer, eventLane.buffer, ...lookup, d.logOffsets.buffer].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}
