/**
 * The Timeline: a sequence diagram of one run (issue 3, item 3).
 *
 * Orientation: time runs left → right, one horizontal lane per node with the broker on top.
 * The panel is about 1250 × 380 px, much wider than tall, and a keep-alive story is long in
 * time (minutes) but has only a few actors, so the long axis goes to time. Vertical time
 * would leave ~300 px for two minutes and squeeze every lane label into a narrow column.
 *
 * Architecture (style.md lessons 12–13): `buildSequenceLayout` turns the trace into items in
 * trace units once per trace (in the app, by the simulation worker: app/view-model/derive.ts); each
 * render maps only the items in the visible window to pixels (binary-searched). The bulk
 * (bars and arrows) is painted on a canvas; markers, the cursor, selection and hover are SVG;
 * clicks and hovers on the canvas go through hitTest.ts. React owns the DOM; d3 touches it
 * only for the axis and the zoom behaviour, via refs.
 *
 * Smoothness (issue 3 item 10): wheel and drag events arrive faster than frames, so the
 * zoom behaviour's transform is applied at most once per animation frame (the latest one
 * wins), rendered synchronously in that frame, and the canvas is painted in a layout effect,
 * before the browser paints. Button and keyboard zooms apply at once. The painters cull,
 * batch and reduce detail at overview zoom (drawScene.ts, drawArrows.ts). When the page sets
 * `window.__halfopenTimelinePerf = { draws: [], frames: [] }`, each paint pushes its canvas
 * time (ms) to `draws`, and each wheel/drag frame its time from the frame's start to the
 * end of the paint (React render included) to `frames` (test/e2e/perf.test.ts reads them).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { JSX, KeyboardEvent, MouseEvent as ReactMouseEvent, RefObject } from 'react';
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity } from 'd3-zoom';
import type { ZoomBehavior, ZoomTransform } from 'd3-zoom';
import { scaleLinear } from 'd3-scale';
import { axisTop } from 'd3-axis';
import type { TraceEvent } from '../../sim/index.ts';
import { mergeFaults } from '../view-model/sequenceLayout.ts';
import { layoutOnUiThread } from './layoutOnUiThread.ts';
import { buildIntervalIndex, visibleItems } from '../view-model/intervalIndex.ts';
import { GEOMETRY, laneBoxes } from './laneGeometry.ts';
import { chooseTickStep, formatTick, tickValues } from './timeFormat.ts';
import { formatTime } from '../model/format.ts';
import type { ItemRef, SequenceLayout } from '../view-model/layoutTypes.ts';
import { Gutter, OverLayer } from './OverLayer.tsx';
import { drawScene, type Scene } from './drawScene.ts';
import { hitTest, seqOfItem } from './hitTest.ts';
import { Legend, Patterns } from './Legend.tsx';
import './timeline.css';

export interface SequenceDiagramProps {
  trace: TraceEvent[]; nodes: string[] /* lanes: broker first, then clients */; durationMs: number;
  cursorMs: number; cursorSeq: number /* index of current event, -1 before first */;
  selectedSeq: number | null; onSelectEvent(seq: number): void; onSeek(tMs: number): void;
  faults?: { fromMs: number; toMs: number; label: string; node?: string; link?: [string, string] }[];
  /** The run's layout for these lanes (the store's, built in the worker); absent: built here. */
  layout?: SequenceLayout | null;
}

const DEFAULT_WIDTH = 1250;
/** Narrowest window one may zoom to, in ms (a few µs-resolution events still apart). */
const MIN_SPAN_MS = 0.05;

/** The plot width last measured: a diagram mounted for a new run starts from it. */
let lastWidth = DEFAULT_WIDTH;
/** The height of the lanes' scroll box last read (0: not yet). */
let lastViewH = 0;

function usePlotWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(lastWidth);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => {
      const w = el.getBoundingClientRect().width;
      if (w > 50) { lastWidth = Math.floor(w); setWidth(lastWidth); }
    };
    // With a ResizeObserver the first measure comes from it, after the frame's layout: read
    // here, it forced the layout of the whole page (a new run's log and lanes) into the task
    // that installs the run (~55 ms with 200 lanes).
    if (typeof ResizeObserver === 'undefined') { measure(); return; }
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

export function SequenceDiagram(props: SequenceDiagramProps): JSX.Element {
  const { trace, durationMs, cursorMs, cursorSeq, selectedSeq, onSelectEvent, onSeek } = props;
  const nodesKey = props.nodes.join('\u0000');
  // Keyed on the node names, not the array's identity. The run's layout comes from the store
  // (built in the worker with the run); only when it was made for other lanes is one built here.
  const layout = useMemo(() => props.layout ?? layoutOnUiThread(trace, props.nodes, durationMs),
    [props.layout, trace, nodesKey, durationMs]);
  const faults = useMemo(() => mergeFaults(layout, props.faults), [layout, props.faults]);
  const index = useMemo(() => ({
    arrows: buildIntervalIndex(layout.arrows),
    bands: buildIntervalIndex(layout.bands),
    halfOpen: buildIntervalIndex(layout.halfOpen),
    ribbons: buildIntervalIndex(layout.ribbons),
    markers: buildIntervalIndex(layout.markers),
    faults: buildIntervalIndex(faults),
  }), [layout, faults]);

  const [showControl, setShowControl] = useState(true);
  const [showTimers, setShowTimers] = useState(true);
  const geometry = useMemo(() => laneBoxes(layout.lanes, showTimers), [layout, showTimers]);

  const plotRef = useRef<HTMLDivElement>(null);
  const axisRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  const width = usePlotWidth(plotRef);
  const gutterW = GEOMETRY.gutterW;
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  // Wheel/drag transforms wait here for the next animation frame (see the top comment).
  const pending = useRef<{ transform: ZoomTransform | null; raf: number; frameStart: number | null }>(
    { transform: null, raf: 0, frameStart: null });

  const base = useMemo(() => scaleLinear().domain([0, layout.endMs]).range([gutterW, width]), [layout.endMs, gutterW, width]);
  const xScale = useMemo(() => transform.rescaleX(base), [transform, base]);
  const [t0, t1] = xScale.domain() as [number, number];

  useEffect(() => {
    const el = plotRef.current;
    if (!el) return;
    const behaviour = d3zoom<HTMLDivElement, unknown>()
      .scaleExtent([1, Math.max(1, layout.endMs / MIN_SPAN_MS)])
      .extent([[gutterW, 0], [width, 1]])
      .translateExtent([[gutterW, -1e9], [width, 1e9]])
      .filter((ev: Event) => {
        const target = ev.target as Element | null;
        if (target?.closest?.('.tl-scroll') && ev.type === 'wheel' && (ev as WheelEvent).shiftKey) return false;
        const button = (ev as MouseEvent).button ?? 0;
        return (!(ev as MouseEvent).ctrlKey || ev.type === 'wheel') && button === 0;
      })
      .on('zoom', (ev: { transform: ZoomTransform; sourceEvent: Event | null }) => {
        const p = pending.current;
        if (!ev.sourceEvent || typeof requestAnimationFrame !== 'function') {
          if (p.raf) cancelAnimationFrame(p.raf); // a programmatic zoom supersedes a queued one
          p.raf = 0;
          p.transform = null;
          setTransform(ev.transform);
          return;
        }
        p.transform = ev.transform;
        if (p.raf) return;
        p.raf = requestAnimationFrame(() => {
          p.raf = 0;
          const next = p.transform;
          p.transform = null;
          if (!next) return;
          p.frameStart = performance.now();
          flushSync(() => setTransform(next)); // render and paint within this frame
        });
      });
    const sel = select(el);
    sel.call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    return () => {
      sel.on('.zoom', null);
      const p = pending.current;
      if (p.raf) cancelAnimationFrame(p.raf);
      p.raf = 0;
      p.transform = null;
    };
  }, [gutterW, width, layout.endMs]);

  // Axis: d3-axis draws into a <g> owned by React; ticks adapt to the zoom (timeFormat.ts).
  useEffect(() => {
    const g = axisRef.current;
    if (!g) return;
    const step = chooseTickStep((t1 - t0) / Math.max(1, width - gutterW));
    const axis = axisTop(xScale).tickValues(tickValues(Math.max(0, t0), t1, step))
      .tickFormat((v) => formatTick(Number(v), step)).tickSizeOuter(0).tickSizeInner(5);
    select(g).call(axis);
  }, [xScale, t0, t1, width, gutterW]);

  const zoomBy = useCallback((k: number) => {
    const el = plotRef.current;
    const behaviour = zoomRef.current;
    if (!el || !behaviour) return;
    const cx = xScale(cursorMs);
    const anchor: [number, number] = cx >= gutterW && cx <= width ? [cx, 0] : [(gutterW + width) / 2, 0];
    behaviour.scaleBy(select(el), k, anchor);
  }, [xScale, cursorMs, gutterW, width]);
  const fit = useCallback(() => {
    const el = plotRef.current;
    if (el && zoomRef.current) zoomRef.current.transform(select(el), zoomIdentity);
  }, []);
  const panBy = useCallback((fraction: number) => {
    const el = plotRef.current;
    if (el && zoomRef.current) zoomRef.current.translateBy(select(el), -fraction * (width - gutterW) / transform.k, 0);
  }, [width, gutterW, transform.k]);

  // Follow playback: when the cursor leaves a zoomed-in window, bring it back in view.
  useEffect(() => {
    const el = plotRef.current;
    const behaviour = zoomRef.current;
    if (!el || !behaviour || transform.k <= 1.0001) return;
    if (cursorMs >= t0 && cursorMs <= t1) return;
    const span = t1 - t0;
    behaviour.translateBy(select(el), (xScale(t0 + 0.2 * span) - xScale(cursorMs)) / transform.k, 0);
    // Only the cursor moving triggers this, not the user panning away while paused.
  }, [cursorMs]);

  const scene = useMemo<Scene>(() => ({
    lanes: layout.lanes,
    faults: visibleItems(index.faults, t0, t1),
    bands: visibleItems(index.bands, t0, t1),
    halfOpen: visibleItems(index.halfOpen, t0, t1),
    ribbons: showTimers ? visibleItems(index.ribbons, t0, t1) : [],
    arrows: visibleItems(index.arrows, t0, t1).filter((a) => showControl || a.kind === 'mqtt'),
  }), [layout, index, t0, t1, showControl, showTimers]);
  const visibleMarkers = useMemo(() => visibleItems(index.markers, t0, t1), [index, t0, t1]);
  // The canvas is painted here, imperatively, rather than by a child component: its input
  // (thousands of items) must not travel as React props, which React's development build
  // walks and diffs on every render — that alone cost ~300 ms per zoom frame.
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const height = geometry.height;
  // The canvas covers only the visible part of the lanes (the lane stack scrolls vertically
  // and is often 4× taller than its view): fewer pixels to clear, paint and hand to the
  // compositor each frame. Scrolling repaints it, at most once per animation frame.
  const scrollRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, h: 0 });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let raf = 0;
    const read = (): void => {
      raf = 0;
      setView((v) => (v.top === el.scrollTop && v.h === el.clientHeight ? v : { top: el.scrollTop, h: el.clientHeight }));
    };
    // With a ResizeObserver the first read comes from it, after the frame's layout.
    if (typeof ResizeObserver === 'undefined') read();
    const onScroll = (): void => {
      if (typeof requestAnimationFrame !== 'function') { read(); return; }
      if (!raf) raf = requestAnimationFrame(() => flushSync(read));
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(onScroll);
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro?.disconnect();
      if (raf) cancelAnimationFrame(raf);
    };
  }, []);
  // Before the scroll box has been read (a diagram mounted for a new run), the height last
  // read stands in, else the window's: a canvas as tall as the whole lane stack (200 lanes:
  // ~6,000 px) took ~300 ms to allocate. Reading the box here would force the layout of the
  // whole new page into the task that installs the run.
  if (view.h > 0) lastViewH = view.h;
  const guessH = view.h > 0 ? view.h : lastViewH > 0 ? lastViewH : (typeof window !== 'undefined' ? window.innerHeight : 0);
  const viewH = guessH > 0 ? Math.min(height, guessH) : height;
  const viewTop = Math.max(0, Math.min(height - viewH, view.top));
  // The layout last painted: a new run's first paint (also the diagram's first, when it mounts
  // with a run) waits for the next animation frame (still before the browser shows that
  // frame), so that receiving a run and painting thousands of items are two tasks on the UI
  // thread rather than one long one.
  const paintedLayout = useRef<SequenceLayout | null>(null);
  const paintDeferred = useRef(false);
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    let ctx: CanvasRenderingContext2D | null = null;
    try { ctx = canvas?.getContext('2d') ?? null; } catch { ctx = null; }
    if (!canvas || !ctx) return; // a DOM without canvas (tests): the overlay still works
    const paint = (c: HTMLCanvasElement, g: CanvasRenderingContext2D): void => {
      const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
      const w = Math.round(width * dpr);
      const h = Math.round(viewH * dpr);
      if (c.width !== w) c.width = w;
      if (c.height !== h) c.height = h;
      g.setTransform(dpr, 0, 0, dpr, 0, -viewTop * dpr);
      const started = performance.now();
      // The scale as a plain linear function (no clamping, same values): the painters call it
      // twice per item, 200,000+ times for a large run at Fit.
      const [d0, d1] = xScale.domain() as [number, number];
      const [r0, r1] = xScale.range() as [number, number];
      const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
      const x = (t: number): number => r0 + (t - d0) * k;
      drawScene(g, scene, x, geometry.boxes, { width, height, gutterW, showControl, showTimers, viewTop, viewH });
      const hook = (globalThis as { __halfopenTimelinePerf?: { draws: number[]; frames: number[] } }).__halfopenTimelinePerf;
      const frameStart = pending.current.frameStart;
      pending.current.frameStart = null;
      if (hook) {
        const now = performance.now();
        hook.draws.push(now - started);
        if (frameStart !== null && now - frameStart < 1000) hook.frames.push(now - frameStart);
      }
    };
    // Until that deferred paint has run, repaints (the scroll box read, the width measured)
    // are deferred too, and it runs in a task of its own, after the frame's layout.
    const fresh = paintedLayout.current !== layout || paintDeferred.current;
    paintedLayout.current = layout;
    if (fresh && typeof requestAnimationFrame === 'function') {
      paintDeferred.current = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const raf = requestAnimationFrame(() => {
        timer = setTimeout(() => {
          paintDeferred.current = false;
          // By now the frame is laid out, so the scroll box reads for free. When the part it
          // shows differs from the guessed one (viewH, viewTop), painting now would paint the
          // whole scene twice (again when the ResizeObserver's read lands, ~40 ms with 200
          // lanes): set the view instead; the effect runs again with the new part and paints.
          // Compared with what this effect paints, not with `view`: a view that changes while
          // the painted part stays (the guess was right) runs no effect, so it must paint here.
          const el = scrollRef.current;
          if (el && el.clientHeight > 0) {
            const h = Math.min(height, el.clientHeight);
            const top = Math.max(0, Math.min(height - h, el.scrollTop));
            if (h !== viewH || top !== viewTop) {
              setView({ top: el.scrollTop, h: el.clientHeight });
              return;
            }
          }
          paint(canvas, ctx);
        }, 0);
      });
      return () => { cancelAnimationFrame(raf); if (timer !== undefined) clearTimeout(timer); };
    }
    paint(canvas, ctx);
    return undefined;
  }, [layout, scene, xScale, geometry.boxes, width, height, viewH, viewTop, gutterW, showControl, showTimers]);
  const [hover, setHover] = useState<ItemRef | null>(null);
  const pointAt = useCallback((ev: ReactMouseEvent<HTMLDivElement>): ItemRef | null => {
    const r = ev.currentTarget.getBoundingClientRect();
    const px = ev.clientX - r.left;
    if (px < gutterW) return null;
    return hitTest(scene, xScale, geometry.boxes, px, ev.clientY - r.top, { showControl, showTimers });
  }, [scene, xScale, geometry.boxes, gutterW, showControl, showTimers]);
  const onMove = useCallback((ev: ReactMouseEvent<HTMLDivElement>) => {
    if (ev.buttons !== 0) return; // dragging: panning, not pointing
    const hit = pointAt(ev);
    setHover((prev) => (prev?.type === hit?.type && prev?.index === hit?.index ? prev : hit));
  }, [pointAt]);
  const seekPx = useCallback((px: number) => {
    if (px < gutterW) return;
    onSeek(Math.max(0, Math.min(layout.endMs, xScale.invert(px))));
  }, [gutterW, onSeek, xScale, layout.endMs]);

  const onKey = (ev: KeyboardEvent<HTMLDivElement>): void => {
    if (ev.target !== ev.currentTarget) return;
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(2), '=': () => zoomBy(2), '-': () => zoomBy(0.5), '0': fit,
      ArrowLeft: () => panBy(-0.2), ArrowRight: () => panBy(0.2),
    };
    const run = actions[ev.key];
    if (run) { ev.preventDefault(); run(); }
  };

  const cursorX = xScale(cursorMs);
  return (
    <div className="tl-root" data-testid="sequence-diagram">
      <Patterns />
      <div className="tl-toolbar">
        <button type="button" onClick={() => zoomBy(2)}>Zoom in</button>
        <button type="button" onClick={() => zoomBy(0.5)}>Zoom out</button>
        <button type="button" onClick={fit}>Fit</button>
        <label><input type="checkbox" checked={showControl} onChange={(e) => setShowControl(e.target.checked)} />TCP-only segments</label>
        <label><input type="checkbox" checked={showTimers} onChange={(e) => setShowTimers(e.target.checked)} />Timers</label>
        <span className="tl-range" aria-live="off">showing {formatTime(Math.max(0, Math.round(t0)), { minutes: false })} – {formatTime(Math.round(t1), { minutes: false })}</span>
      </div>
      <Legend />
      <div className="tl-plot" ref={plotRef} tabIndex={0} onKeyDown={onKey}
        title="Wheel: zoom · drag: pan · click an item to select it, empty space to jump there"
        aria-label="Sequence diagram: + and − zoom, 0 fits, arrow keys pan">
        <svg className="tl-axis" width={width} height={GEOMETRY.axisH}
          onClick={(ev) => seekPx(ev.clientX - ev.currentTarget.getBoundingClientRect().left)}>
          <text x={8} y={GEOMETRY.axisH - 8} className="tl-row-label">time →</text>
          <g ref={axisRef} transform={`translate(0, ${GEOMETRY.axisH - 1})`} />
          {cursorX >= gutterW && cursorX <= width && (
            <path className="tl-cursor-head" d={`M${cursorX - 5} ${GEOMETRY.axisH - 9} h10 l-5 8 z`} />
          )}
        </svg>
        <div className="tl-scroll" ref={scrollRef}>
          <div className="tl-stack" style={{ height }} onMouseMove={onMove} onMouseLeave={() => setHover(null)}
            onClick={(ev) => {
              const hit = pointAt(ev);
              const seq = hit ? seqOfItem(layout, hit) : null;
              if (seq !== null) onSelectEvent(seq);
              else seekPx(ev.clientX - ev.currentTarget.getBoundingClientRect().left);
            }}>
            <canvas ref={canvasRef} className="tl-layer tl-canvas" style={{ width, height: viewH, top: viewTop }} aria-hidden="true" />
            <OverLayer layout={layout} boxes={geometry.boxes} markers={visibleMarkers} hover={hover}
              trace={trace} t0={t0} t1={t1} width={width} height={height} gutterW={gutterW}
              cursorMs={cursorMs} cursorSeq={cursorSeq} selectedSeq={selectedSeq} onSelect={onSelectEvent} />
            <Gutter lanes={layout.lanes} boxes={geometry.boxes} gutterW={gutterW} height={height} />
          </div>
        </div>
      </div>
    </div>
  );
}
