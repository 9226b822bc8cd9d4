/**
 * Plain words for what the trace says in jargon, computed from the trace and the resolved
 * scenario (never guessed): a line beside every event kind, the keep-alive deadline's
 * arithmetic, what a crash really does to a client's Will, why a connection closed locally,
 * and the Will's topic and payload where it is delivered.
 */
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { formatTime } from './format.ts';

/** One plain-language line per event kind, shown beside the kind's code name. */
export const KIND_PLAIN: Record<string, string> = {
  action: 'a fault or scripted action happens',
  'mqtt.send': 'an MQTT packet is sent',
  'mqtt.recv': 'an MQTT packet arrives',
  'conn.open': 'a TCP connection is established',
  'conn.closed': 'this side considers the TCP connection over',
  'client.connected': 'the client got CONNACK: it is connected',
  'client.keepalive-timeout': 'the client stopped waiting for PINGRESP and drops the connection',
  'client.gave-up': 'the client gave up on this connection attempt',
  'client.state': 'the MQTT client changed state',
  'broker.keepalive-expired': 'the broker heard nothing for 1.5 × keep-alive and closes the connection',
  'broker.connect-timeout': 'the broker closes a connection that never sent CONNECT',
  'broker.takeover': 'a new connection with the same ClientId replaces the old one',
  'broker.protocol-error': 'the broker closes a connection for a malformed packet',
  'will.scheduled': 'the broker will publish the Will after the Will Delay',
  'will.published': 'the broker publishes the client’s Last Will',
  'will.discarded': 'the Will is dropped without being published',
  'session.created': 'the broker creates a session for the client',
  'session.resumed': 'the broker resumes a stored session',
  'session.discarded': 'the broker throws the old session away',
  'session.expired': 'the broker ends a stored session',
  'session.restored': 'a restarted broker reads a session back from its store on disk',
  'broker.store-saved': 'the broker writes its store to disk (what a crash will not lose)',
  'broker.store-restored': 'a restarted broker reads its last saved store: what changed after that save is gone',
  'message.delivered': 'a subscriber receives an application message',
  'tcp.state': 'a TCP connection changes state',
  'seg.send': 'a TCP segment leaves the host',
  'seg.deliver': 'a TCP segment arrives at the other end',
  'seg.drop': 'a TCP segment is lost on the way',
  'timer.set': 'a timer is started',
  'timer.clear': 'a timer is stopped before it goes off',
  'host.state': 'a host powers on or off, or its process crashes',
  'nat.expired': 'the NAT forgot an idle flow: packets on it are now dropped',
  'run.end': 'the simulation ends',
};

/** Plain words for a conn.closed cause. */
export const CLOSE_CAUSE_PLAIN: Record<string, string> = {
  fin: 'closed normally (FIN exchanged)',
  rst: 'reset by the other side (RST)',
  timeout: 'given up by TCP: retransmissions went unanswered',
  local: 'closed by this side’s own application',
};

function clientByNode(resolved: ResolvedScenario | null, node: string) {
  return resolved?.clients.find((c) => c.id === node);
}
function clientById(resolved: ResolvedScenario | null, clientId: string) {
  return resolved?.clients.find((c) => c.clientId === clientId);
}

/**
 * The keep-alive deadline's arithmetic: "last packet 21.010 s + 1.5 × 10 s = 36.010 s",
 * from the timer's own times and the client's keep-alive in the resolved scenario.
 */
export function keepAliveArithmetic(setMs: number, dueMs: number, clientId: string | null | undefined,
  resolved: ResolvedScenario | null, keepAliveSeconds?: number | null): string | null {
  const k = keepAliveSeconds ?? (clientId ? clientById(resolved, clientId)?.keepAliveSeconds : undefined);
  if (!k) return null;
  const factor = Math.round(((dueMs - setMs) / (k * 1000)) * 1000) / 1000;
  return `last packet ${formatTime(setMs)} + ${factor} × ${k} s = ${formatTime(dueMs)}`;
}

/**
 * The keep-alive the broker applies to `conn`, from the trace: the CONNACK's Server Keep Alive
 * if it set one, else the CONNECT's keep-alive (searched backwards from `beforeSeq`).
 */
export function keepAliveFromTrace(trace: readonly TraceEvent[], beforeSeq: number, conn: string | null): number | null {
  if (conn === null) return null;
  for (let i = Math.min(beforeSeq, trace.length - 1); i >= 0; i--) {
    const e = trace[i]!;
    if (e.kind === 'mqtt.send' && e.conn === conn && e.packet === 'CONNACK' && typeof e.serverKeepAliveSeconds === 'number') {
      return e.serverKeepAliveSeconds;
    }
    if (e.kind === 'mqtt.recv' && e.conn === conn && e.packet === 'CONNECT' && typeof e.keepAliveSeconds === 'number') {
      return e.keepAliveSeconds;
    }
  }
  return null;
}

/**
 * The text to show for an event's "why", when the simulator's sentence would mislead:
 * a client crash does not always publish the Will (no Will, a Will Delay, a takeover…),
 * so the sentence says what the trace shows happening to that client's Will.
 */
export function whyFor(trace: readonly TraceEvent[], seq: number, resolved: ResolvedScenario | null): string | undefined {
  const e = trace[seq];
  if (!e) return undefined;
  if (e.kind === 'action' && e.do === 'crash' && typeof e.node === 'string' && resolved && e.node !== resolved.broker.id) {
    const c = clientByNode(resolved, e.node);
    if (!c) return e.why;
    const head = `the ${e.node} process dies: its kernel closes the socket (FIN), so the broker sees the ` +
      'connection end without DISCONNECT';
    if (!c.will) return `${head}. ${e.node} has no Will, so nothing is published`;
    for (let i = seq + 1; i < trace.length; i++) {
      const w = trace[i]!;
      if ((w.kind === 'will.published' || w.kind === 'will.scheduled' || w.kind === 'will.discarded') &&
        w.clientId === c.clientId) {
        if (w.kind === 'will.published') return `${head} and publishes its Will on ${w.topic} at ${formatTime(w.tMs)}`;
        if (w.kind === 'will.scheduled') {
          return `${head}; the Will has a Will Delay of ${c.will.delaySeconds} s, so the broker schedules it ` +
            `for ${formatTime(w.dueMs)} (it is dropped if ${c.clientId} reconnects first)`;
        }
        return `${head}; the Will is discarded (${w.cause}), not published`;
      }
      if (w.kind === 'action' && w.node === e.node) break;
    }
    return `${head}; its Will (${c.will.topic}) is not published before the run ends`;
  }
  return e.why;
}

/** Extra words after the description: why a connection closed locally, the Will delivered. */
export function contextFor(trace: readonly TraceEvent[], seq: number, resolved: ResolvedScenario | null): string {
  const e = trace[seq];
  if (!e) return '';
  if (e.kind === 'conn.closed' && e.cause === 'local') {
    for (let i = seq - 1; i >= 0 && i >= seq - 40; i--) {
      const p = trace[i]!;
      if (p.tMs < e.tMs - 1) break;
      if (p.kind === 'client.keepalive-timeout' && p.node === e.node) return ' — the client gave up: no PINGRESP in time';
      if (p.kind === 'client.gave-up' && p.node === e.node) return ` — the client gave up (${p.reason})`;
      if (p.kind === 'broker.keepalive-expired' && p.node === e.node) return ` — the broker gave up on ${p.clientId}: keep-alive expired`;
      if (p.kind === 'broker.takeover' && p.node === e.node) return ` — replaced by ${p.newConn} (takeover)`;
      if (p.kind === 'action' && p.node === e.node) return ` — after “${p.do}”`;
    }
  }
  if (e.kind === 'message.delivered') {
    for (let i = seq - 1; i >= 0 && i >= seq - 400; i--) {
      const p = trace[i]!;
      if (p.tMs < e.tMs - 60_000) break;
      if (p.kind === 'will.published' && p.topic === e.topic && (p.payload === undefined || p.payload === e.payload)) {
        const c = clientById(resolved, p.clientId);
        const payload = p.payload ?? c?.will?.payload;
        return ` — the Last Will of ${p.clientId}${payload !== undefined ? `: “${payload}”` : ''}`;
      }
    }
  }
  return '';
}

/** The Will's payload for a will.published event (from the event, else the resolved scenario). */
export function willPayload(e: TraceEvent, resolved: ResolvedScenario | null): string | undefined {
  if (e.kind !== 'will.published') return undefined;
  return e.payload ?? clientById(resolved, e.clientId)?.will?.payload;
}
