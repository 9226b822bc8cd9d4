/**
 * What the CLI may show on a terminal. Everything it prints that came from a file or the
 * command line (scenario names, quoted values and keys, expectation lines, paths) goes through
 * `escapeControls`, so a scenario cannot clear the screen, set the window title, reorder text
 * with bidi overrides or print a fake verdict. And the decision whether to draw a progress line.
 */

/**
 * C0 controls (line breaks too: one problem stays one line), DEL, C1 controls, the bidi
 * embeddings/overrides/isolates and marks, and the line/paragraph separators.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const hex4 = (c: string): string => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** Replaces every control character by a visible JSON-style escape such as `\u001b`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, hex4);
}

/**
 * The same for a trace line shown on a terminal: JSON.stringify already escapes C0, so only
 * DEL, C1 and the bidi controls remain; the escaped line is still the same JSON value.
 */
const TRACE_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
export function escapeTraceLine(line: string): string {
  return line.replace(TRACE_CONTROLS, hex4);
}

/**
 * A progress line is drawn only for a person watching: standard error is a terminal that can
 * move the cursor, and the trace is not being printed to that same terminal.
 */
export function progressWanted(o: { stderrIsTTY: boolean; term: string | undefined; traceToTTY: boolean }): boolean {
  return o.stderrIsTTY && o.term !== 'dumb' && !o.traceToTTY;
}

/** "12.3 s of 120 s virtual time (10 %), 45,678 events" */
export function progressText(tMs: number, untilMs: number, events: number): string {
  const pct = untilMs > 0 ? Math.min(100, Math.floor((tMs / untilMs) * 100)) : 0;
  const s = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `halfopen: ${s(tMs)} of ${s(untilMs)} virtual time (${pct} %), ${groupDigits(events)} events`;
}

export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Carriage return and erase line: draws over / removes the progress line. */
export const ERASE_LINE = '\r\u001b[K';
