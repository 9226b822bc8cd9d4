/** ConnTable (a host's sockets) behaves as a Map: the same answers and the same iteration order. */
import { describe, expect, it } from 'vitest';
import { ConnTable } from '../../../sim/tcp/conn-table.ts';
import { createRng } from '../../../sim/engine/rng.ts';

describe('ConnTable', () => {
  it('matches a Map under random set / delete / clear, in iteration order too', () => {
    for (const keys of [2, 5, 40]) {
      const r = createRng(keys, 'conn-table');
      const t = new ConnTable<string>();
      const m = new Map<number, string>();
      for (let step = 0; step < 20_000; step++) {
        const op = r.intBelow(20);
        const k = r.intBelow(keys);
        if (op < 9) { t.set(k, `v${step}`); m.set(k, `v${step}`); }
        else if (op < 18) expect(t.delete(k)).toBe(m.delete(k));
        else if (op < 19) { t.clear(); m.clear(); }
        expect(t.get(k)).toBe(m.get(k));
        expect(t.has(k)).toBe(m.has(k));
        expect(t.size).toBe(m.size);
        expect([...t.values()]).toEqual([...m.values()]);
      }
    }
  });
});
