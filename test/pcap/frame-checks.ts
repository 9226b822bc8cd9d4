/**
 * Test helper: the per-frame checks every capture must pass in tshark, shared by the suites
 * over the network model (capture-network) and over the shipped scenarios (capture-runs).
 * `rows` are tshark fields in the order frame.time_epoch, frame.protocols,
 * ip.checksum.status, tcp.checksum.status, (any), _ws.expert.severity.
 */
import { expect } from 'vitest';
import type { WireSegment } from '../../sim/net/api.ts';
import { CAPTURE_EPOCH_US } from '../../sim/pcap/capture.ts';
import { epochUs, SEVERITY } from './tshark.ts';

export function expectGoodFrames(rows: string[][], sorted: WireSegment[], label: string): void {
  expect(rows.length, label).toBe(sorted.length);
  rows.forEach((r, i) => {
    const g = sorted[i] as WireSegment;
    const where = `${label} frame ${i + 1} (${g.conn} ${g.src}->${g.dst} at ${g.tUs} µs)`;
    expect(r[1], where).toMatch(/^raw:ip:tcp/);
    expect(r[1], where).not.toContain('malformed');
    expect([r[2], r[3]], where).toEqual(['1', '1']);
    expect(epochUs(r[0] as string) - CAPTURE_EPOCH_US, where).toBe(g.tUs);
    const worst = Math.max(0, ...(r[5] ?? '').split('|').filter((x) => x !== '').map(Number));
    expect(worst, `${where}: expert-info error`).toBeLessThan(SEVERITY.error);
  });
}

/**
 * Per "conn sender", how many stream bytes reached the wire at least once (from the SYN's ISN).
 * A packet an app wrote may still wait in the send queue (cwnd 1 in loss recovery) and never
 * appear in a capture, so captures are compared with what reached the wire, not all written.
 */
export function bytesOnWire(segments: readonly WireSegment[]): Map<string, number> {
  const isn = new Map<string, number>();
  const onWire = new Map<string, number>();
  for (const g of segments) {
    const key = `${g.conn} ${g.src}`;
    if (g.flags & 0x02) { isn.set(key, g.seq); continue; }
    const base = isn.get(key);
    if (base === undefined || g.payload.length === 0) continue;
    const end = (g.seq + g.payload.length - base - 1) >>> 0;
    if (end > (onWire.get(key) ?? 0)) onWire.set(key, end);
  }
  return onWire;
}
