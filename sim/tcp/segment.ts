/**
 * A TCP segment as the simulator carries it, plus 32-bit sequence arithmetic (RFC 9293 §3.4).
 *
 * Nodes are addressed by index (the network maps indices to names and IPv4 addresses). The
 * header carries only what this model uses: ports, seq, ack, flags; the window is always
 * 65535 and there are no options (no MSS option, SACK, timestamps or window scaling).
 */
import type { WireSegment } from '../net/api.ts';
import type { TcpConnState } from './conn-state.ts';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/** Fixed receive window advertised by every socket (apps read at once; no scaling). */
export const WINDOW = 65535;
/** Maximum segment size: Ethernet MTU 1500 − 20 (IPv4) − 20 (TCP). */
export const MSS = 1460;

export class Segment {
  /** Set by the network when the segment is put on the wire (pairs seg.send with its fate). */
  id = 0;
  /** Capture record, when a wire recorder is attached. */
  wire: WireSegment | null = null;
  /**
   * Hints that save hash lookups in the hot path (no effect on behaviour): the sending socket,
   * the receiving socket as the sender last knew it (used only while it is alive, when it is
   * exactly what the receiver's connection table holds), and the network's route (undefined:
   * not looked up).
   */
  from: TcpConnState | null = null;
  to: TcpConnState | null = null;
  route: object | null | undefined = undefined;
  /**
   * Sent by a middlebox on the link, not by a host (net/network.ts, net/proxy.ts): a NAT's own
   * stack answering for the address behind it, or a TCP-terminating proxy closing a flow.
   * null for a host's segment. `byWhy` says why, for the trace.
   */
  by: 'nat' | 'proxy' | null = null;
  byWhy: string | null = null;
  /**
   * The MQTT packets whose bytes this segment carries, by their place in the sender's stream
   * on this connection (1 = the first packet written); null when not traced or no data.
   */
  packets: number[] | null = null;
  constructor(
    public conn: string,
    public src: number,
    public dst: number,
    public srcPort: number,
    public dstPort: number,
    public seq: number,
    public ack: number,
    public flags: number,
    public payload: Uint8Array | null,
    public retransmit: boolean,
  ) {}

  /**
   * A segment from the free list (or a new one). Segments are recycled once the network has
   * delivered or dropped them (`recycle`): nothing keeps a segment after its fate, only its
   * payload bytes and the capture record. Saves one allocation per segment in long runs.
   */
  static make(
    conn: string, src: number, dst: number, srcPort: number, dstPort: number,
    seq: number, ack: number, flags: number, payload: Uint8Array | null, retransmit: boolean,
  ): Segment {
    const s = FREE.pop();
    if (s === undefined) return new Segment(conn, src, dst, srcPort, dstPort, seq, ack, flags, payload, retransmit);
    s.conn = conn; s.src = src; s.dst = dst; s.srcPort = srcPort; s.dstPort = dstPort;
    s.seq = seq; s.ack = ack; s.flags = flags; s.payload = payload; s.retransmit = retransmit;
    s.by = null; s.byWhy = null; s.packets = null;
    return s;
  }

  /** Hand a segment whose fate is settled back to the free list (drops its references). */
  static recycle(s: Segment): void {
    s.payload = null; s.wire = null; s.packets = null; s.from = null; s.to = null; s.route = undefined; s.id = 0;
    if (FREE.length < 4096) FREE.push(s);
  }

  get len(): number {
    return this.payload === null ? 0 : this.payload.length;
  }
}

const FREE: Segment[] = [];

/** Trace text of the flag bits, e.g. "SYN,ACK", "PSH,ACK", "FIN,ACK", "RST". */
const FLAG_TEXT: string[] = [];
for (let f = 0; f < 32; f++) {
  const parts: string[] = [];
  if (f & SYN) parts.push('SYN');
  if (f & FIN) parts.push('FIN');
  if (f & RST) parts.push('RST');
  if (f & PSH) parts.push('PSH');
  if (f & ACK) parts.push('ACK');
  FLAG_TEXT.push(parts.join(','));
}
export function flagText(flags: number): string {
  return FLAG_TEXT[flags & 31]!;
}

/** Sequence-space comparisons modulo 2^32. */
export function seqLt(a: number, b: number): boolean { return ((a - b) | 0) < 0; }
export function seqLe(a: number, b: number): boolean { return ((a - b) | 0) <= 0; }
export function seqGt(a: number, b: number): boolean { return ((a - b) | 0) > 0; }
export function seqGe(a: number, b: number): boolean { return ((a - b) | 0) >= 0; }
export function seqAdd(a: number, n: number): number { return (a + n) >>> 0; }
/** a − b as a signed 32-bit distance. */
export function seqDiff(a: number, b: number): number { return (a - b) | 0; }
