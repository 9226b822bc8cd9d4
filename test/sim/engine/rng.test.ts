import { describe, expect, it } from 'vitest';
import { createRng, fnv1a32 } from '../../../sim/engine/rng.ts';

const draw = (seed: number, stream: string, n = 8): number[] => {
  const r = createRng(seed, stream);
  return Array.from({ length: n }, () => r.nextU32());
};

describe('rng', () => {
  it('FNV-1a matches the published test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is deterministic for the same seed and stream', () => {
    expect(draw(7, 'tcp.isn')).toEqual(draw(7, 'tcp.isn'));
    for (const x of draw(7, 'tcp.isn', 1000)) {
      expect(Number.isInteger(x) && x >= 0 && x < 4294967296).toBe(true);
    }
  });

  it('gives different sequences for different streams and seeds', () => {
    expect(draw(7, 'tcp.isn')).not.toEqual(draw(7, 'tcp.ports'));
    expect(draw(7, 'link:a->b')).not.toEqual(draw(7, 'link:b->a'));
    expect(draw(7, 'tcp.isn')).not.toEqual(draw(8, 'tcp.isn'));
    expect(draw(0, 'x')).not.toEqual(draw(4294967296, 'x')); // high half of the seed counts
  });

  it('streams are independent: drawing from one does not shift another', () => {
    const a = createRng(3, 'a');
    const b = createRng(3, 'b');
    for (let i = 0; i < 100; i++) a.nextU32();
    expect([b.nextU32(), b.nextU32(), b.nextU32()]).toEqual(draw(3, 'b', 3));
  });

  it('intBelow / intInclusive stay in range and cover it', () => {
    const r = createRng(1, 'range');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.intInclusive(5, 14);
      expect(x >= 5 && x <= 14).toBe(true);
      seen.add(x);
    }
    expect(seen.size).toBe(10);
    expect(r.intBelow(1)).toBe(0);
    const big = r.intBelow(2 ** 40);
    expect(big >= 0 && big < 2 ** 40).toBe(true);
    expect(() => r.intBelow(0)).toThrow();
  });

  it('chance(p): 0 never, 1 always, and about p otherwise', () => {
    const r = createRng(9, 'loss');
    let hits = 0;
    for (let i = 0; i < 10000; i++) {
      expect(r.chance(0)).toBe(false);
      expect(r.chance(1)).toBe(true);
      if (r.chance(0.25)) hits++;
    }
    expect(hits).toBeGreaterThan(2300);
    expect(hits).toBeLessThan(2700);
  });
});
