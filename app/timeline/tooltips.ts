/** Tooltip and accessible-name texts for the diagram's items (plain text, for <title>). */
import type { TraceEvent } from '../../sim/index.ts';
import { DROP_REASON_WORDS } from '../../sim/index.ts';
import type { Arrow, Band, HalfOpen, Marker, Ribbon } from '../view-model/layoutTypes.ts';
import { formatDuration, formatTime } from './timeFormat.ts';
import { keepAliveArithmetic } from '../model/explain.ts';

function packetDetail(e: TraceEvent | undefined): string {
  if (!e || (e.kind !== 'mqtt.send' && e.kind !== 'mqtt.recv')) return '';
  const parts: string[] = [];
  if (e.clientId !== undefined) parts.push(`clientId ${e.clientId}`);
  if (e.topic !== undefined) parts.push(`topic ${e.topic}`);
  if (e.payload !== undefined) parts.push(`payload "${e.payload}"`);
  if (e.qos !== undefined) parts.push(`QoS ${e.qos}`);
  if (e.keepAliveSeconds !== undefined) parts.push(`keep-alive ${e.keepAliveSeconds} s`);
  if (e.reasonCode !== undefined) parts.push(`reason ${e.reasonCode}`);
  return parts.length > 0 ? `\n${e.packet}: ${parts.join(', ')}` : '';
}

export function arrowTitle(a: Arrow, trace: readonly TraceEvent[]): string {
  const what = a.kind === 'mqtt' ? a.label : `TCP ${a.flags || 'segment'}`;
  const again = a.retransmit ? ' (retransmission)' : '';
  let fate: string;
  if (a.outcome === 'delivered') fate = `received ${formatTime(a.endMs)} (${formatDuration(a.endMs - a.sendMs)} later)`;
  else if (a.outcome === 'dropped') fate = `${(DROP_REASON_WORDS as Record<string, string | undefined>)[a.dropReason ?? ''] ?? 'dropped'} at ${formatTime(a.dropMs ?? a.endMs)}`;
  else fate = 'still in flight when the run ended';
  const first = a.packetSeqs[0];
  return `${what}${again}: ${a.from} → ${a.to} (${a.conn})\nsent ${formatTime(a.sendMs)}, ${fate}` +
    `\nTCP ${a.flags}, ${a.len} byte${a.len === 1 ? '' : 's'}` +
    (a.retransmit ? '' : packetDetail(first === undefined ? undefined : trace[first]));
}

const CAUSE_TEXT: Record<string, string> = {
  fin: 'closed by FIN', rst: 'reset (RST)', timeout: 'timed out', local: 'closed by this end',
  'power-off': 'forgotten: host lost power', crash: 'forgotten: process crashed',
};

export function bandTitle(b: Band): string {
  const end = b.cause === null ? 'still open at the end' : `${CAUSE_TEXT[b.cause] ?? b.cause} at ${formatTime(b.toMs)}`;
  return `${b.node} believes ${b.conn} (to ${b.peer}) is open\nfrom ${formatTime(b.fromMs)}; ${end}`;
}

export function halfOpenTitle(h: HalfOpen): string {
  return `Half-open ${h.conn}: ${h.closedNode} has closed it, ${h.openNode} still believes it is open` +
    `\nfrom ${formatTime(h.fromMs)} to ${formatTime(h.toMs)} (${formatDuration(h.toMs - h.fromMs)})`;
}

export function ribbonTitle(r: Ribbon): string {
  const about = r.clientId ?? r.conn;
  const head = `${r.node}: ${r.label}${about ? ` (${about})` : ''}`;
  const armed = `armed ${formatTime(r.setMs)}, due ${formatTime(r.dueMs)} (${formatDuration(r.dueMs - r.setMs)})`;
  const fate = r.outcome === 'fired' ? 'it went off'
    : r.outcome === 'cleared' ? `cleared at ${formatTime(r.endMs)}`
      : r.outcome === 'replaced' ? `re-armed at ${formatTime(r.endMs)}` : 'still pending at the end';
  const arithmetic = keepAliveArithmetic(r.setMs, r.dueMs, r.keepAliveSeconds);
  const sum = arithmetic ? `\ndeadline: ${arithmetic}` : '';
  return `${head}${sum}\n${armed}; ${fate}`;
}

export function markerTitle(m: Marker, trace: readonly TraceEvent[]): string {
  const e = trace[m.seq];
  const why = e?.why ? `\n${e.why}` : '';
  return `${m.label} at ${formatTime(m.tMs)}${why}`;
}
