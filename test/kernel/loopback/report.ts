/**
 * Plain-text and markdown tables for the loopback broker-behaviour tests (what was
 * test/brokers/compare.ts's formatting, without the proxy's comparison logic).
 */
export type Verdict = 'PASS' | 'FAIL' | 'n/a';

export interface Row {
  event: string;
  simMs: number | null;
  obsMs: number | null;
  diffMs: number | null;
  tolerance: string;
  verdict: Verdict;
  note: string;
}

export type RealBrokerName = 'mosquitto' | 'aedes';

const fmt = (x: number | null): string => (x === null ? '—' : x.toFixed(1));

export function formatText(title: string, rows: readonly Row[]): string {
  const head = ['event', 'sim ms', 'real ms', 'diff ms', 'tolerance', 'verdict', 'note'];
  const body = rows.map((r) => [r.event, fmt(r.simMs), fmt(r.obsMs), fmt(r.diffMs), r.tolerance, r.verdict, r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [title, line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatMarkdown(title: string, rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `### ${title}`, '',
    '| event | sim (ms) | real (ms) | diff (ms) | tolerance | verdict | note |',
    '|---|---:|---:|---:|---|---|---|',
    ...rows.map((r) => `| ${esc(r.event)} | ${fmt(r.simMs)} | ${fmt(r.obsMs)} | ${fmt(r.diffMs)} | ${esc(r.tolerance)} | ${r.verdict} | ${esc(r.note)} |`),
    '',
  ].join('\n');
}
