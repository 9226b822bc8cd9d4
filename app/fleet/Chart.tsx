/**
 * One time chart of the Fleet view: d3 scales and axes, lines or bars per time bucket, the
 * cursor, click to seek. Paths are built once per data (useMemo): at most 3,600 buckets.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import { scaleLinear } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';
import { select } from 'd3-selection';
import { area, curveStepAfter, line } from 'd3-shape';

export interface ChartSeries {
  label: string;
  values: ArrayLike<number>;
  /** Where in `values` this series starts (per-group series share one array). */
  offset?: number;
  color: string;
  /** Bars point down (disconnects under connects). */
  down?: boolean;
  dash?: string;
}

export interface ChartProps {
  title: string;
  /** What a screen reader hears: the chart's point in words. */
  summary: string;
  bucketMs: number;
  buckets: number;
  endMs: number;
  series: ChartSeries[];
  kind: 'lines' | 'bars';
  /** Shade where series[0] is above series[1] (the dashboard's lie). */
  gap?: boolean;
  /**
   * The series are levels after each bucket's last event (FleetSeries `believed`, `alive`):
   * each is drawn from its bucket's end, after 0 at the start, which is what the words at the
   * cursor say (words.ts levelAt). Drawn over their bucket, they were a bucket early: the
   * chart showed 200 devices online at 0 s, beside "At 0 s: 0 believed online".
   */
  levels?: boolean;
  unit: string;
  height: number;
  cursorMs: number;
  onSeek(tMs: number): void;
}

const M = { top: 8, right: 10, bottom: 22, left: 46 };

const val = (s: ChartSeries, b: number): number => {
  const v = s.values[(s.offset ?? 0) + b]!;
  return Number.isNaN(v) ? NaN : v;
};

const NUM = new Intl.NumberFormat('en-US');

/** The chart's width in CSS pixels (its figure's), so text is never stretched. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Measured by the observer's first report, which comes with the frame's own layout (before
    // the first paint): asking getBoundingClientRect here forced a second layout of the whole
    // page in the task that installs a run (~100 ms with 200 clients: test/e2e/careless.test.ts).
    const ro = new ResizeObserver((entries) => {
      const cw = Math.round(entries[0]?.contentRect.width ?? 0);
      setW((prev) => (prev === 0 ? Math.max(200, cw) : cw > 100 ? cw : prev));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/**
 * The corners of a step line (d3 curveStepAfter: each value holds until the next point's
 * time): per-bucket values from their bucket's start, levels (`levels`) from its end after 0
 * at the start; the last value held to the end of the run.
 */
export function stepPoints<T>(p: { bucketMs: number; buckets: number; endMs: number; levels?: boolean },
  value: (bucket: number) => T, zero: T): [number, T][] {
  const pts: [number, T][] = p.levels ? [[0, zero]] : [];
  for (let b = 0; b < p.buckets; b++) pts.push([p.levels ? Math.min(p.endMs, (b + 1) * p.bucketMs) : b * p.bucketMs, value(b)]);
  pts.push([p.endMs, value(p.buckets - 1)]);
  return pts;
}

export const Chart = memo(function Chart(p: ChartProps): JSX.Element {
  const h = p.height;
  const fig = useRef<HTMLElement>(null);
  const W = useWidth(fig);
  const xAxis = useRef<SVGGElement>(null);
  const yAxis = useRef<SVGGElement>(null);
  const { x, y, paths, gapPath, top } = useMemo(() => {
    if (W === 0) return { x: scaleLinear(), y: scaleLinear(), paths: [] as string[], gapPath: '', top: 1 };
    const x = scaleLinear().domain([0, p.endMs]).range([M.left, W - M.right]);
    let max = 1;
    let min = 0;
    // Bars of the upward series are stacked (each starts where the one before it ends in
    // that bucket), so the scale reaches their sum; lines are each their own height.
    const stackBase = new Float64Array(p.kind === 'bars' ? p.buckets : 0);
    for (const s of p.series) {
      for (let b = 0; b < p.buckets; b++) {
        const v = val(s, b);
        if (Number.isNaN(v)) continue;
        if (s.down) min = Math.min(min, -v);
        else if (p.kind === 'bars') { stackBase[b]! += v; max = Math.max(max, stackBase[b]!); }
        else max = Math.max(max, v);
      }
    }
    stackBase.fill(0);
    const y = scaleLinear().domain([min, max]).nice(4).range([h - M.bottom, M.top]);
    // A bar, and a per-bucket value (a CONNACK latency), fill their bucket; a level starts at
    // its bucket's end (stepPoints).
    const t0 = (b: number): number => b * p.bucketMs;
    const paths = p.series.map((s) => {
      if (p.kind === 'bars') {
        let d = '';
        const bw = Math.max(0.5, x(p.bucketMs) - x(0));
        for (let b = 0; b < p.buckets; b++) {
          const v = val(s, b);
          if (!(v > 0)) continue;
          const base = s.down ? 0 : stackBase[b]!;
          if (!s.down) stackBase[b] = base + v;
          const y0 = y(base);
          const y1 = y(s.down ? -v : base + v);
          d += `M${x(t0(b)).toFixed(1)},${y0.toFixed(1)}h${bw.toFixed(2)}V${y1.toFixed(1)}h${(-bw).toFixed(2)}Z`;
        }
        return d;
      }
      const pts = stepPoints(p, (b) => val(s, b), 0);
      return line<[number, number]>().defined((d) => !Number.isNaN(d[1])).curve(curveStepAfter).x((d) => x(d[0])).y((d) => y(d[1]))(pts) ?? '';
    });
    let gapPath = '';
    if (p.gap && p.series.length >= 2) {
      const [a, c] = p.series as [ChartSeries, ChartSeries];
      const pts = stepPoints<[number, number]>(p, (b) => [val(a, b), val(c, b)], [0, 0])
        .map(([t, [va, vc]]): [number, number, number] => [t, va, vc]);
      gapPath = area<[number, number, number]>().curve(curveStepAfter).x((d) => x(d[0]))
        .y0((d) => y(d[2])).y1((d) => y(Math.max(d[1], d[2])))(pts) ?? '';
    }
    return { x, y, paths, gapPath, top: max };
  }, [p.series, p.buckets, p.bucketMs, p.endMs, p.kind, p.gap, p.levels, h, W]);

  useEffect(() => {
    if (W === 0) return;
    if (xAxis.current) select(xAxis.current).call(axisBottom(x).ticks(8).tickFormat((v) => `${+(Number(v) / 1000).toFixed(1)} s`));
    if (yAxis.current) select(yAxis.current).call(axisLeft(y).ticks(Math.min(4, Math.max(1, Math.ceil(top)))).tickFormat((v) => NUM.format(Math.abs(Number(v)))));
  }, [x, y, W, top]);

  const cx = x(Math.min(p.endMs, Math.max(0, p.cursorMs)));
  return (
    <figure className="fleet-chart" ref={fig}>
      <figcaption>
        <span className="fleet-chart-title">{p.title}</span>
        {p.series.map((s) => (
          <span key={s.label} className="fleet-key"><span className="swatch" style={{ background: s.color }} />{s.label}</span>
        ))}
        <span className="fleet-unit">{p.unit}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} width={W} height={h} role="img" aria-label={`${p.title}. ${p.summary}`}
        onClick={(ev) => {
          const r = ev.currentTarget.getBoundingClientRect();
          const vx = ((ev.clientX - r.left) / r.width) * W;
          p.onSeek(Math.max(0, Math.min(p.endMs, x.invert(vx))));
        }}>
        {gapPath && <path d={gapPath} className="fleet-gap" />}
        {paths.map((d, i) => {
          const s = p.series[i]!;
          return p.kind === 'bars'
            ? <path key={s.label} d={d} fill={s.color} />
            : <path key={s.label} d={d} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dash} vectorEffect="non-scaling-stroke" />;
        })}
        <g ref={xAxis} transform={`translate(0,${h - M.bottom})`} className="fleet-axis" aria-hidden="true" />
        <g ref={yAxis} transform={`translate(${M.left},0)`} className="fleet-axis" aria-hidden="true" />
        <line x1={cx} x2={cx} y1={M.top} y2={h - M.bottom} className="fleet-cursor" />
      </svg>
    </figure>
  );
});
