/**
 * What is under the pointer: the canvas has no elements to click, so clicks and hovers are
 * resolved here, geometrically, over the items drawn in the visible window. Arrows win
 * over bars (they are thin and drawn on top), the nearest arrow within a few pixels wins.
 */
import type { ItemRef, SequenceLayout } from '../view-model/layoutTypes.ts';
import type { Scene } from './drawScene.ts';
import { arrowPixels } from './drawArrows.ts';
import type { LaneBox } from './laneGeometry.ts';

export const ARROW_HIT_PX = 5;

function distanceToSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

export function hitTest(
  scene: Scene, x: (t: number) => number, boxes: readonly LaneBox[], px: number, py: number,
  opts: { showControl: boolean; showTimers: boolean },
): ItemRef | null {
  let best: ItemRef | null = null;
  let bestD = ARROW_HIT_PX;
  for (const a of scene.arrows) {
    if (a.kind === 'control' && !opts.showControl) continue;
    const p = arrowPixels(a, x, boxes);
    const d = distanceToSegment(px, py, p.x1, p.y1, p.x2, p.y2);
    if (d <= bestD) { bestD = d; best = { type: 'arrow', index: a.index }; }
  }
  if (best) return best;
  const inRow = (lane: number, row: number, from: number, to: number): boolean => {
    const box = boxes[lane];
    const y = box?.rowY[row];
    const h = box?.rowH[row] ?? 0;
    if (!box || y === undefined || h === 0) return false;
    return py >= y && py <= y + h && px >= x(from) - 1 && px <= x(to) + 1;
  };
  for (const h of scene.halfOpen) {
    if (inRow(h.lane, h.closedRow, h.fromMs, h.toMs)) return { type: 'halfOpen', index: h.index };
  }
  for (const b of scene.bands) {
    if (inRow(b.lane, b.row, b.fromMs, b.toMs)) return { type: 'band', index: b.index };
  }
  if (opts.showTimers) {
    for (let i = scene.ribbons.length - 1; i >= 0; i--) {
      const r = scene.ribbons[i];
      if (r && inRow(r.lane, r.row, r.setMs, r.endMs)) return { type: 'ribbon', index: r.index };
    }
  }
  return null;
}

/** The event a click on an item selects. */
export function seqOfItem(layout: SequenceLayout, ref: ItemRef): number | null {
  switch (ref.type) {
    case 'arrow': return layout.arrows[ref.index]?.selectSeq ?? null;
    case 'band': return layout.bands[ref.index]?.openSeq ?? null;
    case 'halfOpen': return layout.halfOpen[ref.index]?.fromSeq ?? null;
    case 'ribbon': return layout.ribbons[ref.index]?.setSeq ?? null;
    case 'marker': return layout.markers[ref.index]?.seq ?? null;
    case 'fault': return null;
  }
}
