/**
 * One node's TCP stack (its kernel): the connection table, listeners, ephemeral ports, the
 * answer to segments nobody owns, and what power loss and a process crash do to sockets.
 *
 * - Demultiplexing by (remote node, remote port, local port) as a numeric key; a segment's
 *   `to` hint (the receiving socket as its peer last saw it) skips the lookup while it is
 *   alive and still that connection's (sockets are recycled: recycled).
 * - A segment for no connection gets RST (RFC 9293 §3.5.2 group 1: "If the connection does
 *   not exist (CLOSED), then a reset is sent in response to any incoming segment except
 *   another reset"); so does a SYN to a port without a listener (connection refused).
 * - Power-off: every socket vanishes without a segment, its timers ending in the trace
 *   (timer.clear, why "host powered off"); power-on: an empty table.
 * - Process crash: the kernel closes the process's sockets (FIN: apps here read everything
 *   at once, so no unread data forces an RST; data arriving later gets RST, receive.ts) and
 *   its listeners, so later SYNs are refused. The sockets' TCP timers keep running (the
 *   kernel lives on); the application's timers end with the application (run.ts). A later
 *   listen() or connect() on that host is the process restarting (host.state 'up').
 * - Listen queues (listen-queue.ts): a SYN is queued, answered with a cookie or dropped; an
 *   established connection waits in the accept queue until the app is ready to accept it.
 * Left out: SO_REUSEADDR/TIME-WAIT port reuse rules
 * (ephemeral ports count upward across reboots, so a new connection never reuses a live key).
 */
import { ConnTable } from './conn-table.ts';
import type { KeepAliveOptions, HostStack, Listening, ListenOptions, SocketHandlers, TcpSocket } from '../net/api.ts';
import type { TcpEnv } from './env.ts';
import type { Listener } from './conn-state.ts';
import { type ConnHost, TcpConn, acceptPending } from './connection.ts';
import { receiveSegment } from './receive.ts';
import { ACK, FIN, RST, SYN, Segment, seqAdd } from './segment.ts';
import { effectiveBacklog, synVerdict } from './listen-queue.ts';
import { KERNEL_PROFILES, resolveHostTcp, type HostTcpSettings, type KernelProfile } from './settings.ts';

const EPHEMERAL_LO = 49152;
const EPHEMERAL_SPAN = 16384;

/**
 * Socket recycling (TcpHost.recycled), as a switch and a count: test/sim/tcp/recycle.test.ts
 * runs scenarios both ways and compares their traces byte for byte.
 */
export const socketRecycling = { enabled: true, reused: 0 };

export class TcpHost implements HostStack, ConnHost {
  up = true;
  processAlive = true;
  readonly conns = new ConnTable<TcpConn>();
  readonly pendingEnds = new Set<TcpConn>();
  /** Listening sockets by port; made on the first listen (a client host never listens). */
  private listeners: Map<number, Listener> | null = null;
  private nextConnN = 1;
  /** The last socket that died before its handshake completed, and when (recycled). */
  private spare: TcpConn | null = null;
  private spareDiedAt = 0;
  private nextPort = -1;
  /** The last route asked for (a client talks to one broker: each new connection asks again). */
  private routePeer = -1;
  private routeLast: object | null = null;
  /** The host's sysctls and socket defaults (scenario `tcp`), and its kernel's fixed behaviour. */
  settings: HostTcpSettings;
  kernel: KernelProfile;

  constructor(readonly env: TcpEnv, readonly idx: number, readonly name: string, settings?: HostTcpSettings) {
    this.settings = settings ?? resolveHostTcp(undefined);
    this.kernel = KERNEL_PROFILES[this.settings.kernel];
  }

  /** Replace the host's TCP settings (before any connection exists). */
  configure(settings: HostTcpSettings): void {
    this.settings = settings;
    this.kernel = KERNEL_PROFILES[settings.kernel];
  }

  static key(remoteIdx: number, remotePort: number, localPort: number): number {
    return (remoteIdx * 65536 + remotePort) * 65536 + localPort;
  }

  /** Accept connections on `port`. Extension: `keepAlive` enables SO_KEEPALIVE on accepted sockets. */
  listen(
    port: number, onAccept: (socket: TcpSocket) => void, keepAlive: KeepAliveOptions | null = null,
    options: ListenOptions = { backlog: this.settings.somaxconn, ready: null },
  ): Listening {
    this.ensureProcess('listen');
    const l: Listener = {
      port, onAccept, keepAlive, backlog: effectiveBacklog(options.backlog, this.settings.somaxconn),
      ready: options.ready, synQueued: 0, acceptQ: [],
    };
    (this.listeners ??= new Map()).set(port, l);
    return { acceptPending: () => acceptPending(l) };
  }

  connect(peer: string, port: number, handlers: SocketHandlers, keepAlive: KeepAliveOptions | null = null): TcpSocket {
    this.ensureProcess('connect');
    const peerIdx = this.env.indexOf(peer);
    if (this.nextPort < 0) this.nextPort = EPHEMERAL_LO + this.env.portRng.intBelow(EPHEMERAL_SPAN);
    let localPort = 0;
    let key = 0;
    for (let tries = 0; tries <= EPHEMERAL_SPAN; tries++) {
      localPort = this.nextPort;
      this.nextPort = localPort === 65535 ? EPHEMERAL_LO : localPort + 1;
      key = TcpHost.key(peerIdx, port, localPort);
      if (!this.conns.has(key)) break;
      if (tries === EPHEMERAL_SPAN) throw new Error(`${this.name}: no free ephemeral port towards ${peer}:${port}`);
    }
    const conn = `${this.name}/${this.nextConnN++}`;
    const c = this.recycled(peerIdx, localPort, port, conn, key, keepAlive) ??
      new TcpConn(this, peerIdx, localPort, port, conn, key, keepAlive);
    c.handlers = handlers;
    this.conns.set(key, c);
    c.startActive();
    return c;
  }

  /** A segment arrived (the network has checked that the host is powered). */
  receive(seg: Segment): void {
    // The sender's hint is exactly the table's entry while it is alive (live ⇔ in the table).
    const hint = seg.to as TcpConn | null; // only TcpConns send segments that carry hints
    // A hint may name a socket recycled since (recycled), on this host (a socket never changes
    // host) but perhaps for another connection: taken only if it is live with this segment's
    // peer and ports, which is then exactly the table's entry.
    const c = hint !== null && !hint.dead && hint.peerIdx === seg.src &&
      hint.remotePort === seg.srcPort && hint.localPort === seg.dstPort
      ? hint : this.conns.get(TcpHost.key(seg.src, seg.srcPort, seg.dstPort));
    if (c !== undefined) {
      if (seg.from !== null) c.remote = seg.from;
      receiveSegment(c, seg);
      return;
    }
    const f = seg.flags;
    if (f & RST) return;
    if ((f & (SYN | ACK)) === SYN) {
      const l = this.listeners?.get(seg.dstPort);
      if (l !== undefined) {
        const verdict = synVerdict(this.settings, l.backlog, l.synQueued, l.acceptQ.length);
        if (verdict !== 'queue') {
          this.env.engine.emit({
            kind: 'tcp.listen-overflow', node: this.name, peer: this.env.names[seg.src]!, conn: seg.conn, verdict,
            backlog: l.backlog, synQueued: l.synQueued, acceptQueued: l.acceptQ.length,
          });
          if (verdict !== 'cookie') return; // dropped: the client's SYN timer resends it
        }
        const key = TcpHost.key(seg.src, seg.srcPort, seg.dstPort);
        const p = new TcpConn(this, seg.src, seg.dstPort, seg.srcPort, seg.conn, key, l.keepAlive);
        p.listener = l;
        if (verdict === 'cookie') p.cookie = true;
        else { p.inSynQueue = true; l.synQueued++; }
        this.conns.set(key, p);
        p.startPassive(seg);
        return;
      }
    }
    this.replyRst(seg);
  }

  /** RFC 9293 §3.10.7.1: RST for a segment that belongs to no connection. */
  private replyRst(seg: Segment): void {
    const f = seg.flags;
    let out: Segment;
    if (f & ACK) {
      out = Segment.make(seg.conn, this.idx, seg.src, seg.dstPort, seg.srcPort, seg.ack, 0, RST, null, false);
    } else {
      const len = seg.len + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0);
      out = Segment.make(seg.conn, this.idx, seg.src, seg.dstPort, seg.srcPort, 0, seqAdd(seg.seq, len), RST | ACK, null, false);
    }
    this.env.transmit(out);
  }

  routeTo(peerIdx: number): object | null {
    // Links never change their ends during a run, so a route found once stays right.
    if (peerIdx !== this.routePeer) { this.routeLast = this.env.route(this.idx, peerIdx); this.routePeer = peerIdx; }
    return this.routeLast;
  }

  forget(c: TcpConn, unopened: boolean): void {
    if (this.conns.get(c.key) === c) this.conns.delete(c.key);
    if (unopened && socketRecycling.enabled) { this.spare = c; this.spareDiedAt = this.env.engine.now(); }
  }

  /**
   * The last socket that died before its handshake completed (refused, timed out, or closed by
   * its app in SYN-SENT), as new for this connection. Its app never had it open, and nothing
   * but the app's own reference to the failed attempt, which the app drops (net/api.ts), names
   * it. A reconnect storm makes hundreds of thousands of such attempts, in lockstep: recycling
   * them keeps them out of the garbage collector's young generation, whose copying of a burst
   * of live sockets was most of the storm's collection time in Node. Only at a later time than
   * its death, when whatever was running then (its app's close callbacks) is over. Segments
   * still in flight may name it (Segment.from / to): receive takes a hint only for its
   * connection's peer and ports. Null: none.
   */
  private recycled(
    peerIdx: number, localPort: number, port: number, conn: string, key: number, keepAlive: KeepAliveOptions | null,
  ): TcpConn | null {
    const s = this.spare;
    if (s === null || this.env.engine.now() <= this.spareDiedAt || s.appEndPending !== null) return null;
    this.spare = null;
    socketRecycling.reused++;
    s.reuse(peerIdx, localPort, port, conn, key, keepAlive);
    return s;
  }

  /** A stopped process's unread connection ends are final when the process goes (TcpConn.endApp). */
  private settlePendingEnds(): void {
    for (const c of [...this.pendingEnds]) c.appEndPending?.();
  }

  powerOff(): void {
    this.settlePendingEnds();
    const all = [...this.conns.values()];
    for (const c of all) c.vanish('host powered off');
    this.conns.clear();
    this.listeners?.clear();
    this.up = false;
    this.processAlive = false;
    this.emitHost('off');
  }

  powerOn(): void {
    this.up = true;
    this.processAlive = true;
    this.emitHost('up');
  }

  killProcess(): void {
    this.settlePendingEnds();
    this.processAlive = false;
    this.listeners?.clear();
    const all = [...this.conns.values()];
    for (const c of all) {
      if (c.listener === null) c.closeBy('process crashed; the kernel closed the socket');
      else if (c.state === 'SYN-RECEIVED') c.destroy(); // half-open request of a closed listener
      // Established but never accepted: inet_csk_listen_stop → inet_child_forget → tcp_disconnect,
      // which resets an established connection (tcp_need_reset).
      else { c.listener = null; c.abortBy('process crashed before accepting it; the kernel reset it'); }
    }
    this.emitHost('crashed');
  }

  private ensureProcess(what: string): void {
    if (!this.up) throw new Error(`${this.name}: ${what}() while the host is powered off`);
    if (!this.processAlive) {
      this.processAlive = true; // the crashed process restarts
      this.emitHost('up');
    }
  }

  private emitHost(state: 'up' | 'off' | 'crashed'): void {
    this.env.engine.emit({ kind: 'host.state', node: this.name, state });
  }
}

