import { describe, it, expect } from 'vitest';
import { buildIntervalIndex, visibleItems } from '../../../app/view-model/intervalIndex.ts';

/** A small deterministic generator (no Math.random, so failures replay). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('visible-window culling', () => {
  it('returns exactly the items intersecting the window, in start order', () => {
    const items = [
      { id: 'a', start: 0, end: 100 },   // long, starts before the window
      { id: 'b', start: 10, end: 20 },   // ends before
      { id: 'c', start: 30, end: 30 },   // an instant on the window's left edge
      { id: 'd', start: 40, end: 45 },   // inside
      { id: 'e', start: 50, end: 50 },   // an instant on the right edge
      { id: 'f', start: 51, end: 60 },   // starts after
    ];
    const index = buildIntervalIndex(items);
    expect(visibleItems(index, 30, 50).map((i) => i.id)).toEqual(['a', 'c', 'd', 'e']);
    expect(visibleItems(index, 21, 29).map((i) => i.id)).toEqual(['a']);
    expect(visibleItems(index, 101, 200)).toEqual([]);
  });

  it('agrees with a brute-force scan on 10,000 random intervals', () => {
    const rand = lcg(42);
    const items = Array.from({ length: 10_000 }, (_, id) => {
      const start = rand() * 3_600_000;
      return { id, start, end: start + (rand() < 0.05 ? rand() * 120_000 : rand() * 50) };
    }).sort((x, y) => x.start - y.start);
    const index = buildIntervalIndex(items);
    for (let q = 0; q < 200; q++) {
      const from = rand() * 3_600_000;
      const to = from + rand() * (q % 2 === 0 ? 1000 : 600_000);
      const expected = items.filter((i) => i.start <= to && i.end >= from).map((i) => i.id);
      expect(visibleItems(index, from, to).map((i) => i.id)).toEqual(expected);
    }
  });

  it('refuses items that are not sorted by start', () => {
    expect(() => buildIntervalIndex([{ start: 5, end: 6 }, { start: 1, end: 2 }])).toThrow(/not sorted/);
  });
});
