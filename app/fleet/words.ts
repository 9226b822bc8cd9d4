/** The Fleet view's sentences (the CLI's summary says the same, sim/cli/fleet-summary.ts). */
import type { FleetPhase, FleetReport } from '../../sim/index.ts';
import { COUNTER_ROWS } from '../../sim/index.ts';

export const sec = (ms: number): string => `${+(ms / 1000).toFixed(3)} s`;
const NUM = new Intl.NumberFormat('en-US');
export const num = (n: number): string => NUM.format(n);

/** The level of a series at time tMs: the value at the end of the bucket before it (0 before the first). */
export function levelAt(values: ArrayLike<number>, bucketMs: number, tMs: number, offset = 0, buckets = values.length): number {
  const b = Math.floor(tMs / bucketMs) - 1;
  if (b < 0) return 0;
  return values[offset + Math.min(b, buckets - 1)]!;
}

export function phaseTitle(p: FleetPhase): string {
  return p.index === 0 ? `From the start until ${sec(p.untilMs)}` : `After ${p.action} ${p.target} at ${sec(p.atMs)}`;
}

export function phaseFacts(p: FleetPhase): string[] {
  const out = [
    `The broker believed ${num(p.believedAtStart)} → ${num(p.believedAtEnd)} online; truly alive ${num(p.aliveAtStart)} → ${num(p.aliveAtEnd)}.`,
  ];
  if (p.maxLie > 0) out.push(`Up to ${num(p.maxLie)} ${p.maxLie === 1 ? 'device was' : 'devices were'} believed online but not alive (from ${sec(p.maxLieAtMs)}).`);
  const c = p.counts;
  out.push(`${num(c.detections ?? 0)} keep-alive detections, ${num(c.giveUps ?? 0)} give-ups, ${num(c.willsPublished ?? 0)} Wills published, ${num(c.synDrops ?? 0)} SYNs or SYN-ACKs lost on the way.`);
  const r = p.reconnections;
  if (r.count > 0 && r.first !== null && r.median !== null && r.p99 !== null && r.last !== null) {
    const after = (ms: number): string => `+${sec(ms - p.atMs)}`;
    out.push(`${num(r.count)} reconnections: first ${after(r.first)}, median ${after(r.median)}, p99 ${after(r.p99)}, last ${after(r.last)}.`);
  } else if (p.firstConnections > 0) out.push(`${num(p.firstConnections)} devices connected for the first time.`);
  for (const row of COUNTER_ROWS) {
    if (['detections', 'giveUps', 'willsPublished', 'synDrops', 'segDrops', 'willsDiscarded'].includes(row.key)) continue;
    if ((c[row.key] ?? 0) > 0) out.push(`${num(c[row.key]!)} ${row.label}.`);
  }
  return out;
}

export function reportHeadline(f: FleetReport): string {
  return f.maxLie > 0
    ? `Largest gap: ${num(f.maxLie)} ${f.maxLie === 1 ? 'device' : 'devices'} believed online but not alive, first at ${sec(f.maxLieAtMs)}.`
    : 'The broker never believed a dead device online.';
}
