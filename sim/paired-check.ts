/**
 * The paired check (in the spirit of TigerBeetle's state checker): after every engine event,
 * the world that sim/world reduces from the trace must equal a snapshot read from the live
 * objects (hosts, TCP connections, MQTT clients, the broker's sessions and Wills). A reader of
 * the trace (the app, a bug report) then sees exactly what the simulator holds; a trace that
 * leaves something out, or a reducer that re-derives it wrongly, fails here with the seed and
 * the event index. Test-only (RunOptions.pairedCheck): it costs a comparison of every node
 * per engine event.
 */
import type { Broker } from './mqtt/broker/state.ts';
import { CONNECTED } from './mqtt/broker/state.ts';
import type { Client } from './mqtt/client/state.ts';
import type { TcpHost } from './tcp/host.ts';
import type { ResolvedScenario } from './scenario/types.ts';
import type { TraceEvent } from './trace/types.ts';
import { World } from './world/world.ts';
import type { WorldView } from './world/types.ts';

export interface LiveWorld {
  stack(node: string): TcpHost;
  broker(): Broker | null;
  client(node: string): Client | null;
}

export class PairedCheckFailure extends Error {
  constructor(readonly seed: number, readonly eventIndex: number, readonly tMs: number, readonly diffs: string[]) {
    super(`Paired check failed after trace event #${eventIndex} (t=${tMs} ms, seed ${seed}): the world reduced ` +
      `from the trace disagrees with the simulator's own state:\n  ${diffs.slice(0, 12).join('\n  ')}` +
      `${diffs.length > 12 ? `\n  … ${diffs.length - 12} more` : ''}\nReplay: npx halfopen run FILE --seed ${seed} --trace - ` +
      `and read the trace up to seq ${eventIndex}.`);
    this.name = 'PairedCheckFailure';
  }
}

export function createPairedCheck(scenario: ResolvedScenario, trace: readonly TraceEvent[], seed: number, live: LiveWorld) {
  const world = new World(scenario, trace);
  return {
    /** Compare after the engine event that emitted trace events up to `lastSeq`, at `nowUs`. */
    check(lastSeq: number, nowUs: number): void {
      world.seek(lastSeq);
      const view = world.view(nowUs / 1000);
      const diffs = compare(view, live, scenario);
      if (diffs.length > 0) throw new PairedCheckFailure(seed, lastSeq, nowUs / 1000, diffs);
    },
  };
}

const sortedJson = (xs: readonly string[]): string => JSON.stringify([...xs].sort());

function compare(view: WorldView, live: LiveWorld, scenario: ResolvedScenario): string[] {
  const diffs: string[] = [];
  const differ = (what: string, reduced: unknown, real: unknown): void => {
    if (JSON.stringify(reduced) !== JSON.stringify(real)) diffs.push(`${what}: trace says ${JSON.stringify(reduced)}, simulator has ${JSON.stringify(real)}`);
  };
  for (const node of [scenario.broker.id, ...scenario.clients.map((c) => c.id)]) {
    const n = view.nodes[node]!;
    const stack = live.stack(node);
    differ(`${node} host`, n.host, !stack.up ? 'off' : !stack.processAlive ? 'crashed' : 'up');
    // TCP: every socket the kernel holds, with its state and whether the app still has it.
    const real: Record<string, [string, boolean]> = {};
    // `open` in the world: conn.open seen (the handshake completed) and no conn.closed yet.
    for (const c of stack.conns.values()) real[c.conn] = [c.state, c.appOpen && c.state !== 'SYN-SENT' && c.state !== 'SYN-RECEIVED'];
    const reduced: Record<string, [string, boolean]> = {};
    for (const c of n.conns) if (c.tcpState !== 'CLOSED') reduced[c.conn] = [c.tcpState, c.open];
    differ(`${node} TCP sockets`, sortObj(reduced), sortObj(real));
    if (n.client !== null) {
      const c = live.client(node);
      if (c !== null && c.alive && n.host === 'up') {
        differ(`${node} MQTT client state`, n.client.state, c.state);
        differ(`${node} connected on`, n.client.connectedConn, c.state === 'connected' ? c.socket?.conn ?? null : null);
        if (c.state === 'connected') differ(`${node} keep-alive in force`, n.client.keepAliveSeconds, c.keepAliveSeconds);
      }
    }
  }
  const b = live.broker();
  const bv = view.nodes[scenario.broker.id]!;
  if (b !== null && b.alive && bv.host === 'up') {
    differ('broker paused (SIGSTOP)', bv.paused, b.proc.paused);
    const reduced = bv.sessions.filter((s) => s.status === 'connected' || s.status === 'disconnected');
    differ('broker sessions', reduced.map((s) => s.clientId).sort(), [...b.sessions.keys()].sort());
    for (const s of reduced) {
      const real = b.sessions.get(s.clientId);
      if (!real) continue;
      const conn = real.conn !== null && real.conn.state === CONNECTED ? real.conn : null;
      const who = `broker session ${s.clientId}`;
      differ(`${who} connection`, s.conn, conn?.socket.conn ?? null);
      differ(`${who} subscriptions`, sortedJson(s.subscriptions), sortedJson([...real.subscriptions.keys()]));
      if (conn !== null) differ(`${who} keep-alive`, s.keepAliveSeconds, conn.keepAliveSeconds);
      const pending = b.pendingWills.get(s.clientId);
      const realWill = conn?.will != null ? 'armed' : pending !== undefined ? 'scheduled' : null;
      const reducedWill = s.will !== null && (s.will.status === 'armed' || s.will.status === 'scheduled') ? s.will.status : null;
      differ(`${who} Will`, reducedWill, realWill);
      if (pending !== undefined && s.will?.status === 'scheduled') differ(`${who} Will due`, s.will.dueMs, pending.dueUs / 1000);
    }
  }
  return diffs;
}

function sortObj<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}
