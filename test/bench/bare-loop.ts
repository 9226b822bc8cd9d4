/**
 * The benchmark's floor, shared by `npm run bench` (run.ts) and the profiling script
 * (profile-sim.ts): one heap event per ping and nothing else.
 */
import { HOUR_MS, KEEPALIVE_S, stagger } from './scenario.ts';

/** The floor: one heap event per ping, entries {time, seq, fn} in an array binary heap,
 *  ordered by (time, seq) so ties are FIFO (toolchain.md §5's toy model). */
interface Entry { time: number; seq: number; fn: () => void }
export function bareLoop(n: number): number {
  const h: Entry[] = [];
  let seq = 0;
  const before = (a: Entry, b: Entry) => a.time < b.time || (a.time === b.time && a.seq < b.seq);
  const push = (time: number, fn: () => void) => {
    const e: Entry = { time, seq: seq++, fn };
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = h[p] as Entry;
      if (!before(e, pe)) break;
      h[i] = pe; i = p;
    }
    h[i] = e;
  };
  const pop = (): Entry => {
    const top = h[0] as Entry;
    const last = h.pop() as Entry;
    const size = h.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        if (r < size && before(h[r] as Entry, h[l] as Entry)) c = r;
        const ce = h[c] as Entry;
        if (!before(ce, last)) break;
        h[i] = ce; i = c;
      }
      h[i] = last;
    }
    return top;
  };
  const until = HOUR_MS * 1000;
  const period = KEEPALIVE_S * 1_000_000;
  let now = 0;
  let events = 0;
  const at = stagger(n);
  for (let i = 0; i < n; i++) {
    const ping = () => { push(now + period, ping); };
    push((at[i] as number) * 1000, ping);
  }
  while (h.length > 0) {
    const e = pop();
    if (e.time > until) break;
    now = e.time;
    events++;
    e.fn();
  }
  return events;
}
