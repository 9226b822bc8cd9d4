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
