/**
 * Plain words for what the trace says in jargon: a line beside every event kind, the
 * keep-alive deadline's arithmetic, what the broker did with a crashed client's Will, why a
 * connection closed locally, and whose Will a delivered message is (its `origin`). The
 * sentences about why are the simulator's (`why`); this file only joins events the trace
 * links (by connection, by engine step) and reads the resolved scenario and sim/world. It
 * states no rule of the simulator: where one seems needed, the fact belongs in the trace.
 */
import { effectsEnd } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { formatTime } from './format.ts';

function clientByNode(resolved: ResolvedScenario | null, node: string) {
  return resolved?.clients.find((c) => c.id === node);
}
function clientById(resolved: ResolvedScenario | null, clientId: string) {
  return resolved?.clients.find((c) => c.clientId === clientId);
}

/**
 * The keep-alive deadline's arithmetic: "last packet 21.010 s + 1.5 × 10 s = 36.010 s", from
 * the timer's own times and the keep-alive sim/world says is in force on its connection.
 */
export function keepAliveArithmetic(setMs: number, dueMs: number, keepAliveSeconds: number | null | undefined): string | null {
  const k = keepAliveSeconds;
  if (!k) return null;
  const factor = Math.round(((dueMs - setMs) / (k * 1000)) * 1000) / 1000;
  return `last packet ${formatTime(setMs)} + ${factor} × ${k} s = ${formatTime(dueMs)}`;
}

/**
 * The first trace event of the engine event that emitted `seq` (sim/world effectsEnd gives
 * its last): the events one cause emitted together, such as a timer going off, the client
 * giving up and its conn.closed. Without step ends (bare runners) it is `seq` itself.
 */
function stepStart(stepEnds: ArrayLike<number> | null, seq: number): number {
  if (!stepEnds || stepEnds.length === 0) return seq;
  const end = effectsEnd(stepEnds, seq);
  let i = seq;
  while (i > 0 && effectsEnd(stepEnds, i - 1) === end) i--;
  return i;
}

/** What the broker did with the Will of the connections in `conns`, from the will.* events that name them. */
function willStory(trace: readonly TraceEvent[], from: number, conns: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = from; i < trace.length; i++) {
    const w = trace[i]!;
    if (w.kind !== 'will.published' && w.kind !== 'will.scheduled' && w.kind !== 'will.discarded') continue;
    if (w.conn === undefined || !conns.has(w.conn)) continue;
    const why = w.why ? ` (${w.why})` : '';
    const at = formatTime(w.tMs);
    if (w.kind === 'will.scheduled') out.push(`at ${at} the broker schedules its Will for ${formatTime(w.dueMs)}${why}`);
    else if (w.kind === 'will.published') { out.push(`at ${at} the broker publishes its Will on ${w.topic}${why}`); break; }
    else { out.push(`at ${at} the broker discards its Will${why}`); break; }
  }
  return out;
}

/**
 * The text to show for an event's "why": the simulator's own sentence (`why`). For a client
 * crash, whose sentence cannot say what the broker will decide, it goes on with what the
 * trace shows happening to that client's Will: the will.* events on the connections the crash
 * closed (its conn.closed events, in the crash's own engine step), each with its own `why`.
 */
export function whyFor(
  trace: readonly TraceEvent[], seq: number, resolved: ResolvedScenario | null, stepEnds: ArrayLike<number> | null = null,
): string | undefined {
  const e = trace[seq];
  if (!e) return undefined;
  if (e.kind !== 'action' || e.do !== 'crash' || typeof e.node !== 'string') return e.why;
  const closed = new Set<string>();
  for (let i = seq + 1; i <= effectsEnd(stepEnds, seq) && i < trace.length; i++) {
    const c = trace[i]!;
    if (c.kind === 'conn.closed' && c.node === e.node) closed.add(c.conn);
  }
  if (closed.size === 0) return e.why;
  const story = willStory(trace, seq + 1, closed);
  const will = clientByNode(resolved, e.node)?.will;
  if (story.length === 0 && will) story.push(`the run ends before the broker does anything with its Will (${will.topic})`);
  return story.length > 0 ? `${e.why ?? `the ${e.node} process dies`}; ${story.join('; ')}` : e.why;
}

/** Extra words after the description: why a connection closed locally, whose Will a delivered message is. */
export function contextFor(
  trace: readonly TraceEvent[], seq: number, stepEnds: ArrayLike<number> | null = null,
): string {
  const e = trace[seq];
  if (!e) return '';
  if (e.kind === 'conn.closed' && e.cause === 'local') {
    // The cause is in the same engine step, before the close: the timer that went off, the
    // CONNECT that took the ClientId over, the action.
    for (let i = seq - 1; i >= stepStart(stepEnds, seq); i--) {
      const p = trace[i]!;
      if (p.kind === 'client.keepalive-timeout' && p.node === e.node) return ' — the client gave up: no PINGRESP in time';
      if (p.kind === 'client.gave-up' && p.node === e.node) return ` — the client gave up (${p.reason})`;
      if (p.kind === 'broker.keepalive-expired' && p.node === e.node) return ` — the broker gave up on ${p.clientId}: keep-alive expired`;
      if (p.kind === 'broker.takeover' && p.node === e.node) return ` — replaced by ${p.newConn} (takeover)`;
      if (p.kind === 'action' && p.node === e.node) return ` — after “${p.do}”`;
    }
  }
  // The trace names the Will a delivered message is (message.delivered `origin`, set by the
  // broker's routing): nothing is matched by topic or time.
  if (e.kind === 'message.delivered' && e.origin === 'will') {
    return ` — the Last Will of ${e.originClientId ?? 'a client'}${e.originConn !== undefined ? ` (${e.originConn})` : ''}: “${e.payload}”`;
  }
  return '';
}

/** The Will's payload for a will.published event (from the event, else the resolved scenario). */
export function willPayload(e: TraceEvent, resolved: ResolvedScenario | null): string | undefined {
  if (e.kind !== 'will.published') return undefined;
  return e.payload ?? clientById(resolved, e.clientId)?.will?.payload;
}
