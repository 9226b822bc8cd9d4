/**
 * The benchmark's floors, shared by `npm run bench` (run.ts) and the profiling script
 * (profile-sim.ts): a bare heap loop with one event per ping and nothing else, and the
 * engine's own queue with the simulator's four events per ping and empty handlers.
 */
import { EventQueue } from '../../sim/engine/queue.ts';
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

/**
 * The engine's floor: the simulator's own queue (sim/engine/queue.ts) running `perPing` events
 * per ping with empty handlers — what a ping exchange would cost if TCP and MQTT were free.
 * The simulator's exchange is 4 events (keep-alive tick, PINGREQ arrival, PINGRESP arrival,
 * ACK arrival), each `latencyUs` after the previous.
 */
export function engineFloor(n: number, perPing = 4, latencyUs = 20_000): number {
  const q = new EventQueue();
  const until = HOUR_MS * 1000;
  const period = KEEPALIVE_S * 1_000_000;
  let now = 0;
  interface Ping { stage: number; startUs: number }
  const step = (arg: unknown): void => {
    const p = arg as Ping;
    if (p.stage === 0) p.startUs = now;
    if (++p.stage < perPing) q.push(now + latencyUs, step, p);
    else { p.stage = 0; q.push(p.startUs + period, step, p); }
  };
  const at = stagger(n);
  for (let i = 0; i < n; i++) q.push((at[i] as number) * 1000, step, { stage: 0, startUs: 0 });
  return drainQueue(q, until, (t) => { now = t; });
}

/**
 * Run every entry of `q` due by `untilUs` in order, telling `setNow` each entry's time first.
 * Returns how many ran, not counting entries whose function is `uncounted` (timers that never
 * fire in a model are parked on such a function).
 */
export function drainQueue(q: EventQueue, untilUs: number, setNow: (t: number) => void, uncounted?: (arg: unknown) => void): number {
  let events = 0;
  while (q.size > 0 && q.peekAt() <= untilUs) {
    q.take();
    setNow(q.outAt);
    const fn = q.outFn as (arg: unknown) => void;
    const arg = q.outArg;
    q.outFn = null; q.outArg = undefined;
    if (fn !== uncounted) events++;
    fn(arg);
  }
  return events;
}
