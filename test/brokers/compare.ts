/**
 * Turns a simulator trace and a real run's log into the same comparable events, and compares
 * them kind by kind with a tolerance stated per kind (README.md, "Tolerances").
 *
 * Comparable kinds, each keyed by what identifies it in both worlds:
 * - `connected` (node): successful CONNACK at the client; sim `client.connected`; sessionPresent too.
 * - `pingreq` (node): PINGREQ written by the client; sim `mqtt.send`; real: seen at the proxy.
 * - `disconnect` (node): DISCONNECT written by the client.
 * - `gave-up` (node): the client gave up waiting; sim `client.keepalive-timeout`; real: MQTT.js
 *   'Keepalive timeout' error.
 * - `keepalive-close` (ClientId): sim `broker.keepalive-expired`; real: the broker side closed
 *   first, with no DISCONNECT before and no takeover.
 * - `takeover` (ClientId): sim `broker.takeover`; real: the broker closed an older connection
 *   within 1 s after a newer connection sent a CONNECT with the same ClientId.
 * - `will` (topic): sim `will.published`; real: delivery at the watcher.
 */
import type { ResolvedScenario } from '../../sim/scenario/types.ts';
import type { TraceEvent } from '../../sim/trace/types.ts';
import type { ObservedEvent } from './observed.ts';

export type CompareKind = 'connected' | 'pingreq' | 'disconnect' | 'gave-up' | 'keepalive-close' | 'takeover' | 'will';

export interface Comparable {
  kind: CompareKind;
  key: string;
  tMs: number;
  /** keepalive-close: when the broker last received a packet on that connection. */
  lastInMs?: number;
  sessionPresent?: boolean;
}

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

export function fromTrace(trace: readonly TraceEvent[], sc: ResolvedScenario): Comparable[] {
  const clientNodes = new Set(sc.clients.map((c) => c.id));
  const out: Comparable[] = [];
  for (const e of trace) {
    switch (e.kind) {
      case 'client.connected':
        out.push({ kind: 'connected', key: e.node, tMs: e.tMs, sessionPresent: e.sessionPresent });
        break;
      case 'mqtt.send':
        if (!clientNodes.has(e.node)) break;
        if (e.packet === 'PINGREQ') out.push({ kind: 'pingreq', key: e.node, tMs: e.tMs });
        if (e.packet === 'DISCONNECT') out.push({ kind: 'disconnect', key: e.node, tMs: e.tMs });
        break;
      case 'client.keepalive-timeout':
        out.push({ kind: 'gave-up', key: e.node, tMs: e.tMs });
        break;
      case 'broker.keepalive-expired':
        out.push({ kind: 'keepalive-close', key: e.clientId, tMs: e.tMs, lastInMs: e.lastRecvMs });
        break;
      case 'broker.takeover':
        out.push({ kind: 'takeover', key: e.clientId, tMs: e.tMs });
        break;
      case 'will.published':
        out.push({ kind: 'will', key: e.topic, tMs: e.tMs });
        break;
      default:
        break;
    }
  }
  return out;
}

interface LegInfo {
  node: string; leg: number; clientId: string | null; connectMs: number | null;
  disconnectMs: number | null; lastInMs: number | null;
  firstClose: { tMs: number; side: 'client' | 'broker' } | null;
}

export function fromObserved(events: readonly ObservedEvent[], prefix: string): Comparable[] {
  const out: Comparable[] = [];
  const legs = new Map<string, LegInfo>();
  const legOf = (node: string, leg: number): LegInfo => {
    const k = `${node}#${leg}`;
    let info = legs.get(k);
    if (!info) {
      info = { node, leg, clientId: null, connectMs: null, disconnectMs: null, lastInMs: null, firstClose: null };
      legs.set(k, info);
    }
    return info;
  };
  for (const e of events) {
    switch (e.kind) {
      case 'client.connected':
        out.push({ kind: 'connected', key: e.node, tMs: e.tMs, sessionPresent: e.sessionPresent });
        break;
      case 'client.error':
        if (e.message === 'Keepalive timeout') out.push({ kind: 'gave-up', key: e.node, tMs: e.tMs });
        break;
      case 'will.received':
        out.push({ kind: 'will', key: e.topic, tMs: e.tMs });
        break;
      case 'packet': {
        if (e.from !== 'client') break;
        const info = legOf(e.node, e.leg);
        if (e.forwarded) info.lastInMs = e.tMs;
        if (e.packet === 'CONNECT') {
          info.clientId = (e.clientId ?? '').startsWith(prefix) ? e.clientId!.slice(prefix.length) : (e.clientId ?? '');
          info.connectMs = e.tMs;
        }
        if (e.packet === 'PINGREQ') out.push({ kind: 'pingreq', key: e.node, tMs: e.tMs });
        if (e.packet === 'DISCONNECT') {
          out.push({ kind: 'disconnect', key: e.node, tMs: e.tMs });
          info.disconnectMs = e.tMs;
        }
        break;
      }
      case 'leg.closed': {
        // Who closed first as the broker saw it: a client close the proxy did not pass on
        // (power loss, cut) never reached the broker.
        const info = legOf(e.node, e.leg);
        if (info.firstClose === null && (e.side === 'broker' || e.passed)) info.firstClose = { tMs: e.tMs, side: e.side };
        break;
      }
      default:
        break;
    }
  }
  const all = [...legs.values()];
  for (const info of all) {
    const close = info.firstClose;
    if (close === null || close.side !== 'broker' || info.disconnectMs !== null || info.clientId === null) continue;
    const newer = all.find((o) => o !== info && o.clientId === info.clientId && o.connectMs !== null &&
      info.connectMs !== null && o.connectMs > info.connectMs && o.connectMs <= close.tMs + 1 &&
      close.tMs - o.connectMs <= 1000);
    if (newer) out.push({ kind: 'takeover', key: info.clientId, tMs: close.tMs });
    else out.push({ kind: 'keepalive-close', key: info.clientId, tMs: close.tMs, lastInMs: info.lastInMs ?? 0 });
  }
  return out.sort((a, b) => a.tMs - b.tMs);
}

const TOL_MS: Record<CompareKind, number> = {
  connected: 50, pingreq: 100, disconnect: 50, 'gave-up': 100, 'keepalive-close': 100, takeover: 100, will: 100,
};
/** mosquitto's Will Delay runs on whole real-time seconds: the first second boundary after close + delay. */
const MOSQUITTO_WILL_DELAY_TOL_MS = 1100;
/** mosquitto 2.0 scans every ~6 s (`last_check + 5 < now_s`): the close lands up to 7 s after floor(1.5 K). */
const MOSQUITTO_SCAN_SLACK_S = 7;

function label(c: Comparable, index: number): string {
  switch (c.kind) {
    case 'connected': return `connected ${c.key}${index > 0 ? ` #${index + 1}` : ''}`;
    case 'pingreq': return `PINGREQ #${index + 1} ${c.key}`;
    case 'disconnect': return `DISCONNECT ${c.key}`;
    case 'gave-up': return `client gave up ${c.key}`;
    case 'keepalive-close': return `keep-alive close ${c.key}`;
    case 'takeover': return `takeover ${c.key}`;
    case 'will': return `Will ${c.key}`;
  }
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

export function compareRuns(
  sim: readonly Comparable[] | null, obs: readonly Comparable[], sc: ResolvedScenario, broker: RealBrokerName,
): Row[] {
  const rows: Row[] = [];
  const groups = new Map<string, { kind: CompareKind; key: string }>();
  for (const c of [...(sim ?? []), ...obs]) groups.set(`${c.kind}|${c.key}`, { kind: c.kind, key: c.key });
  const pick = (list: readonly Comparable[] | null, kind: CompareKind, key: string) =>
    (list ?? []).filter((c) => c.kind === kind && c.key === key).sort((a, b) => a.tMs - b.tMs);

  for (const { kind, key } of groups.values()) {
    const s = pick(sim, kind, key);
    const o = pick(obs, kind, key);
    for (let i = 0; i < Math.max(s.length, o.length); i++) {
      const si = s[i] ?? null;
      const oi = o[i] ?? null;
      const ref = (si ?? oi)!;
      const row: Row = {
        event: label(ref, i), simMs: si ? r1(si.tMs) : null, obsMs: oi ? r1(oi.tMs) : null,
        diffMs: si && oi ? r1(oi.tMs - si.tMs) : null, tolerance: '', verdict: 'PASS', note: '',
      };
      judge(row, kind, key, si, oi, sim, obs, sc, broker);
      rows.push(row);
    }
  }
  addAbsenceRows(rows, sim, obs, sc);
  return rows.sort((a, b) => (a.simMs ?? a.obsMs ?? Infinity) - (b.simMs ?? b.obsMs ?? Infinity));
}

function judge(
  row: Row, kind: CompareKind, key: string, si: Comparable | null, oi: Comparable | null,
  sim: readonly Comparable[] | null, obs: readonly Comparable[], sc: ResolvedScenario, broker: RealBrokerName,
): void {
  let tol = TOL_MS[kind];
  row.tolerance = `±${tol} ms`;
  if (kind === 'keepalive-close' && broker === 'mosquitto') {
    const k = sc.clients.find((c) => c.clientId === key)?.keepAliveSeconds ?? 0;
    const f = Math.floor((k * 3) / 2);
    const lo = f * 1000 - 50;
    const hi = (f + MOSQUITTO_SCAN_SLACK_S) * 1000 + 100;
    row.tolerance = `both in (${f}, ${f + MOSQUITTO_SCAN_SLACK_S}] s after last packet in`;
    if (sim === null) { row.verdict = 'n/a'; return; }
    if (!si || !oi) { row.verdict = 'FAIL'; row.note = si ? 'not observed' : 'not simulated'; return; }
    const sAfter = si.tMs - (si.lastInMs ?? 0);
    const oAfter = oi.tMs - (oi.lastInMs ?? 0);
    row.note = `after last in: sim ${r1(sAfter / 1000)} s, real ${r1(oAfter / 1000)} s`;
    row.verdict = sAfter >= lo && sAfter <= hi && oAfter >= lo && oAfter <= hi ? 'PASS' : 'FAIL';
    return;
  }
  if (sim === null) { row.verdict = 'n/a'; return; }
  if (!si || !oi) {
    row.verdict = 'FAIL';
    row.note = si ? 'simulated, not observed' : 'observed, not simulated';
    return;
  }
  let diff = oi.tMs - si.tMs;
  if (kind === 'will') {
    const owner = sc.clients.find((c) => c.will?.topic === key);
    if (broker === 'mosquitto' && owner?.will && owner.will.delaySeconds > 0) {
      tol = MOSQUITTO_WILL_DELAY_TOL_MS;
      row.tolerance = `±${tol} ms (whole-second clock)`;
    }
    // Relative to a keep-alive close when both worlds have one: mosquitto's close itself
    // is only known to a window, and the Will follows it within a millisecond.
    const anchor = (list: readonly Comparable[], at: number) => list
      .filter((c) => c.kind === 'keepalive-close' && c.key === owner?.clientId && c.tMs <= at + 50)
      .at(-1);
    const sa = anchor(sim, si.tMs);
    const oa = anchor(obs, oi.tMs);
    if (owner && sa && oa && broker === 'mosquitto') {
      diff = (oi.tMs - oa.tMs) - (si.tMs - sa.tMs);
      row.note = 'diff relative to the keep-alive close';
    }
    row.diffMs = r1(diff);
  }
  if (kind === 'connected' && si.sessionPresent !== oi.sessionPresent) {
    row.verdict = 'FAIL';
    row.note = `sessionPresent sim ${si.sessionPresent} real ${oi.sessionPresent}`;
    return;
  }
  if (kind === 'connected') row.note = `sessionPresent ${si.sessionPresent}`;
  row.verdict = Math.abs(diff) <= tol ? 'PASS' : 'FAIL';
}

/** Presence and absence are compared exactly: a row says so when neither world had the event. */
function addAbsenceRows(rows: Row[], sim: readonly Comparable[] | null, obs: readonly Comparable[], sc: ResolvedScenario): void {
  const none = (kind: CompareKind, key: string) =>
    !(sim ?? []).some((c) => c.kind === kind && c.key === key) && !obs.some((c) => c.kind === kind && c.key === key);
  const add = (event: string) => rows.push({
    event, simMs: null, obsMs: null, diffMs: null, tolerance: 'exact count', verdict: sim === null ? 'n/a' : 'PASS',
    note: sim === null ? 'not observed' : 'none in either',
  });
  for (const topic of new Set(sc.clients.flatMap((c) => (c.will ? [c.will.topic] : [])))) {
    if (none('will', topic)) add(`no Will ${topic}`);
  }
  const ids = sc.clients.map((c) => c.clientId);
  for (const id of new Set(ids)) {
    if (none('keepalive-close', id)) add(`no keep-alive close ${id}`);
    if (ids.filter((x) => x === id).length > 1 && none('takeover', id)) add(`no takeover ${id}`);
  }
}

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

/** One line per proxied connection: who closed it, how and when (the table's context). */
export function describeConnections(events: readonly ObservedEvent[]): string[] {
  const legs = new Map<string, { open: number; closes: string[] }>();
  for (const e of events) {
    if (e.kind === 'leg.open') legs.set(`${e.node}#${e.leg}`, { open: e.tMs, closes: [] });
    if (e.kind === 'leg.closed') {
      const leg = legs.get(`${e.node}#${e.leg}`);
      leg?.closes.push(`${e.side} ${e.how.toUpperCase()} ${e.tMs.toFixed(1)}${e.passed ? '' : ' (not passed on)'}`);
    }
  }
  return [...legs].map(([name, l]) =>
    `${name.replace(/#\d+$/, '')}: opened ${l.open.toFixed(1)}; ${l.closes.length ? l.closes.join(', then ') : 'still open at the end'}`);
}
