/**
 * Paints the bulk of the diagram on one canvas: fault windows, lifelines, connection bands,
 * half-open intervals, timer ribbons and segment arrows, culled to the visible window.
 *
 * Why canvas: with thousands of items, re-rendering SVG elements through React on every
 * wheel or drag frame took 100–300 ms per frame (React's development build also diffs the
 * props of every element it updates). A canvas repaint of the same items takes a few ms.
 * Interaction stays in SVG (OverLayer.tsx) and in a pure hit test (hitTest.ts); the
 * technique is style.md lesson 13 (canvas for the mass of marks, SVG for the overlay).
 *
 * Per frame: timer ribbons (the most numerous bars) are batched into one fill and one
 * stroke per colour, bars on a pixel already painted in their row are skipped, and label
 * widths come from a cache (canvasCache.ts); a label is only measured when its bar is wide
 * enough to hold a short word.
 */
import type { Band, FaultWindow, HalfOpen, Lane, Ribbon, Arrow } from '../view-model/layoutTypes.ts';
import type { LaneBox } from './laneGeometry.ts';
import { drawArrows } from './drawArrows.ts';
import { COLORS, RIBBON_COLORS } from './palette.ts';
import { TupleBuffer, textWidth } from './canvasCache.ts';

export interface Scene {
  lanes: readonly Lane[];
  faults: readonly FaultWindow[];
  bands: readonly Band[];
  halfOpen: readonly HalfOpen[];
  ribbons: readonly Ribbon[];
  arrows: readonly Arrow[];
}

export interface SceneOptions {
  width: number; height: number; gutterW: number;
  showControl: boolean; showTimers: boolean;
  /**
   * The rows of the lane stack the canvas shows (it covers only the visible part): lanes
   * wholly outside [viewTop, viewTop + viewH] are not drawn. Default: all of them. With 200
   * lanes, drawing every lane's bars and labels into a canvas that shows a dozen cost
   * hundreds of ms per paint.
   */
  viewTop?: number; viewH?: number;
}

/** Whether a lane's box is within the rows drawn (with a margin for labels and strokes). */
export function boxInView(b: LaneBox | undefined, yMin: number, yMax: number): boolean {
  return b !== undefined && b.y0 + b.height >= yMin && b.y0 <= yMax;
}

const patterns = new WeakMap<CanvasRenderingContext2D, Record<string, CanvasPattern | string>>();

/** Diagonal hatching as a canvas pattern (falls back to the background colour). */
function hatch(ctx: CanvasRenderingContext2D, name: string, bg: string, fg: string, size: number): CanvasPattern | string {
  let cache = patterns.get(ctx);
  if (!cache) { cache = {}; patterns.set(ctx, cache); }
  const hit = cache[name];
  if (hit) return hit;
  let made: CanvasPattern | string = bg;
  const tile = typeof document !== 'undefined' ? document.createElement('canvas') : null;
  const g = tile?.getContext('2d');
  if (tile && g) {
    tile.width = size;
    tile.height = size;
    g.fillStyle = bg;
    g.fillRect(0, 0, size, size);
    g.strokeStyle = fg;
    g.lineWidth = size / 3;
    g.beginPath();
    g.moveTo(-1, size + 1); g.lineTo(size + 1, -1);
    g.moveTo(-1, 1); g.lineTo(1, -1);
    g.moveTo(size - 1, size + 1); g.lineTo(size + 1, size - 1);
    g.stroke();
    made = ctx.createPattern(tile, 'repeat') ?? bg;
  }
  cache[name] = made;
  return made;
}

export function ribbonColors(r: Ribbon, laneName: string): { fill: string; stroke: string } {
  if (r.timer.startsWith('tcp.') || r.timer.startsWith('nat.')) return RIBBON_COLORS.tcp;
  return r.node === laneName ? RIBBON_COLORS.self : RIBBON_COLORS.peer;
}

/** No label is narrower than this: bars with less room are not even measured. */
const MIN_LABEL_ROOM = 14;

/** Ribbon rectangles per colour group (3 colours × faded or not): [x, y, w, h, dueX, position in scene.ribbons]. */
const ribbonRects = Array.from({ length: 6 }, () => new TupleBuffer(6));
const RIBBON_GROUPS: ReadonlyArray<{ fill: string; stroke: string }> = [RIBBON_COLORS.self, RIBBON_COLORS.peer, RIBBON_COLORS.tcp];
/** Right end already painted per (lane, row), reused across frames. */
let lastX = new Float64Array(64);

function text(ctx: CanvasRenderingContext2D, s: string, x: number, y: number, font: string, fill: string,
  maxW: number, halo?: string): void {
  if (maxW < MIN_LABEL_ROOM) return;
  const w = textWidth(ctx, font, s);
  if (w > maxW) return; // labels only where they fit
  ctx.font = font;
  if (halo) {
    ctx.strokeStyle = halo;
    ctx.lineWidth = 3;
    ctx.lineJoin = 'round';
    ctx.strokeText(s, x, y);
  }
  ctx.fillStyle = fill;
  ctx.fillText(s, x, y);
}

function drawRibbons(
  ctx: CanvasRenderingContext2D, scene: Scene, x: (t: number) => number, boxes: readonly LaneBox[],
  o: SceneOptions, clampX: (px: number) => number, crowded: (lane: number, row: number, x0: number, x1: number) => boolean,
  inView: (lane: number) => boolean,
): void {
  for (const g of ribbonRects) g.reset();
  const font = '8.5px system-ui, sans-serif';
  for (let ri = 0; ri < scene.ribbons.length; ri++) {
    const r = scene.ribbons[ri] as Ribbon;
    if (!inView(r.lane)) continue;
    const box = boxes[r.lane];
    const y = box?.rowY[r.row];
    const h = box?.rowH[r.row] ?? 0;
    if (!box || y === undefined || h === 0) continue;
    const x0 = clampX(x(r.setMs));
    const x1 = clampX(x(r.endMs));
    if (crowded(r.lane, r.row, x0, x1)) continue;
    const c = ribbonColors(r, scene.lanes[r.lane]?.name ?? '');
    const faded = r.outcome === 'fired' || r.outcome === 'pending' ? 0 : 1;
    const g = ribbonRects[RIBBON_GROUPS.indexOf(c) * 2 + faded] as TupleBuffer;
    const at = g.push();
    g.data[at] = x0; g.data[at + 1] = y; g.data[at + 2] = Math.max(1, x1 - x0); g.data[at + 3] = h;
    g.data[at + 4] = r.outcome === 'fired' ? x(r.dueMs) : NaN;
    g.data[at + 5] = ri;
  }
  for (let gi = 0; gi < ribbonRects.length; gi++) {
    const g = ribbonRects[gi] as TupleBuffer;
    if (g.n === 0) continue;
    const c = RIBBON_GROUPS[gi >> 1] as { fill: string; stroke: string };
    const d = g.data;
    ctx.globalAlpha = (gi & 1) === 1 ? 0.7 : 1;
    ctx.fillStyle = c.fill;
    ctx.beginPath();
    for (let i = 0; i < g.n * 6; i += 6) ctx.rect(d[i]!, d[i + 1]! + 2, d[i + 2]!, d[i + 3]! - 4);
    ctx.fill();
    ctx.strokeStyle = c.stroke;
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    for (let i = 0; i < g.n * 6; i += 6) ctx.rect(d[i]! + 0.4, d[i + 1]! + 2.4, Math.max(0.2, d[i + 2]! - 0.8), d[i + 3]! - 4.8);
    ctx.stroke();
    // A fired timer: a tick at its due time.
    ctx.fillStyle = c.stroke;
    ctx.beginPath();
    for (let i = 0; i < g.n * 6; i += 6) if (!Number.isNaN(d[i + 4]!)) ctx.rect(d[i + 4]! - 1.25, d[i + 1]!, 2.5, d[i + 3]!);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  for (let gi = 0; gi < ribbonRects.length; gi++) {
    const g = ribbonRects[gi] as TupleBuffer;
    const d = g.data;
    for (let i = 0; i < g.n * 6; i += 6) {
      const x0 = d[i]!; const w = d[i + 2]!;
      const tx = Math.max(x0, o.gutterW) + 3;
      const room = x0 + w - tx - 3;
      if (room < MIN_LABEL_ROOM) continue;
      const label = scene.ribbons[d[i + 5]!]?.label;
      if (label) text(ctx, label, tx, d[i + 1]! + d[i + 3]! / 2 + 0.5, font, '#333', room);
    }
  }
}

export function drawScene(
  ctx: CanvasRenderingContext2D, scene: Scene, x: (t: number) => number,
  boxes: readonly LaneBox[], o: SceneOptions,
): void {
  ctx.clearRect(0, 0, o.width, o.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(o.gutterW, 0, o.width - o.gutterW, o.height);
  ctx.clip();
  ctx.textBaseline = 'middle';
  const left = o.gutterW - 2;
  const clampX = (px: number): number => Math.max(left, Math.min(o.width + 2, px));
  const yMin = (o.viewTop ?? 0) - 4;
  const yMax = o.viewH === undefined ? Infinity : (o.viewTop ?? 0) + o.viewH + 4;
  const inView = (lane: number): boolean => boxInView(boxes[lane], yMin, yMax);

  for (const f of scene.faults) {
    const x0 = clampX(x(f.fromMs));
    const w = Math.max(2, clampX(x(f.toMs)) - x0);
    const spans = f.lanes.length > 0
      ? f.lanes.flatMap((l) => (boxes[l] && inView(l) ? [[boxes[l].y0, boxes[l].height - 3]] : []))
      : [[0, o.height]];
    ctx.fillStyle = hatch(ctx, 'fault', '#f1f1f1', '#dadada', 8);
    for (const [y, h] of spans as Array<[number, number]>) {
      ctx.fillRect(x0, y, w, h);
      if (f.seq === null) text(ctx, f.label, Math.max(x0, o.gutterW) + 4, y + h - 8, 'italic 10px system-ui, sans-serif', '#555', w - 8, '#f1f1f1');
    }
  }

  for (const b of boxes) {
    if (!boxInView(b, yMin, yMax)) continue;
    ctx.fillStyle = '#e4e4e4';
    ctx.fillRect(0, b.y0 + b.height - 3, o.width, 1);
    ctx.fillStyle = COLORS.lifeline;
    ctx.fillRect(o.gutterW, b.lineY - 0.6, o.width - o.gutterW, 1.2);
  }

  let rowsPerLane = 1;
  for (const l of scene.lanes) rowsPerLane = Math.max(rowsPerLane, l.rows.length);
  if (lastX.length < scene.lanes.length * rowsPerLane) lastX = new Float64Array(scene.lanes.length * rowsPerLane * 2);
  lastX.fill(-Infinity);
  const crowded = (lane: number, row: number, x0: number, x1: number): boolean => {
    // Sub-pixel items on a pixel already painted in the same row add nothing.
    const key = lane * rowsPerLane + row;
    const last = lastX[key] ?? -Infinity;
    if (x1 - x0 < 1 && x0 < last + 1) return true;
    lastX[key] = Math.max(last, x1);
    return false;
  };

  for (const band of scene.bands) {
    if (!inView(band.lane)) continue;
    const box = boxes[band.lane];
    const y = box?.rowY[band.row];
    const h = box?.rowH[band.row] ?? 0;
    if (!box || y === undefined || h === 0) continue;
    const x0 = clampX(x(band.fromMs));
    const x1 = clampX(x(band.toMs));
    if (crowded(band.lane, band.row, x0, x1)) continue;
    ctx.fillStyle = COLORS.open;
    ctx.fillRect(x0, y + 1, Math.max(1, x1 - x0), h - 2);
    text(ctx, band.conn, Math.max(x0, o.gutterW) + 3, y + h / 2 + 0.5, '600 8px system-ui, sans-serif', '#fff', x1 - Math.max(x0, o.gutterW) - 6);
  }

  for (const hOpen of scene.halfOpen) {
    if (!inView(hOpen.lane)) continue;
    const box = boxes[hOpen.lane];
    const yc = box?.rowY[hOpen.closedRow];
    const yo = box?.rowY[hOpen.openRow];
    if (!box || yc === undefined || yo === undefined) continue;
    const hc = box.rowH[hOpen.closedRow] ?? 0;
    const ho = box.rowH[hOpen.openRow] ?? 0;
    const x0 = clampX(x(hOpen.fromMs));
    const w = Math.max(2, clampX(x(hOpen.toMs)) - x0);
    ctx.fillStyle = hatch(ctx, 'half', '#fff7e6', COLORS.halfOpen, 6);
    ctx.fillRect(x0, yc + 1, w, hc - 2);
    ctx.strokeStyle = COLORS.halfOpen;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 2]);
    ctx.strokeRect(x0 + 0.5, yc + 1.5, w - 1, hc - 3);
    ctx.setLineDash([]);
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x0 + 0.75, yo + 0.75, w - 1.5, ho - 1.5);
    const tx = Math.max(x0, o.gutterW) + 4;
    const room = x0 + w - tx - 4;
    const long = `half-open: ${hOpen.openNode} still thinks ${hOpen.conn} is open`;
    const font = '700 9px system-ui, sans-serif';
    const label = textWidth(ctx, font, long) <= room ? long : 'half-open';
    text(ctx, label, tx, yc + hc / 2 + 0.5, font, '#7a4a00', room, '#fff7e6');
  }

  if (o.showTimers) drawRibbons(ctx, scene, x, boxes, o, clampX, crowded, inView);
  ctx.restore();

  drawArrows(ctx, scene.arrows, x, boxes, {
    width: o.width, height: o.height, gutterW: o.gutterW, showControl: o.showControl,
    ...(o.viewH === undefined ? {} : { yMin, yMax }),
  });
}
