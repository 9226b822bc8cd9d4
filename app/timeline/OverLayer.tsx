/**
 * The SVG layer over the scene canvas: the veil that fades everything after the cursor, the
 * selection highlight, the hovered item (outlined, with a <title> tooltip, clickable),
 * notable-event markers (focusable, Enter selects) and the cursor. The gutter with lane
 * names is a separate SVG that does not change while zooming.
 */
import { memo } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { TraceEvent } from '../../sim/index.ts';
import type { ItemRef, Lane, Marker, SequenceLayout } from '../view-model/layoutTypes.ts';
import type { LaneBox } from './laneGeometry.ts';
import { arrowPixels } from './drawArrows.ts';
import { COLORS, MARKER_COLORS } from './palette.ts';
import { arrowTitle, bandTitle, halfOpenTitle, markerTitle, ribbonTitle } from './tooltips.ts';
import { seqOfItem } from './hitTest.ts';

/** Above this many visible markers they overlap anyway; only the first ones get icons. */
export const MAX_MARKERS = 120;

/** Rough width of `text` at `fontPx` (labels are only drawn where they fit). */
export function textWidth(text: string, fontPx: number): number {
  return text.length * fontPx * 0.58;
}
const MARKER_R = 8;
const MARKER_STEP = 2 * MARKER_R + 2;

export interface OverLayerProps {
  layout: SequenceLayout;
  boxes: readonly LaneBox[];
  markers: readonly Marker[];
  hover: ItemRef | null;
  trace: readonly TraceEvent[];
  t0: number; t1: number; width: number; height: number; gutterW: number;
  cursorMs: number; cursorSeq: number; selectedSeq: number | null;
  onSelect(seq: number): void;
}

interface PlacedMarker { m: Marker; x: number; y: number; label: boolean }

/** Spreads markers that share a spot on a lifeline; drops those that would pile up. */
export function placeMarkers(markers: readonly Marker[], x: (t: number) => number,
  boxes: readonly LaneBox[]): PlacedMarker[] {
  const placed: PlacedMarker[] = [];
  const lastX = new Map<number, number>();
  const ordered = [...markers].sort((a, b) => a.lane - b.lane || a.tMs - b.tMs || a.seq - b.seq);
  for (const m of ordered) {
    const box = boxes[m.lane];
    if (!box) continue;
    const want = x(m.tMs);
    const prev = lastX.get(m.lane) ?? -Infinity;
    const at = Math.max(want, prev + MARKER_STEP);
    if (at - want > 3 * MARKER_STEP) continue;
    lastX.set(m.lane, at);
    placed.push({ m, x: at, y: box.lineY, label: false });
  }
  // A label fits when the next marker on the same lane is far enough to the right.
  for (let i = 0; i < placed.length; i++) {
    const cur = placed[i] as PlacedMarker;
    const next = placed[i + 1];
    const room = next && next.m.lane === cur.m.lane ? next.x - cur.x : Infinity;
    cur.label = room > MARKER_R * 2 + textWidth(cur.m.label, 10) + 8;
  }
  return placed;
}

function activate(ev: KeyboardEvent, run: () => void): void {
  if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    run();
  }
}

export function Gutter(props: { lanes: readonly Lane[]; boxes: readonly LaneBox[]; gutterW: number; height: number }): JSX.Element {
  return (
    <svg className="tl-layer tl-gutter" width={props.gutterW + 1} height={props.height} aria-hidden="true">
      <rect x={0} y={0} width={props.gutterW} height={props.height} fill="#fff" />
      <line x1={props.gutterW} x2={props.gutterW} y1={0} y2={props.height} stroke="#d0d0d0" />
      {props.lanes.map((lane) => {
        const box = props.boxes[lane.index];
        if (!box) return null;
        return (
          <g key={lane.name}>
            <text x={8} y={box.lineY + 4} className="tl-lane-name">{lane.name}</text>
            {lane.isBroker && <text x={8} y={box.lineY + 15} className="tl-row-label">broker</text>}
            {lane.rows.map((row, i) => (row.label && (box.rowH[i] ?? 0) > 0 ? (
              <text key={i} x={props.gutterW - 6} y={(box.rowY[i] ?? 0) + (box.rowH[i] ?? 0) / 2 + 3}
                textAnchor="end" className="tl-row-label">{row.label}</text>
            ) : null))}
          </g>
        );
      })}
    </svg>
  );
}

/** The outline of an item: a thick line for an arrow, a box for a bar. */
function outline(p: OverLayerProps, ref: ItemRef, x: (t: number) => number, className: string,
  title?: string, onClick?: () => void): JSX.Element | null {
  const L = p.layout;
  const child = title ? <title>{title}</title> : null;
  const click = onClick ? (ev: { stopPropagation(): void }) => { ev.stopPropagation(); onClick(); } : undefined;
  if (ref.type === 'arrow') {
    const a = L.arrows[ref.index];
    if (!a) return null;
    const px = arrowPixels(a, x, p.boxes);
    return <line className={className} x1={px.x1} y1={px.y1} x2={px.x2} y2={px.y2} onClick={click}>{child}</line>;
  }
  let lane: number; let row: number; let from: number; let to: number;
  if (ref.type === 'band') {
    const b = L.bands[ref.index];
    if (!b) return null;
    [lane, row, from, to] = [b.lane, b.row, b.fromMs, b.toMs];
  } else if (ref.type === 'halfOpen') {
    const h = L.halfOpen[ref.index];
    if (!h) return null;
    [lane, row, from, to] = [h.lane, h.closedRow, h.fromMs, h.toMs];
  } else if (ref.type === 'ribbon') {
    const r = L.ribbons[ref.index];
    if (!r) return null;
    [lane, row, from, to] = [r.lane, r.row, r.setMs, r.endMs];
  } else return null;
  const box = p.boxes[lane];
  if (!box) return null;
  const x0 = Math.max(p.gutterW, x(from));
  const x1 = Math.min(p.width, x(to));
  return <rect className={className} x={x0 - 1} y={box.rowY[row] ?? box.lineY} width={Math.max(3, x1 - x0 + 2)}
    height={box.rowH[row] ?? 8} onClick={click}>{child}</rect>;
}

function hoverTitle(p: OverLayerProps, ref: ItemRef): string {
  const L = p.layout;
  switch (ref.type) {
    case 'arrow': { const a = L.arrows[ref.index]; return a ? arrowTitle(a, p.trace) : ''; }
    case 'band': { const b = L.bands[ref.index]; return b ? bandTitle(b) : ''; }
    case 'halfOpen': { const h = L.halfOpen[ref.index]; return h ? halfOpenTitle(h) : ''; }
    case 'ribbon': { const r = L.ribbons[ref.index]; return r ? ribbonTitle(r) : ''; }
    default: return '';
  }
}

function Selection(p: OverLayerProps, x: (t: number) => number): JSX.Element | null {
  const seq = p.selectedSeq;
  if (seq === null || seq < 0 || seq >= p.layout.eventMs.length) return null;
  const ref = p.layout.itemBySeq.get(seq);
  if (ref && ref.type !== 'marker') {
    return outline(p, ref, x, ref.type === 'arrow' ? 'tl-selected' : 'tl-selected-box');
  }
  if (ref?.type === 'marker') return null; // drawn as a ring on the marker itself
  const lane = p.layout.eventLane[seq] ?? -1;
  const box = lane >= 0 ? p.boxes[lane] : undefined;
  const ex = x(p.layout.eventMs[seq] ?? 0);
  return <line className="tl-selected-event" x1={ex} x2={ex} y1={box ? box.y0 : 0}
    y2={box ? box.y0 + box.height - 4 : p.height} />;
}

function OverLayerImpl(p: OverLayerProps): JSX.Element {
  const span = p.t1 - p.t0 || 1;
  const x = (t: number): number => p.gutterW + ((t - p.t0) / span) * (p.width - p.gutterW);
  const cx = x(p.cursorMs);
  const cursorVisible = cx >= p.gutterW && cx <= p.width;
  const veilX = Math.max(p.gutterW, Math.min(p.width, cx));
  const selectedMarker = p.selectedSeq === null ? null : p.layout.itemBySeq.get(p.selectedSeq);
  const hover = p.hover;
  const hoverSeq = hover ? seqOfItem(p.layout, hover) : null;
  return (
    <svg className="tl-layer tl-over" width={p.width} height={p.height} role="group" aria-label="Packets and events">
      {p.cursorSeq >= 0 && veilX < p.width && <rect className="tl-veil" x={veilX} y={0} width={p.width - veilX} height={p.height} />}
      {Selection(p, x)}
      {hover && outline(p, hover, x, hover.type === 'arrow' ? 'tl-hover' : 'tl-hover-box', hoverTitle(p, hover),
        () => { if (hoverSeq !== null) p.onSelect(hoverSeq); })}
      {placeMarkers(p.markers.slice(0, MAX_MARKERS), x, p.boxes).map(({ m, x: mx, y, label }) => {
        const c = MARKER_COLORS[m.tone];
        const future = m.seq > p.cursorSeq;
        const selected = selectedMarker?.type === 'marker' && selectedMarker.index === m.index;
        const title = markerTitle(m, p.trace);
        return (
          <g key={m.index} className="tl-marker" transform={`translate(${mx},${y})`} opacity={future ? 0.35 : 1}
            role="button" tabIndex={0} aria-label={title.split('\n')[0]}
            onClick={(ev) => { ev.stopPropagation(); p.onSelect(m.seq); }} onKeyDown={(ev) => activate(ev, () => p.onSelect(m.seq))}>
            {selected && <circle r={MARKER_R + 3.5} className="tl-selected-ring" />}
            <circle r={MARKER_R} fill={c.fill} stroke="#fff" strokeWidth={1.5} />
            <text textAnchor="middle" dominantBaseline="central" fill={c.text} className="tl-marker-glyph">{m.glyph}</text>
            {label && (
              <>
                <rect x={MARKER_R + 1} y={-7} width={textWidth(m.label, 10) + 6} height={14} rx={3} className="tl-marker-label-bg" />
                <text x={MARKER_R + 4} dominantBaseline="central" className="tl-marker-label">{m.label}</text>
              </>
            )}
            <title>{title}</title>
          </g>
        );
      })}
      {cursorVisible && <line className="tl-cursor" x1={cx} x2={cx} y1={0} y2={p.height} stroke={COLORS.cursor} />}
    </svg>
  );
}

export const OverLayer = memo(OverLayerImpl);
