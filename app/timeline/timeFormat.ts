/**
 * Time axis maths for the sequence diagram: which tick step to use at a given zoom, and how
 * to write a tick so it stays readable from microseconds to hours.
 *
 * A keep-alive story spans minutes while a TCP round trip takes milliseconds, so the axis
 * must read well at both ends: "12.345 s" when zoomed in, "1:30" at the scale of seconds
 * past a minute, "2 min" when zoomed out. d3's decimal ticks would give steps like 7 s or
 * 25 s, so we pick steps from a list that follows clock units (1, 2, 5, 10, 15, 30 s; minutes).
 */

import { formatTime as formatTimeOne } from '../model/format.ts';

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

/**
 * Tick text for time `tMs` on an axis whose step is `stepMs`: seconds, with as many
 * decimals as the step needs ("12.345 s", "90 s", "120 s") — the app's one time format
 * (`model/format.ts`), shortened to the digits the step carries.
 */
export function formatTick(tMs: number, stepMs: number): string {
  if (Math.abs(tMs) < 1e-9) return '0 s';
  const sign = tMs < 0 ? '−' : '';
  const t = Math.abs(tMs);
  const decimals = stepMs >= MS_PER_S ? 0 : secondDecimals(stepMs);
  return `${sign}${(t / MS_PER_S).toFixed(decimals)} s`;
}

/** Exact time for tooltips and labels: the app's one format (`model/format.ts`). */
export const formatTime = formatTimeOne;

/** A duration, in the same format as a time: "0.450 s", "8.030 s", "90.000 s (1 min 30 s)". */
export function formatDuration(ms: number): string {
  return formatTimeOne(ms);
}
