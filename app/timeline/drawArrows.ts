/**
 * Draws segment arrows on the scene canvas (drawScene.ts). Labels are placed greedily and
 * skipped where they would overlap.
 *
 * Cost per frame (issue 3 item 10: a 10,000-event run must pan and zoom smoothly): no object
 * or string per arrow, one path per style (kind × dashed × in flight), arrows that land on
 * the same pixels as the previous one of their track skipped, label widths from a cache
 * (canvasCache.ts), and label placement against a pixel bitmap instead of a list of boxes.
 *
 * Level of detail: when arrows are denser than ~1.5 per pixel their heads are invisible, so
 * they are drawn as plain lines snapped to a coarser pixel grid (one line per grid column and
 * track: the traffic pattern, its gaps and its crosses stay visible). Labels of a rank are
 * drawn only when that rank has fewer candidates than fit at one per LABEL_SPACING_PX per
 * lane; lost MQTT packets are always labelled where there is room.
 */
import type { Arrow } from '../view-model/layoutTypes.ts';
import { GEOMETRY, laneY, type LaneBox } from './laneGeometry.ts';
import { COLORS } from './palette.ts';
import { LabelRows, TupleBuffer, textWidth } from './canvasCache.ts';

export interface ArrowPixels { x1: number; y1: number; x2: number; y2: number }

export function arrowPixels(a: Arrow, x: (tMs: number) => number, boxes: readonly LaneBox[]): ArrowPixels {
  return {
    x1: x(a.sendMs), y1: laneY(boxes, a.fromLane),
    x2: x(a.endMs), y2: laneY(boxes, a.endLanePos),
  };
}

/**
 * Where an arrow's label goes. Labels live in the head of the lower of the two lanes (for
 * MQTT: the client's lane), on the row for packets that lane's node sends or receives, just
 * right of where the arrow crosses that row. So labels never sit on a third lane's rows, and
 * a PINGREQ and its PINGRESP a few ms apart get a row each. A segment that died on the link
 * is labelled beside its cross.
 */
export function labelAnchor(a: Arrow, p: ArrowPixels, boxes: readonly LaneBox[]):
  { x: number; y: number; slot: string } {
  if (a.outcome === 'dropped' && a.endLanePos !== a.toLane) {
    return { x: p.x2 + 7, y: p.y2, slot: `drop|${Math.min(a.fromLane, a.toLane)}` };
  }
  const lower = Math.max(a.fromLane, a.toLane);
  const box = boxes[lower];
  const received = a.toLane === lower;
  const y = box ? box.y0 + (received ? GEOMETRY.receivedLabelY : GEOMETRY.sentLabelY) : (p.y1 + p.y2) / 2;
  const f = p.y2 === p.y1 ? 0.5 : (y - p.y1) / (p.y2 - p.y1);
  return { x: p.x1 + f * (p.x2 - p.x1) + 4, y, slot: `${lower}|${received}` };
}

export interface DrawOptions {
  width: number;
  height: number;
  gutterW: number;
  showControl: boolean;
  /** The rows drawn: an arrow wholly above yMin or below yMax is skipped. */
  yMin?: number; yMax?: number;
}

/** Below this many pixels per candidate label (per lane), a rank of labels is skipped. */
export const LABEL_SPACING_PX = 12;
const MQTT_FONT = '600 10px system-ui, sans-serif';
const CONTROL_FONT = '9px system-ui, sans-serif';

/** Style index: control 0–3, MQTT 4–7 (MQTT drawn last, on top); +2 dashed, +1 in flight. */
const STYLES = 8;
const lines = Array.from({ length: STYLES }, () => new TupleBuffer(4));
const heads = Array.from({ length: STYLES }, () => new TupleBuffer(4));
const crosses = Array.from({ length: STYLES }, () => new TupleBuffer(2));
/** Label candidates per rank: [arrow position in `arrows`, x1, y1, x2, y2]. */
const candidates = [new TupleBuffer(5), new TupleBuffer(5), new TupleBuffer(5)];
const lastX1 = new Map<number, number>();
const lastX2 = new Map<number, number>();
const taken = new LabelRows();

/** Adds an arrowhead at (x2, y2), pointing away from (x1, y1), to the current path. */
function head(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number, size: number): void {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  ctx.moveTo(x2, y2);
  ctx.lineTo(x2 - size * ux - size * 0.5 * uy, y2 - size * uy + size * 0.5 * ux);
  ctx.lineTo(x2 - size * ux + size * 0.5 * uy, y2 - size * uy - size * 0.5 * ux);
  ctx.lineTo(x2, y2); // not closePath(): that is slow on paths with thousands of parts
}

/** Adds a cross (✕) centred on (x, y) to the current path. */
function cross(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  const r = 4.5;
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
}

/**
 * Draws `arrows` (already culled to the window). Returns how many labels were drawn.
 */
export function drawArrows(
  ctx: CanvasRenderingContext2D, arrows: readonly Arrow[], x: (tMs: number) => number,
  boxes: readonly LaneBox[], opts: DrawOptions,
): number {
  ctx.save();
  ctx.beginPath();
  ctx.rect(opts.gutterW, 0, opts.width - opts.gutterW, opts.height);
  ctx.clip();
  for (let s = 0; s < STYLES; s++) { lines[s]!.reset(); heads[s]!.reset(); crosses[s]!.reset(); }
  for (const c of candidates) c.reset();
  lastX1.clear();
  lastX2.clear();
  const plotW = Math.max(1, opts.width - opts.gutterW);
  const density = arrows.length / plotW;
  const withHeads = density < 1.5;
  const grid = Math.max(1, Math.floor(density));
  const yMin = (opts.yMin ?? -Infinity) - 12;
  const yMax = (opts.yMax ?? Infinity) + 12;
  for (let i = 0; i < arrows.length; i++) {
    const a = arrows[i] as Arrow;
    const mqtt = a.kind === 'mqtt';
    if (!mqtt && !opts.showControl) continue;
    const x1 = x(a.sendMs);
    const x2 = x(a.endMs);
    const y1 = laneY(boxes, a.fromLane);
    const y2 = laneY(boxes, a.endLanePos);
    if ((y1 < yMin && y2 < yMin) || (y1 > yMax && y2 > yMax)) continue;
    const dropped = a.outcome === 'dropped';
    if (a.label) {
      const c = candidates[mqtt ? (dropped ? 0 : 1) : 2] as TupleBuffer;
      const at = c.push();
      c.data[at] = i; c.data[at + 1] = x1; c.data[at + 2] = y1; c.data[at + 3] = x2; c.data[at + 4] = y2;
    }
    const inFlight = a.outcome === 'in-flight';
    const style = (mqtt ? 4 : 0) + (a.retransmit || inFlight ? 2 : 0) + (inFlight ? 1 : 0);
    // One track per style, start lane, end pixel row and outcome; arrows come in time order,
    // so an arrow on the same (snapped) pixels as its track's previous one adds nothing.
    const track = style + STYLES * ((dropped ? 1 : 0) + 2 * (a.fromLane + 256 * Math.round(y2)));
    const s1 = Math.round(x1 / grid);
    const s2 = Math.round(x2 / grid);
    if (lastX1.get(track) === s1 && lastX2.get(track) === s2) continue;
    lastX1.set(track, s1);
    lastX2.set(track, s2);
    const L = lines[style] as TupleBuffer;
    const at = L.push();
    L.data[at] = x1; L.data[at + 1] = y1; L.data[at + 2] = x2; L.data[at + 3] = y2;
    if (dropped) {
      const C = crosses[style] as TupleBuffer;
      const c = C.push();
      C.data[c] = x2; C.data[c + 1] = y2;
    } else if (withHeads) {
      const H = heads[style] as TupleBuffer;
      const h = H.push();
      H.data[h] = x1; H.data[h + 1] = y1; H.data[h + 2] = x2; H.data[h + 3] = y2;
    }
  }
  for (let s = 0; s < STYLES; s++) {
    const L = lines[s] as TupleBuffer;
    const C = crosses[s] as TupleBuffer;
    if (L.n === 0 && C.n === 0) continue;
    const mqtt = s >= 4;
    const color = mqtt ? COLORS.mqtt : COLORS.control;
    ctx.globalAlpha = (s & 1) === 1 ? 0.5 : 1;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = mqtt ? 1.6 : 0.9;
    ctx.setLineDash((s & 2) === 2 ? [4, 3] : []);
    ctx.beginPath();
    for (let i = 0, d = L.data; i < L.n * 4; i += 4) { ctx.moveTo(d[i]!, d[i + 1]!); ctx.lineTo(d[i + 2]!, d[i + 3]!); }
    ctx.stroke();
    const H = heads[s] as TupleBuffer;
    if (H.n > 0) {
      ctx.beginPath();
      const size = mqtt ? 6 : 4;
      for (let i = 0, d = H.data; i < H.n * 4; i += 4) head(ctx, d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!, size);
      ctx.fill();
    }
    if (C.n > 0) {
      ctx.setLineDash([]);
      ctx.strokeStyle = COLORS.drop;
      ctx.lineWidth = 2.2;
      ctx.beginPath();
      for (let i = 0, d = C.data; i < C.n * 2; i += 2) cross(ctx, d[i]!, d[i + 1]!);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  const drawn = drawLabels(ctx, arrows, boxes, opts.width, plotW);
  ctx.restore();
  return drawn;
}

function drawLabels(ctx: CanvasRenderingContext2D, arrows: readonly Arrow[], boxes: readonly LaneBox[],
  width: number, plotW: number): number {
  // Lost MQTT packets are the story, so they come first of all; then MQTT labels, then
  // SYN/FIN/RST ones; left to right (arrow order) within each rank.
  taken.reset(width);
  const cap = (plotW / LABEL_SPACING_PX) * Math.max(1, boxes.length - 1);
  let drawn = 0;
  let font = '';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  for (let rank = 0; rank < 3; rank++) {
    const c = candidates[rank] as TupleBuffer;
    if (rank > 0 && c.n > cap) continue; // overview: no room for this rank's labels
    const mqtt = rank < 2;
    const want = mqtt ? MQTT_FONT : CONTROL_FONT;
    for (let k = 0, d = c.data; k < c.n * 5; k += 5) {
      const a = arrows[d[k]!] as Arrow;
      const x1 = d[k + 1]!; const y1 = d[k + 2]!; const x2 = d[k + 3]!; const y2 = d[k + 4]!;
      if (Math.min(x1, x2) > width) break; // the rest of this rank is right of the view
      // The anchor (labelAnchor, without its allocations).
      const lower = Math.max(a.fromLane, a.toLane);
      let ax: number; let ay: number;
      if (a.outcome === 'dropped' && a.endLanePos !== a.toLane) {
        ax = x2 + 7; ay = y2;
      } else {
        const box = boxes[lower];
        ay = box ? box.y0 + (a.toLane === lower ? GEOMETRY.receivedLabelY : GEOMETRY.sentLabelY) : (y1 + y2) / 2;
        const f = y2 === y1 ? 0.5 : (ay - y1) / (y2 - y1);
        ax = x1 + f * (x2 - x1) + 4;
      }
      if (ax > width) continue;
      const text = a.retransmit ? `${a.label} (again)` : a.label;
      const w = textWidth(ctx, want, text);
      if (ax + w < 0 || !taken.free(lower, ay, 11, ax, ax + w)) continue;
      taken.take(lower, ay, ax - 4, ax + w + 4);
      if (font !== want) { ctx.font = want; font = want; }
      ctx.strokeStyle = 'rgba(255,255,255,0.92)';
      ctx.strokeText(text, ax, ay);
      ctx.fillStyle = mqtt ? COLORS.mqtt : '#555';
      ctx.fillText(text, ax, ay);
      drawn++;
    }
  }
  return drawn;
}
