/**
 * The one way the app writes a virtual time or a duration: seconds with milliseconds
 * ("90.030 s"), so two events 10 ms apart never read the same. Past a minute the minutes
 * come as an addition ("150.000 s (2 min 30 s)"), never instead of the seconds. A time that
 * carries microseconds keeps them ("40.0505 s").
 *
 * Every time the app shows goes through `formatTime` (clock, log, fault panel, Inspector,
 * tooltips, the timeline's axis via `formatTick`, the text of events).
 */

const MS_PER_MIN = 60_000;

/** "90.030 s"; `minutes: false` leaves out the "(1 min 30 s)" addition (dense columns). */
export function formatTime(ms: number, opts: { minutes?: boolean } = {}): string {
  if (!Number.isFinite(ms)) return '—';
  const neg = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  const us = Math.round(a * 1000);
  const decimals = us % 1000 === 0 ? 3 : 6;
  let text = (us / 1_000_000).toFixed(decimals);
  if (decimals === 6) text = text.replace(/0+$/, '');
  const main = `${neg}${text} s`;
  if (opts.minutes === false || a < MS_PER_MIN) return main;
  return `${main} (${minutesText(a)})`;
}

/** "2 min 30 s", "1 h 5 min", "2 min 30.5 s": the addition for long spans. */
export function minutesText(a: number): string {
  const totalS = a / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - h * 3600) / 60);
  const s = Math.round((totalS - h * 3600 - m * 60) * 1000) / 1000;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} h`);
  if (m > 0 || h > 0) parts.push(`${m} min`);
  if (s > 0) parts.push(`${Number(s.toFixed(3))} s`);
  return parts.join(' ');
}

/** Same as `formatTime` (kept for the old name). */
export const formatMs = formatTime;

/** Time left on a timer: same format, never negative. */
export function formatRemaining(ms: number): string {
  return formatTime(Math.max(0, ms));
}
