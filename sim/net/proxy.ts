/**
 * A TCP-terminating proxy or load balancer on a link that closes idle flows actively
 * (link option `proxyIdleTimeoutMs`, with `proxyClose` "fin" or "rst").
 *
 * What it models, from HAProxy (doc/configuration.txt at commit 50872daa, "timeout client",
 * "timeout server", "timeout tunnel", "option independent-streams", "option nolinger"):
 * - The timeout is an *inactivity* timeout: data read or written on a socket refreshes it, in
 *   either direction ("when data is sent over a socket, both the write timeout and the read
 *   timeout for that socket are refreshed"; `timeout tunnel`: "inactive in both directions").
 *   The proxy terminates TCP, so only new bytes count: a bare ACK, a retransmission of bytes
 *   already seen, or an SO_KEEPALIVE probe (an old byte) never reach HAProxy and refresh
 *   nothing. An MQTT PINGREQ/PINGRESP is data and does.
 * - When it expires the stream ends and HAProxy closes both sockets. Measured with Debian's
 *   HAProxy 2.6.12 in TCP mode (test/kernel/proxy-idle.test.ts): FIN to the client and FIN to
 *   the server 3001.5-3001.7 ms after the last data with 3 s timeouts (`proxyClose` "fin", the
 *   default); with `option nolinger` (SO_LINGER 0: "a TCP RST is emitted ... the session is
 *   instantly purged") the client still got a FIN and the server an RST ("rst-to-broker"; its
 *   server-side sockets carry FD_LINGER_RISK, "close hard if needed", src/proto_tcp.c). "rst"
 *   (RST to both) is there for middleboxes that reset both sides.
 * - After its close the proxy's sockets are orphans: a host's FIN is acknowledged (FIN-WAIT
 *   → TIME-WAIT), new data is answered with RST (Linux tcp_rcv_state_process, FIN_WAIT1/2
 *   with RCV_SHUTDOWN: "RFC 1122 says we MUST send a reset", then tcp_v4_send_reset), and
 *   after an RST close every segment gets an RST (no socket). Nothing is relayed any more.
 *
 * Simplifications (said where they show): until it closes, the proxy relays segments end to
 * end, as if it spliced the two connections (sequence numbers, ACK timing, retransmissions
 * and windows are the hosts' own); it decides when a segment is sent (as the NAT does), and
 * its own segments travel the link with its latency, so each host hears the proxy as if it
 * stood beside the other host (a load balancer beside the broker would reach the broker up to
 * one latency sooner). Its FIN is sent once (a lost one is not retransmitted); a flow that
 * never completed its handshake is forgotten silently; it does not accept connections on its
 * own (a client whose broker is down gets no connection from it).
 */
import type { Engine, Timer } from '../engine/types.ts';
import { ACK, FIN, RST, SYN, Segment, seqGt } from '../tcp/segment.ts';
import type { ProxyClose } from '../scenario/types.ts';

/** What the proxy needs from the network. */
export interface ProxyEnv {
  readonly engine: Engine;
  /** Put a segment the proxy made onto the link `delayUs` from now. */
  sendLater(seg: Segment, delayUs: number): void;
  /** Trace that the proxy's idle timeout closed a flow. */
  timedOut(conn: string): void;
}

/** Side 0 is the client (the link's first node), side 1 the broker. */
type Side = 0 | 1;

interface Flow {
  readonly conn: string;
  readonly timer: Timer;
  /** 'open': relaying; 'closed': the proxy closed it; per side, 'gone' once it reset that side. */
  state: 'open' | 'closed';
  gone: [boolean, boolean];
  node: [number, number];
  port: [number, number];
  /** Per side: whether a segment of it was seen, and the next sequence number it will send. */
  seen: [boolean, boolean];
  nxt: [number, number];
  fin: [boolean, boolean];
  /** After the close: the proxy's next sequence number towards each side, and what it received. */
  sndNxt: [number, number];
  rcvNxt: [number, number];
}

const WHY_FIN = (ms: number) =>
  `the proxy closed this flow after ${ms} ms without data either way (proxyIdleTimeoutMs, as HAProxy's ` +
  '"timeout client"/"timeout server"): FIN to this end';
const WHY_RST = (ms: number, close: ProxyClose) =>
  `the proxy closed this flow after ${ms} ms without data either way (proxyIdleTimeoutMs) with SO_LINGER 0 ` +
  `(proxyClose "${close}"${close === 'rst-to-broker' ? ', as HAProxy with "option nolinger" does to its server side' : ''}): RST to this end`;
const WHY_ACK = 'the proxy already closed this flow: its orphaned socket acknowledges the FIN';
const WHY_RESET = 'the proxy already closed this flow: new data on a closed socket is answered with RST ' +
  '(RFC 1122 4.2.2.13; Linux tcp_rcv_state_process)';
const WHY_NO_SOCKET = 'the proxy has no socket for this flow any more (it reset it): it answers RST';

export class Proxy {
  private readonly flows = new Map<string, Flow>();

  constructor(readonly idleUs: number, readonly close: ProxyClose, private readonly env: ProxyEnv) {}

  /**
   * A host's segment on this link, when it is sent, from side `side`. True: relay it; false:
   * the proxy took it (it closed the flow), and may answer after `backUs` (the time the
   * segment takes to reach it).
   */
  see(seg: Segment, side: Side, backUs: number): boolean {
    const f = this.flows.get(seg.conn);
    if (f === undefined) {
      if ((seg.flags & SYN) === 0 || (seg.flags & ACK) !== 0) return true; // not a flow it knows
      this.open(seg);
      return true;
    }
    if (f.state === 'closed') {
      this.answer(f, seg, side, backUs);
      return false;
    }
    this.relay(f, seg, side);
    return true;
  }

  private open(seg: Segment): void {
    const conn = seg.conn;
    const timer = this.env.engine.timer(() => this.expire(conn));
    const f: Flow = {
      conn, timer, state: 'open', gone: [false, false], node: [seg.src, seg.dst], port: [seg.srcPort, seg.dstPort],
      seen: [true, false], nxt: [(seg.seq + 1) >>> 0, 0], fin: [false, false], sndNxt: [0, 0], rcvNxt: [0, 0],
    };
    this.flows.set(conn, f);
    timer.set(this.env.engine.now() + this.idleUs);
  }

  /** An open flow: note the sequence space; new bytes (or SYN/FIN) are activity. */
  private relay(f: Flow, seg: Segment, side: Side): void {
    const flags = seg.flags;
    if (flags & RST) { this.end(f); return; }
    const end = (seg.seq + seg.len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0)) >>> 0;
    if (!f.seen[side] || seqGt(end, f.nxt[side])) {
      f.seen[side] = true;
      f.nxt[side] = end;
      f.timer.set(this.env.engine.now() + this.idleUs);
    }
    if (flags & FIN) {
      f.fin[side] = true;
      // Both hosts closed on their own: the proxy only relays the last ACKs.
      if (f.fin[0] && f.fin[1]) this.end(f);
    }
  }

  private end(f: Flow): void {
    f.timer.clear();
    this.flows.delete(f.conn);
  }

  private expire(conn: string): void {
    const f = this.flows.get(conn)!;
    if (!f.seen[1]) { this.flows.delete(conn); return; } // no handshake completed: nothing to close
    f.state = 'closed';
    this.env.timedOut(conn);
    const ms = this.idleUs / 1000;
    for (const side of [0, 1] as const) {
      const other = side === 0 ? 1 : 0;
      // RST towards this side: "rst" resets both, "rst-to-broker" only the broker (side 1).
      const reset = this.close === 'rst' || (this.close === 'rst-to-broker' && side === 1);
      const flags = reset ? RST | ACK : FIN | ACK;
      const seg = this.make(f, side, f.nxt[other], f.nxt[side], flags, reset ? WHY_RST(ms, this.close) : WHY_FIN(ms));
      f.rcvNxt[side] = f.nxt[side];
      f.sndNxt[side] = (f.nxt[other] + (reset ? 0 : 1)) >>> 0;
      if (reset) f.gone[side] = true;
      this.env.sendLater(seg, 0);
    }
  }

  /** A segment of a flow the proxy closed, from `side`: what its orphaned socket (or no socket) says. */
  private answer(f: Flow, seg: Segment, side: Side, backUs: number): void {
    const flags = seg.flags;
    if (flags & RST) { f.gone[side] = true; return; }
    const len = seg.len;
    if (f.gone[side]) { this.env.sendLater(this.reset(f, seg, side, WHY_NO_SOCKET), backUs); return; }
    if (seqGt((seg.seq + len) >>> 0, f.rcvNxt[side])) {
      f.gone[side] = true;
      this.env.sendLater(this.reset(f, seg, side, WHY_RESET), backUs);
      return;
    }
    if (flags & FIN) {
      f.rcvNxt[side] = (seg.seq + len + 1) >>> 0;
      this.env.sendLater(this.make(f, side, f.sndNxt[side], f.rcvNxt[side], ACK, WHY_ACK), backUs);
      return;
    }
    if (len > 0) this.env.sendLater(this.make(f, side, f.sndNxt[side], f.rcvNxt[side], ACK, WHY_ACK), backUs);
  }

  /** An RST for `seg` as Linux's tcp_v4_send_reset builds it: seq = its ACK, or RST|ACK acknowledging it. */
  private reset(f: Flow, seg: Segment, side: Side, why: string): Segment {
    const f2 = seg.flags;
    const span = seg.len + (f2 & SYN ? 1 : 0) + (f2 & FIN ? 1 : 0);
    return f2 & ACK
      ? this.make(f, side, seg.ack, 0, RST, why)
      : this.make(f, side, 0, (seg.seq + span) >>> 0, RST | ACK, why);
  }

  /** A segment from the proxy to `side`, addressed as if from the other host. */
  private make(f: Flow, side: Side, seq: number, ack: number, flags: number, why: string): Segment {
    const other = side === 0 ? 1 : 0;
    const seg = Segment.make(f.conn, f.node[other], f.node[side], f.port[other], f.port[side], seq, ack, flags, null, false);
    seg.by = 'proxy';
    seg.byWhy = why;
    return seg;
  }
}
