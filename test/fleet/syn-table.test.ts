/** SynTable (the aggregator's SYNs in flight) answers as a Map would, with ids that wrap its ring. */
import { describe, expect, it } from 'vitest';
import { SynTable } from '../../sim/fleet/syn-table.ts';
import { createRng } from '../../sim/engine/rng.ts';

describe('SynTable', () => {
  it('matches a Map when segments land late, early or never (ids sent in order, as the network numbers them)', () => {
    const r = createRng(5, 'syn-table');
    const t = new SynTable(12);
    const m = new Map<number, string>();
    const inFlight: number[] = [];
    for (let id = 0; id < 60_000; id++) {
      const flags = r.intBelow(2) === 0 ? 'SYN' : 'SYN,ACK';
      t.set(id, flags); m.set(id, flags); inFlight.push(id);
      // Land a few, mostly the oldest; some stay in flight for more than the ring's 4,096 sends.
      for (let k = r.intBelow(3); k > 0 && inFlight.length > 0; k--) {
        const j = r.intBelow(10) === 0 ? r.intBelow(inFlight.length) : 0;
        const gone = inFlight.splice(j, 1)[0]!;
        t.delete(gone); m.delete(gone);
      }
      const probe = r.intBelow(id + 1);
      expect(t.get(probe)).toBe(m.get(probe));
      expect(t.has(probe)).toBe(m.has(probe));
    }
    for (const id of inFlight) expect(t.get(id)).toBe(m.get(id));
  });
});
