/**
 * Time axis maths for the sequence diagram: which tick step to use at a given zoom, and how
 * to write a tick so it stays readable from microseconds to hours.
 *
 * A keep-alive story spans minutes while a TCP round trip takes milliseconds, so the axis
 * must read well at both ends: "12.345 s" when zoomed in, "1:30" at the scale of seconds
 * past a minute, "2 min" when zoomed out. d3's decimal ticks would give steps like 7 s or
 * 25 s, so we pick steps from a list that follows clock units (1, 2, 5, 10, 15, 30 s; minutes).
 */

const MS_PER_S = 1000;
const MS_PER_MIN = 60_000;
const MS_PER_H = 3_600_000;

/** Tick steps in ms, ascending: decimal below one second, clock units above. */
export const TICK_STEPS_MS: readonly number[] = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1000, 2000, 5000, 10_000, 15_000, 30_000,
  MS_PER_MIN, 2 * MS_PER_MIN, 5 * MS_PER_MIN, 10 * MS_PER_MIN, 15 * MS_PER_MIN, 30 * MS_PER_MIN,
  MS_PER_H, 2 * MS_PER_H, 6 * MS_PER_H, 12 * MS_PER_H, 24 * MS_PER_H,
];

/** The smallest step that leaves at least `minPx` pixels between ticks. */
export function chooseTickStep(msPerPx: number, minPx = 90): number {
  const wanted = msPerPx * minPx;
  for (const step of TICK_STEPS_MS) if (step >= wanted) return step;
  return TICK_STEPS_MS[TICK_STEPS_MS.length - 1] ?? MS_PER_H;
}

/** Tick values (ms) that are multiples of `stepMs` inside [fromMs, toMs]. */
export function tickValues(fromMs: number, toMs: number, stepMs: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(fromMs / stepMs - 1e-9);
  const last = Math.floor(toMs / stepMs + 1e-9);
  for (let i = first; i <= last && out.length < 1000; i++) out.push(roundTo(i * stepMs, stepMs));
  return out;
}

/** Decimal places needed to write multiples of `stepMs` in seconds exactly. */
function secondDecimals(stepMs: number): number {
  let decimals = 0;
  let stepS = stepMs / MS_PER_S;
  while (decimals < 6 && Math.abs(stepS - Math.round(stepS)) > 1e-9) {
    stepS *= 10;
    decimals++;
  }
  return decimals;
}

function roundTo(value: number, stepMs: number): number {
  const scale = 10 ** (secondDecimals(stepMs) + 3);
  return Math.round(value * scale) / scale;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "1:02:03"-style clock text for whole seconds. */
function clock(totalS: number): string {
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/**
 * Tick text for time `tMs` on an axis whose step is `stepMs`:
 * - step below 1 s: seconds with as many decimals as the step needs ("12.345 s"), or
 *   "m:ss.sss" once past a minute ("1:02.345");
 * - step of whole seconds: "45 s" under a minute, "1:30" after;
 * - step of whole minutes: "2 min", and "1 h 30 min" / "2 h" past an hour.
 */
export function formatTick(tMs: number, stepMs: number): string {
  if (Math.abs(tMs) < 1e-9) return '0 s';
  const negative = tMs < 0;
  const t = Math.abs(tMs);
  const sign = negative ? '−' : '';
  if (stepMs >= MS_PER_MIN) {
    const totalMin = Math.round(t / MS_PER_MIN);
    if (totalMin < 60) return `${sign}${totalMin} min`;
    const h = Math.floor(totalMin / 60);
    const m = totalMin % 60;
    return m === 0 ? `${sign}${h} h` : `${sign}${h} h ${m} min`;
  }
  if (stepMs >= MS_PER_S) {
    const totalS = Math.round(t / MS_PER_S);
    return totalS < 60 ? `${sign}${totalS} s` : `${sign}${clock(totalS)}`;
  }
  const decimals = secondDecimals(stepMs);
  if (t < MS_PER_MIN) return `${sign}${(t / MS_PER_S).toFixed(decimals)} s`;
  const wholeS = Math.floor(t / MS_PER_S + 1e-9);
  const frac = (t / MS_PER_S - wholeS).toFixed(decimals).slice(1); // ".345"
  return `${sign}${clock(wholeS)}${frac === '.' ? '' : frac}`;
}

/**
 * Exact time for tooltips and labels: seconds with millisecond precision, more digits only
 * when the time carries microseconds ("12.345 s", "0.0105 s" → "0.010500 s" never: trimmed).
 */
export function formatTime(tMs: number): string {
  const us = Math.round(tMs * 1000);
  const decimals = us % 1000 === 0 ? 3 : 6;
  let text = (us / 1_000_000).toFixed(decimals);
  if (decimals === 6) text = text.replace(/0+$/, '');
  return `${text} s`;
}

/** A duration in words for labels: "450 ms", "12.5 s", "1 min 30 s". */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < MS_PER_S) return `${Number(ms.toFixed(ms < 10 ? 2 : 0))} ms`;
  if (ms < MS_PER_MIN) return `${Number((ms / MS_PER_S).toFixed(ms < 10_000 ? 2 : 1))} s`;
  const totalS = Math.round(ms / MS_PER_S);
  const m = Math.floor(totalS / 60);
  const s = totalS % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}
