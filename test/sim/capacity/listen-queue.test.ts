/**
 * Listen queues as Linux keeps them (sim/tcp/listen-queue.ts): the decision tables of
 * tcp_conn_request (a SYN) and tcp_check_req (the handshake's last ACK), then whole runs.
 */
import { describe, expect, it } from 'vitest';
import { ackVerdict, effectiveBacklog, synVerdict, type ListenSysctls } from '../../../sim/tcp/listen-queue.ts';
import { BROKER_CAPACITY } from '../../../sim/profiles/broker-capacity.ts';
import { run, scenario } from '../behaviour/helpers.ts';

const linux = (over: Partial<ListenSysctls> = {}): ListenSysctls =>
  ({ somaxconn: 4096, maxSynBacklog: 2048, syncookies: 1, abortOnOverflow: false, ...over });

describe('listen() backlog', () => {
  it('is the application\'s backlog capped to net.core.somaxconn (__sys_listen)', () => {
    expect(effectiveBacklog(100, 4096)).toBe(100); // mosquitto on a default host
    expect(effectiveBacklog(511, 128)).toBe(128); // aedes on a pre-5.4 default (somaxconn 128)
    expect(effectiveBacklog(100, 4)).toBe(4);
    expect(effectiveBacklog(4096, 4096)).toBe(4096);
  });
  it('per broker profile: mosquitto 100 (net.c listen(sock, 100)), aedes 511 (Node), spec 4096', () => {
    expect(BROKER_CAPACITY['mosquitto-2.0'].listenBacklog.value).toBe(100);
    expect(BROKER_CAPACITY.aedes.listenBacklog.value).toBe(511);
    expect(BROKER_CAPACITY.spec.listenBacklog.value).toBe(4096);
  });
});

describe('a SYN (tcp_conn_request)', () => {
  // [syncookies, backlog, SYN queue, accept queue, maxSynBacklog] → verdict
  const rows: [0 | 1 | 2, number, number, number, number, string][] = [
    [1, 4, 0, 0, 2048, 'queue'],
    [1, 4, 3, 0, 2048, 'queue'],
    [1, 4, 4, 0, 2048, 'cookie'], // SYN queue full at the backlog (>=): a cookie instead
    [0, 4, 4, 0, 2048, 'drop-syn-queue-full'], // no cookies: dropped
    [2, 4, 0, 0, 2048, 'cookie'], // tcp_syncookies 2: always
    [1, 4, 0, 4, 2048, 'queue'], // accept queue holds backlog + 1: 4 of 5 is not full
    [1, 4, 0, 5, 2048, 'drop-accept-queue-full'], // sk_acceptq_is_full: 5 > 4
    [1, 4, 4, 5, 2048, 'drop-accept-queue-full'], // cookie or not
    [2, 4, 0, 5, 2048, 'drop-accept-queue-full'],
    // Without cookies the last quarter of tcp_max_syn_backlog is kept for proven peers:
    // dropped when max - qlen < max >> 2, i.e. from qlen 97 of 128.
    [0, 4096, 96, 0, 128, 'queue'],
    [0, 4096, 97, 0, 128, 'drop-syn-backlog'],
    [1, 4096, 97, 0, 128, 'queue'], // with cookies the rule does not apply
  ];
  for (const [cookies, backlog, synQ, acceptQ, maxSyn, verdict] of rows) {
    it(`syncookies ${cookies}, backlog ${backlog}, SYN queue ${synQ}, accept queue ${acceptQ}, max_syn_backlog ${maxSyn}: ${verdict}`, () => {
      expect(synVerdict(linux({ syncookies: cookies, maxSynBacklog: maxSyn }), backlog, synQ, acceptQ)).toBe(verdict);
    });
  }
});

describe('the handshake\'s last ACK (tcp_check_req)', () => {
  const rows: [boolean, number, boolean, string][] = [
    [false, 4, false, 'accept'],
    [false, 5, false, 'drop'], // tcp_abort_on_overflow 0: acked = 1, dropped
    [true, 5, false, 'reset'], // tcp_abort_on_overflow 1: RST
    [true, 4, false, 'accept'],
    [true, 5, true, 'drop'], // a cookie's ACK: tcp_get_cookie_sock fails, dropped
  ];
  for (const [abort, acceptQ, cookie, verdict] of rows) {
    it(`abort_on_overflow ${abort}, accept queue ${acceptQ} of backlog 4, cookie ${cookie}: ${verdict}`, () => {
      expect(ackVerdict(linux({ abortOnOverflow: abort }), 4, acceptQ, cookie)).toBe(verdict);
    });
  }
});

/** Eight clients 100 ms apart from 1 s to a stopped broker on a host with somaxconn 4. */
function stopped(tcp: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return run(scenario({
    durationMs: 8000,
    broker: { id: 'broker', profile: 'mosquitto-2.0', tcp: { kernel: 'linux-6.12', ...tcp } },
    clients: Array.from({ length: 8 }, (_, i) => ({ id: `d${i + 1}`, connectAtMs: 1000 + 100 * i, reconnect: { delayMs: 1000 }, tcp: { kernel: 'linux-6.12' as const }, ...over })),
    links: Array.from({ length: 8 }, (_, i) => ({ between: [`d${i + 1}`, 'broker'] as [string, string], latencyUs: 25 })),
    actions: [{ atMs: 500, do: 'pause', node: 'broker' }, { atMs: 4000, do: 'resume', node: 'broker' }],
  }));
}

describe('a stopped broker (scenario pause / resume), as measured in test/kernel accept-queue-overflow', () => {
  it('queues backlog + 1 connections, drops the later SYNs, and drains at its processing rate', () => {
    const r = stopped({ somaxconn: 4 });
    const connected = r.events('client.connected').map((e) => [e.node, e.tMs]);
    // Five waited in the accept queue with their CONNECT: answered 50 µs apart (mosquitto's measured cost).
    expect(connected).toEqual([
      ['d1', 4000.025], ['d2', 4000.075], ['d3', 4000.125], ['d4', 4000.175], ['d5', 4000.225],
      // SYNs dropped at 1500, 2500, 3500 (accept queue full); the one at 4500 gets through.
      ['d6', 4500.1], ['d7', 4600.1], ['d8', 4700.1],
    ]);
    const drops = r.events('tcp.listen-overflow');
    expect(drops.every((e) => e.verdict === 'drop-accept-queue-full' && e.backlog === 4 && e.acceptQueued === 5)).toBe(true);
    expect(drops.map((e) => [e.peer, e.tMs])).toEqual([
      ['d6', 1500.025], ['d7', 1600.025], ['d8', 1700.025],
      ['d6', 2500.025], ['d7', 2600.025], ['d8', 2700.025],
      ['d6', 3500.025], ['d7', 3600.025], ['d8', 3700.025],
    ]);
    expect(r.events('seg.send', { node: 'd6', flags: 'SYN' }).map((e) => e.tMs)).toEqual([1500, 2500, 3500, 4500]);
  });

  it('a larger backlog takes everyone: nothing is dropped, all eight answered at the resume', () => {
    const r = stopped({});
    expect(r.events('tcp.listen-overflow')).toEqual([]);
    expect(r.events('client.connected').map((e) => e.tMs)).toEqual(
      [4000.025, 4000.075, 4000.125, 4000.175, 4000.225, 4000.275, 4000.325, 4000.375]);
  });

  it('tcp_abort_on_overflow 1: a request whose ACK meets a full accept queue is reset; 0: its ACK is dropped', () => {
    // Cookies off, backlog 4, five clients at one instant: d-1…d-4 are queued requests, d-5's
    // SYN finds the SYN queue full and is dropped. The four are accepted into the queue (4 of
    // 5). At +1 s d-5's SYN is queued, its ACK takes the fifth place.
    const storm = (abortOnOverflow: boolean) => run(scenario({
      durationMs: 4000,
      broker: { id: 'broker', profile: 'mosquitto-2.0', tcp: { somaxconn: 4, syncookies: 0, abortOnOverflow } },
      clients: [{ id: 'd', count: 9, connectAtMs: 1000, reconnect: false }],
      links: [{ between: ['d', 'broker'], latencyUs: 25 }],
      actions: [{ atMs: 500, do: 'pause', node: 'broker' }],
    }));
    const reset = storm(true);
    // At 2 s d-5…d-8 are queued requests at once; d-5's ACK fills the accept queue, and the
    // ACKs of d-6, d-7 and d-8 are answered with RST (embryonic_reset): the clients see a reset.
    expect(reset.events('tcp.listen-overflow', { verdict: 'reset' }).map((e) => [e.peer, e.tMs]))
      .toEqual([['d-6', 2000.075], ['d-7', 2000.075], ['d-8', 2000.075]]);
    expect(reset.events('conn.closed', { cause: 'rst' }).map((e) => e.node)).toEqual(['d-6', 'd-7', 'd-8']);
    const dropped = storm(false);
    expect(dropped.events('tcp.listen-overflow', { verdict: 'reset' })).toEqual([]);
    // The ACK and the CONNECT behind it are both dropped (each tries tcp_check_req again).
    expect(dropped.events('tcp.listen-overflow', { verdict: 'drop-ack', tMs: 2000.075 }).map((e) => e.peer))
      .toEqual(['d-6', 'd-6', 'd-7', 'd-7', 'd-8', 'd-8']);
    expect(dropped.events('conn.closed', { cause: 'rst' })).toEqual([]);
  });

  it('tcp_syncookies 0: SYNs beyond a full SYN queue are dropped, not answered', () => {
    const r = run(scenario({
      durationMs: 3000,
      broker: { id: 'broker', profile: 'mosquitto-2.0', tcp: { somaxconn: 2, syncookies: 0 } },
      clients: [{ id: 'd', count: 5, connectAtMs: 1000, reconnect: false }],
      links: [{ between: ['d', 'broker'], latencyUs: 25 }],
      actions: [{ atMs: 500, do: 'pause', node: 'broker' }],
    }));
    expect(r.events('tcp.listen-overflow').slice(0, 3).map((e) => `${e.peer}:${e.verdict}`))
      .toEqual(['d-3:drop-syn-queue-full', 'd-4:drop-syn-queue-full', 'd-5:drop-syn-queue-full']);
  });
});
