/**
 * One end of one TCP connection (RFC 9293 state machine, Linux timing): the socket the
 * application holds, its send path, its timers, and how it ends. Its fields are in
 * conn-state.ts (TcpConnState, which the helper files operate on); segment arrival is in
 * receive.ts; loss probes, the congestion window and loss recovery in recovery.ts;
 * demultiplexing, listeners and host lifecycle in host.ts.
 *
 * Modelled: real 32-bit sequence numbers, MSS 1460, a fixed 65535-byte window, cumulative
 * ACKs, Linux's delayed-ACK engine (ack.ts), RFC 6298 RTO with Linux's numbers (timing.ts),
 * tail loss probes and a congestion window with loss recovery after an RTO (recovery.ts),
 * Karn's rule, SYN / SYN-ACK retransmission (with tcp_syn_linear_timeouts), the host's
 * sysctls and TCP_USER_TIMEOUT (settings.ts), FIN handshakes incl. TIME-WAIT, orphan sockets
 * (closed by the app but still delivering their data and FIN, tcp_orphan_retries), a FIN that
 * waits for the congestion window where the kernel makes it (Linux 6.10+), SO_KEEPALIVE.
 * Left out: SACK, fast retransmit, Nagle, window scaling and zero windows, simultaneous open,
 * urgent data, timestamps.
 *
 * Half-open connections arise from these rules alone: a peer that vanished simply never
 * answers, and an idle ESTABLISHED socket without keepalive has nothing to retransmit.
 */
import type { Timer, TracedTimer } from '../engine/types.ts';
import type { KeepAliveOptions, SocketHandlers, TcpSocket } from '../net/api.ts';
import type { CloseCause, TcpStateName, TimerName, TraceFieldsOf } from '../trace/types.ts';
import type { TcpEnv } from './env.ts';
import type { HostTcpSettings, KernelProfile } from './settings.ts';
import { type Chunk, type ConnHostView, type Listener, TcpConnState, makeChunk, recycleChunk } from './conn-state.ts';
import { ACK, FIN, MSS, PSH, RST, SYN, WINDOW, Segment, seqAdd, seqDiff } from './segment.ts';
import { ackSent, dataSent, delayedAckDue, delayedAckFired } from './ack.ts';
import { PacketMap } from './packet-map.ts';
import { impossible } from '../assert.ts';
import {
  FIN_TIMEOUT, ORPHAN_RETRIES_ALIVE, RTO_FALLBACK, RTO_INIT, RTO_MAX, RTO_MIN, TIME_WAIT, computeRto, modelTimeout,
} from './timing.ts';
import {
  cwndAllows, enterLoss, rearmRto, restartAfterIdle, retransmitLost, scheduleLossProbe, setXmitTimerAfterAck,
} from './recovery.ts';

const S = 1_000_000;
/** How long a SYN cookie is honoured (syncookies.c: MAX_SYNCOOKIE_AGE 2 × TCP_SYNCOOKIE_PERIOD 60 s, at most). */
const COOKIE_LIFETIME = 120 * S;

/** What a connection needs of its host (TcpHost, host.ts, which holds the connections). */
export interface ConnHost extends ConnHostView {
  readonly name: string;
  readonly idx: number;
  readonly env: TcpEnv;
  readonly kernel: KernelProfile;
  readonly settings: HostTcpSettings;
  /** Drop a destroyed connection from the host's table; `unopened`: it died in SYN-SENT (TcpHost.recycled). */
  forget(c: TcpConn, unopened: boolean): void;
  /** The network's route towards a node (TcpEnv.route from this host), remembered for the last peer. */
  routeTo(peerIdx: number): object | null;
  /** Connections whose end a stopped process has not read yet (endApp; settled on crash or power-off). */
  readonly pendingEnds: Set<TcpConn>;
}

/** The state a tcp.state event leaves (set just before it is emitted; its `to` is the socket's state). */
let stateFrom: TcpStateName = 'CLOSED';
/** A tcp.state event's fields, built only when the sink reads it (Engine.emitOf). */
function tcpStateFields(c: TcpConn): TraceFieldsOf<'tcp.state'> {
  return { kind: 'tcp.state', node: c.node, peer: c.peer, conn: c.conn, from: stateFrom, to: c.state };
}

/** What the conn.closed being emitted says (set just before; read only if it is built). */
let closedCause: CloseCause = 'local';
let closedWhy = '';
let closedOff = false;
function connClosedFields(c: TcpConn): TraceFieldsOf<'conn.closed'> {
  return closedOff
    ? { kind: 'conn.closed', node: c.node, peer: c.peer, conn: c.conn, cause: closedCause, host: 'off', why: closedWhy }
    : { kind: 'conn.closed', node: c.node, peer: c.peer, conn: c.conn, cause: closedCause, why: closedWhy };
}

export class TcpConn extends TcpConnState implements TcpSocket {
  readonly node: string;
  /** The peer, its ports, the connection's name and table key change when it is recycled (reuse). */
  peer: string;

  /** The retransmission timer: traced as tcp.syn, tcp.rto or tcp.tlp (a loss probe). */
  readonly rtxTimer: TracedTimer;
  private delackTimer: Timer | null = null;
  private written = 0;
  /** Which MQTT packet rides in which segment (seg.send `packets`), when the trace reads it. */
  private packetMap: PacketMap | null;
  private kaTimer: TracedTimer | null = null;
  private twTimer: TracedTimer | null = null;
  /** The network's route to the peer (undefined until first used). */
  private route: object | null | undefined = undefined;

  constructor(
    readonly host: ConnHost,
    public peerIdx: number,
    public localPort: number,
    public remotePort: number,
    public conn: string,
    public key: number,
    public keepAlive: KeepAliveOptions | null,
  ) {
    super();
    this.node = host.name;
    this.peer = host.env.names[peerIdx]!;
    this.rtxTimer = host.env.engine.timer(() => this.onRtxTimer(), { node: this.node, timer: 'tcp.syn', conn });
    this.packetMap = host.env.engine.wantsPacketsOf(this.node) ? new PacketMap() : null;
  }

  /** This socket again, as new, for another connection of its host (TcpHost.recycled). */
  reuse(peerIdx: number, localPort: number, remotePort: number, conn: string, key: number, keepAlive: KeepAliveOptions | null): void {
    this.resetState();
    this.peerIdx = peerIdx;
    this.peer = this.host.env.names[peerIdx]!;
    this.localPort = localPort;
    this.remotePort = remotePort;
    this.conn = conn;
    this.key = key;
    this.keepAlive = keepAlive;
    this.rtxTimer.relabel('tcp.syn', conn);
    this.delackTimer = null;
    this.written = 0;
    this.packetMap = this.host.env.engine.wantsPacketsOf(this.node) ? new PacketMap() : null;
    this.kaTimer = null;
    this.twTimer = null;
    this.route = undefined;
  }

  // ---- application interface (TcpSocket) ----

  setHandlers(handlers: SocketHandlers): void {
    if (!this.userClosed) this.handlers = handlers;
  }

  write(bytes: Uint8Array): void {
    // The stack keeps a reference to `bytes` (no copy): callers must not mutate it afterwards.
    // Every write is one MQTT packet (mqtt/wire.ts) and counts, taken or not, so the n-th
    // mqtt.send of this node on this connection is packet n of seg.send `packets`.
    this.written++;
    if (this.userClosed || this.dead || bytes.length === 0) return;
    if (this.packetMap !== null) this.packetMap.wrote(this.written, bytes.length);
    this.unsent.push(bytes);
    if (this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT') this.flush();
  }

  get packetsWritten(): number { return this.written; }

  close(): void {
    this.closeBy('application closed the socket');
  }

  abort(): void {
    if (this.userClosed || this.dead) return;
    this.userClosed = true;
    this.endApp('local', 'application aborted the connection (RST)');
    const st = this.state;
    if (st === 'ESTABLISHED' || st === 'CLOSE-WAIT' || st === 'FIN-WAIT-1' || st === 'FIN-WAIT-2') {
      this.transmit(RST | ACK, this.sndNxt, null, false);
    }
    this.destroy();
  }

  // ---- lifecycle ----

  /** Active open: SYN now, retransmitted at 1, 3, 7, 15, 31, 63 s. */
  startActive(): void {
    this.iss = this.host.env.isnRng.nextU32();
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.setState('SYN-SENT');
    this.appOpen = true;
    this.queueChunk(SYN, null);
    this.armRtx(this.host.env.engine.now() + this.rto);
  }

  /** Passive open from a listener: SYN-ACK now, retransmitted up to tcp_synack_retries. */
  startPassive(seg: Segment): void {
    this.irs = seg.seq;
    this.rcvNxt = seqAdd(seg.seq, 1);
    this.iss = this.host.env.isnRng.nextU32();
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.lastRcvAt = this.host.env.engine.now();
    this.setState('SYN-RECEIVED', 'LISTEN');
    this.queueChunk(SYN | ACK, null);
    if (!this.cookie) {
      this.armRtx(this.host.env.engine.now() + this.rto);
      return;
    }
    // A SYN cookie keeps no request: nothing is retransmitted, and the cookie is honoured for
    // at most two 60 s periods (syncookies.c MAX_SYNCOOKIE_AGE 2, TCP_SYNCOOKIE_PERIOD).
    const eng = this.host.env.engine;
    eng.timer(() => { if (this.state === 'SYN-RECEIVED') this.destroy(); }).set(eng.now() + COOKIE_LIFETIME);
  }

  /**
   * The handshake's last ACK (or first data) met a full accept queue (listen-queue.ts
   * ackVerdict): dropped, the request marked acked so its SYN-ACK timer keeps resending; or,
   * with tcp_abort_on_overflow, answered with RST and forgotten (embryonic_reset).
   */
  listenOverflow(verdict: 'drop' | 'reset', ack: number): void {
    const l = this.listener!;
    this.host.env.engine.emit({
      kind: 'tcp.listen-overflow', node: this.node, peer: this.peer, conn: this.conn,
      verdict: verdict === 'drop' ? 'drop-ack' : 'reset',
      backlog: l.backlog, synQueued: l.synQueued, acceptQueued: l.acceptQ.length,
    });
    if (verdict === 'drop') {
      this.acked = true;
      return;
    }
    this.transmit(RST, ack, null, false);
    this.destroy();
  }

  /** The kernel resets the socket on the app's behalf (RST now; conn.closed with `why`). */
  abortBy(why: string): void {
    if (this.userClosed || this.dead) return;
    this.userClosed = true;
    this.endApp('local', why);
    this.transmit(RST | ACK, this.sndNxt, null, false);
    this.destroy();
  }

  /** Both sides: the handshake completed. */
  established(): void {
    const eng = this.host.env.engine;
    if (this.srtt < 0) this.rto = this.synRetransmitted ? RTO_FALLBACK : RTO_INIT;
    this.setState('ESTABLISHED');
    this.lastRcvAt = eng.now();
    if (this.keepAlive !== null) this.setKa(eng.now() + this.keepAlive.idleSeconds * S);
    const l = this.listener;
    if (l !== null) {
      this.leaveSynQueue();
      this.appOpen = true;
    }
    eng.emit({ kind: 'conn.open', node: this.node, peer: this.peer, conn: this.conn });
    if (l !== null) {
      // Into the accept queue; the app takes it now if it is ready (host.ts acceptPending).
      this.held = [];
      l.acceptQ.push(this);
      acceptPending(l);
    }
    if (this.handlers !== null && !this.dead) this.handlers.onOpen();
    if (!this.dead && !this.userClosed) this.flush();
  }

  /** Close on behalf of the app (app close() or kernel closing a crashed process's socket). */
  closeBy(why: string): void {
    if (this.userClosed || this.dead) return;
    this.userClosed = true;
    this.endApp('local', why);
    this.kaTimer?.clear();
    switch (this.state) {
      case 'SYN-SENT':
      case 'SYN-RECEIVED':
        this.destroy();
        return;
      case 'ESTABLISHED':
        this.setState('FIN-WAIT-1');
        break;
      case 'CLOSE-WAIT':
        this.setState('LAST-ACK');
        break;
      default:
        return;
    }
    this.finPending = true;
    this.flush();
  }

  /** Host power-off: the socket vanishes without a segment; its timers end with `why`. */
  vanish(why: string): void {
    if (this.dead) return;
    this.userClosed = true;
    this.endApp('local', why, true);
    this.destroy(why);
  }

  /**
   * Report the end of the app-visible connection once; no callbacks follow. `hostOff`: the
   * socket vanished with its host's power (conn.closed `host: "off"`).
   */
  endApp(cause: CloseCause, why: string, hostOff = false): SocketHandlers | null {
    // The process closes the socket, or is torn down, before it read an earlier end: that end is final now.
    if (this.appEndPending !== null) { this.appEndPending(); return null; }
    if (!this.appOpen) return null;
    const h = this.handlers;
    this.handlers = null;
    // conn.closed is the connection as the node sees it (CONTRACT §3): a stopped process sees
    // the kernel's news only when it runs again (the kernel's own state is tcp.state, now).
    if (h !== null && h.readsLater !== undefined) {
      const end = (): void => {
        if (!this.appOpen) return;
        this.appEndPending = null;
        this.host.pendingEnds.delete(this);
        this.appClosed(cause, why, hostOff);
      };
      if (h.readsLater(end)) { this.appEndPending = end; this.host.pendingEnds.add(this); return h; }
      end();
      return h;
    }
    this.appClosed(cause, why, hostOff);
    return h;
  }

  /** The app-visible connection ends now: conn.closed (its fields built only if read). */
  private appClosed(cause: CloseCause, why: string, hostOff: boolean): void {
    this.appOpen = false;
    closedCause = cause;
    closedWhy = why;
    closedOff = hostOff;
    this.host.env.engine.emitOf('conn.closed', this.node, connClosedFields, this);
  }

  /** The connection failed (timeout or RST): tell the app, then forget the socket. */
  fail(cause: CloseCause, why: string): void {
    if (this.dead) return;
    this.destroy();
    // A stopped process that has not read the peer's FIN yet reads that end first (the kernel's
    // later RST or give-up changes nothing it can see before it runs).
    if (this.appEndPending !== null) return;
    const h = this.endApp(cause, why);
    if (h !== null && !this.userClosed) {
      this.userClosed = true;
      h.onClose(cause);
    }
  }

  /** Forget the socket; its armed timers end (with `why` when the host lost power). */
  destroy(why?: string): void {
    if (this.dead) return;
    this.dead = true;
    const unopened = this.state === 'SYN-SENT';
    this.leaveSynQueue();
    this.setState('CLOSED');
    this.rtxTimer.clear(why);
    this.kaTimer?.clear(why);
    this.twTimer?.clear(why);
    if (this.delackTimer !== null) this.delackTimer.clear();
    // Nothing else holds a queued chunk (recovery and the timers read rtxQ), so they go back
    // to the free list, as acknowledged ones do.
    for (const ch of this.rtxQ) recycleChunk(ch);
    this.rtxQ.length = 0;
    this.unsent.length = 0;
    this.ooo = null;
    this.host.forget(this, unopened);
  }

  private leaveSynQueue(): void {
    if (!this.inSynQueue) return;
    this.inSynQueue = false;
    this.listener!.synQueued--;
  }

  setState(to: TcpStateName, from: TcpStateName = this.state): void {
    if (this.dead && to !== 'CLOSED') impossible('tcp.dead-socket-changes-state', `${this.node} ${this.conn}: ${from} -> ${to} after the socket was destroyed`);
    this.state = to;
    if (from !== to) {
      stateFrom = from;
      this.host.env.engine.emitOf('tcp.state', this.node, tcpStateFields, this);
    }
  }

  // ---- send path ----

  transmit(flags: number, seq: number, data: Uint8Array | null, retransmit: boolean): void {
    const env = this.host.env;
    if (flags & ACK) {
      ackSent(this);
      if (this.delackTimer !== null) this.delackTimer.clear();
    }
    if (data !== null && data.length > 0) dataSent(this, env.engine.now());
    const seg = Segment.make(
      this.conn, this.host.idx, this.peerIdx, this.localPort, this.remotePort,
      seq, flags & ACK ? this.rcvNxt : 0, flags, data, retransmit,
    );
    if (data !== null && data.length > 0 && this.packetMap !== null) {
      seg.packets = this.packetMap.carried(seqDiff(seq, this.iss) - 1, data.length, seqDiff(this.sndUna, this.iss) - 1);
    }
    seg.from = this;
    seg.to = this.remote;
    let route = this.route;
    if (route === undefined) route = this.route = this.host.routeTo(this.peerIdx);
    seg.route = route;
    env.transmit(seg);
  }

  sendAck(): void {
    this.transmit(ACK, this.sndNxt, null, false);
  }

  /** Send new sequence space (SYN, data or FIN) and keep it for retransmission. */
  private queueChunk(flags: number, data: Uint8Array | null): void {
    const now = this.host.env.engine.now();
    const len = (data === null ? 0 : data.length) + (flags & (SYN | FIN) ? 1 : 0);
    const seq = this.sndNxt;
    this.rtxQ.push(makeChunk(seq, data, flags, len, now));
    this.sndNxt = seqAdd(seq, len);
    if (!this.rttActive) {
      this.rttActive = true;
      this.rttEnd = this.sndNxt;
      this.rttStart = now;
    }
    this.lastSendAt = now;
    this.transmit(flags, seq, data, false);
  }

  /** Retransmit one queued segment as it was first sent (its flags, its bytes). */
  retransmitChunk(ch: Chunk): void {
    ch.sentAt = this.host.env.engine.now();
    this.transmit(ch.flags, ch.seq, ch.data, true);
  }

  /**
   * Send what waits, as the windows allow (Linux tcp_write_xmit): in loss recovery the lost
   * segments first; then new data while the congestion and receive windows have room; then a
   * pending FIN (attached to the last data segment when that goes out now, as tcp_send_fin
   * merges it; alone otherwise, through the congestion window where the kernel makes it wait).
   * Then the retransmission timer: the RTO if nothing was out (or a probe was pending), and a
   * loss probe when the rules allow one (recovery.ts).
   */
  flush(): void {
    const st = this.state;
    if (st === 'SYN-SENT' || st === 'SYN-RECEIVED' || st === 'CLOSED') return;
    const now = this.host.env.engine.now();
    const prior = this.rtxQ.length;
    const probePending = this.timerIsProbe && this.rtxTimer.due !== null;
    if (this.inLoss) retransmitLost(this);
    const q = this.unsent;
    let sent = 0;
    if (q.length > 0 && prior === 0) restartAfterIdle(this, now);
    while (q.length > 0 && cwndAllows(this)) {
      const inFlightBytes = seqDiff(this.sndNxt, this.sndUna);
      let room = WINDOW - inFlightBytes;
      if (room <= 0) break;
      if (room > MSS) room = MSS;
      this.sendData(room);
      sent++;
    }
    if (this.finPending && !this.finSent && q.length === 0 &&
        (cwndAllows(this) || !this.host.kernel.finWaitsForCwnd)) {
      this.finSent = true;
      this.queueChunk(FIN | ACK, null);
      sent++;
    }
    if (sent === 0) return;
    // tcp_event_new_data_sent re-arms the RTO, then tcp_write_xmit schedules the probe (which
    // replaces it when allowed): only the timer that ends up armed is traced.
    if (!scheduleLossProbe(this, now, false) && (prior === 0 || probePending)) rearmRto(this, now);
  }

  // ---- timers ----

  private rtxName(): TimerName {
    return this.state === 'SYN-SENT' || this.state === 'SYN-RECEIVED' ? 'tcp.syn' : 'tcp.rto';
  }

  armRtx(at: number): void {
    this.armTimer(at, false);
  }

  /**
   * Arm the retransmission timer as an RTO or as a loss probe (traced as tcp.tlp); under
   * another name than the armed one, the trace ends that one first.
   */
  armTimer(at: number, probe: boolean): void {
    this.timerIsProbe = probe;
    this.rtxTimer.set(at, probe ? 'tcp.tlp' : this.rtxName());
  }

  stopRtxTimer(): void {
    this.rtxTimer.clear();
    this.timerIsProbe = false;
  }

  /** The retransmission timer fired: a loss probe, or an RTO. */
  private onRtxTimer(): void {
    if (this.dead) impossible('tcp.timer-on-dead-socket', `${this.node} ${this.conn}: retransmission timer went off after the socket was destroyed`);
    if (this.rtxQ.length === 0) impossible('tcp.rtx-timer-with-nothing-out', `${this.node} ${this.conn}: retransmission timer went off with nothing unacknowledged`);
    if (this.timerIsProbe) {
      this.timerIsProbe = false;
      this.sendLossProbe();
    } else {
      this.onRto();
    }
  }

  /**
   * tcp_send_loss_probe: new data if some waits (one segment, whatever cwnd says), else the
   * last segment again; then the RTO a full RTO from now. At most one probe per episode.
   */
  private sendLossProbe(): void {
    const now = this.host.env.engine.now();
    if (!this.tlpOut) {
      const before = this.rtxQ.length;
      // push_one = 2: one new segment goes out as the probe whatever cwnd says.
      if (this.unsent.length > 0) this.sendData(MSS);
      if (this.rtxQ.length === before) {
        const last = this.rtxQ[this.rtxQ.length - 1]!;
        if (this.retransStamp < 0) this.retransStamp = last.sentAt;
        this.rttActive = false; // Karn
        this.retransmitChunk(last);
      }
      this.tlpOut = true;
      this.tlpHigh = this.sndNxt;
      this.armTimer(this.clampToUserTimeout(now, this.rto), false);
      return;
    }
    // A probe is already out (tlp_high_seq): tcp_rearm_rto with the probe still pending, so
    // the RTO keeps counting from the head's last transmission (at least one tick from now).
    const due = this.rtxQ[0]!.sentAt + this.rto;
    this.armTimer(due > now ? due : now + 1, false);
  }

  /**
   * Send the next `room` bytes (at most) of the send queue as one segment; the pending FIN
   * rides on the last of them (tcp_send_fin merges it into an unsent tail).
   */
  private sendData(room: number): void {
    const q = this.unsent;
    const chunk = q[0]!;
    let data = chunk;
    if (chunk.length <= room) q.shift();
    else {
      data = chunk.subarray(0, room);
      q[0] = chunk.subarray(room);
    }
    const last = q.length === 0 && this.finPending && !this.finSent;
    if (last) this.finSent = true;
    this.queueChunk(last ? FIN | PSH | ACK : PSH | ACK, data);
  }

  /** The RTO expired: give up (tcp_write_timeout), or enter loss and retransmit the head. */
  private onRto(): void {
    const head = this.rtxQ[0]!;
    const now = this.host.env.engine.now();
    const st = this.state;
    const set = this.host.settings;
    if (st === 'SYN-SENT' || st === 'SYN-RECEIVED') {
      const limit = st === 'SYN-SENT' ? set.synRetries + set.synLinearTimeouts : set.synackRetries;
      // tcp_write_timeout: the count, then retransmits_timed_out(syn_retries) from a 1 s base
      // (or TCP_USER_TIMEOUT when set).
      const overUser = set.userTimeoutMs > 0 && this.retransmits > 0 && now - this.retransStamp >= set.userTimeoutMs * 1000;
      const overModel = set.userTimeoutMs === 0 && this.retransmits > 0 &&
        now - this.retransStamp >= modelTimeout(set.synRetries, RTO_INIT);
      if (this.retransmits >= limit || (st === 'SYN-SENT' && (overUser || overModel))) {
        const secs = (now - head.firstSentAt) / S;
        if (st === 'SYN-SENT') {
          this.fail('timeout', overUser
            ? `no SYN-ACK within TCP_USER_TIMEOUT ${set.userTimeoutMs} ms (${this.retransmits} SYN retransmissions), ${secs} s`
            : `no SYN-ACK after ${limit} SYN retransmissions (tcp_syn_retries = ${set.synRetries}` +
              `${set.synLinearTimeouts > 0 ? ` + tcp_syn_linear_timeouts = ${set.synLinearTimeouts}` : ''}), ${secs} s`);
        } else {
          this.destroy(); // Linux drops the request socket silently
        }
        return;
      }
      this.synRetransmitted = true;
    } else if (this.retransmits > 0) {
      const orphan = this.userClosed;
      const budget = this.giveUpBudget(orphan);
      const since = set.userTimeoutMs > 0 ? this.rtoStamp : this.retransStamp;
      if (now - since >= budget.us) {
        const secs = (now - this.retransStamp) / S;
        if (orphan) {
          this.destroy();
        } else {
          this.fail('timeout', `no ACK after ${this.retransmits} retransmissions: gave up at the first RTO ` +
            `expiry ${secs} s after the first unacknowledged transmission, past ${budget.us / S} s (${budget.rule})`);
        }
        return;
      }
    }
    if (this.retransStamp < 0) this.retransStamp = head.sentAt;
    if (this.rtoStamp < 0) this.rtoStamp = now;
    if (st !== 'SYN-SENT' && st !== 'SYN-RECEIVED') enterLoss(this);
    this.retransmits++;
    this.rttActive = false; // Karn: no sample from retransmitted data
    // SYN-SENT keeps its initial RTO for the first tcp_syn_linear_timeouts expiries (6.5+).
    if (st !== 'SYN-SENT' || this.retransmits > set.synLinearTimeouts) {
      const rto = this.rto * 2;
      this.rto = rto > RTO_MAX ? RTO_MAX : rto;
    }
    if (this.inLoss) {
      this.rtxDone = 1;
      this.lostLeft = this.rtxQ.length - 1;
    }
    this.retransmitChunk(head);
    this.armTimer(this.clampToUserTimeout(now, this.rto), false);
  }

  /**
   * How long unacknowledged data may wait (tcp_write_timeout → retransmits_timed_out):
   * TCP_USER_TIMEOUT when set; else tcp_model_timeout(tcp_retries2, TCP_RTO_MIN), or for an
   * orphan tcp_orphan_retries (0 means 8 while the RTO is below TCP_RTO_MAX).
   *
   * From when: Linux counts every budget from retrans_stamp, the first RTO retransmission
   * (tcp_output.c tcp_retransmit_skb, "Save stamp of the first (attempted) retransmit"; the
   * loss probe calls __tcp_retransmit_skb and sets no stamp). TCP_USER_TIMEOUT is counted
   * from there (`rtoStamp`): tcp_clamp_rto_to_user_timeout arms the last timer for exactly what
   * is left, so the stamp shows directly in the give-up time (test/kernel user-timeout: a
   * 2500 ms user timeout gave up 2.93 s after the original PUBLISH, 2.51 s after its first RTO
   * retransmission). The tcp_retries2 and orphan budgets are counted from the first
   * unacknowledged transmission instead (`retransStamp`): tcp_model_timeout() includes the
   * interval before the first RTO, so with exact timers the elapsed time at the decisive RTO
   * falls short of the budget by that interval (0.2 s), which the kernel's timer wheel, late by
   * ≥ 1 jiffy and typically 2-5% on every RTO (kernel/time/timer.c calc_index rounds up),
   * always covered in test/kernel retries2 (6 retransmissions, gave up at 13.4-13.9 s). Counting
   * from the original send gives the simulator the same RTO count; with a budget too short for
   * the lateness to cover 0.2 s (tcp_orphan_retries 1-2) Linux may need one RTO more (not measured).
   */
  private giveUpBudget(orphan: boolean): { us: number; rule: string } {
    const set = this.host.settings;
    if (set.userTimeoutMs > 0) return { us: set.userTimeoutMs * 1000, rule: `TCP_USER_TIMEOUT = ${set.userTimeoutMs} ms` };
    if (orphan) {
      const n = set.orphanRetries === 0 ? (this.rto < RTO_MAX ? ORPHAN_RETRIES_ALIVE : 0) : set.orphanRetries;
      return { us: modelTimeout(n, RTO_MIN), rule: `tcp_orphan_retries = ${set.orphanRetries}` };
    }
    return { us: modelTimeout(set.retries2, RTO_MIN), rule: `tcp_retries2 = ${set.retries2}` };
  }

  /**
   * tcp_clamp_rto_to_user_timeout (tcp_retransmit_timer only): the next RTO never waits past
   * TCP_USER_TIMEOUT counted from the first RTO retransmission (a SYN's: from the first SYN,
   * which tcp_connect stamps). Before one (after a probe, tcp_rearm_rto) nothing is clamped.
   */
  private clampToUserTimeout(now: number, rto: number): number {
    const ut = this.host.settings.userTimeoutMs * 1000;
    const st = this.state;
    const stamp = st === 'SYN-SENT' || st === 'SYN-RECEIVED' ? this.retransStamp : this.rtoStamp;
    if (ut <= 0 || stamp < 0) return now + rto;
    const remaining = ut - (now - stamp);
    if (remaining <= 0) return now + 1;
    return now + (remaining < rto ? remaining : rto);
  }

  /** New data was acknowledged: reset the backoff, then the probe or RTO timer (recovery.ts). */
  ackedNewData(): void {
    this.retransmits = 0;
    this.retransStamp = -1;
    this.rtoStamp = -1;
    if (this.srtt >= 0) this.rto = computeRto(this);
    if (this.rtxQ.length === 0) this.stopRtxTimer();
    else setXmitTimerAfterAck(this, this.host.env.engine.now());
  }

  /** After a segment was processed: acknowledge now, or arm the delayed ACK (ack.ts). */
  settleAck(): void {
    if (this.dead) return;
    if (this.ackNow || this.ackOwed > this.rcvMss) {
      this.sendAck();
    } else if (this.ackOwed > 0) {
      const eng = this.host.env.engine;
      if (this.delackTimer === null) this.delackTimer = eng.timer(() => this.onDelack());
      const due = delayedAckDue(this, eng.now(), this.delackTimer.due);
      if (due < 0) this.sendAck();
      else if (due !== this.delackTimer.due) this.delackTimer.set(due);
    }
  }

  private onDelack(): void {
    if (this.dead) impossible('tcp.timer-on-dead-socket', `${this.node} ${this.conn}: delayed-ACK timer went off after the socket was destroyed`);
    if (this.ackOwed === 0) return;
    delayedAckFired(this);
    this.sendAck();
  }

  private setKa(at: number): void {
    if (this.kaTimer === null) {
      this.kaTimer = this.host.env.engine.timer(() => this.onKeepAlive(), { node: this.node, timer: 'tcp.keepalive', conn: this.conn });
    }
    this.kaTimer.set(at);
  }

  /** Linux tcp_keepalive_timer: probe only when idle; give up after `probes` unanswered. */
  private onKeepAlive(): void {
    const ka = this.keepAlive;
    if (this.dead) impossible('tcp.timer-on-dead-socket', `${this.node} ${this.conn}: keepalive timer went off after the socket was destroyed`);
    if (ka === null || this.userClosed) return;
    const now = this.host.env.engine.now();
    const idle = ka.idleSeconds * S;
    if (this.rtxQ.length > 0 || this.unsent.length > 0) {
      this.setKa(now + idle); // data in flight: the RTO handles a dead peer
      return;
    }
    const elapsed = now - this.lastRcvAt;
    if (elapsed < idle) {
      this.setKa(this.lastRcvAt + idle);
      return;
    }
    if (this.probesOut >= ka.probes) {
      this.transmit(RST | ACK, this.sndNxt, null, false); // tcp_send_active_reset
      this.fail('timeout', `no answer to ${ka.probes} keepalive probes (SO_KEEPALIVE ` +
        `${ka.idleSeconds}/${ka.intervalSeconds}/${ka.probes}), ${elapsed / S} s after the last segment received`);
      return;
    }
    this.transmit(ACK, seqAdd(this.sndNxt, -1), null, false);
    this.probesOut++;
    this.setKa(now + ka.intervalSeconds * S);
  }

  /** A segment arrived: the peer is alive (keepalive bookkeeping). */
  heard(now: number): void {
    this.lastRcvAt = now;
    this.probesOut = 0;
  }

  /** TIME-WAIT, or an orphan's FIN-WAIT-2 timeout, is over: the socket goes. */
  private onWaitTimer(): void {
    if (this.state !== 'TIME-WAIT' && this.state !== 'FIN-WAIT-2') {
      impossible('tcp.wait-timer-in-wrong-state', `${this.node} ${this.conn}: TIME-WAIT/FIN-WAIT-2 timer went off in ${this.state}`);
    }
    this.destroy();
  }

  /** Enter TIME-WAIT (60 s), or start the orphan FIN-WAIT-2 timeout (tcp_fin_timeout). */
  startWaitTimer(timeWait: boolean): void {
    if (this.twTimer === null) {
      this.twTimer = this.host.env.engine.timer(() => this.onWaitTimer(), { node: this.node, timer: 'tcp.time-wait', conn: this.conn });
    }
    this.twTimer.set(this.host.env.engine.now() + (timeWait ? TIME_WAIT : FIN_TIMEOUT));
  }
}

/**
 * Accept queued connections while the app is ready: each goes to the app (onAccept sets its
 * handlers), then gets the data that arrived while it waited. A connection that died or was
 * closed by its peer in the queue is passed over (the app would read an error or EOF at once).
 */
export function acceptPending(l: Listener): void {
  const q = l.acceptQ;
  while (q.length > 0 && (l.ready === null || l.ready())) {
    const c = q.shift() as TcpConn;
    c.listener = null;
    const held = c.held;
    c.held = null;
    if (c.dead || !c.appOpen) continue;
    l.onAccept(c);
    if (held !== null) for (const b of held) { if (c.dead || c.handlers === null) break; c.handlers.onData(b); }
  }
}
