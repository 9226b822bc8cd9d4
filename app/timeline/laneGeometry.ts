/**
 * Pixel geometry of lanes and rows (vertical only; the horizontal axis is the zoomable
 * time scale). Pure, so the layout tests can check where things land.
 */
import type { Lane } from '../view-model/layoutTypes.ts';

export const GEOMETRY = {
  /**
   * Space from a lane's top to its first row. Above the lifeline sit two rows of packet
   * labels (packets this lane's node sends, then packets it receives); the top lane has
   * no lane above it and so no labels, only room for its markers.
   */
  headH: 40,
  lifelineOffset: 30,
  topHeadH: 24,
  topLifelineOffset: 13,
  /** Offsets from a lane's top of its two label rows. */
  sentLabelY: 7,
  receivedLabelY: 19,
  viewRowH: 9,
  timerRowH: 12,
  laneGap: 6,
  gutterW: 124,
  axisH: 26,
} as const;

export interface LaneBox {
  lane: number;
  y0: number;
  /** y of the lifeline, where arrows start and end and markers sit. */
  lineY: number;
  height: number;
  /** Top y and height of each row of `lane.rows`; hidden rows have height 0. */
  rowY: number[];
  rowH: number[];
}

export function laneBoxes(lanes: readonly Lane[], showTimers: boolean): { boxes: LaneBox[]; height: number } {
  const boxes: LaneBox[] = [];
  let y = 4;
  for (const lane of lanes) {
    const y0 = y;
    const rowY: number[] = [];
    const rowH: number[] = [];
    const top = boxes.length === 0;
    let ry = y0 + (top ? GEOMETRY.topHeadH : GEOMETRY.headH);
    for (const row of lane.rows) {
      const h = row.kind === 'view' ? GEOMETRY.viewRowH : showTimers ? GEOMETRY.timerRowH : 0;
      rowY.push(ry);
      rowH.push(h);
      ry += h;
    }
    const height = ry - y0 + GEOMETRY.laneGap;
    boxes.push({ lane: lane.index, y0, lineY: y0 + (top ? GEOMETRY.topLifelineOffset : GEOMETRY.lifelineOffset), height, rowY, rowH });
    y += height;
  }
  return { boxes, height: y };
}

/** y of a fractional lane position (for arrows that die between two lifelines). */
export function laneY(boxes: readonly LaneBox[], pos: number): number {
  const i = Math.floor(pos);
  const a = boxes[Math.max(0, Math.min(boxes.length - 1, i))];
  const b = boxes[Math.max(0, Math.min(boxes.length - 1, i + 1))];
  if (!a || !b) return 0;
  const f = pos - i;
  return a.lineY + f * (b.lineY - a.lineY);
}
