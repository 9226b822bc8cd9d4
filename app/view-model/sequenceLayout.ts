/**
 * Pure layout of the sequence diagram: trace → lanes, arrows, bands, ribbons, markers and
 * fault windows, all in trace units (ms, lane and row indices). No DOM, no pixels: the
 * component memoizes this once per trace and maps it to pixels at every zoom.
 *
 * Rows under a lifeline (top to bottom): the lane node's own beliefs about its connections,
 * the peer's beliefs about the same connections, then the node's timers and the peer's
 * timers about it. Rows are packed greedily so non-overlapping items share a row, and a timer
 * kind keeps its row while it can, so the eye can follow it.
 */
import { worldHistory } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent, WorldHistory } from '../../sim/index.ts';
import type {
  Band, FaultWindow, ItemRef, Lane, LaneRow, Ribbon, SequenceLayout,
} from './layoutTypes.ts';
import { createLaneContext } from './laneContext.ts';
import { createArrowBuilder } from './segmentArrows.ts';
import { bandsFromHistory } from './connectionBands.ts';
import { ribbonsFromHistory } from './timerRibbons.ts';
import { createMarkerBuilder, faultWindowsFromHistory } from './notableMarkers.ts';
import { scenarioOfLanes } from './scenarioOfLanes.ts';
import { SeqItemIndex } from './itemLookup.ts';

export const MAX_VIEW_ROWS = 2;
export const MAX_TIMER_ROWS = 3;

interface Packable { start: number; end: number; row: number; lane: number }

/**
 * Greedy interval packing: first row free at `start` (touching is fine), preferring the row
 * last used by the same `kind`; past `maxRows`, the row that frees up first.
 */
export function packRows<T extends Packable>(
  items: readonly T[], maxRows: number, kindOf: (item: T) => string = () => '',
): number {
  const rowEnd: number[] = [];
  const rowOfKind = new Map<string, number>();
  for (const item of items) {
    const kind = kindOf(item);
    const preferred = rowOfKind.get(kind);
    let row = preferred !== undefined && (rowEnd[preferred] ?? -Infinity) <= item.start ? preferred : -1;
    if (row < 0) row = rowEnd.findIndex((end) => end <= item.start);
    if (row < 0 && rowEnd.length < maxRows) row = rowEnd.length;
    if (row < 0) row = rowEnd.indexOf(Math.min(...rowEnd));
    rowEnd[row] = Math.max(rowEnd[row] ?? -Infinity, item.end);
    rowOfKind.set(kind, row);
    item.row = row;
  }
  return rowEnd.length;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** Assigns rows for one lane; returns its row descriptors. */
function layoutLaneRows(
  laneName: string, bands: Band[], ribbons: Ribbon[],
): LaneRow[] {
  const rows: LaneRow[] = [];
  const groups: Array<{ kind: 'view' | 'timer'; owner: string; items: Packable[]; label: string }> = [];
  const owners = (list: Array<{ node: string }>): string[] => {
    const seen = [...new Set(list.map((x) => x.node))];
    return seen.sort((a, b) => (a === laneName ? -1 : b === laneName ? 1 : 0));
  };
  for (const owner of owners(bands)) {
    groups.push({ kind: 'view', owner, label: `${possessive(owner)} view`,
      items: bands.filter((b) => b.node === owner) });
  }
  for (const owner of owners(ribbons)) {
    groups.push({ kind: 'timer', owner, label: `${possessive(owner)} timers`,
      items: ribbons.filter((r) => r.node === owner) });
  }
  for (const g of groups) {
    const base = rows.length;
    const n = g.kind === 'view'
      ? packRows(g.items, MAX_VIEW_ROWS)
      : packRows(g.items as Ribbon[], MAX_TIMER_ROWS, (r) => r.timer);
    for (const item of g.items) item.row += base;
    for (let i = 0; i < n; i++) rows.push({ kind: g.kind, owner: g.owner, label: i === 0 ? g.label : '' });
  }
  return rows;
}

/**
 * `scenario`: the resolved scenario of the run (link latencies, the nodes sim/world starts
 * from); a trace read without one (hand-written in tests) gets one from its lanes.
 */
export function buildSequenceLayout(
  trace: readonly TraceEvent[], nodes: readonly string[], durationMs: number, scenario?: ResolvedScenario,
  history?: WorldHistory,
): SequenceLayout {
  const setup = scenario ?? scenarioOfLanes(nodes, durationMs);
  const ctx = createLaneContext(nodes);
  const arrowBuilder = createArrowBuilder(ctx, setup.links);
  const markerBuilder = createMarkerBuilder(ctx);
  const eventMs = new Float64Array(trace.length);
  const eventLane = new Int32Array(trace.length).fill(-1);
  let lastMs = 0;
  trace.forEach((e, seq) => {
    ctx.observe(e);
    arrowBuilder.handle(e, seq);
    markerBuilder.handle(e, seq);
    eventMs[seq] = e.tMs;
    if ('node' in e && typeof e.node === 'string') eventLane[seq] = ctx.laneOf(e.node);
    lastMs = Math.max(lastMs, e.tMs);
  });
  const endMs = Math.max(durationMs, lastMs);
  const arrows = arrowBuilder.finish();
  // Connection beliefs, half-open intervals, timers and fault windows: sim/world's history.
  const h = history ?? worldHistory(setup, trace, endMs);
  const { bands, halfOpen } = bandsFromHistory(h, ctx);
  const ribbons = ribbonsFromHistory(h, ctx);
  const markers = markerBuilder.finish();
  const faults = faultWindowsFromHistory(h, ctx);

  const lanes: Lane[] = ctx.names.map((name, index) => ({
    index, name, isBroker: name === ctx.broker,
    rows: layoutLaneRows(name, bands.filter((b) => b.lane === index), ribbons.filter((r) => r.lane === index)),
  }));
  for (const h of halfOpen) {
    h.closedRow = (bands[h.closedBand] as Band).row;
    h.openRow = (bands[h.openBand] as Band).row;
  }

  const itemBySeq = indexItemsBySeq({ markers, arrows, bands, ribbons }, trace.length);
  return { lanes, arrows, bands, halfOpen, ribbons, markers, faults, endMs, eventMs, eventLane, itemBySeq };
}

/**
 * Which drawn item shows each event (the first one claiming it: markers, then arrows, bands,
 * ribbons), for events 0 .. eventCount-1.
 */
export function indexItemsBySeq(
  layout: Pick<SequenceLayout, 'markers' | 'arrows' | 'bands' | 'ribbons'>, eventCount: number,
): SeqItemIndex {
  const items = new SeqItemIndex(eventCount);
  const put = (seq: number | null, ref: ItemRef): void => {
    if (seq !== null) items.claim(seq, ref);
  };
  layout.markers.forEach((m) => put(m.seq, { type: 'marker', index: m.index }));
  layout.arrows.forEach((a) => {
    const ref: ItemRef = { type: 'arrow', index: a.index };
    put(a.sendSeq, ref);
    put(a.endSeq, ref);
    a.packetSeqs.forEach((s) => put(s, ref));
  });
  layout.bands.forEach((b) => {
    put(b.openSeq, { type: 'band', index: b.index });
    put(b.closeSeq, { type: 'band', index: b.index });
  });
  layout.ribbons.forEach((r) => {
    put(r.setSeq, { type: 'ribbon', index: r.index });
    put(r.endSeq, { type: 'ribbon', index: r.index });
  });
  return items;
}

/** A fault window handed in by the app (for example, one the user is about to inject). */
export interface FaultProp { fromMs: number; toMs: number; label: string; node?: string; link?: [string, string] }

/**
 * Adds the app's fault windows to the ones found in the trace, skipping any that repeats a
 * trace window (same start and same lanes). Returns a new array sorted by start.
 */
export function mergeFaults(
  layout: SequenceLayout, extra: readonly FaultProp[] | undefined,
): FaultWindow[] {
  if (!extra || extra.length === 0) return layout.faults;
  const laneIndex = new Map(layout.lanes.map((l) => [l.name, l.index]));
  const lanesOf = (f: FaultProp): number[] => {
    if (f.node !== undefined) return laneIndex.has(f.node) ? [laneIndex.get(f.node) as number] : [];
    if (f.link) {
      const broker = layout.lanes[0]?.name;
      const ends = f.link.filter((n) => n !== broker);
      return (ends.length > 0 ? ends : f.link).flatMap((n) => (laneIndex.has(n) ? [laneIndex.get(n) as number] : []));
    }
    return [];
  };
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const out = layout.faults.map((w) => ({ ...w }));
  for (const f of extra) {
    if (!(f.toMs > f.fromMs)) continue; // instants are markers, not windows
    const lanes = lanesOf(f);
    if (out.some((w) => Math.abs(w.fromMs - f.fromMs) < 1e-6 && same(w.lanes, lanes))) continue;
    out.push({ index: -1, fromMs: f.fromMs, toMs: f.toMs, label: f.label, lanes, seq: null,
      start: Math.min(f.fromMs, f.toMs), end: Math.max(f.fromMs, f.toMs) });
  }
  out.sort((a, b) => a.start - b.start);
  out.forEach((w, i) => { w.index = i; });
  return out;
}
