/**
 * TCP timing constants and formulas, with Linux's numbers (behaviour.md §5).
 *
 * - RTO: RFC 6298 estimator with Linux's floor: RTO = SRTT + max(200 ms, 4·RTTVAR), clamped
 *   to [200 ms, 120 s] (TCP_RTO_MIN, TCP_RTO_MAX); initial 1 s (TCP_TIMEOUT_INIT); 3 s when
 *   the SYN had to be retransmitted and no sample exists (TCP_TIMEOUT_FALLBACK, RFC 6298 §5.7).
 * - Giving up: Linux `retransmits_timed_out` compares the time since the first unacked
 *   transmission with `tcp_model_timeout(boundary, rto_base)`, the time the RTO schedule
 *   would take from rto_base doubling to TCP_RTO_MAX: tcp_retries2 = 15 → 924.6 s;
 *   tcp_orphan_retries = 8 (closed sockets) → 102.2 s.
 * - Handshake: tcp_syn_retries 6 (SYNs at 0,1,3,7,15,31,63 s; fail at 127 s),
 *   tcp_synack_retries 5 (give up at 63 s). Counted in retransmissions, as Linux does;
 *   tcp_syn_linear_timeouts (6.5+) adds that many 1 s steps first (settings.ts).
 * - Loss probes and the congestion window: congestion.ts.
 * The per-host sysctls (retries, linear SYN timeouts, user timeout) are in settings.ts.
 * All values are integer microseconds.
 */
import { US_PER_MS, US_PER_S } from '../engine/types.ts';

export const RTO_INIT = 1 * US_PER_S;
export const RTO_FALLBACK = 3 * US_PER_S;
export const RTO_MIN = 200 * US_PER_MS;
export const RTO_MAX = 120 * US_PER_S;
export const DELACK_MIN = 40 * US_PER_MS; // TCP_DELACK_MIN (HZ / 25)
export const DELACK_MAX = 200 * US_PER_MS; // TCP_DELACK_MAX (HZ / 5): icsk_delack_max, the cap on any delayed ACK
export const ATO_MIN = 40 * US_PER_MS; // TCP_ATO_MIN (HZ / 25)
export const MAX_QUICKACKS = 16; // TCP_MAX_QUICKACKS
export const MSS_DEFAULT = 536; // TCP_MSS_DEFAULT: rcv_mss before a full-sized segment is seen
export const TIME_WAIT = 60 * US_PER_S; // TCP_TIMEWAIT_LEN (2 MSL as Linux counts it)
export const FIN_TIMEOUT = 60 * US_PER_S; // tcp_fin_timeout: orphaned FIN-WAIT-2
/** TCP_INIT_CWND (RFC 6928): the initial congestion window, in segments. */
export const INIT_CWND = 10;
/** TCP_INFINITE_SSTHRESH: no slow-start threshold until the first loss. */
export const INFINITE_SSTHRESH = 0x7fffffff;
/** TCP_TIMEOUT_MIN: 2 jiffies (HZ = 1000), the loss probe's margin with several segments out. */
export const TIMEOUT_MIN = 2 * US_PER_MS;
/** tcp_orphan_retries() when the sysctl is 0 and the socket is alive (rto < TCP_RTO_MAX). */
export const ORPHAN_RETRIES_ALIVE = 8;

/** Linux tcp_model_timeout(): the hypothetical time `boundary` doublings take from rtoBase. */
export function modelTimeout(boundary: number, rtoBase: number): number {
  let thresh = 0; // ilog2(RTO_MAX / rtoBase)
  for (let q = Math.floor(RTO_MAX / rtoBase); q > 1; q = Math.floor(q / 2)) thresh++;
  if (boundary <= thresh) return ((2 << boundary) - 1) * rtoBase; // (2^(boundary+1) − 1)·base
  return ((2 << thresh) - 1) * rtoBase + (boundary - thresh) * RTO_MAX;
}


/** RFC 6298 §2 smoothed RTT state (µs); srtt < 0 means no sample yet. */
export interface RttState { srtt: number; rttvar: number; rto: number }

export function rttSample(s: RttState, r: number): void {
  if (s.srtt < 0) {
    s.srtt = r;
    s.rttvar = Math.floor(r / 2);
  } else {
    const err = s.srtt > r ? s.srtt - r : r - s.srtt;
    s.rttvar = Math.floor((3 * s.rttvar + err) / 4);
    s.srtt = Math.floor((7 * s.srtt + r) / 8);
  }
  s.rto = computeRto(s);
}

export function computeRto(s: RttState): number {
  const v = 4 * s.rttvar;
  const rto = s.srtt + (v > RTO_MIN ? v : RTO_MIN);
  return rto < RTO_MIN ? RTO_MIN : rto > RTO_MAX ? RTO_MAX : rto;
}
