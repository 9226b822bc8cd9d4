/**
 * The event log: every trace event the filter lets through, windowed (only the rows in view
 * are in the DOM, so 100,000 events scroll as smoothly as 100). Notable events carry their
 * `why` (with the standard's statement id) and the profile that decided them. Clicking a
 * row moves the cursor there. The row at the cursor is highlighted and kept in view.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TraceEvent } from '../../sim/index.ts';
import { getAppStore, useApp, useNodeIds } from '../store/store.ts';
import { ALL_LAYERS, makeFilter } from '../model/filter.ts';
import { isNotable, layerOf } from '../model/notable.ts';
import { explained, rowHeight } from '../model/logRows.ts';
import { describeEvent } from '../model/describe.ts';
import { contextFor, whyFor } from '../model/explain.ts';
import { KIND_WORDS } from '../../sim/index.ts';
import { formatTime } from '../model/format.ts';
import { plainLine } from './plainWords.ts';
import './log.css';

function Filters(): JSX.Element {
  const s = { filter: useApp((st) => st.logFilter), nodes: useNodeIds() };
  const set = getAppStore().getState().setLogFilter;
  const [open, setOpen] = useState(false);
  const hidden = new Set(s.filter.hiddenLayers);
  return (
    <div className="log-filters">
      <label>Node{' '}
        <select value={s.filter.node ?? ''} onChange={(e) => set({ node: e.currentTarget.value || null })}>
          <option value="">all nodes</option>
          {s.nodes.slice(0, 500).map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <div className="popover-anchor">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          Kinds ({ALL_LAYERS.length - hidden.size}/{ALL_LAYERS.length})
        </button>
        {open && (
          <fieldset className="popover kinds">
            <legend>Show these kinds of events</legend>
            {ALL_LAYERS.map(({ layer, label }) => (
              <label key={layer}>
                <input type="checkbox" checked={!hidden.has(layer)} onChange={() => {
                  const next = hidden.has(layer) ? s.filter.hiddenLayers.filter((l) => l !== layer) : [...s.filter.hiddenLayers, layer];
                  set({ hiddenLayers: next });
                }} />
                <span className={`layer-dot ${layer}`} /> {label}
              </label>
            ))}
            <button type="button" onClick={() => set({ hiddenLayers: ['segment', 'timer', 'tcp'] })}>MQTT view</button>
            <button type="button" onClick={() => set({ hiddenLayers: [] })}>Show all</button>
          </fieldset>
        )}
      </div>
      <label><input type="checkbox" checked={s.filter.notableOnly}
        onChange={(e) => set({ notableOnly: e.currentTarget.checked })} /> Notable only</label>
    </div>
  );
}

export function EventLog(): JSX.Element {
  const s = useApp(useShallow((st) => ({
    trace: st.trace, filter: st.logFilter, cursorSeq: st.cursorSeq, selectedSeq: st.selectedSeq, resolved: st.resolved,
    playing: st.playing, allOffsets: st.derived?.logOffsets, stepEnds: st.stepEnds,
  })));
  const { rows, offsets } = useMemo((): { rows: ArrayLike<number>; offsets: Float64Array } => {
    const all = s.filter.node === null && !s.filter.notableOnly && s.filter.hiddenLayers.length === 0;
    const ready = all && s.allOffsets?.length === s.trace.length + 1 ? s.allOffsets : undefined;
    if (ready) {
      // Every event shown, offsets from the worker: only the identity to build here.
      const r = new Int32Array(s.trace.length);
      for (let i = 0; i < r.length; i++) r[i] = i;
      return { rows: r, offsets: ready };
    }
    const keep = makeFilter(s.filter);
    const r: number[] = [];
    for (let i = 0; i < s.trace.length; i++) if (keep(s.trace[i]!)) r.push(i);
    const off = new Float64Array(r.length + 1);
    for (let k = 0; k < r.length; k++) off[k + 1] = off[k]! + rowHeight(s.trace[r[k]!]!);
    return { rows: r, offsets: off };
  }, [s.trace, s.filter, s.allOffsets]);

  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 400 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const update = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Row index of the cursor: the last shown event at or before cursorSeq.
  const cursorRow = useMemo(() => {
    let lo = 0; let hi = rows.length - 1; let found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (rows[mid]! <= s.cursorSeq) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    return found;
  }, [rows, s.cursorSeq]);

  // Keep the cursor's row in view. Uses the scroll position we already know: reading
  // scrollTop/clientHeight here would force a layout of the whole page on every frame.
  const view = useRef(scroll);
  view.current = scroll;
  useEffect(() => {
    const el = box.current;
    if (!el || cursorRow < 0) return;
    const { top: viewTop, height } = view.current;
    const top = offsets[cursorRow]!; const bottom = offsets[cursorRow + 1]!;
    if (top < viewTop || bottom > viewTop + height) el.scrollTop = Math.max(0, top - height / 2);
  }, [cursorRow, offsets]);

  const first = Math.max(0, upperBound(offsets, scroll.top) - 1 - 5);
  const last = Math.min(rows.length, upperBound(offsets, scroll.top + scroll.height) + 5);
  const items: JSX.Element[] = [];
  for (let k = first; k < last; k++) {
    const seq = rows[k]!;
    const e = s.trace[seq]!;
    const notable = isNotable(e);
    const cls = ['log-row', layerOf(e.kind), notable ? 'notable' : '', k === cursorRow ? 'current' : '',
      seq > s.cursorSeq ? 'future' : '', seq === s.selectedSeq ? 'selected' : ''].join(' ');
    items.push(
      <li key={seq} className={cls} style={{ top: offsets[k]!, height: rowHeight(e) }}>
        <button type="button" onClick={() => getAppStore().getState().seekToEvent(seq)}
          aria-current={k === cursorRow ? 'true' : undefined}>
          <span className="t">{formatTime(e.tMs, { minutes: false })}</span>
          <span className="kind" title={(KIND_WORDS as Record<string, string | undefined>)[e.kind]}>{e.kind}</span>
          {/* The plain words go where they can be read: in front of the why on a row's second
              line, else in front of the details (rows without a why are technical ones). */}
          {explained(e) ? <>
            <span className="what">{describeEvent(e)}{contextFor(s.trace, seq, s.stepEnds)}</span>
            <span className="why"><span className="plain">{plainLine(e)}</span>{' — '}{whyFor(s.trace, seq, s.resolved, s.stepEnds) ?? ''}{e.profile ? <em className="profile"> [profile {e.profile}]</em> : null}</span>
          </> : (
            <span className="what"><span className="plain">{plainLine(e)}</span>{' — '}{describeEvent(e)}{contextFor(s.trace, seq, s.stepEnds)}</span>
          )}
        </button>
      </li>,
    );
  }
  return (
    <div className="event-log">
      <div className="log-head">
        <Filters />
        <span className="count">{rows.length.toLocaleString('en')} of {s.trace.length.toLocaleString('en')} events</span>
      </div>
      <div className="log-scroll" ref={box} onScroll={(ev) => setScroll({ top: ev.currentTarget.scrollTop, height: ev.currentTarget.clientHeight })}>
        <ol className="log-list" style={{ height: offsets[rows.length] }} aria-label="Trace events">{items}</ol>
      </div>
    </div>
  );
}

/** First index k with offsets[k] > value. */
function upperBound(offsets: Float64Array, value: number): number {
  let lo = 0; let hi = offsets.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (offsets[mid]! <= value) lo = mid + 1; else hi = mid; }
  return lo;
}
