/**
 * The topology: one TCP stack per node, one link per client↔broker pair, the faults the
 * runner injects (power, crash, cut, link changes), and the fate of every segment.
 *
 * A segment's fate: dropped at send time when there is no link ('no-route'), the direction is
 * cut ('cut'), the NAT has no flow for it ('nat'), a proxy that closed its flow takes it
 * ('proxy', net/proxy.ts) or the loss draw says so ('loss');
 * otherwise it arrives after latency + jitter (never sooner than the latency) and is
 * dropped there if the receiving host is powered off ('host-down'), else delivered.
 *
 * Trace convention for `seg.send`, `seg.deliver` and `seg.drop`: `node` is always the
 * SENDER and `peer` the RECEIVER of the segment; `id` pairs a send with its fate. The TCP
 * sequence number is written as `tcpSeq` (the name `seq` is the trace's own event counter).
 *
 * Addresses: node i (nodes[0] is the broker) is 198.18.0.0 + i + 1 (RFC 2544 benchmark
 * range 198.18.0.0/15, room for 131,070 nodes).
 * Hot path (100,000 clients): a segment carries its route, looked up once per socket, and is
 * recycled (Segment.recycle) once delivered or dropped.
 * Left out: routing between clients, bandwidth, ICMP errors (soft errors would not abort a
 * connection anyway, RFC 9293 §3.9.2.2).
 */
import type { Engine, Rng } from '../engine/types.ts';
import type { TraceFieldsOf } from '../trace/types.ts';
import type { Direction, ResolvedLink } from '../scenario/types.ts';
import { linkDirection } from '../scenario/direction.ts';
import type { HostStack, Network, WireSegment } from './api.ts';
import type { TcpEnv } from '../tcp/env.ts';
import { TcpHost } from '../tcp/host.ts';
import { ACK, FIN, RST, SYN, WINDOW, Segment, flagText } from '../tcp/segment.ts';
import { Link, type LinkDir } from './link.ts';

export interface NetworkConfig {
  nodes: string[];
  links: ResolvedLink[];
}

type DropReason = 'loss' | 'cut' | 'nat' | 'proxy' | 'host-down' | 'no-route';

class Net implements Network, TcpEnv {
  readonly names: readonly string[];
  readonly isnRng: Rng;
  readonly portRng: Rng;
  private readonly index = new Map<string, number>();
  private readonly hosts: TcpHost[] = [];
  /** Route key from*N+to → direction. */
  private readonly routes = new Map<number, LinkDir>();
  private readonly links: Link[] = [];
  private recorder: ((s: WireSegment) => void) | null = null;
  private nextSegId = 1;
  private readonly deliver: (seg: Segment) => void;
  /** The `seg.send` / `seg.deliver` fields of a segment (built only when the sink wants them). */
  private readonly sendFields: (seg: Segment) => TraceFieldsOf<'seg.send'>;
  private readonly deliverFields: (seg: Segment) => TraceFieldsOf<'seg.deliver'>;

  constructor(readonly engine: Engine, config: NetworkConfig) {
    if (config.nodes.length > 131070) throw new RangeError('at most 131,070 nodes fit 198.18.0.0/15');
    this.names = [...config.nodes];
    this.isnRng = engine.rng('tcp.isn');
    this.portRng = engine.rng('tcp.ports');
    config.nodes.forEach((name, i) => {
      if (this.index.has(name)) throw new Error(`duplicate node name: ${name}`);
      this.index.set(name, i);
      this.hosts.push(new TcpHost(this, i, name));
    });
    const n = config.nodes.length;
    for (const cfg of config.links) {
      const a = this.indexOf(cfg.between[0]);
      const b = this.indexOf(cfg.between[1]);
      const link = new Link(cfg, engine, (seg, delayUs) => this.sendLater(seg, delayUs));
      this.links.push(link);
      this.routes.set(a * n + b, link.ab);
      this.routes.set(b * n + a, link.ba);
    }
    // Delivery without a closure per segment: one shared function, the segment as its argument.
    this.deliver = (seg: Segment): void => this.arrive(seg);
    const names = this.names;
    // A sink that only borrows the fields (engine.lends(): the CLI's writer, the invariant
    // checker) gets one reused object per kind, its optional keys reset to undefined (left out
    // as absent): two objects fewer per segment for the garbage collector.
    const lent = engine.lends();
    const sendScratch = {
      kind: 'seg.send', id: 0, node: '', peer: '', conn: '', flags: '', tcpSeq: 0, ack: 0, len: 0,
      retransmit: undefined, packets: undefined, by: undefined, why: undefined,
    } as TraceFieldsOf<'seg.send'>;
    const deliverScratch: TraceFieldsOf<'seg.deliver'> = { kind: 'seg.deliver', id: 0, node: '', peer: '', conn: '' };
    this.sendFields = (seg) => {
      let ev: TraceFieldsOf<'seg.send'>;
      if (lent) {
        ev = sendScratch;
        ev.id = seg.id; ev.node = names[seg.src]!; ev.peer = names[seg.dst]!; ev.conn = seg.conn;
        ev.flags = flagText(seg.flags); ev.tcpSeq = seg.seq; ev.ack = seg.ack; ev.len = seg.len;
        ev.retransmit = undefined; ev.packets = undefined; ev.by = undefined; ev.why = undefined;
      } else {
        ev = {
          kind: 'seg.send', id: seg.id, node: names[seg.src]!, peer: names[seg.dst]!, conn: seg.conn,
          flags: flagText(seg.flags), tcpSeq: seg.seq, ack: seg.ack, len: seg.len,
        };
      }
      if (seg.retransmit) ev.retransmit = true;
      if (seg.packets !== null && seg.packets.length > 0) ev.packets = seg.packets;
      if (seg.by !== null) {
        ev.by = seg.by;
        ev.why = seg.byWhy ?? '';
      }
      return ev;
    };
    this.deliverFields = lent
      ? (seg) => {
        const ev = deliverScratch;
        ev.id = seg.id; ev.node = names[seg.src]!; ev.peer = names[seg.dst]!; ev.conn = seg.conn;
        return ev;
      }
      : (seg) => ({ kind: 'seg.deliver', id: seg.id, node: names[seg.src]!, peer: names[seg.dst]!, conn: seg.conn });
  }

  route(src: number, dst: number): LinkDir | null {
    return this.routes.get(src * this.names.length + dst) ?? null;
  }

  indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`unknown node: ${name}`);
    return i;
  }

  host(name: string): HostStack {
    return this.hosts[this.indexOf(name)]!;
  }

  /** The TCP stack of a node, with its internals (tests, invariants). */
  stack(name: string): TcpHost {
    return this.hosts[this.indexOf(name)]!;
  }

  isUp(name: string): boolean {
    return this.stack(name).up;
  }

  powerOff(node: string): void {
    const h = this.stack(node);
    if (h.up) h.powerOff();
  }

  powerOn(node: string): void {
    const h = this.stack(node);
    if (!h.up) h.powerOn();
  }

  killProcess(node: string): void {
    const h = this.stack(node);
    if (h.up && h.processAlive) h.killProcess();
  }

  private dirs(a: string, b: string, direction: Direction): LinkDir[] {
    const n = this.names.length;
    const ia = this.indexOf(a);
    const ib = this.indexOf(b);
    const ab = this.routes.get(ia * n + ib);
    const ba = this.routes.get(ib * n + ia);
    if (ab === undefined || ba === undefined) throw new Error(`no link between ${a} and ${b}`);
    const one = linkDirection([a, b], direction);
    return one === null ? [ab, ba] : one.from === a ? [ab] : [ba];
  }

  cut(a: string, b: string, direction: Direction): void {
    for (const d of this.dirs(a, b, direction)) d.cut = true;
  }

  heal(a: string, b: string, direction: Direction): void {
    for (const d of this.dirs(a, b, direction)) d.cut = false;
  }

  setLink(a: string, b: string, change: { latencyMs?: number; jitterMs?: number; loss?: number }): void {
    for (const d of this.dirs(a, b, 'both')) {
      if (change.latencyMs !== undefined) d.latencyUs = Math.round(change.latencyMs * 1000);
      if (change.jitterMs !== undefined) d.jitterUs = Math.round(change.jitterMs * 1000);
      if (change.loss !== undefined) d.loss = change.loss;
    }
  }

  natFlush(a: string, b: string): void {
    this.dirs(a, b, 'both')[0]!.link.natFlush();
  }

  /** A middlebox's own segment goes onto its link `delayUs` from now (net/proxy.ts). */
  private sendLater(seg: Segment, delayUs: number): void {
    if (delayUs === 0) this.transmit(seg);
    else this.engine.schedule(this.engine.now() + delayUs, () => this.transmit(seg));
  }

  onWire(recorder: (segment: WireSegment) => void): void {
    this.recorder = recorder;
  }

  address(node: string): [number, number, number, number] {
    const v = this.indexOf(node) + 1;
    return [198, 18 + (v >>> 16), (v >>> 8) & 255, v & 255];
  }

  /** Put a segment on the wire: trace it, record it, decide its fate. */
  transmit(seg: Segment): void {
    const eng = this.engine;
    seg.id = this.nextSegId++;
    eng.emitWith('seg.send', this.sendFields, seg);
    if (this.recorder !== null) {
      const w: WireSegment = {
        tUs: eng.now(), conn: seg.conn, src: this.names[seg.src]!, dst: this.names[seg.dst]!,
        srcPort: seg.srcPort, dstPort: seg.dstPort, seq: seg.seq, ack: seg.ack, flags: seg.flags,
        window: WINDOW, payload: seg.payload ?? new Uint8Array(0), fate: 'in-flight', retransmit: seg.retransmit,
      };
      seg.wire = w;
      this.recorder(w);
    }
    const hinted = seg.route;
    const dir = hinted !== undefined ? hinted as LinkDir | null : this.routes.get(seg.src * this.names.length + seg.dst);
    if (dir === undefined || dir === null) return this.drop(seg, 'no-route');
    if (dir.cut) return this.drop(seg, 'cut');
    if (!dir.plain) {
      const link = dir.link;
      if (link.natIdleUs !== null && seg.by === null && !link.natPass(seg.conn, (seg.flags & SYN) !== 0)) {
        if (dir === link.ba && (seg.flags & RST) === 0) this.natResets(seg, dir);
        return this.drop(seg, 'nat');
      }
      if (link.proxy !== null && seg.by === null && !link.proxy.see(seg, dir === link.ab ? 0 : 1, dir.latencyUs)) {
        return this.drop(seg, 'proxy');
      }
    }
    if (dir.loss > 0 && dir.rng.chance(dir.loss)) return this.drop(seg, 'loss');
    const delay = dir.latencyUs + (dir.jitterUs > 0 ? dir.rng.intBelow(dir.jitterUs + 1) : 0);
    eng.post(eng.now() + delay, this.deliver, seg);
  }

  /**
   * A segment from the broker's side reached a masquerading NAT that has forgotten its flow.
   * It is addressed to the NAT itself; conntrack (tcp_loose = 0) will not re-create the
   * mapping from a non-SYN segment, so the router's own kernel, which has no socket on that
   * port, answers RST (RFC 9293 §3.10.7.1) with the client's public address. Measured in
   * test/kernel (nat-idle): mosquitto's FIN on the old connection got an RST within 0.1 ms,
   * and nothing reached the client behind the NAT. Segments from the inside are dropped
   * (conntrack: invalid). The NAT sits at the client's end of the link.
   */
  private natResets(seg: Segment, dir: LinkDir): void {
    const f = seg.flags;
    const len = seg.len + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0);
    const rst = f & ACK
      ? Segment.make(seg.conn, seg.dst, seg.src, seg.dstPort, seg.srcPort, seg.ack, 0, RST, null, false)
      : Segment.make(seg.conn, seg.dst, seg.src, seg.dstPort, seg.srcPort, 0, (seg.seq + len) >>> 0, RST | ACK, null, false);
    rst.by = 'nat';
    rst.byWhy = 'the NAT forgot this flow: its own stack has no socket for the port and answers RST for the address behind it';
    this.engine.schedule(this.engine.now() + dir.latencyUs, () => this.transmit(rst));
  }

  private arrive(seg: Segment): void {
    const h = this.hosts[seg.dst]!;
    if (!h.up) return this.drop(seg, 'host-down');
    this.engine.emitWith('seg.deliver', this.deliverFields, seg);
    if (seg.wire !== null) seg.wire.fate = 'delivered';
    h.receive(seg);
    Segment.recycle(seg);
  }

  private drop(seg: Segment, reason: DropReason): void {
    this.engine.emit({
      kind: 'seg.drop', id: seg.id, node: this.names[seg.src]!, peer: this.names[seg.dst]!, conn: seg.conn, reason,
    });
    if (seg.wire !== null) seg.wire.fate = reason;
    Segment.recycle(seg);
  }
}

export type NetworkImpl = Net;

export function createNetwork(engine: Engine, config: NetworkConfig): Network & { stack(name: string): TcpHost; isUp(name: string): boolean } {
  return new Net(engine, config);
}
