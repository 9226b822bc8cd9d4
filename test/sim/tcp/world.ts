/**
 * Test helper: an engine + network with a broker host and client hosts, a toy echo server
 * and a recording client app. Times in the helpers are virtual seconds / milliseconds.
 */
import { createEngine, type EngineRunner } from '../../../sim/engine/engine.ts';
import { createNetwork } from '../../../sim/net/network.ts';
import type { KeepAliveOptions, SocketHandlers, TcpSocket } from '../../../sim/net/api.ts';
import type { ResolvedLink } from '../../../sim/scenario/types.ts';
import type { CloseCause, TraceEvent } from '../../../sim/trace/types.ts';

export const PORT = 1883;

export interface WorldOptions {
  seed?: number;
  clients?: string[];
  link?: Partial<Omit<ResolvedLink, 'between'>>;
  trace?: boolean;
}

export interface ClientLog {
  socket: TcpSocket;
  opened: number[];
  data: { tMs: number; bytes: Uint8Array }[];
  closed: { tMs: number; cause: CloseCause }[];
  received(): string;
}

export function makeWorld(opts: WorldOptions = {}) {
  const events: TraceEvent[] = [];
  const clients = opts.clients ?? ['sensor'];
  const engine: EngineRunner = createEngine({
    seed: opts.seed ?? 1,
    ...(opts.trace === false ? {} : { onEvent: (e: TraceEvent) => { events.push(e); } }),
  });
  const links: ResolvedLink[] = clients.map((c) => ({
    between: [c, 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: null, ...opts.link,
  }));
  const net = createNetwork(engine, { nodes: ['broker', ...clients], links });

  /** Sockets the echo server accepted, and what it saw. */
  const server = { accepted: [] as TcpSocket[], closes: [] as CloseCause[], bytes: 0 };

  function echoServer(node = 'broker', keepAlive: KeepAliveOptions | null = null): void {
    net.host(node).listen(PORT, (s) => {
      server.accepted.push(s);
      s.setHandlers({
        onOpen() {},
        onData(b) { server.bytes += b.length; s.write(b); },
        onClose(cause) { server.closes.push(cause); },
      });
    }, keepAlive);
  }

  /** A client that records everything; `extra` can add behaviour to the callbacks. */
  function client(node = clients[0]!, keepAlive: KeepAliveOptions | null = null, extra: Partial<SocketHandlers> = {}): ClientLog {
    const log: Omit<ClientLog, 'socket'> = {
      opened: [], data: [], closed: [],
      received() { return this.data.map((d) => new TextDecoder().decode(d.bytes)).join(''); },
    };
    const handlers: SocketHandlers = {
      onOpen() { log.opened.push(engine.now() / 1000); extra.onOpen?.(); },
      onData(bytes) { log.data.push({ tMs: engine.now() / 1000, bytes }); extra.onData?.(bytes); },
      onClose(cause) { log.closed.push({ tMs: engine.now() / 1000, cause }); extra.onClose?.(cause); },
    };
    const socket = net.host(node).connect('broker', PORT, handlers, keepAlive);
    return Object.assign(log, { socket });
  }

  const runMs = (ms: number): void => { engine.runUntil(Math.round(ms * 1000)); };
  const runS = (s: number): void => { engine.runUntil(Math.round(s * 1_000_000)); };
  const at = (ms: number, fn: () => void): void => engine.schedule(Math.round(ms * 1000), fn);
  const of = <K extends TraceEvent['kind']>(kind: K): Extract<TraceEvent, { kind: K }>[] =>
    events.filter((e) => e.kind === kind) as Extract<TraceEvent, { kind: K }>[];

  return { engine, net, events, server, echoServer, client, runMs, runS, at, of };
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
