import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../sim/engine/queue.ts';
import { createRng } from '../../../sim/engine/rng.ts';

describe('event queue', () => {
  it('pops by time, and FIFO among equal times', () => {
    const q = new EventQueue();
    const push = (at: number, tag: string): void => { q.push(at, null, tag); };
    push(5, 'a'); push(1, 'b'); push(5, 'c'); push(1, 'd'); push(3, 'e'); push(5, 'f');
    const out: string[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) { out.push(`${e.at}${String(e.arg)}`); }
    expect(out).toEqual(['1b', '1d', '3e', '5a', '5c', '5f']);
  });

  it('matches a stable sort on random input (with recycling of entries)', () => {
    const r = createRng(11, 'queue');
    const q = new EventQueue();
    const ref: { at: number; i: number }[] = [];
    let i = 0;
    const got: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 40; k++) {
        const at = r.intBelow(20);
        q.push(at, null, i);
        ref.push({ at, i: i++ });
      }
      for (let k = 0; k < 30; k++) {
        const e = q.pop()!;
        const arg = e.arg as number;
        got.push(arg);
        // keep the reference in sync: remove its minimum (stable)
        let m = 0;
        for (let j = 1; j < ref.length; j++) if (ref[j]!.at < ref[m]!.at) m = j;
        expect(arg).toBe(ref[m]!.i);
        ref.splice(m, 1);
      }
    }
    expect(q.size).toBe(ref.length);
  });
});

describe('indexed queue: update and remove', () => {
  it('matches a reference model under random push / update / remove / pop (ties by last insertion)', () => {
    const r = createRng(3, 'indexed');
    const q = new EventQueue();
    // Reference: live entries with (at, seq); pop = min by (at, seq).
    const live = new Map<number, { at: number; seq: number; tag: number }>(); // by queue id
    let seq = 0;
    let tag = 0;
    let now = 0;
    for (let step = 0; step < 20_000; step++) {
      const op = r.intBelow(10);
      const ids = [...live.keys()];
      if (op < 4 || ids.length === 0) {
        const at = now + r.intBelow(30);
        const id = q.push(at, null, tag);
        live.set(id, { at, seq: seq++, tag: tag++ });
      } else if (op < 6) {
        const id = ids[r.intBelow(ids.length)]!;
        const at = now + r.intBelow(30);
        q.update(id, at);
        live.set(id, { at, seq: seq++, tag: live.get(id)!.tag });
      } else if (op < 7) {
        const id = ids[r.intBelow(ids.length)]!;
        q.remove(id);
        live.delete(id);
      } else {
        let best: [number, { at: number; seq: number; tag: number }] | null = null;
        for (const e of live) if (best === null || e[1].at < best[1].at || (e[1].at === best[1].at && e[1].seq < best[1].seq)) best = e;
        const got = q.pop()!;
        expect([got.at, got.arg]).toEqual([best![1].at, best![1].tag]);
        live.delete(best![0]);
        now = got.at;
      }
      expect(q.size).toBe(live.size);
    }
  });
});

describe('one-shot entries (post: the in-order lane beside the heap)', () => {
  it('matches a reference model under random push / post / update / remove / pop, in order and out of order', () => {
    for (const spread of [0, 3, 30]) {
      const r = createRng(17 + spread, 'lane');
      const q = new EventQueue();
      // Reference: live entries with (at, seq); pop = min by (at, seq). Posted ones have no id.
      const live = new Map<string, { at: number; seq: number; tag: number }>();
      let seq = 0;
      let tag = 0;
      let now = 0;
      let lanePosts = 0;
      const fn = (): void => {};
      for (let step = 0; step < 20_000; step++) {
        const op = r.intBelow(12);
        const ids = [...live.keys()].filter((k) => k.startsWith('h'));
        if (op < 3) {
          // Mostly at now + a constant (a segment on equal links), sometimes earlier or later.
          const at = now + 10 + (spread === 0 ? 0 : r.intBelow(spread + 1)) - (r.intBelow(8) === 0 ? 10 : 0);
          q.post(at, fn, tag);
          live.set(`p${tag}`, { at, seq: seq++, tag: tag++ });
          lanePosts++;
        } else if (op < 6 || ids.length === 0) {
          const at = now + r.intBelow(30);
          const id = q.push(at, null, tag);
          live.set(`h${id}`, { at, seq: seq++, tag: tag++ });
        } else if (op < 7) {
          const k = ids[r.intBelow(ids.length)]!;
          const at = now + r.intBelow(30);
          q.update(Number(k.slice(1)), at);
          live.set(k, { at, seq: seq++, tag: live.get(k)!.tag });
        } else if (op < 8) {
          const k = ids[r.intBelow(ids.length)]!;
          q.remove(Number(k.slice(1)));
          live.delete(k);
        } else if (live.size > 0) {
          let best: [string, { at: number; seq: number; tag: number }] | null = null;
          for (const e of live) if (best === null || e[1].at < best[1].at || (e[1].at === best[1].at && e[1].seq < best[1].seq)) best = e;
          expect(q.peekAt()).toBe(best![1].at);
          const got = q.pop()!;
          expect([got.at, got.arg, got.fn === fn]).toEqual([best![1].at, best![1].tag, best![0].startsWith('p')]);
          live.delete(best![0]);
          now = got.at;
        }
        expect(q.size).toBe(live.size);
      }
      expect(lanePosts).toBeGreaterThan(4000);
      while (q.size > 0) q.pop();
      expect(q.peekAt()).toBe(Infinity);
    }
  });
});

describe('the lane grows and wraps', () => {
  it('keeps thousands of in-order posts, interleaved with heap entries at the same times, in (time, insertion) order', () => {
    const q = new EventQueue();
    const fn = (): void => {};
    const want: number[] = [];
    let tag = 0;
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 3000; k++) {
        const at = round * 10_000 + k;
        q.post(at, fn, tag); want.push(tag++);
        if (k % 7 === 0) { q.push(at, null, tag); want.push(tag++); }
      }
      // Pop a third, so the next round's posts wrap around the ring.
      for (let k = 0; k < 1000; k++) expect(q.pop()!.arg).toBe(want.shift());
    }
    while (q.size > 0) expect(q.pop()!.arg).toBe(want.shift());
    expect(want).toEqual([]);
  });
});
