/**
 * A fault-injecting TCP proxy on 127.0.0.1 between one scenario client and the real broker.
 *
 * One proxy per scenario client node; every TCP connection the client opens through it is a
 * "leg" (client socket + broker socket). Faults apply to the legs that exist and to later ones:
 *
 * - `cut(dir)` / `heal(dir)`: stop forwarding one direction (`c2b` client→broker, `b2c`
 *   broker→client) or both. Bytes (and a FIN or RST) that arrive during a cut are held back,
 *   as TCP would keep retransmitting them; `heal` delivers them if both sockets still live,
 *   so the MQTT byte stream stays intact. Nothing is ever said to either side about the cut.
 * - `powerLoss()`: the client host goes silent: nothing is forwarded either way, held bytes
 *   are dropped, and the broker side is never closed, so the broker holds a half-open
 *   connection until its keep-alive (behaviour.md §5.5, §10.2). New legs are accepted and
 *   black-holed. `powerOn()` forwards again for new legs only.
 * - `crash()`: both sockets of every leg are reset (RST, `socket.resetAndDestroy()`).
 *
 * Every MQTT packet is parsed (mqtt-packet) and recorded with `forwarded` saying whether it got
 * through; every socket end is recorded with the side that ended and how (FIN/RST).
 * Leaves out: latency, loss and NAT (the simulator's `set-link`), SYN-level behaviour.
 */
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import type { CloseHow, ObservedEvent, Recorder, Side } from './observed.ts';

export type ProxyDirection = 'c2b' | 'b2c' | 'both';

interface Held { chunks: Buffer[]; end: boolean; reset: boolean }

interface Leg {
  id: number;
  client: net.Socket;
  broker: net.Socket | null;
  brokerReady: boolean;
  /** Bytes for the broker while its socket is still connecting (not a fault). */
  early: Buffer[];
  held: { c2b: Held; b2c: Held };
  gone: { client: boolean; broker: boolean };
  protocolVersion: number;
  b2cParser: mqttPacket.Parser | null;
  /** Set by power loss: this leg never forwards or closes anything again. */
  dead: boolean;
}

let nextLegId = 1;

export class FaultProxy {
  readonly node: string;
  private readonly brokerPort: number;
  private readonly rec: Recorder;
  private server: net.Server | null = null;
  private readonly legs = new Set<Leg>();
  private cutState = { c2b: false, b2c: false };
  private off = false;
  port = 0;

  constructor(opts: { node: string; brokerPort: number; recorder: Recorder }) {
    this.node = opts.node;
    this.brokerPort = opts.brokerPort;
    this.rec = opts.recorder;
  }

  async start(): Promise<number> {
    const server = net.createServer({ allowHalfOpen: true }, (s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('proxy: no port');
    this.port = addr.port;
    return this.port;
  }

  /** Legs whose two sockets are both still open (for tests and the harness). */
  openLegs(): number {
    let n = 0;
    for (const leg of this.legs) if (!leg.gone.client && !leg.gone.broker) n++;
    return n;
  }

  cut(dir: ProxyDirection): void {
    this.fault(`cut ${dir}`);
    if (dir !== 'b2c') this.cutState.c2b = true;
    if (dir !== 'c2b') this.cutState.b2c = true;
  }

  heal(dir: ProxyDirection): void {
    this.fault(`heal ${dir}`);
    if (dir !== 'b2c') this.cutState.c2b = false;
    if (dir !== 'c2b') this.cutState.b2c = false;
    for (const leg of this.legs) {
      if (!this.cutState.c2b) this.flush(leg, 'c2b');
      if (!this.cutState.b2c) this.flush(leg, 'b2c');
    }
  }

  powerLoss(): void {
    this.fault('power-loss');
    this.off = true;
    for (const leg of this.legs) {
      leg.held.c2b = { chunks: [], end: false, reset: false };
      leg.held.b2c = { chunks: [], end: false, reset: false };
      // Existing legs stay dead forever: the host that owned them has no memory of them.
      leg.dead = true;
    }
  }

  powerOn(): void {
    this.fault('power-on');
    this.off = false;
    this.cutState = { c2b: false, b2c: false };
  }

  crash(): void {
    this.fault('crash (RST both sides)');
    for (const leg of this.legs) {
      if (leg.gone.client) continue;
      // Recorded first, as the client side's doing, whatever faults are active.
      leg.gone.client = true;
      this.rec.record({ tMs: this.rec.now(), kind: 'leg.closed', node: this.node, leg: leg.id, side: 'client', how: 'rst', passed: true });
      if (!leg.client.destroyed) leg.client.resetAndDestroy();
      if (leg.broker && !leg.broker.destroyed) {
        if (leg.broker.connecting) leg.broker.destroy();
        else leg.broker.resetAndDestroy();
      }
    }
  }

  async close(): Promise<void> {
    for (const leg of this.legs) {
      leg.client.destroy();
      leg.broker?.destroy();
    }
    this.legs.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private fault(what: string): void {
    this.rec.record({ tMs: this.rec.now(), kind: 'fault', node: this.node, what });
  }

  private isDead(leg: Leg): boolean {
    return leg.dead;
  }

  private accept(client: net.Socket): void {
    const leg: Leg = {
      id: nextLegId++, client, broker: null, brokerReady: false, early: [],
      held: { c2b: { chunks: [], end: false, reset: false }, b2c: { chunks: [], end: false, reset: false } },
      gone: { client: false, broker: false }, protocolVersion: 4, b2cParser: null, dead: false,
    };
    this.legs.add(leg);
    client.setNoDelay(true);
    this.rec.record({ tMs: this.rec.now(), kind: 'leg.open', node: this.node, leg: leg.id });
    if (this.off) leg.dead = true;

    const c2bParser = mqttPacket.parser();
    c2bParser.on('packet', (p) => {
      if (p.cmd === 'connect') leg.protocolVersion = p.protocolVersion ?? 4;
      this.recordPacket(leg, 'client', p, !this.isDead(leg) && !this.cutState.c2b);
    });
    c2bParser.on('error', () => { /* not MQTT: nothing to record */ });

    client.on('data', (chunk: Buffer) => {
      c2bParser.parse(chunk);
      this.forward(leg, 'c2b', chunk);
    });
    client.on('end', () => this.sideGone(leg, 'client', 'fin'));
    client.on('error', () => this.sideGone(leg, 'client', 'rst'));
    client.on('close', () => this.sideGone(leg, 'client', 'close'));

    if (this.isDead(leg)) return; // powered off: the SYN "reached" nobody who answers CONNECTs
    const broker = net.connect({ port: this.brokerPort, host: '127.0.0.1', allowHalfOpen: true });
    leg.broker = broker;
    broker.setNoDelay(true);
    broker.on('connect', () => {
      leg.brokerReady = true;
      for (const chunk of leg.early) broker.write(chunk);
      leg.early = [];
    });
    broker.on('data', (chunk: Buffer) => {
      if (leg.b2cParser === null) {
        const parser = mqttPacket.parser({ protocolVersion: leg.protocolVersion });
        parser.on('packet', (p) => this.recordPacket(leg, 'broker', p, !this.isDead(leg) && !this.cutState.b2c));
        parser.on('error', () => { /* not MQTT */ });
        leg.b2cParser = parser;
      }
      leg.b2cParser.parse(chunk);
      this.forward(leg, 'b2c', chunk);
    });
    broker.on('end', () => this.sideGone(leg, 'broker', 'fin'));
    broker.on('error', () => this.sideGone(leg, 'broker', 'rst'));
    broker.on('close', () => this.sideGone(leg, 'broker', 'close'));
  }

  private recordPacket(leg: Leg, from: Side, p: mqttPacket.Packet, forwarded: boolean): void {
    const e: Extract<ObservedEvent, { kind: 'packet' }> = {
      tMs: this.rec.now(), kind: 'packet', node: this.node, leg: leg.id, from,
      packet: p.cmd.toUpperCase(), forwarded,
    };
    if (p.cmd === 'connect') e.clientId = p.clientId;
    if (p.cmd === 'connack') {
      e.reasonCode = p.reasonCode ?? p.returnCode ?? 0;
      e.sessionPresent = p.sessionPresent;
    }
    if (p.cmd === 'disconnect' && p.reasonCode !== undefined) e.reasonCode = p.reasonCode;
    if (p.cmd === 'publish') e.topic = p.topic;
    this.rec.record(e);
  }

  /** Passes a chunk on, holds it during a cut, or drops it after power loss. */
  private forward(leg: Leg, dir: 'c2b' | 'b2c', chunk: Buffer): void {
    if (this.isDead(leg)) return;
    if (this.cutState[dir]) { leg.held[dir].chunks.push(chunk); return; }
    this.write(leg, dir, chunk);
  }

  private write(leg: Leg, dir: 'c2b' | 'b2c', chunk: Buffer): void {
    if (dir === 'b2c') {
      if (!leg.client.destroyed && leg.client.writable) leg.client.write(chunk);
      return;
    }
    const broker = leg.broker;
    if (broker === null || broker.destroyed || !broker.writable) return;
    if (!leg.brokerReady) leg.early.push(chunk);
    else broker.write(chunk);
  }

  /** Delivers what a cut held back in one direction (TCP's retransmissions getting through). */
  private flush(leg: Leg, dir: 'c2b' | 'b2c'): void {
    if (this.isDead(leg)) return;
    const held = leg.held[dir];
    leg.held[dir] = { chunks: [], end: false, reset: false };
    for (const chunk of held.chunks) this.write(leg, dir, chunk);
    if (held.reset) this.passReset(leg, dir);
    else if (held.end) this.passEnd(leg, dir);
  }

  private sideGone(leg: Leg, side: Side, how: CloseHow): void {
    if (leg.gone[side]) return;
    leg.gone[side] = true;
    const dir = side === 'client' ? 'c2b' : 'b2c';
    const passed = !this.isDead(leg) && !this.cutState[dir];
    this.rec.record({ tMs: this.rec.now(), kind: 'leg.closed', node: this.node, leg: leg.id, side, how, passed });
    if (this.isDead(leg)) return; // power loss: the broker side is never told
    if (this.cutState[dir]) {
      if (how === 'rst') leg.held[dir].reset = true;
      else leg.held[dir].end = true;
      return;
    }
    if (how === 'rst') this.passReset(leg, dir);
    else this.passEnd(leg, dir);
  }

  private passEnd(leg: Leg, dir: 'c2b' | 'b2c'): void {
    const target = dir === 'c2b' ? leg.broker : leg.client;
    if (target === null || target.destroyed) return;
    if (dir === 'c2b' && !leg.brokerReady) {
      target.once('connect', () => target.end());
      return;
    }
    target.end();
  }

  private passReset(leg: Leg, dir: 'c2b' | 'b2c'): void {
    const target = dir === 'c2b' ? leg.broker : leg.client;
    if (target === null || target.destroyed) return;
    if (target.connecting) target.destroy();
    else target.resetAndDestroy();
  }
}
