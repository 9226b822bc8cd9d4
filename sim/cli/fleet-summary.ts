/**
 * What the run summary says about a fleet (issue 13, part 6): per phase (the start, then each
 * action, a group's action being one), the broker's belief against the truth, detections,
 * give-ups, reconnections with first/median/p99/last times, Wills and drops; and the same as
 * JSON for scripts (`--summary json`, shape in the README: "Run summary as JSON").
 */
import { COUNTER_ROWS } from '../fleet/counters.ts';
import type { FleetPhase, FleetReport } from '../fleet/types.ts';
import type { RunSummary } from '../run-types.ts';

const sec = (ms: number): string => `${+(ms / 1000).toFixed(3)} s`;
const label = (key: string): string => COUNTER_ROWS.find((r) => r.key === key)?.label ?? key;
/** Always said, even when zero: what an operator asks after a fleet event. */
const ALWAYS = ['detections', 'giveUps', 'willsPublished', 'synDrops', 'segDrops'];

function phaseLine(p: FleetPhase): string[] {
  const head = p.index === 0
    ? `  from the start (0 s to ${sec(p.untilMs)}):`
    : `  after ${p.action} ${p.target} at ${sec(p.atMs)} (until ${sec(p.untilMs)}):`;
  const lines = [head];
  lines.push(`    believed online ${p.believedAtStart} → ${p.believedAtEnd}, truly alive ${p.aliveAtStart} → ${p.aliveAtEnd}` +
    (p.maxLie > 0 ? `; up to ${p.maxLie} believed online but not alive (first at ${sec(p.maxLieAtMs)})` : ''));
  const r = p.reconnections;
  const conn = [`${p.connects} connects, ${p.disconnects} disconnects (as the broker saw them)`];
  if (p.firstConnections > 0) conn.push(`${p.firstConnections} first connections`);
  lines.push(`    ${conn.join(', ')}`);
  if (r.count > 0) {
    const at = (ms: number | null): string => ms === null ? '-' : `${sec(ms)} (+${sec(ms - p.atMs)})`;
    lines.push(`    ${r.count} reconnections: first ${at(r.first)}, median ${at(r.median)}, p99 ${at(r.p99)}, last ${at(r.last)}`);
  } else lines.push('    0 reconnections');
  const counts = Object.entries(p.counts).filter(([k, v]) => ALWAYS.includes(k) || v > 0).map(([k, v]) => `${v} ${label(k)}`);
  lines.push(`    ${counts.join(', ')}`);
  return lines;
}

/** The fleet part of the human summary (after the lines CONTRACT.md §1 names). */
export function fleetSummaryLines(f: FleetReport): string[] {
  const groups = f.groups.filter((g) => g.count > 1);
  const lines = [`  devices: ${f.devices}${groups.length > 0 ? ` (groups: ${groups.map((g) => `${g.id} ${g.count}`).join(', ')})` : ''}`];
  const c = f.connack;
  if (c.count > 0) lines.push(`  CONNACK latency (CONNECT sent to CONNACK received): median ${c.p50} ms, p99 ${c.p99} ms, max ${c.max} ms over ${c.count}`);
  if (f.maxLie > 0) lines.push(`  the dashboard's lie: up to ${f.maxLie} ${f.maxLie === 1 ? 'device' : 'devices'} believed online but not alive (first at ${sec(f.maxLieAtMs)})`);
  for (const p of f.phases) lines.push(...phaseLine(p));
  return lines;
}

const arr = (a: ArrayLike<number>): (number | null)[] => Array.from(a, (v) => (Number.isNaN(v) ? null : v));

/** `--summary json`: one JSON object (README "Run summary as JSON"). */
export function summaryJson(name: string, s: RunSummary, checked: number, failures: string[], f: FleetReport): object {
  const series = f.series;
  return {
    format: 'halfopen/summary', version: 1, scenario: name,
    seed: s.seed, brokerProfile: s.brokerProfile, endMs: s.endMs,
    events: { processed: s.events, trace: s.traceEvents },
    connections: s.connections, willsPublished: s.willsPublished,
    expectations: { checked, passed: checked - failures.length, failures },
    fleet: {
      devices: f.devices, groups: f.groups, maxLie: f.maxLie, maxLieAtMs: f.maxLieAtMs,
      connackMs: f.connack, totals: f.totals,
      phases: f.phases.map((p) => ({
        index: p.index, action: p.action, target: p.target, atMs: p.atMs, untilMs: p.untilMs, actionEvents: p.actionEvents,
        believedAtStart: p.believedAtStart, believedAtEnd: p.believedAtEnd, aliveAtStart: p.aliveAtStart, aliveAtEnd: p.aliveAtEnd,
        maxLie: p.maxLie, maxLieAtMs: p.maxLieAtMs,
        connects: p.connects, disconnects: p.disconnects, firstConnections: p.firstConnections,
        reconnections: {
          count: p.reconnections.count, firstMs: p.reconnections.first, medianMs: p.reconnections.median,
          p99Ms: p.reconnections.p99, lastMs: p.reconnections.last,
        },
        counts: p.counts,
      })),
      series: {
        bucketMs: series.bucketMs, believed: arr(series.believed), alive: arr(series.alive),
        connects: arr(series.connects), disconnects: arr(series.disconnects),
        counters: Object.fromEntries(Object.entries(series.counters).map(([k, v]) => [k, arr(v)])),
        connackP50Ms: arr(series.connackP50), connackP99Ms: arr(series.connackP99), connackMaxMs: arr(series.connackMax),
        groups: f.groups.map((g, i) => ({
          id: g.id,
          believed: arr(series.groupBelieved.subarray(i * series.buckets, (i + 1) * series.buckets)),
          alive: arr(series.groupAlive.subarray(i * series.buckets, (i + 1) * series.buckets)),
        })),
      },
    },
  };
}
