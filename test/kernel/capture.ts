/**
 * tshark captures inside a namespace: started before the experiment and awaited until tshark
 * says it is capturing, stopped with SIGINT by pid, then read back as one row per frame.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sh } from './netns.ts';
import { NsProcess } from './processes.ts';

export interface Frame {
  /** Wall-clock ms (frame.time_epoch). */
  t: number;
  src: string; dst: string; sport: number; dport: number;
  /** Canonical flags: letters from F S R P A in that order, e.g. "S", "SA", "A", "PA", "FA", "R", "RA". */
  flags: string;
  seq: number; ack: number; len: number;
  /** MQTT control packet types in the segment (tshark's decode; empty for retransmissions it skips). */
  mqtt: number[];
}

export function canonicalFlags(bits: number): string {
  let s = '';
  if (bits & 0x01) s += 'F';
  if (bits & 0x02) s += 'S';
  if (bits & 0x04) s += 'R';
  if (bits & 0x08) s += 'P';
  if (bits & 0x10) s += 'A';
  return s;
}

export class Capture {
  private proc: NsProcess | null = null;
  readonly file: string;

  constructor(readonly ns: string, readonly iface: string, dir?: string) {
    const d = dir ?? mkdtempSync(path.join(os.tmpdir(), 'ho-cap-'));
    this.file = path.join(d, `${iface}.pcap`);
  }

  async start(): Promise<void> {
    // -n: no name resolution; only TCP (ARP, IPv6 noise left out); snaplen enough for MQTT headers.
    // dumpcap is tshark's own capture engine, without the dissectors: cheap to start.
    this.proc = new NsProcess(`dumpcap ${this.iface}`, this.ns, 'dumpcap', ['-q', '-i', this.iface, '-f', 'tcp', '-s', '256', '-w', this.file]);
    await this.proc.waitForErr((l) => l.includes('Capturing on') || l.includes('File:'), 30_000, 'capture start');
    this.proc.promote();
    // "Capturing on" is printed as the capture opens; give the ring a moment to be armed.
    await new Promise((r) => setTimeout(r, 300));
  }

  async stop(): Promise<void> {
    // Let the last frames reach the file before stopping.
    await new Promise((r) => setTimeout(r, 300));
    await this.proc?.stop('SIGINT', 5000);
  }

  async read(): Promise<Frame[]> {
    const out = await sh('tshark', [
      '-n', '-r', this.file, '-o', 'tcp.relative_sequence_numbers:FALSE', '-o', 'tcp.analyze_sequence_numbers:TRUE',
      '-T', 'fields', '-E', 'separator=\t', '-E', 'aggregator=,', '-E', 'occurrence=a',
      '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport',
      '-e', 'tcp.flags', '-e', 'tcp.seq', '-e', 'tcp.ack', '-e', 'tcp.len', '-e', 'mqtt.msgtype',
    ]);
    const frames: Frame[] = [];
    for (const line of out.split('\n')) {
      if (!line.trim()) continue;
      const [t, src, dst, sport, dport, flags, seq, ack, len, mq] = line.split('\t');
      if (!sport) continue;
      frames.push({
        t: Number(t) * 1000, src: src!, dst: dst!, sport: Number(sport), dport: Number(dport),
        flags: canonicalFlags(Number(flags)), seq: Number(seq), ack: Number(ack), len: Number(len),
        mqtt: mq ? mq.split(',').filter(Boolean).map(Number) : [],
      });
    }
    return frames;
  }
}

export const MQTT_TYPES: Record<number, string> = {
  1: 'CONNECT', 2: 'CONNACK', 3: 'PUBLISH', 4: 'PUBACK', 5: 'PUBREC', 6: 'PUBREL', 7: 'PUBCOMP',
  8: 'SUBSCRIBE', 9: 'SUBACK', 10: 'UNSUBSCRIBE', 11: 'UNSUBACK', 12: 'PINGREQ', 13: 'PINGRESP',
  14: 'DISCONNECT', 15: 'AUTH',
};
