/**
 * The packet map behind seg.send `packets`: which MQTT packets (by write ordinal) a segment's
 * bytes overlap. Checked against the plain definition (every packet ever written, overlap of
 * byte ranges) over random writes, sends and acknowledgements, including the long idle runs
 * (one packet in flight at a time) where it now forgets its acknowledged head at once.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PacketMap } from '../../../sim/tcp/packet-map.ts';

describe('PacketMap', () => {
  it('names the packets a segment overlaps, as the byte ranges say', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }), (steps) => {
      const map = new PacketMap();
      const all: { start: number; end: number; ordinal: number }[] = [];
      let written = 0;
      let acked = 0;
      let ordinal = 0;
      for (const [bytes, op] of steps) {
        ordinal++;
        map.wrote(ordinal, bytes);
        all.push({ start: written, end: written + bytes, ordinal });
        written += bytes;
        // Send some of the unacknowledged bytes, then maybe acknowledge up to somewhere sent.
        const offset = acked + ((op * 7) % Math.max(1, written - acked));
        const len = Math.min(written - offset, 1 + ((bytes * 13) % 60));
        const expected = all.filter((p) => p.end > offset && p.start < offset + len && p.end > acked).map((p) => p.ordinal);
        expect(map.carried(offset, len, acked)).toEqual(expected);
        if (op > 0) acked = Math.min(written, offset + len);
      }
    }));
  });

  it('an hour of pings, one in flight at a time, keeps one entry', () => {
    const map = new PacketMap();
    let written = 0;
    for (let i = 1; i <= 60; i++) {
      map.wrote(i, 2);
      expect(map.carried(written, 2, written)).toEqual([i]);
      written += 2;
    }
    expect((map as unknown as { q: number[] }).q.length).toBe(3);
  });
});
