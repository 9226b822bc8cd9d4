/**
 * One end of one TCP connection (RFC 9293 state machine, Linux timing): the socket the
 * application holds, its send path, its timers, and how it ends. Segment arrival is in
 * receive.ts; demultiplexing, listeners and host lifecycle are in host.ts.
 *
 * Modelled: real 32-bit sequence numbers, MSS 1460, a fixed 65535-byte window, cumulative
 * ACKs, Linux's delayed-ACK engine (ack.ts: quick ACKs, pingpong, ato), RFC 6298 RTO
 * with Linux's numbers and give-up rules (timing.ts), Karn's rule, SYN / SYN-ACK
 * retransmission, FIN handshakes incl. TIME-WAIT, orphan sockets (closed by the app but still
 * delivering their FIN), SO_KEEPALIVE (Linux tcp_keepalive_timer).
 * Left out: congestion control, Nagle, SACK and all TCP options, fast retransmit, window
 * scaling and zero windows, simultaneous open, urgent data. An RTO retransmits only the
 * first unacknowledged segment (as Linux does; without cwnd the rest follows on later RTOs).
 *
 * Half-open connections arise from these rules alone: a peer that vanished simply never
 * answers, and an idle ESTABLISHED socket without keepalive has nothing to retransmit.
 */
import type { Timer } from '../engine/types.ts';
import type { KeepAliveOptions, SocketHandlers, TcpSocket } from '../net/api.ts';
import type { CloseCause, TcpStateName, TimerName } from '../trace/types.ts';
import type { TcpHost, Listener } from './host.ts';
import { ACK, FIN, MSS, PSH, RST, SYN, WINDOW, Segment, seqAdd, seqDiff } from './segment.ts';
import { ackSent, dataSent, delayedAckDue, delayedAckFired } from './ack.ts';
import {
  FIN_TIMEOUT, MSS_DEFAULT, ORPHAN_TIMEOUT, RETRIES2, RETRIES2_TIMEOUT, RTO_FALLBACK, RTO_INIT,
  RTO_MAX, SYNACK_RETRIES, SYN_RETRIES, TIME_WAIT, computeRto,
} from './timing.ts';

/** A segment's worth of sequence space awaiting acknowledgement (or received out of order). */
export interface Chunk {
  seq: number;
  data: Uint8Array | null;
  /** SYN / FIN / PSH / ACK bits it is (re)sent with. */
  flags: number;
  /** Sequence space: data bytes + 1 for SYN + 1 for FIN. */
  len: number;
  /** Time of its first transmission (Linux retrans_stamp). */
  firstSentAt: number;
}

const S = 1_000_000;

/** Acknowledged retransmission-queue chunks, reused by queueChunk (one allocation less per segment). */
const FREE_CHUNKS: Chunk[] = [];

/** Hand back a chunk that left the retransmission queue (nothing else refers to it). */
export function recycleChunk(ch: Chunk): void {
  ch.data = null;
  if (FREE_CHUNKS.length < 4096) FREE_CHUNKS.push(ch);
}

export class TcpConn implements TcpSocket {
  state: TcpStateName = 'CLOSED';
  readonly node: string;
  readonly peer: string;

  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  irs = 0;
  rcvNxt = 0;
  readonly rtxQ: Chunk[] = [];
  readonly unsent: Uint8Array[] = [];
  finPending = false;
  finSent = false;
  /** Out-of-order arrivals waiting for the gap before them (jitter reorders). */
  ooo: Chunk[] | null = null;

  // RFC 6298 estimator (µs) and the retransmission state.
  srtt = -1;
  rttvar = 0;
  rto = RTO_INIT;
  retransmits = 0;
  retransStamp = -1;
  rttActive = false;
  rttEnd = 0;
  rttStart = 0;
  synRetransmitted = false;

  handlers: SocketHandlers | null = null;
  /** The app-visible connection is alive (conn.closed not yet emitted). */
  appOpen = false;
  /** The app (or the kernel on its behalf) closed or aborted the socket: it is an orphan. */
  userClosed = false;
  dead = false;
  /** Passive side: the listener that will accept it. */
  listener: Listener | null = null;

  /** Received bytes not yet acknowledged, and "acknowledge before returning". */
  ackOwed = 0;
  ackNow = false;
  // Linux's delayed-ACK engine (ack.ts): quick ACKs left, interactive (pingpong) mode, the
  // ACK timeout estimate (0 until the first data), last data arrival, rcv_mss, pushed bits.
  quick = 0;
  pingpong = false;
  ato = 0;
  lrcvAt = 0;
  rcvMss = MSS_DEFAULT;
  pushed = 0;
  /** Last time any segment arrived (keepalive idle time). */
  lastRcvAt = 0;
  probesOut = 0;
  /** ACK field of the segment being processed (for RST replies). */
  curAck = 0;

  readonly rtxTimer: Timer;
  private delackTimer: Timer | null = null;
  private kaTimer: Timer | null = null;
  private twTimer: Timer | null = null;
  /** The peer's socket as last seen on a received segment (a lookup hint, see Segment.to). */
  remote: TcpConn | null = null;
  /** The network's route to the peer (undefined until first used). */
  private route: object | null | undefined = undefined;

  constructor(
    readonly host: TcpHost,
    readonly peerIdx: number,
    readonly localPort: number,
    readonly remotePort: number,
    readonly conn: string,
    readonly key: number,
    readonly keepAlive: KeepAliveOptions | null,
  ) {
    this.node = host.name;
    this.peer = host.env.names[peerIdx]!;
    this.rtxTimer = host.env.engine.timer(() => this.onRtxTimer());
  }

  // ---- application interface (TcpSocket) ----

  setHandlers(handlers: SocketHandlers): void {
    if (!this.userClosed) this.handlers = handlers;
  }

  write(bytes: Uint8Array): void {
    // The stack keeps a reference to `bytes` (no copy): callers must not mutate it afterwards.
    if (this.userClosed || this.dead || bytes.length === 0) return;
    this.unsent.push(bytes);
    if (this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT') this.flush();
  }

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
      this.listener = null;
      this.appOpen = true;
    }
    if (eng.tracing) eng.emit({ kind: 'conn.open', node: this.node, peer: this.peer, conn: this.conn });
    if (l !== null) l.onAccept(this);
    if (this.handlers !== null && !this.dead) this.handlers.onOpen();
    if (!this.dead && !this.userClosed) this.flush();
  }

  /** Close on behalf of the app (app close() or kernel closing a crashed process's socket). */
  closeBy(why: string): void {
    if (this.userClosed || this.dead) return;
    this.userClosed = true;
    this.endApp('local', why);
    if (this.kaTimer !== null) this.clearTimer(this.kaTimer, 'tcp.keepalive');
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

  /** Host power-off: the socket vanishes without a segment. */
  vanish(why: string): void {
    if (this.dead) return;
    this.userClosed = true;
    this.endApp('local', why);
    this.destroy();
  }

  /** Report the end of the app-visible connection once; no callbacks follow. */
  endApp(cause: CloseCause, why: string): SocketHandlers | null {
    if (!this.appOpen) return null;
    this.appOpen = false;
    const h = this.handlers;
    this.handlers = null;
    const eng = this.host.env.engine;
    if (eng.tracing) {
      eng.emit({ kind: 'conn.closed', node: this.node, peer: this.peer, conn: this.conn, cause, why });
    }
    return h;
  }

  /** The connection failed (timeout or RST): tell the app, then forget the socket. */
  fail(cause: CloseCause, why: string): void {
    if (this.dead) return;
    this.destroy();
    const h = this.endApp(cause, why);
    if (h !== null && !this.userClosed) {
      this.userClosed = true;
      h.onClose(cause);
    }
  }

  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    const rtxName = this.rtxName();
    this.setState('CLOSED');
    this.clearTimer(this.rtxTimer, rtxName);
    if (this.kaTimer !== null) this.clearTimer(this.kaTimer, 'tcp.keepalive');
    if (this.twTimer !== null) this.clearTimer(this.twTimer, 'tcp.time-wait');
    if (this.delackTimer !== null) this.delackTimer.clear();
    this.rtxQ.length = 0;
    this.unsent.length = 0;
    this.ooo = null;
    this.host.forget(this);
  }

  setState(to: TcpStateName, from: TcpStateName = this.state): void {
    this.state = to;
    const eng = this.host.env.engine;
    if (eng.tracing && from !== to) {
      eng.emit({ kind: 'tcp.state', node: this.node, peer: this.peer, conn: this.conn, from, to });
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
    seg.from = this;
    seg.to = this.remote;
    let route = this.route;
    if (route === undefined) route = this.route = env.route(this.host.idx, this.peerIdx);
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
    const ch = FREE_CHUNKS.pop();
    if (ch === undefined) this.rtxQ.push({ seq, data, flags, len, firstSentAt: now });
    else {
      ch.seq = seq; ch.data = data; ch.flags = flags; ch.len = len; ch.firstSentAt = now;
      this.rtxQ.push(ch);
    }
    this.sndNxt = seqAdd(seq, len);
    if (!this.rttActive) {
      this.rttActive = true;
      this.rttEnd = this.sndNxt;
      this.rttStart = now;
    }
    this.transmit(flags, seq, data, false);
    if (this.rtxTimer.due === null) this.armRtx(now + this.rto);
  }

  /** Send queued bytes as far as the window allows, then a pending FIN. */
  flush(): void {
    const q = this.unsent;
    while (q.length > 0) {
      const inFlight = seqDiff(this.sndNxt, this.sndUna);
      let room = WINDOW - inFlight;
      if (room <= 0) return;
      if (room > MSS) room = MSS;
      const chunk = q[0]!;
      let data: Uint8Array;
      if (chunk.length <= room) {
        data = chunk;
        q.shift();
      } else {
        data = chunk.subarray(0, room);
        q[0] = chunk.subarray(room);
      }
      this.queueChunk(PSH | ACK, data);
    }
    if (this.finPending && !this.finSent) {
      this.finSent = true;
      this.queueChunk(FIN | ACK, null);
    }
  }

  // ---- timers ----

  private rtxName(): TimerName {
    return this.state === 'SYN-SENT' || this.state === 'SYN-RECEIVED' ? 'tcp.syn' : 'tcp.rto';
  }

  armRtx(at: number): void {
    this.rtxTimer.set(at);
    this.traceTimerSet(this.rtxName(), at);
  }

  private traceTimerSet(timer: TimerName, at: number): void {
    const eng = this.host.env.engine;
    if (eng.tracing) {
      if (eng.checkOnly) eng.skipTrace!(); // the invariant checker reads no TCP timer
      else eng.emit({ kind: 'timer.set', node: this.node, timer, dueMs: at / 1000, conn: this.conn });
    }
  }

  clearTimer(t: Timer, timer: TimerName): void {
    if (t.due === null) return;
    t.clear();
    const eng = this.host.env.engine;
    if (eng.tracing) {
      if (eng.checkOnly) eng.skipTrace!();
      else eng.emit({ kind: 'timer.clear', node: this.node, timer, conn: this.conn });
    }
  }

  /** An RTO (or SYN / SYN-ACK timer) expired: give up, or retransmit the oldest segment. */
  private onRtxTimer(): void {
    const head = this.rtxQ[0];
    if (this.dead || head === undefined) return;
    const now = this.host.env.engine.now();
    const st = this.state;
    if (st === 'SYN-SENT' || st === 'SYN-RECEIVED') {
      const limit = st === 'SYN-SENT' ? SYN_RETRIES : SYNACK_RETRIES;
      if (this.retransmits >= limit) {
        const secs = (now - head.firstSentAt) / S;
        if (st === 'SYN-SENT') {
          this.fail('timeout', `no SYN-ACK after ${limit} SYN retransmissions (tcp_syn_retries = ${limit}), ${secs} s`);
        } else {
          this.destroy(); // Linux drops the request socket silently
        }
        return;
      }
      this.synRetransmitted = true;
    } else if (this.retransmits > 0) {
      const orphan = this.userClosed;
      const limit = orphan ? ORPHAN_TIMEOUT : RETRIES2_TIMEOUT;
      if (now - this.retransStamp >= limit) {
        const secs = (now - this.retransStamp) / S;
        if (orphan) {
          this.destroy();
        } else {
          this.fail('timeout', `no ACK after ${this.retransmits} retransmissions: gave up at the first RTO ` +
            `expiry ${secs} s after the first unacknowledged transmission, past ${RETRIES2_TIMEOUT / S} s ` +
            `(tcp_retries2 = ${RETRIES2})`);
        }
        return;
      }
    }
    if (this.retransmits === 0) this.retransStamp = head.firstSentAt;
    this.retransmits++;
    this.rttActive = false; // Karn: no sample from retransmitted data
    const rto = this.rto * 2;
    this.rto = rto > RTO_MAX ? RTO_MAX : rto;
    this.transmit(head.flags, head.seq, head.data, true);
    this.armRtx(now + this.rto);
  }

  /** New data was acknowledged: reset the backoff and restart or stop the RTO timer. */
  ackedNewData(): void {
    this.retransmits = 0;
    this.retransStamp = -1;
    if (this.srtt >= 0) this.rto = computeRto(this);
    if (this.rtxQ.length === 0) this.clearTimer(this.rtxTimer, this.rtxName());
    else this.armRtx(this.host.env.engine.now() + this.rto);
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
    if (this.dead || this.ackOwed === 0) return;
    delayedAckFired(this);
    this.sendAck();
  }

  private setKa(at: number): void {
    if (this.kaTimer === null) this.kaTimer = this.host.env.engine.timer(() => this.onKeepAlive());
    this.kaTimer.set(at);
    this.traceTimerSet('tcp.keepalive', at);
  }

  /** Linux tcp_keepalive_timer: probe only when idle; give up after `probes` unanswered. */
  private onKeepAlive(): void {
    const ka = this.keepAlive;
    if (this.dead || ka === null || this.userClosed) return;
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

  /** Enter TIME-WAIT (60 s), or start the orphan FIN-WAIT-2 timeout (tcp_fin_timeout). */
  startWaitTimer(timeWait: boolean): void {
    if (this.twTimer === null) this.twTimer = this.host.env.engine.timer(() => this.destroy());
    const at = this.host.env.engine.now() + (timeWait ? TIME_WAIT : FIN_TIMEOUT);
    this.twTimer.set(at);
    this.traceTimerSet('tcp.time-wait', at);
  }
}
