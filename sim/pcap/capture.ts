/**
 * Capture export: the segments a run put on the wire, as a pcapng file Wireshark reads.
 *
 * Models: one Section Header Block, one Interface Description Block (LINKTYPE_RAW = 101:
 * each packet starts at the IPv4 header; if_tsresol = 6, microseconds, the simulator's own
 * unit, so virtual times survive exactly), and one Enhanced Packet Block per WireSegment
 * holding IPv4 (RFC 791: IHL 5, TTL 64, DF, id counting up per source host) + TCP
 * (RFC 9293: data offset 5, no options) + payload, with correct checksums (RFC 1071).
 * Timestamps are CAPTURE_EPOCH_US + the segment's virtual time, so a run's capture is
 * byte-identical for a given seed; Wireshark's "Time of Day" display shows virtual time.
 * Segments the simulator dropped are still written, at their send time, carrying an
 * opt_comment ("dropped: link cut"): the capture is taken at the sender, like a tcpdump on
 * the sending host. Retransmissions and user annotations (faults) are comments too.
 * Leaves out: Ethernet framing, TCP options (MSS, window scale, SACK, timestamps), IPv6,
 * per-host interfaces and epb_flags direction (one "virtual wire" sees every segment).
 * Format: draft-ietf-opsawg-pcapng (anchors.md §11). Written little-endian.
 */
import type { WireSegment } from '../net/api.ts';
import type { TraceEvent } from '../trace/types.ts';
import { tcpChecksum, internetChecksum } from './checksum.ts';

/** 2026-01-01T00:00:00Z in µs since the Unix epoch: the fixed origin of virtual time 0. */
export const CAPTURE_EPOCH_US = 1_767_225_600_000_000;

/** LINKTYPE_RAW as written in files (never the in-memory DLT_RAW 12; anchors.md §11). */
export const LINKTYPE_RAW = 101;

export const IP_TTL = 64;

/** A note to show in Wireshark at a virtual time (e.g. a fault the scenario injected). */
export interface CaptureAnnotation { tUs: number; text: string }

export interface CaptureInfo {
  /** Comment of the whole capture (Statistics → Capture File Properties), e.g. scenario and seed. */
  comment?: string;
}

/** What a segment's fate says, as the packet comment Wireshark shows. */
export const FATE_COMMENTS: Readonly<Record<WireSegment['fate'], string | null>> = {
  'delivered': null,
  'loss': 'dropped: lost on link',
  'cut': 'dropped: link cut',
  'nat': 'dropped: NAT forgot the flow',
  'proxy': 'taken by the proxy: it closed this flow',
  'host-down': 'dropped: host powered off',
  'no-route': 'dropped: no link between these hosts',
  'in-flight': 'in flight when the run ended',
};

export const RETRANSMISSION_COMMENT = 'retransmission';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SNAPLEN = 262144;
const IP_HEADER = 20;
const TCP_HEADER = 20;
const FLAG_ACK = 0x10;
const TWO_POW_32 = 4294967296;

const encoder = new TextEncoder();

type Octets = readonly [number, number, number, number];

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Bytes an options list takes: each option 4 + padded value, then opt_endofopt (4). */
function optionsLength(values: readonly Uint8Array[]): number {
  if (values.length === 0) return 0;
  let n = 4;
  for (const v of values) n += 4 + pad4(v.length);
  return n;
}

/** Little cursor over one preallocated buffer; everything is written in little-endian. */
class Writer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(v: number): void { this.view.setUint16(this.at, v, true); this.at += 2; }
  u32(v: number): void { this.view.setUint32(this.at, v >>> 0, true); this.at += 4; }
  raw(v: Uint8Array): void { this.bytes.set(v, this.at); this.at += pad4(v.length); }
  options(codes: readonly number[], values: readonly Uint8Array[]): void {
    if (values.length === 0) return;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as Uint8Array;
      this.u16(codes[i] as number);
      this.u16(v.length);
      this.raw(v);
    }
    this.u16(OPT_ENDOFOPT);
    this.u16(0);
  }
}

/**
 * Builds the IPv4 + TCP packet for one segment into `out` at `at` (big-endian, network
 * order). `ipId` is the IPv4 Identification field. Returns the packet's length.
 */
export function writeIpTcp(
  out: Uint8Array, at: number, seg: WireSegment, src: Octets, dst: Octets, ipId: number,
): number {
  const total = IP_HEADER + TCP_HEADER + seg.payload.length;
  const v = new DataView(out.buffer, out.byteOffset + at, total);
  // IPv4 header (RFC 791 §3.1).
  v.setUint8(0, 0x45);            // version 4, IHL 5 words
  v.setUint8(1, 0);               // DSCP/ECN
  v.setUint16(2, total);
  v.setUint16(4, ipId & 0xffff);
  v.setUint16(6, 0x4000);         // DF, fragment offset 0: TCP segments are never fragmented
  v.setUint8(8, IP_TTL);
  v.setUint8(9, 6);               // protocol TCP
  v.setUint16(10, 0);             // checksum, filled below
  for (let i = 0; i < 4; i++) {
    v.setUint8(12 + i, src[i] as number);
    v.setUint8(16 + i, dst[i] as number);
  }
  v.setUint16(10, internetChecksum(out, at, at + IP_HEADER));
  // TCP header (RFC 9293 §3.1).
  const t = IP_HEADER;
  v.setUint16(t, seg.srcPort);
  v.setUint16(t + 2, seg.dstPort);
  v.setUint32(t + 4, seg.seq >>> 0);
  // The acknowledgment number is meaningful only with ACK set; real stacks send zero
  // otherwise (e.g. a RST answering a segment that carried ACK), and Wireshark notes a
  // nonzero one as suspicious.
  v.setUint32(t + 8, (seg.flags & FLAG_ACK) !== 0 ? seg.ack >>> 0 : 0);
  v.setUint8(t + 12, 5 << 4);     // data offset 5 words, no options
  v.setUint8(t + 13, seg.flags & 0xff);
  // Without the window-scale option the field is 16 bits; a larger window is clamped.
  v.setUint16(t + 14, seg.window > 0xffff ? 0xffff : seg.window < 0 ? 0 : seg.window);
  v.setUint16(t + 16, 0);         // checksum, filled below
  v.setUint16(t + 18, 0);         // urgent pointer
  out.set(seg.payload, at + IP_HEADER + TCP_HEADER);
  v.setUint16(t + 16, tcpChecksum(src, dst, out, at + IP_HEADER, at + total));
  return total;
}

function lookup(addresses: Record<string, Octets>, node: string): Octets {
  const a = addresses[node];
  if (a === undefined) throw new Error(`writeCapture: no IPv4 address for node "${node}"`);
  return a;
}

/** Virtual µs as seconds with six decimals, for comments ("12.000500 s"). */
function secondsText(tUs: number): string {
  const s = Math.floor(tUs / 1_000_000);
  const frac = String(tUs - s * 1_000_000).padStart(6, '0');
  return `${s}.${frac} s`;
}

/**
 * The pcapng bytes for `wire`. Segments are written in time order (stable for equal
 * times). Each annotation becomes a comment on the first packet at or after its time,
 * prefixed with its own time; annotations after the last packet go into the capture's
 * comment, so none is lost.
 */
export function writeCapture(
  wire: readonly WireSegment[],
  addresses: Record<string, Octets>,
  annotations: readonly CaptureAnnotation[],
  info: CaptureInfo = {},
): Uint8Array {
  const segments = wire.slice().sort((a, b) => a.tUs - b.tUs);
  const notes = annotations.slice().sort((a, b) => a.tUs - b.tUs);

  // First pass: comments per packet, so the buffer can be sized exactly once.
  const comments: Uint8Array[][] = new Array(segments.length);
  let noteAt = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as WireSegment;
    const list: Uint8Array[] = [];
    while (noteAt < notes.length && (notes[noteAt] as CaptureAnnotation).tUs <= seg.tUs) {
      const n = notes[noteAt++] as CaptureAnnotation;
      list.push(encoder.encode(`${n.text} (at ${secondsText(n.tUs)})`));
    }
    if (seg.retransmit) list.push(encoder.encode(RETRANSMISSION_COMMENT));
    const fate = FATE_COMMENTS[seg.fate];
    if (fate !== null) list.push(encoder.encode(fate));
    comments[i] = list;
  }
  const shbTexts: string[] = [];
  if (info.comment !== undefined && info.comment !== '') shbTexts.push(info.comment);
  for (; noteAt < notes.length; noteAt++) {
    const n = notes[noteAt] as CaptureAnnotation;
    shbTexts.push(`${n.text} (at ${secondsText(n.tUs)}, after the last packet)`);
  }

  const shbValues = [encoder.encode('halfopen simulator (virtual time, fixed epoch)')];
  const shbCodes = [SHB_USERAPPL];
  for (const t of shbTexts) { shbValues.push(encoder.encode(t)); shbCodes.push(OPT_COMMENT); }
  const idbValues = [encoder.encode('halfopen virtual wire'), Uint8Array.of(6)];
  const idbCodes = [IF_NAME, IF_TSRESOL];

  const shbLen = 28 + optionsLength(shbValues);
  const idbLen = 20 + optionsLength(idbValues);
  let size = shbLen + idbLen;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as WireSegment;
    size += 32 + pad4(IP_HEADER + TCP_HEADER + seg.payload.length) + optionsLength(comments[i] as Uint8Array[]);
  }

  const w = new Writer(size);
  // Section Header Block: byte-order magic, version 1.0, section length unknown (-1).
  w.u32(BLOCK_SHB); w.u32(shbLen); w.u32(BYTE_ORDER_MAGIC);
  w.u16(1); w.u16(0); w.u32(0xffffffff); w.u32(0xffffffff);
  w.options(shbCodes, shbValues);
  w.u32(shbLen);
  // Interface Description Block: raw IPv4, microsecond timestamps.
  w.u32(BLOCK_IDB); w.u32(idbLen); w.u16(LINKTYPE_RAW); w.u16(0); w.u32(SNAPLEN);
  w.options(idbCodes, idbValues);
  w.u32(idbLen);

  const ipIds = new Map<string, number>();
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as WireSegment;
    const list = comments[i] as Uint8Array[];
    const packetLen = IP_HEADER + TCP_HEADER + seg.payload.length;
    const blockLen = 32 + pad4(packetLen) + optionsLength(list);
    // IPv4 Identification counts up per sending host, starting at 1 (RFC 6864 allows any
    // scheme for atomic DF datagrams; a per-host counter looks like a classic stack).
    const id = (ipIds.get(seg.src) ?? 0) + 1;
    ipIds.set(seg.src, id);
    const ts = CAPTURE_EPOCH_US + seg.tUs;
    const tsHigh = Math.floor(ts / TWO_POW_32);
    w.u32(BLOCK_EPB); w.u32(blockLen);
    w.u32(0);                             // interface 0
    w.u32(tsHigh); w.u32(ts - tsHigh * TWO_POW_32);
    w.u32(packetLen); w.u32(packetLen);   // captured = original: nothing is truncated
    writeIpTcp(w.bytes, w.at, seg, lookup(addresses, seg.src), lookup(addresses, seg.dst), id);
    w.at += pad4(packetLen);
    w.options(list.map(() => OPT_COMMENT), list);
    w.u32(blockLen);
  }
  return w.bytes;
}

/** Plain-language text of a scenario action event, e.g. "power-off sensor", "cut a<->b". */
function actionText(e: Record<string, unknown>): string {
  const parts: string[] = [String(e['do'])];
  if (typeof e['node'] === 'string') parts.push(e['node']);
  const link = e['link'];
  if (Array.isArray(link) && link.length === 2) {
    const dir = e['direction'];
    const arrow = dir === 'a->b' ? '->' : dir === 'b->a' ? '<-' : '<->';
    parts.push(`${String(link[0])}${arrow}${String(link[1])}`);
  }
  return parts.join(' ');
}

/** Trace kinds worth a packet comment: faults and the MQTT decisions they cause. */
export const ANNOTATED_KINDS: ReadonlySet<string> = new Set([
  'action', 'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover',
  'will.scheduled', 'will.published', 'will.discarded', 'session.expired', 'nat.expired',
  'proxy.timeout',
]);

/** Comment text of one annotated event, e.g. "will.published: broker, clientId=sensor, cause=keepalive". */
export function annotationText(e: TraceEvent): string {
  const f: Readonly<Record<string, unknown>> = e;
  if (e.kind === 'action') return `action: ${actionText(f)}`;
  const parts: string[] = [];
  if (typeof f['node'] === 'string') parts.push(f['node']);
  const link = f['link'];
  if (Array.isArray(link)) parts.push(link.map(String).join('<->'));
  for (const key of ['clientId', 'conn', 'cause']) {
    if (typeof f[key] === 'string') parts.push(`${key}=${f[key] as string}`);
  }
  return parts.length > 0 ? `${e.kind}: ${parts.join(', ')}` : e.kind;
}

/**
 * Annotations for a capture from a trace: every scenario action (faults like power-off,
 * cut, crash) and every keep-alive, takeover, Will and session decision (ANNOTATED_KINDS)
 * at its time. Also usable event by event (`onEvent`) with `annotationText`, as the CLI
 * streams the trace without keeping it.
 */
export function annotationsFromTrace(trace: readonly TraceEvent[]): CaptureAnnotation[] {
  const out: CaptureAnnotation[] = [];
  for (const e of trace) {
    if (!ANNOTATED_KINDS.has(e.kind)) continue;
    out.push({ tUs: Math.round(e.tMs * 1000), text: annotationText(e) });
  }
  return out;
}
