/**
 * Which events a student would want to jump to, and the categories the event log filters by.
 */
import { NOTABLE_KINDS } from '../../sim/index.ts';
import type { TraceEvent } from '../../sim/index.ts';

/**
 * The simulator's notable kinds, plus two a student must see: the NAT forgetting an idle
 * flow (the moment the NAT scenario turns), and a client giving up on a connection attempt.
 */
const notable = new Set<string>([...NOTABLE_KINDS, 'nat.expired', 'proxy.timeout', 'client.gave-up']);

/** Connect, takeover, keep-alive expiry, Will, session end, faults, closed connections, NAT expiry. */
export function isNotable(e: TraceEvent): boolean {
  return notable.has(e.kind);
}

/** Event kinds a breakpoint can be set on, with a label a student understands. */
export const BREAKPOINT_KINDS: readonly { kind: string; label: string }[] = [
  { kind: 'will.published', label: 'a Will is published' },
  { kind: 'will.scheduled', label: 'a Will is scheduled (delay)' },
  { kind: 'will.discarded', label: 'a Will is discarded' },
  { kind: 'broker.keepalive-expired', label: 'the broker’s keep-alive expires' },
  { kind: 'client.keepalive-timeout', label: 'a client gives up waiting for PINGRESP' },
  { kind: 'broker.takeover', label: 'a takeover happens' },
  { kind: 'client.connected', label: 'a client connects' },
  { kind: 'conn.closed', label: 'a connection closes' },
  { kind: 'session.expired', label: 'a session expires' },
  { kind: 'seg.drop', label: 'a segment is dropped' },
];

/** Coarse layer of an event kind: used for colours and the log's kind filter. */
export type Layer = 'fault' | 'mqtt' | 'tcp' | 'timer' | 'segment' | 'broker' | 'client' | 'other';

export function layerOf(kind: string): Layer {
  if (kind === 'action' || kind === 'host.state') return 'fault';
  if (kind.startsWith('mqtt.') || kind === 'message.delivered') return 'mqtt';
  if (kind.startsWith('conn.') || kind === 'tcp.state') return 'tcp';
  if (kind.startsWith('timer.')) return 'timer';
  if (kind.startsWith('seg.') || kind === 'nat.expired' || kind === 'proxy.timeout') return 'segment';
  if (kind.startsWith('broker.') || kind.startsWith('will.') || kind.startsWith('session.')) {
    return 'broker';
  }
  if (kind.startsWith('client.')) return 'client';
  return 'other';
}

/** The node(s) an event concerns, for the log's node filter. */
export function nodesOf(e: TraceEvent): string[] {
  const r: Readonly<Record<string, unknown>> = e;
  const out: string[] = [];
  const node = r['node'];
  const link = r['link'];
  if (typeof node === 'string') out.push(node);
  if (Array.isArray(link)) for (const n of link) if (typeof n === 'string') out.push(n);
  return out;
}
