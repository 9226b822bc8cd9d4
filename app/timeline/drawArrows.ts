/**
 * Draws segment arrows on the scene canvas (drawScene.ts). Labels are placed greedily and
 * skipped where they would overlap.
 */
import type { Arrow } from './layoutTypes.ts';
import { GEOMETRY, laneY, type LaneBox } from './laneGeometry.ts';
import { COLORS } from './palette.ts';

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
}

/** Adds an arrowhead at the end of `p` to the current path. */
function head(ctx: CanvasRenderingContext2D, p: ArrowPixels, size: number): void {
  const dx = p.x2 - p.x1;
  const dy = p.y2 - p.y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  ctx.moveTo(p.x2, p.y2);
  ctx.lineTo(p.x2 - size * ux - size * 0.5 * uy, p.y2 - size * uy + size * 0.5 * ux);
  ctx.lineTo(p.x2 - size * ux + size * 0.5 * uy, p.y2 - size * uy - size * 0.5 * ux);
  ctx.lineTo(p.x2, p.y2); // not closePath(): that is slow on paths with thousands of parts
}

/** Adds a cross (✕) centred on (x, y) to the current path. */
function cross(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  const r = 4.5;
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
}

interface Batch { lines: ArrowPixels[]; heads: ArrowPixels[]; crosses: ArrowPixels[] }

/**
 * Draws `arrows` (already culled to the window). Returns how many labels were drawn.
 * Arrows are batched by style into one path each, and arrows that land on the same pixels
 * as one already drawn are skipped: a whole hour of traffic is then a few thousand strokes.
 */
export function drawArrows(
  ctx: CanvasRenderingContext2D, arrows: readonly Arrow[], x: (tMs: number) => number,
  boxes: readonly LaneBox[], opts: DrawOptions,
): number {
  ctx.save();
  ctx.beginPath();
  ctx.rect(opts.gutterW, 0, opts.width - opts.gutterW, opts.height);
  ctx.clip();
  const labels: Array<{ a: Arrow; p: ArrowPixels }> = [];
  const batches = new Map<string, Batch>();
  const seen = new Set<string>();
  // Level of detail: when arrows are denser than a few per pixel, heads are invisible and
  // neighbours merge, so skip heads and merge arrows on a coarser pixel grid.
  const density = arrows.length / Math.max(1, opts.width - opts.gutterW);
  const withHeads = density < 1.5;
  const grid = Math.max(1, Math.floor(density));
  const snap = (v: number): number => Math.round(v / grid);
  for (const a of arrows) {
    if (a.kind === 'control' && !opts.showControl) continue;
    const p = arrowPixels(a, x, boxes);
    const dashed = a.retransmit || a.outcome === 'in-flight';
    const style = `${a.kind}|${dashed}|${a.outcome === 'in-flight'}`;
    const pixelKey = `${style}|${a.outcome}|${snap(p.x1)}|${Math.round(p.y1)}|${snap(p.x2)}|${Math.round(p.y2)}`;
    if (a.label) labels.push({ a, p });
    if (seen.has(pixelKey)) continue;
    seen.add(pixelKey);
    let batch = batches.get(style);
    if (!batch) { batch = { lines: [], heads: [], crosses: [] }; batches.set(style, batch); }
    batch.lines.push(p);
    if (a.outcome === 'dropped') batch.crosses.push(p);
    else if (withHeads) batch.heads.push(p);
  }
  const order = [...batches.keys()].sort(); // control before mqtt: MQTT arrows on top
  for (const style of order) {
    const batch = batches.get(style) as Batch;
    const [kind, dashed, inFlight] = style.split('|');
    const mqtt = kind === 'mqtt';
    const color = mqtt ? COLORS.mqtt : COLORS.control;
    ctx.globalAlpha = inFlight === 'true' ? 0.5 : 1;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = mqtt ? 1.6 : 0.9;
    ctx.setLineDash(dashed === 'true' ? [4, 3] : []);
    ctx.beginPath();
    for (const p of batch.lines) { ctx.moveTo(p.x1, p.y1); ctx.lineTo(p.x2, p.y2); }
    ctx.stroke();
    ctx.beginPath();
    for (const p of batch.heads) head(ctx, p, mqtt ? 6 : 4);
    ctx.fill();
    if (batch.crosses.length > 0) {
      ctx.setLineDash([]);
      ctx.strokeStyle = COLORS.drop;
      ctx.lineWidth = 2.2;
      ctx.beginPath();
      for (const p of batch.crosses) cross(ctx, p.x2, p.y2);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  const drawn = drawLabels(ctx, labels, boxes);
  ctx.restore();
  return drawn;
}

function drawLabels(ctx: CanvasRenderingContext2D, labels: Array<{ a: Arrow; p: ArrowPixels }>,
  boxes: readonly LaneBox[]): number {
  // MQTT labels before SYN/FIN/RST ones; left to right within each rank.
  // Lost MQTT packets are the story, so they come first of all.
  const rank = (a: Arrow): number => (a.kind === 'mqtt' ? (a.outcome === 'dropped' ? 0 : 1) : 2);
  labels.sort((l, r) => rank(l.a) - rank(r.a) || l.p.x1 - r.p.x1);
  // Taken label boxes per lane region (a drop label and a row label may share one).
  const taken = new Map<string, Array<[number, number, number]>>();
  let drawn = 0;
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  for (const { a, p } of labels) {
    const at = labelAnchor(a, p, boxes);
    const mqtt = a.kind === 'mqtt';
    ctx.font = mqtt ? '600 10px system-ui, sans-serif' : '9px system-ui, sans-serif';
    const text = a.retransmit ? `${a.label} (again)` : a.label;
    const region = at.slot.split('|')[0] === 'drop' ? String(Math.max(a.fromLane, a.toLane)) : at.slot.split('|')[0] ?? '';
    const spans = taken.get(region) ?? [];
    // Cheap check first with a width estimate; only survivors are measured.
    const guess = text.length * 3; // never more than the real width, so it only prunes
    if (spans.some(([l, r, y]) => Math.abs(y - at.y) < 11 && at.x < r + 4 && at.x + guess > l - 4)) continue;
    const w = ctx.measureText(text).width;
    if (spans.some(([l, r, y]) => Math.abs(y - at.y) < 11 && at.x < r + 4 && at.x + w > l - 4)) continue;
    spans.push([at.x, at.x + w, at.y]);
    taken.set(region, spans);
    ctx.strokeStyle = 'rgba(255,255,255,0.92)';
    ctx.lineWidth = 3;
    ctx.strokeText(text, at.x, at.y);
    ctx.fillStyle = mqtt ? COLORS.mqtt : '#555';
    ctx.fillText(text, at.x, at.y);
    drawn++;
  }
  return drawn;
}
