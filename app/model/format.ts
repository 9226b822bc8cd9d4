/** Human formatting of virtual times and event summaries. */

/** "12.345 s", "1 min 02.5 s", "850 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const neg = ms < 0 ? '−' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${neg}${trim(a.toFixed(3))} ms`;
  if (a < 60_000) return `${neg}${(a / 1000).toFixed(3)} s`;
  const min = Math.floor(a / 60_000);
  const s = (a - min * 60_000) / 1000;
  return `${neg}${min} min ${s.toFixed(1).padStart(4, '0')} s`;
}

function trim(s: string): string {
  return s.replace(/\.?0+$/, '');
}

/** Countdown style for timers: "7.2 s". */
export function formatRemaining(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
