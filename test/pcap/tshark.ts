/**
 * Test helper: runs tshark (Wireshark 4.0 on this project's machines, toolchain.md §4) over a
 * capture and returns its field output. Checksum validation is switched on, because
 * Wireshark does not verify checksums by default.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHECKSUM_OPTS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'];

/** Expert-info severities as tshark prints `_ws.expert.severity` (epan/proto.h PI_*). */
export const SEVERITY = { comment: 0x00100000, chat: 0x00200000, note: 0x00400000, warn: 0x00600000, error: 0x00800000 };

/** MQTT Control Packet types (MQTT 3.1.1 §2.2.1 / 5.0 §2.1.2), by the trace's packet name. */
export const MSGTYPE: Record<string, number> = {
  CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, PUBREC: 5, PUBREL: 6, PUBCOMP: 7,
  SUBSCRIBE: 8, SUBACK: 9, UNSUBSCRIBE: 10, UNSUBACK: 11, PINGREQ: 12, PINGRESP: 13,
  DISCONNECT: 14, AUTH: 15,
};

export function tsharkAvailable(): boolean {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

let dir: string | null = null;
export function writeTemp(name: string, bytes: Uint8Array): string {
  dir ??= mkdtempSync(join(tmpdir(), 'halfopen-pcap-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Runs tshark with args; throws with its stderr if it fails (e.g. the file is unreadable). */
export function tshark(args: string[]): string {
  const r = spawnSync('tshark', [...CHECKSUM_OPTS, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** One row per frame (or per frame matching `filter`), one string per field. */
export function fields(path: string, names: string[], filter?: string): string[][] {
  const args = ['-r', path, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|'];
  if (filter !== undefined) args.push('-Y', filter);
  for (const n of names) args.push('-e', n);
  const out = tshark(args);
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** Epoch µs from tshark's frame.time_epoch ("1767225600.010000000"), exactly. */
export function epochUs(text: string): number {
  const [s, frac = ''] = text.split('.');
  return Number(s) * 1_000_000 + Number((frac + '000000').slice(0, 6));
}
