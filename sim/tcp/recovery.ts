/**
 * Loss recovery as Linux does it, as far as it shows when a link dies: tail loss probes
 * (RACK-TLP), the congestion window, and the loss state an RTO enters. Functions over a
 * TcpConnState (conn-state.ts), like ack.ts; the timer and give-up rules stay in connection.ts.
 *
 * - Loss probe (net/ipv4/tcp_output.c tcp_schedule_loss_probe, tcp_send_loss_probe): while
 *   the connection is not in loss recovery and has segments out, the retransmission timer is
 *   a probe timer: PTO = 2·SRTT + (one segment out ? TCP_RTO_MIN : TCP_TIMEOUT_MIN), 1 s
 *   without an RTT sample, never later than the RTO would fire. The probe sends new data if
 *   some waits, else retransmits the LAST segment; then the RTO is armed a full RTO later.
 *   One probe per tail loss episode (tlp_high_seq). A probe is not an RTO: no backoff, no
 *   retransmission counted. So a lost tail is resent at PTO, then PTO + RTO, then doubling:
 *   +0.2, 0.4, 0.8, 1.6 s on a LAN, where RTO-only doubling gives 0.2, 0.6, 1.4, 3.0 s.
 * - Congestion window (tcp_output.c tcp_cwnd_test, tcp_input.c, tcp_cong.c): in segments,
 *   TCP_INIT_CWND = 10; slow start on every ACK of new data (cwnd += segments acked up to
 *   ssthresh, then one per window: Reno-style avoidance, CUBIC's curve left out); after an
 *   idle period longer than the RTO it shrinks back towards the initial window
 *   (tcp_cwnd_restart, tcp_slow_start_after_idle = 1). New data goes out only while the
 *   segments in flight are fewer than cwnd.
 * - RTO (tcp_timer.c tcp_retransmit_timer → tcp_input.c tcp_enter_loss): ssthresh = CUBIC's
 *   max(cwnd·717/1024, 2) when entering from the open state; every segment out is marked
 *   lost; cwnd = in flight + 1 = 1; only the head is retransmitted; the connection stays in
 *   loss recovery until the ACK passes what was outstanding (high_seq). Each ACK meanwhile
 *   grows cwnd and lets the next lost segments go again (tcp_xmit_retransmit_queue), and only
 *   then new data. So a sender whose peer vanished puts NO new segment on the wire after its
 *   first RTO: newer data waits in the send queue behind the head's retransmissions.
 * Left out: SACK scoreboard, RACK reordering timer, fast retransmit on duplicate ACKs, PRR,
 * CUBIC's growth function, pacing; a probe that repaired a loss does not reduce cwnd (CWR).
 */
import type { TcpConnState } from './conn-state.ts';
import { seqGe } from './segment.ts';
import { INIT_CWND, RTO_INIT, RTO_MIN, TIMEOUT_MIN } from './timing.ts';

/** Segments in flight (Linux tcp_packets_in_flight: out − lost + retransmitted). */
export function inFlight(c: TcpConnState): number {
  return c.rtxQ.length - c.lostLeft;
}

/** Room in the congestion window for one more segment. */
export function cwndAllows(c: TcpConnState): boolean {
  return inFlight(c) < c.cwnd;
}

/**
 * tcp_cwnd_restart: sending after an idle period (nothing out) longer than the RTO halves
 * cwnd once per RTO idle, down to TCP_INIT_CWND.
 */
export function restartAfterIdle(c: TcpConnState, now: number): void {
  if (c.rtxQ.length > 0 || c.lastSendAt < 0) return;
  let idle = now - c.lastSendAt;
  const restart = c.cwnd < INIT_CWND ? c.cwnd : INIT_CWND;
  let cwnd = c.cwnd;
  while ((idle -= c.rto) > 0 && cwnd > restart) cwnd = cwnd >> 1;
  c.cwnd = cwnd > restart ? cwnd : restart;
}

/**
 * tcp_schedule_loss_probe: make the retransmission timer a probe timer if the rules allow.
 * `advancingRto`: called on an ACK (the RTO would restart from now) rather than on a send
 * (the RTO counts from the head's last transmission). Returns false when no probe applies.
 */
export function scheduleLossProbe(c: TcpConnState, now: number, advancingRto: boolean): boolean {
  if (!c.host.settings.lossProbes || c.inLoss || c.rtxQ.length === 0) return false;
  const st = c.state;
  if (st === 'SYN-SENT' || st === 'SYN-RECEIVED') return false;
  let timeout = c.srtt >= 0 ? 2 * c.srtt + (c.rtxQ.length === 1 ? RTO_MIN : TIMEOUT_MIN) : RTO_INIT;
  const rtoDelta = advancingRto ? c.rto : c.rtxQ[0]!.sentAt + c.rto - now;
  if (rtoDelta > 0 && rtoDelta < timeout) timeout = rtoDelta;
  c.armTimer(now + timeout, true);
  return true;
}

/** tcp_rearm_rto: the RTO from now, or (replacing a probe timer) from the head's last send. */
export function rearmRto(c: TcpConnState, now: number): void {
  if (c.rtxQ.length === 0) {
    c.stopRtxTimer();
    return;
  }
  let at = now + c.rto;
  if (c.timerIsProbe) {
    const due = c.rtxQ[0]!.sentAt + c.rto;
    at = due > now ? due : now + 1;
  }
  c.armTimer(at, false);
}

/** tcp_set_xmit_timer, after an ACK of new data: a probe if allowed, else the RTO. */
export function setXmitTimerAfterAck(c: TcpConnState, now: number): void {
  if (!scheduleLossProbe(c, now, true)) rearmRto(c, now);
}

/** tcp_enter_loss on an RTO: mark everything out lost, cwnd 1, remember high_seq. */
export function enterLoss(c: TcpConnState): void {
  if (!c.inLoss || c.retransmits === 0) {
    const inflight = inFlight(c);
    const base = c.cwnd > inflight ? c.cwnd : inflight;
    const s = Math.floor((base * 717) / 1024); // CUBIC: beta = 717/1024
    c.ssthresh = s > 2 ? s : 2;
  }
  c.inLoss = true;
  c.highSeq = c.sndNxt;
  c.rtxDone = 0;
  c.lostLeft = c.rtxQ.length;
  c.cwnd = 1; // tcp_packets_in_flight() + 1 with every segment marked lost
  c.tlpOut = false; // tcp_retransmit_timer clears tlp_high_seq
}

/**
 * `acked` segments left the retransmission queue (the oldest first): account for them in the
 * loss scoreboard, grow cwnd, and leave loss recovery once high_seq is acknowledged.
 */
export function onSegmentsAcked(c: TcpConnState, acked: number, ack: number): void {
  if (c.inLoss) {
    const fromDone = acked < c.rtxDone ? acked : c.rtxDone;
    c.rtxDone -= fromDone;
    const rest = acked - fromDone;
    c.lostLeft = rest < c.lostLeft ? c.lostLeft - rest : 0;
  }
  // The ACK of a SYN opens no window: the transfer starts at TCP_INIT_CWND (tcp_init_transfer).
  const st = c.state;
  if (acked > 0 && st !== 'SYN-SENT' && st !== 'SYN-RECEIVED') grow(c, acked);
  if (c.inLoss && (c.rtxQ.length === 0 || seqGe(ack, c.highSeq))) {
    c.inLoss = false;
    c.rtxDone = 0;
    c.lostLeft = 0;
  }
  if (c.tlpOut && seqGe(ack, c.tlpHigh)) c.tlpOut = false;
}

function grow(c: TcpConnState, acked: number): void {
  if (c.cwnd < c.ssthresh) {
    const next = c.cwnd + acked;
    c.cwnd = next < c.ssthresh ? next : c.ssthresh;
    return;
  }
  c.cwndCount += acked;
  if (c.cwndCount >= c.cwnd) {
    c.cwndCount -= c.cwnd;
    c.cwnd++;
  }
}

/** tcp_xmit_retransmit_queue in loss recovery: resend lost segments while cwnd has room. */
export function retransmitLost(c: TcpConnState): void {
  while (c.inLoss && c.lostLeft > 0 && cwndAllows(c)) {
    const ch = c.rtxQ[c.rtxDone]!;
    c.rtxDone++;
    c.lostLeft--;
    c.retransmitChunk(ch);
  }
}
