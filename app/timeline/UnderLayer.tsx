/**
 * The SVG layer under the arrows: fault windows, lifelines, connection bands (with half-open
 * intervals) and timer ribbons, culled to the visible window. Clicking empty space seeks;
 * clicking a band or ribbon selects the event that started it.
 */
import { memo } from 'react';
import type { JSX } from 'react';
import type { Band, FaultWindow, HalfOpen, Lane, Ribbon } from './layoutTypes.ts';
import type { IntervalIndex } from './intervalIndex.ts';
import { visibleItems } from './intervalIndex.ts';
import type { LaneBox } from './laneGeometry.ts';
import { COLORS, RIBBON_COLORS } from './palette.ts';
import { bandTitle, halfOpenTitle, ribbonTitle } from './tooltips.ts';

export interface UnderLayerProps {
  lanes: readonly Lane[];
  boxes: readonly LaneBox[];
  bands: IntervalIndex<Band>;
  halfOpen: IntervalIndex<HalfOpen>;
  ribbons: IntervalIndex<Ribbon>;
  faults: IntervalIndex<FaultWindow>;
  t0: number; t1: number; width: number; height: number; gutterW: number;
  showTimers: boolean;
  onSelect(seq: number): void;
  onSeekPx(px: number): void;
}

/** Rough width of `text` at `fontPx` (labels are only drawn where they fit). */
export function textWidth(text: string, fontPx: number): number {
  return text.length * fontPx * 0.58;
}

function ribbonColors(r: Ribbon, laneName: string): { fill: string; stroke: string } {
  if (r.timer.startsWith('tcp.') || r.timer.startsWith('nat.')) return RIBBON_COLORS.tcp;
  return r.node === laneName ? RIBBON_COLORS.self : RIBBON_COLORS.peer;
}

function UnderLayerImpl(p: UnderLayerProps): JSX.Element {
  const span = p.t1 - p.t0 || 1;
  const plotW = p.width - p.gutterW;
  const x = (t: number): number => p.gutterW + ((t - p.t0) / span) * plotW;
  const clampX = (px: number): number => Math.max(p.gutterW - 2, Math.min(p.width + 2, px));
  const items: JSX.Element[] = [];

  for (const f of visibleItems(p.faults, p.t0, p.t1)) {
    const x0 = clampX(x(f.fromMs));
    const w = Math.max(2, clampX(x(f.toMs)) - x0);
    const boxes = f.lanes.length > 0 ? f.lanes.map((l) => p.boxes[l]).filter((b): b is LaneBox => !!b) : null;
    const spans = boxes ? boxes.map((b) => [b.y0, b.height - 2] as const) : [[0, p.height] as const];
    spans.forEach(([y, h], i) => items.push(
      <g key={`f${f.index}-${i}`} className="tl-fault">
        <rect x={x0} y={y} width={w} height={h} fill="url(#tl-hatch-fault)" />
        {w > textWidth(f.label, 10) + 8 && (
          <text x={Math.max(x0, p.gutterW) + 4} y={y + h - 8} className="tl-fault-label">{f.label}</text>
        )}
        <title>{f.label}</title>
      </g>,
    ));
  }

  p.boxes.forEach((b) => {
    items.push(<line key={`l${b.lane}`} x1={p.gutterW} x2={p.width} y1={b.lineY} y2={b.lineY}
      stroke={COLORS.lifeline} strokeWidth={1.2} />);
    items.push(<line key={`s${b.lane}`} x1={0} x2={p.width} y1={b.y0 + b.height - 3} y2={b.y0 + b.height - 3}
      stroke="#e4e4e4" />);
  });

  const seen = new Map<string, number>();
  const crowded = (lane: number, row: number, x0: number, x1: number): boolean => {
    // Sub-pixel items that fall on a pixel already drawn in the same row add nothing.
    const key = `${lane}|${row}`;
    const last = seen.get(key) ?? -Infinity;
    if (x1 - x0 < 1 && x0 < last + 1) return true;
    seen.set(key, Math.max(last, x1));
    return false;
  };

  for (const band of visibleItems(p.bands, p.t0, p.t1)) {
    const box = p.boxes[band.lane];
    const y = box?.rowY[band.row];
    if (!box || y === undefined) continue;
    const x0 = clampX(x(band.fromMs));
    const x1 = clampX(x(band.toMs));
    if (crowded(band.lane, band.row, x0, x1)) continue;
    const w = Math.max(1, x1 - x0);
    items.push(
      <g key={`b${band.index}`} className="tl-band" onClick={() => p.onSelect(band.openSeq)}>
        <rect x={x0} y={y + 1} width={w} height={p.boxes[band.lane]!.rowH[band.row]! - 2} fill={COLORS.open} rx={1} />
        {w > textWidth(band.conn, 8) + 6 && (
          <text x={Math.max(x0, p.gutterW) + 3} y={y + 5.5} className="tl-band-label">{band.conn}</text>
        )}
        <title>{bandTitle(band)}</title>
      </g>,
    );
  }

  for (const h of visibleItems(p.halfOpen, p.t0, p.t1)) {
    const box = p.boxes[h.lane];
    const yc = box?.rowY[h.closedRow];
    const yo = box?.rowY[h.openRow];
    if (!box || yc === undefined || yo === undefined) continue;
    const rh = box.rowH[h.closedRow] ?? 0;
    const x0 = clampX(x(h.fromMs));
    const w = Math.max(2, clampX(x(h.toMs)) - x0);
    const long = `half-open: ${h.openNode} still thinks ${h.conn} is open`;
    const label = w > textWidth(long, 9) + 8 ? long : w > textWidth('half-open', 9) + 6 ? 'half-open' : '';
    items.push(
      <g key={`h${h.index}`} className="tl-halfopen" onClick={() => p.onSelect(h.fromSeq)}>
        <rect x={x0} y={yc + 1} width={w} height={rh - 2} fill="url(#tl-hatch-half)" stroke={COLORS.halfOpen}
          strokeDasharray="3 2" />
        <rect x={x0} y={yo + 0.5} width={w} height={(box.rowH[h.openRow] ?? 0) - 1} fill="none"
          stroke={COLORS.halfOpen} strokeWidth={1.5} />
        {label && <text x={Math.max(x0, p.gutterW) + 4} y={yc + rh / 2 + 0.5} className="tl-halfopen-label">{label}</text>}
        <title>{halfOpenTitle(h)}</title>
      </g>,
    );
  }

  if (p.showTimers) {
    for (const r of visibleItems(p.ribbons, p.t0, p.t1)) {
      const box = p.boxes[r.lane];
      const y = box?.rowY[r.row];
      const rh = box?.rowH[r.row] ?? 0;
      if (!box || y === undefined || rh === 0) continue;
      const x0 = clampX(x(r.setMs));
      const x1 = clampX(x(r.endMs));
      if (crowded(r.lane, r.row, x0, x1)) continue;
      const w = Math.max(1, x1 - x0);
      const c = ribbonColors(r, p.lanes[r.lane]?.name ?? '');
      const went = r.outcome === 'fired';
      items.push(
        <g key={`r${r.index}`} className="tl-ribbon" opacity={went || r.outcome === 'pending' ? 1 : 0.7}
          onClick={() => p.onSelect(r.setSeq)}>
          <rect x={x0} y={y + 2} width={w} height={rh - 4} fill={c.fill} stroke={c.stroke} strokeWidth={0.8} />
          {went && <line x1={x(r.dueMs)} x2={x(r.dueMs)} y1={y} y2={y + rh} stroke={c.stroke} strokeWidth={2.5} />}
          {w > textWidth(r.label, 8.5) + 8 && (
            <text x={Math.max(x0, p.gutterW) + 3} y={y + rh / 2 + 0.5} className="tl-ribbon-label">{r.label}</text>
          )}
          <title>{ribbonTitle(r)}</title>
        </g>,
      );
    }
  }

  return (
    <svg className="tl-layer tl-under" width={p.width} height={p.height} role="presentation">
      <rect className="tl-bg" x={0} y={0} width={p.width} height={p.height} fill="transparent"
        onClick={(ev) => {
          const r = (ev.currentTarget.ownerSVGElement ?? ev.currentTarget).getBoundingClientRect();
          p.onSeekPx(ev.clientX - r.left);
        }} />
      {items}
    </svg>
  );
}

export const UnderLayer = memo(UnderLayerImpl);
