/** One line of plain language per trace event, for the event log and the inspector. */
import type { Direction, TraceEvent } from '../../sim/index.ts';
import { linkDirection, TIMERS } from '../../sim/index.ts';
import { formatMs } from './format.ts';
import { CLOSE_CAUSE_WORDS } from '../../sim/index.ts';

/**
 * An action in words, with a one-way cut's physical direction: `cut [sensor, broker] b->a`
 * is "cut broker → sensor (one way: sensor → broker still gets through)".
 */
export function actionWords(e: Readonly<Record<string, unknown>>): string {
  const what = String(e['do'] ?? '');
  if (Array.isArray(e['link'])) {
    const [a, b] = e['link'] as [string, string];
    const one = linkDirection([a, b], e['direction'] as Direction | undefined);
    if (one !== null) {
      const { from, to } = one;
      const still = what === 'cut' ? `; ${to} → ${from} still gets through` : '';
      return `${what} ${from} → ${to} (one direction only: segments from ${from} to ${to}${what === 'cut' ? ' are dropped' : ' get through again'}${still})`;
    }
    return `${what} ${a} ↔ ${b}${what === 'cut' || what === 'heal' ? ' (both directions)' : ''}`;
  }
  return typeof e['node'] === 'string' ? `${what} ${e['node']}` : what;
}

function packetDetail(e: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  if (typeof e['clientId'] === 'string') parts.push(`clientId ${e['clientId']}`);
  if (typeof e['keepAliveSeconds'] === 'number') parts.push(`keep-alive ${e['keepAliveSeconds']} s`);
  if (typeof e['cleanStart'] === 'boolean') parts.push(e['cleanStart'] ? 'clean start' : 'resume session');
  if (typeof e['topic'] === 'string') parts.push(`topic ${e['topic']}`);
  if (typeof e['payload'] === 'string') parts.push(`“${e['payload'].slice(0, 40)}”`);
  if (typeof e['qos'] === 'number') parts.push(`QoS ${e['qos']}`);
  if (typeof e['messageId'] === 'number') parts.push(`id ${e['messageId']}`);
  if (e['dup'] === true) parts.push('DUP');
  if (typeof e['reasonCode'] === 'number') {
    parts.push(`reason 0x${e['reasonCode'].toString(16).padStart(2, '0').toUpperCase()}`);
  }
  if (typeof e['sessionPresent'] === 'boolean') parts.push(`session present ${e['sessionPresent'] ? 1 : 0}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function describeEvent(ev: TraceEvent): string {
  const e: Readonly<Record<string, unknown>> = ev;
  const s = (k: string): string => String(e[k] ?? '');
  switch (ev.kind) {
    case 'action': {
      const extra = ['latencyMs', 'jitterMs', 'loss'].filter((k) => e[k] !== undefined)
        .map((k) => `${k} ${String(e[k])}`).join(', ');
      return `Fault/action: ${actionWords(e)}${extra ? ` — ${extra}` : ''}`;
    }
    case 'mqtt.send': return `${ev.node} → ${ev.peer}: ${ev.packet}${packetDetail(e)}`;
    case 'mqtt.recv': return `${ev.node} ← ${ev.peer}: ${ev.packet} received${packetDetail(e)}`;
    case 'conn.open': return `${ev.node}: TCP connection ${ev.conn} to ${ev.peer} open`;
    case 'conn.closed':
      return `${ev.node}: connection ${ev.conn} to ${ev.peer} ${(CLOSE_CAUSE_WORDS as Record<string, string | undefined>)[ev.cause] ?? `closed (${ev.cause})`}`;
    case 'client.connected': return `${ev.node}: connected (session present ${ev.sessionPresent ? 1 : 0})`;
    case 'client.keepalive-timeout': return `${ev.node}: no PINGRESP in time — gives up on ${ev.conn}`;
    case 'broker.keepalive-expired':
      return `${ev.node}: keep-alive expired for ${ev.clientId} (last packet at ${formatMs(ev.lastRecvMs)})`;
    case 'broker.connect-timeout': return `${ev.node}: no CONNECT on ${ev.conn} after ${formatMs(ev.waitedMs)}: closes it`;
    case 'broker.takeover': return `${ev.node}: takeover of ${ev.clientId}: ${ev.oldConn} dropped for ${ev.newConn}`;
    case 'will.scheduled': return `${ev.node}: Will of ${ev.clientId} scheduled for ${formatMs(ev.dueMs)}`;
    case 'will.published':
      return `${ev.node}: Will of ${ev.clientId} published on ${ev.topic}` +
        `${ev.payload !== undefined ? ` — payload “${ev.payload.slice(0, 60)}”` : ''} (${ev.cause})`;
    case 'will.discarded': return `${ev.node}: Will of ${ev.clientId} discarded (${ev.cause})`;
    case 'session.expired': return `${ev.node}: session of ${ev.clientId} expired`;
    case 'session.created': case 'session.resumed': case 'session.discarded':
      return `${ev.node}: session of ${ev.clientId} ${ev.kind.slice(8)}`;
    case 'session.restored':
      return `${ev.node}: session of ${ev.clientId} restored from the store (${ev.subscriptions.length} subscriptions, ${ev.messages} messages)`;
    case 'broker.store-saved':
      return `${ev.node}: store saved (${ev.reason}): ${ev.sessions} sessions, ${ev.messages} messages, ${ev.retained} retained`;
    case 'broker.store-restored':
      return ev.savedAtMs === null
        ? `${ev.node}: no store saved: the broker starts empty`
        : `${ev.node}: store of ${formatMs(ev.savedAtMs)} restored: ${ev.sessions} sessions, ${ev.messages} messages, ${ev.retained} retained`;
    case 'tcp.state': return `${ev.node}: ${ev.conn} ${ev.from} → ${ev.to}`;
    case 'seg.send':
      return `${ev.node} → ${ev.peer}: segment [${ev.flags}] len ${ev.len}${ev.retransmit ? ' (retransmission)' : ''}`;
    case 'seg.deliver': return `${ev.node} → ${ev.peer}: segment #${ev.id} arrived at ${ev.peer}`;
    case 'seg.drop': return `${ev.node} → ${ev.peer}: segment #${ev.id} dropped (${ev.reason})`;
    case 'timer.set': return `${ev.node}: timer ${ev.timer} set, due ${formatMs(ev.dueMs)}${ev.replaces ? ` (replaces ${ev.replaces}, which ends unfired)` : ''}`;
    case 'timer.clear': return `${ev.node}: timer ${ev.timer} cleared${ev.why ? ` (${ev.why})` : ''}`;
    case 'timer.fire': return `${ev.node}: ${TIMERS[ev.timer]?.fired ?? 'timer went off'} (${ev.timer})`;
    case 'host.state': return `${ev.node}: host ${ev.state}`;
    case 'client.state': return `${ev.node}: client ${ev.state}`;
    case 'client.gave-up': return `${ev.node}: gave up on ${ev.conn} (${ev.reason})`;
    case 'message.delivered': return `${ev.node}: message on ${ev.topic} delivered to ${ev.clientId}: “${ev.payload.slice(0, 60)}”`;
    case 'nat.expired':
      return `NAT on the ${ev.link[0]}–${ev.link[1]} link forgot the idle flow of ${ev.conn}: its packets are now dropped`;
    case 'proxy.timeout':
      return `Proxy on the ${ev.link[0]}–${ev.link[1]} link closed the idle flow of ${ev.conn}: ${ev.close === 'fin' ? 'FIN to both ends' : ev.close === 'rst' ? 'RST to both ends' : 'FIN to the client, RST to the broker'}`;
    case 'tcp.listen-overflow':
      return `${ev.node}: listen queue full for ${ev.conn} from ${ev.peer} (${ev.verdict}; backlog ${ev.backlog}, ` +
        `SYN queue ${ev.synQueued}, accept queue ${ev.acceptQueued})`;
    // run.end.events counts the engine's events (queue pops), not lines of the trace.
    case 'run.end': return `End of run (${ev.events} engine events)`;
    default: {
      const rest = Object.entries(e).filter(([k]) => !['seq', 'tMs', 'kind', 'why', 'rule', 'profile'].includes(k))
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      return rest;
    }
  }
}
