/**
 * The state of one TCP connection end, apart from what acts on it: the fields that the
 * state machine (connection.ts), segment arrival (receive.ts), the delayed-ACK engine (ack.ts)
 * and loss recovery (recovery.ts) share, and the operations of connection.ts that the others
 * call. The helpers take a TcpConnState, so none of them imports connection.ts; TcpConn
 * extends it with the socket, the send path and the timers.
 */
import type { Engine } from '../engine/types.ts';
import type { SocketHandlers, TcpSocket, KeepAliveOptions } from '../net/api.ts';
import type { CloseCause, TcpStateName } from '../trace/types.ts';
import type { HostTcpSettings } from './settings.ts';
import { INFINITE_SSTHRESH, INIT_CWND, MSS_DEFAULT, RTO_INIT } from './timing.ts';

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
  /** Time of its latest transmission (the skb timestamp the RTO counts from). */
  sentAt: number;
}

/** Acknowledged retransmission-queue chunks, reused by makeChunk (one allocation less per segment). */
const FREE_CHUNKS: Chunk[] = [];

/** A chunk for the retransmission queue: a recycled one when there is one. */
export function makeChunk(seq: number, data: Uint8Array | null, flags: number, len: number, now: number): Chunk {
  const ch = FREE_CHUNKS.pop();
  if (ch === undefined) return { seq, data, flags, len, firstSentAt: now, sentAt: now };
  ch.seq = seq; ch.data = data; ch.flags = flags; ch.len = len; ch.firstSentAt = now; ch.sentAt = now;
  return ch;
}

/** Hand back a chunk that left the retransmission queue (nothing else refers to it). */
export function recycleChunk(ch: Chunk): void {
  ch.data = null;
  if (FREE_CHUNKS.length < 4096) FREE_CHUNKS.push(ch);
}

/** A listening port (host.ts), as the connections it will accept remember it. */
export interface Listener {
  port: number;
  onAccept: (socket: TcpSocket) => void;
  keepAlive: KeepAliveOptions | null;
  /** sk_max_ack_backlog: the app's listen() backlog capped to somaxconn (listen-queue.ts). */
  backlog: number;
  /** Whether the app would accept() now (null: always). */
  ready: (() => boolean) | null;
  /** Half-open requests counted in the SYN queue (not cookies). */
  synQueued: number;
  /** Established connections not yet accepted, oldest first. */
  readonly acceptQ: TcpConnState[];
}

/** What the state's helpers read of the host (TcpHost): its clock and its sysctls. */
export interface ConnHostView {
  readonly env: { readonly engine: Engine };
  readonly settings: HostTcpSettings;
}

export abstract class TcpConnState {
  abstract readonly host: ConnHostView;

  state: TcpStateName = 'CLOSED';

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
  /** When the first unacknowledged transmission went out (the tcp_retries2 / orphan budgets count from it). */
  retransStamp = -1;
  /**
   * Linux's retrans_stamp for data: when the first RTO retransmission went out
   * (tcp_retransmit_skb saves the skb's timestamp after sending it; the loss probe goes
   * through __tcp_retransmit_skb and sets nothing). TCP_USER_TIMEOUT counts from it.
   */
  rtoStamp = -1;
  rttActive = false;
  rttEnd = 0;
  rttStart = 0;
  synRetransmitted = false;
  /** The retransmission timer is armed as a loss probe (ICSK_TIME_LOSS_PROBE), not an RTO. */
  timerIsProbe = false;

  // Congestion window and loss recovery (recovery.ts), in segments.
  cwnd = INIT_CWND;
  ssthresh = INFINITE_SSTHRESH;
  cwndCount = 0;
  /** In loss recovery after an RTO (TCP_CA_Loss) until high_seq is acknowledged. */
  inLoss = false;
  highSeq = 0;
  /** Head segments retransmitted in this recovery, then segments still marked lost. */
  rtxDone = 0;
  lostLeft = 0;
  /** A loss probe is out (tlp_high_seq = tlpHigh). */
  tlpOut = false;
  tlpHigh = 0;
  /** Last transmission of new data (cwnd restart after idle). */
  lastSendAt = -1;

  handlers: SocketHandlers | null = null;
  /** The app-visible connection is alive (conn.closed not yet emitted). */
  appOpen = false;
  /**
   * The close a stopped process (SIGSTOP) has not read yet (SocketHandlers.readsLater): it emits
   * conn.closed when the process reads it, or at once if the process is torn down first.
   */
  appEndPending: (() => void) | null = null;
  /** The app (or the kernel on its behalf) closed or aborted the socket: it is an orphan. */
  userClosed = false;
  dead = false;
  /** Passive side: the listener that will accept it (until the app accepted it). */
  listener: Listener | null = null;
  /** Passive side: counted in the listener's SYN queue (a request, not a cookie). */
  inSynQueue = false;
  /** Passive side: answered with a SYN cookie (no request kept, no SYN-ACK retransmission). */
  cookie = false;
  /** Passive side: the final ACK was dropped on a full accept queue (Linux inet_rsk(req)->acked). */
  acked = false;
  /** Established, waiting in the accept queue: data that arrives is held for the app. */
  held: Uint8Array[] | null = null;

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

  /** The peer's socket as last seen on a received segment (a lookup hint, see Segment.to). */
  remote: TcpConnState | null = null;

  /**
   * Every field above as a new socket has it, for a recycled socket's next connection
   * (TcpConn.reuse). The same values as the initialisers, which stay (V8 sizes an object by the
   * fields its class declares; fields first set in a method went to a separate, growing
   * properties store, and the storm ran 10 % slower in Chromium). test/sim/tcp/recycle.test.ts
   * scribbles over a dead socket's fields, recycles it and compares it with a new one, so a field
   * left out here fails it.
   */
  protected resetState(): void {
    this.state = 'CLOSED';
    this.iss = 0;
    this.sndUna = 0;
    this.sndNxt = 0;
    this.irs = 0;
    this.rcvNxt = 0;
    this.finPending = false;
    this.finSent = false;
    this.ooo = null;
    this.srtt = -1;
    this.rttvar = 0;
    this.rto = RTO_INIT;
    this.retransmits = 0;
    this.retransStamp = -1;
    this.rtoStamp = -1;
    this.rttActive = false;
    this.rttEnd = 0;
    this.rttStart = 0;
    this.synRetransmitted = false;
    this.timerIsProbe = false;
    this.cwnd = INIT_CWND;
    this.ssthresh = INFINITE_SSTHRESH;
    this.cwndCount = 0;
    this.inLoss = false;
    this.highSeq = 0;
    this.rtxDone = 0;
    this.lostLeft = 0;
    this.tlpOut = false;
    this.tlpHigh = 0;
    this.lastSendAt = -1;
    this.handlers = null;
    this.appOpen = false;
    this.appEndPending = null;
    this.userClosed = false;
    this.dead = false;
    this.listener = null;
    this.inSynQueue = false;
    this.cookie = false;
    this.acked = false;
    this.held = null;
    this.ackOwed = 0;
    this.ackNow = false;
    this.quick = 0;
    this.pingpong = false;
    this.ato = 0;
    this.lrcvAt = 0;
    this.rcvMss = MSS_DEFAULT;
    this.pushed = 0;
    this.lastRcvAt = 0;
    this.probesOut = 0;
    this.curAck = 0;
    this.remote = null;
  }
  // ---- operations of the connection (connection.ts) that the helpers call ----

  /** Put one segment on the wire (every segment this end sends goes through here). */
  abstract transmit(flags: number, seq: number, data: Uint8Array | null, retransmit: boolean): void;
  abstract sendAck(): void;
  /** Retransmit one queued segment as it was first sent. */
  abstract retransmitChunk(ch: Chunk): void;
  /** Send what waits, as the windows allow. */
  abstract flush(): void;
  /** Both sides: the handshake completed. */
  abstract established(): void;
  abstract setState(to: TcpStateName, from?: TcpStateName): void;
  /** Close on behalf of the app. */
  abstract closeBy(why: string): void;
  /** Report the end of the app-visible connection once; returns the handlers it had. */
  abstract endApp(cause: CloseCause, why: string, hostOff?: boolean): SocketHandlers | null;
  /** The connection failed (timeout or RST): tell the app, then forget the socket. */
  abstract fail(cause: CloseCause, why: string): void;
  abstract destroy(why?: string): void;
  /** Hand received bytes to the app, or hold them while the connection awaits accept(). */
  deliver(bytes: Uint8Array): void {
    const h = this.handlers;
    if (h !== null) h.onData(bytes);
    else if (this.held !== null) this.held.push(bytes);
  }
  /** Arm the retransmission timer as an RTO or as a loss probe. */
  abstract armTimer(at: number, probe: boolean): void;
  abstract stopRtxTimer(): void;
  /** New data was acknowledged: reset the backoff, then the probe or RTO timer. */
  abstract ackedNewData(): void;
  /** After a segment was processed: acknowledge now, or arm the delayed ACK. */
  abstract settleAck(): void;
  /** A segment arrived: the peer is alive. */
  abstract heard(now: number): void;
  /** The handshake's last ACK met a full accept queue: drop it, or reset (listen-queue.ts). */
  abstract listenOverflow(verdict: 'drop' | 'reset', ack: number): void;
  /** Enter TIME-WAIT, or start the orphan FIN-WAIT-2 timeout. */
  abstract startWaitTimer(timeWait: boolean): void;
}
