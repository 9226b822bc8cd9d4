import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../sim/engine/queue.ts';
import { createRng } from '../../../sim/engine/rng.ts';

describe('event queue', () => {
  it('pops by time, and FIFO among equal times', () => {
    const q = new EventQueue();
    const push = (at: number, tag: string): void => q.push(at, null, tag, 0);
    push(5, 'a'); push(1, 'b'); push(5, 'c'); push(1, 'd'); push(3, 'e'); push(5, 'f');
    const out: string[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) { out.push(`${e.at}${String(e.arg)}`); q.release(e); }
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
        q.push(at, null, i, 0);
        ref.push({ at, i: i++ });
      }
      for (let k = 0; k < 30; k++) {
        const e = q.pop()!;
        const arg = e.arg as number;
        q.release(e);
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
