/**
 * When a receiver acknowledges: Linux's delayed-ACK engine (net/ipv4/tcp_input.c, tcp.c,
 * tcp_output.c, tcp_timer.c as of Linux 6.1, Debian 12's kernel), for applications that read
 * at once (every app in this simulator does).
 *
 * - tcp_event_data_recv: the first data initialises ato = 40 ms (TCP_ATO_MIN) and quick-ACK
 *   mode (up to 16 quick ACKs, rcv_wnd / (2 · rcv_mss)); data after a gap longer than the RTO
 *   re-enters quick-ACK mode ("Too long gap"); short gaps shrink ato.
 * - tcp_measure_rcv_mss: a segment smaller than rcv_mss (536 at first) is "pushed"; a second
 *   one before the ACK is "pushed twice".
 * - __tcp_ack_snd_check, then tcp_cleanup_rbuf when the app reads: ACK at once when more than
 *   rcv_mss is unacknowledged, in quick-ACK mode, or when the app drained a pushed segment on a
 *   socket that is not interactive (pingpong), or two pushed segments. Both run BEFORE the app
 *   can answer, so such an ACK is a segment of its own, ahead of the app's reply.
 * - Otherwise tcp_send_delayed_ack: the ACK waits ato (bounded by the smoothed RTT, at least
 *   40 ms, and at most 200 ms: icsk_delack_max = TCP_DELACK_MAX caps even bulk data's HZ/2)
 *   and rides on the app's reply if there is one.
 * - tcp_event_data_sent: sending data less than ato after the last data arrived makes the
 *   socket interactive (pingpong; sysctl tcp_pingpong_thresh = 1).
 * - tcp_delack_timer_handler: a delayed ACK that had to fire leaves pingpong mode (ato back to
 *   40 ms), or, outside it, doubles ato up to the RTO.
 * - tcp_event_ack_sent / tcp_dec_quickack_mode: an ACK of new data uses up one quick ACK.
 *
 * What a user sees: a device's ACK of a PINGRESP 60 s after the last one goes out at once (quick
 * ACK after a long gap); a broker that answers every packet (pingpong) piggybacks its ACK on
 * PINGRESP; the first request on a fresh connection is ACKed on its own before the reply.
 * - tcp_send_dupack: old data arriving again (a retransmission) re-enters quick-ACK mode.
 * - Reordering (receive.ts): an out-of-order segment is ACKed at once; a segment that fills a
 *   gap gets ONE cumulative ACK for everything it unlocks, sent before the app reads
 *   (tcp_data_queue / tcp_ofo_queue: ICSK_ACK_NOW); only that segment feeds dataReceived.
 * Left out: jiffies granularity (HZ), receive-buffer pressure, TCP_QUICKACK, GRO.
 */
import type { TcpConnState } from './conn-state.ts';
import { MSS, WINDOW } from './segment.ts';
import { ATO_MIN, DELACK_MAX, DELACK_MIN, MAX_QUICKACKS } from './timing.ts';

const PUSHED = 1;
const PUSHED2 = 2;

/** Linux tcp_incr_quickack. */
function incrQuickack(c: TcpConnState): void {
  let q = Math.floor(WINDOW / (2 * c.rcvMss));
  if (q === 0) q = 2;
  if (q > MAX_QUICKACKS) q = MAX_QUICKACKS;
  if (q > c.quick) c.quick = q;
}

/** In-order data of `len` bytes arrived (tcp_measure_rcv_mss + tcp_event_data_recv). */
export function dataReceived(c: TcpConnState, len: number, now: number): void {
  if (len >= c.rcvMss) {
    c.rcvMss = len > MSS ? MSS : len;
  } else {
    if (c.pushed & PUSHED) c.pushed |= PUSHED2;
    c.pushed |= PUSHED;
  }
  if (c.ato === 0) {
    incrQuickack(c); // the first data: initialise the delayed-ACK engine
    c.ato = ATO_MIN;
  } else {
    const m = now - c.lrcvAt;
    if (m <= ATO_MIN / 2) {
      c.ato = Math.floor(c.ato / 2) + ATO_MIN / 2;
    } else if (m < c.ato) {
      c.ato = Math.floor(c.ato / 2) + m;
      if (c.ato > c.rto) c.ato = c.rto;
    } else if (m > c.rto) {
      incrQuickack(c); // "Too long gap": ACK quickly
    }
  }
  c.lrcvAt = now;
}

/** Must the ACK go out now, before the app reads (and maybe answers)? */
export function ackBeforeApp(c: TcpConnState): boolean {
  if (c.ackOwed > c.rcvMss) return true; // more than one full frame
  if (c.quick > 0 && !c.pingpong) return true; // quick-ACK mode
  // tcp_cleanup_rbuf after the app drained the receive queue.
  return (c.pushed & PUSHED2) !== 0 || ((c.pushed & PUSHED) !== 0 && !c.pingpong);
}

/**
 * Old data arrived again: the peer retransmitted because our ACK was lost or late
 * (tcp_send_dupack / tcp_data_queue "A retransmit ... Force an immediate ack" →
 * tcp_enter_quickack_mode): quick-ACK mode, out of pingpong, ato back to 40 ms.
 */
export function enterQuickack(c: TcpConnState): void {
  incrQuickack(c);
  c.pingpong = false;
  c.ato = ATO_MIN;
}

/** A segment carrying ACK left (tcp_event_ack_sent): owed ACK settled, one quick ACK used. */
export function ackSent(c: TcpConnState): void {
  if ((c.ackOwed > 0 || c.ackNow) && c.quick > 0) {
    if (c.quick <= 1) { c.quick = 0; c.ato = ATO_MIN; } else c.quick--;
  }
  c.ackOwed = 0;
  c.ackNow = false;
  c.pushed = 0;
}

/** A segment with data left (tcp_event_data_sent): a quick reply makes the socket interactive. */
export function dataSent(c: TcpConnState, now: number): void {
  if (c.ato > 0 && now - c.lrcvAt < c.ato) c.pingpong = true;
}

/**
 * tcp_send_delayed_ack: when the delayed ACK is due, given the one already pending (`pending`,
 * or null). Returns -1 when the pending one is about to expire: send the ACK now.
 * Linux bounds ato by max_ato (HZ/2 = 500 ms for bulk data, TCP_DELACK_MAX = 200 ms when
 * interactive or pushed), then by the smoothed RTT (at least 40 ms), then by icsk_delack_max
 * (`ato = min_t(u32, ato, inet_csk(sk)->icsk_delack_max)`, Linux ≥ 5.10; TCP_DELACK_MAX unless
 * a BPF program raises it). That last cap makes the 500 ms branch moot, so here: ato is at
 * most 200 ms and at most the smoothed RTT (itself at least 40 ms).
 */
export function delayedAckDue(c: TcpConnState, now: number, pending: number | null): number {
  let ato = c.ato;
  if (ato > DELACK_MIN) {
    let maxAto = DELACK_MAX;
    if (c.srtt >= 0) {
      const rtt = c.srtt > DELACK_MIN ? c.srtt : DELACK_MIN;
      if (rtt < maxAto) maxAto = rtt;
    }
    if (ato > maxAto) ato = maxAto;
  }
  let due = now + ato;
  if (pending !== null) {
    if (pending <= now + Math.floor(ato / 4)) return -1;
    if (pending < due) due = pending;
  }
  return due;
}

/** tcp_delack_timer_handler: the ACK had to wait for the timer. */
export function delayedAckFired(c: TcpConnState): void {
  if (!c.pingpong) {
    const a = c.ato * 2;
    c.ato = a < c.rto ? a : c.rto;
  } else {
    c.pingpong = false; // the app did not answer: not interactive after all
    c.ato = ATO_MIN;
  }
}
