/**
 * A listening socket's two queues, as Linux keeps them, and what it does when they are full.
 *
 * - The backlog: listen(fd, n) is capped to net.core.somaxconn (net/socket.c __sys_listen:
 *   "if ((unsigned int)backlog > somaxconn) backlog = somaxconn") and becomes
 *   sk_max_ack_backlog. mosquitto asks for 100 (src/net.c, listen(sock, 100)), Node's
 *   net.Server (aedes) for 511 (lib/net.js, backlog default 511); broker-profiles.ts.
 * - The accept queue holds established connections the application has not accept()ed yet. It
 *   is full when it holds MORE than the backlog (include/net/sock.h sk_acceptq_is_full:
 *   "sk_ack_backlog > sk_max_ack_backlog"), so it takes backlog + 1.
 * - The SYN queue holds half-open requests (SYN received, SYN-ACK sent). It is full at the
 *   backlog (include/net/inet_connection_sock.h inet_csk_reqsk_queue_is_full:
 *   "inet_csk_reqsk_queue_len(sk) >= sk->sk_max_ack_backlog").
 *
 * A SYN for the listener (net/ipv4/tcp_input.c tcp_conn_request), in this order:
 * 1. tcp_syncookies == 2, or the SYN queue is full: with cookies (1 or 2) the SYN is answered
 *    by a cookie SYN-ACK that keeps no request (want_cookie); without (0) it is dropped.
 * 2. The accept queue is full: dropped, cookie or not (LINUX_MIB_LISTENOVERFLOWS).
 * 3. Without cookies at all (tcp_syncookies 0), "the last quarter of backlog is filled with
 *    destinations proven to be alive": dropped when tcp_max_syn_backlog - queue length <
 *    tcp_max_syn_backlog >> 2 (tcp_peer_is_proven, a tcp_metrics RTT for the peer, is taken as
 *    false here: left out).
 * A dropped SYN gets nothing back: the client waits out its SYN retransmission schedule.
 *
 * The handshake's last ACK (or any later segment of a half-open request: the client's first
 * data too) goes to tcp_check_req (net/ipv4/tcp_minisocks.c), which creates the child socket
 * through syn_recv_sock (tcp_v4_syn_recv_sock: "if (sk_acceptq_is_full(sk)) goto
 * exit_overflow"). When the accept queue is full: with tcp_abort_on_overflow 0 the segment is
 * dropped and the request marked acked ("inet_rsk(req)->acked = 1; return NULL"), so it stays
 * and its SYN-ACK is retransmitted on its own timer (reqsk_timer_handler, up to
 * tcp_synack_retries); the client, established, answers each SYN-ACK with an ACK and resends
 * its data, and each of those tries again. With tcp_abort_on_overflow 1 it answers RST
 * (embryonic_reset) and forgets the request. A cookie's ACK (cookie_v4_check →
 * tcp_get_cookie_sock) meets the same full queue and is dropped: nothing is retransmitted
 * for it. Left out: the pruning of old requests when the SYN queue is over half full
 * (reqsk_timer_handler's "young" rule), TCP_DEFER_ACCEPT, and the cookie's age limit.
 */

/** What the listener does with a SYN. */
export type SynVerdict = 'queue' | 'cookie' | 'drop-syn-queue-full' | 'drop-accept-queue-full' | 'drop-syn-backlog';

/** What the listener does with the ACK that would complete a handshake. */
export type AckVerdict = 'accept' | 'drop' | 'reset';

export interface ListenSysctls {
  somaxconn: number;
  maxSynBacklog: number;
  syncookies: 0 | 1 | 2;
  abortOnOverflow: boolean;
}

/** sk_max_ack_backlog: the application's listen() backlog capped to somaxconn. */
export function effectiveBacklog(appBacklog: number, somaxconn: number): number {
  return appBacklog > somaxconn ? somaxconn : appBacklog;
}

export function acceptQueueFull(acceptQueued: number, backlog: number): boolean {
  return acceptQueued > backlog;
}

export function synQueueFull(synQueued: number, backlog: number): boolean {
  return synQueued >= backlog;
}

/** tcp_conn_request's decision for a SYN (see the header for each rule's source). */
export function synVerdict(s: ListenSysctls, backlog: number, synQueued: number, acceptQueued: number): SynVerdict {
  let cookie = false;
  if (s.syncookies === 2 || synQueueFull(synQueued, backlog)) {
    if (s.syncookies === 0) return 'drop-syn-queue-full';
    cookie = true;
  }
  if (acceptQueueFull(acceptQueued, backlog)) return 'drop-accept-queue-full';
  if (!cookie && s.syncookies === 0 && s.maxSynBacklog - synQueued < (s.maxSynBacklog >> 2)) return 'drop-syn-backlog';
  return cookie ? 'cookie' : 'queue';
}

/** tcp_check_req's decision for the ACK that completes a handshake. */
export function ackVerdict(s: ListenSysctls, backlog: number, acceptQueued: number, cookie: boolean): AckVerdict {
  if (!acceptQueueFull(acceptQueued, backlog)) return 'accept';
  return s.abortOnOverflow && !cookie ? 'reset' : 'drop';
}
