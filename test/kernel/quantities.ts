/**
 * Named quantities, computed by the SAME code from a real observation (capture + program
 * logs) and from a simulated one (trace): experiments/<name>.compare.json lists them.
 * Times are differences between two things in the same world, so the two clocks need not align.
 *
 * Measures (`m`):
 * - `retx`  : time of the i-th retransmission of the selected segment after its original (ms)
 * - `count` : number of segments matching a selector
 * - `events`: number of events matching a selector
 * - `time`  : time of `of` minus time of `from` (ms); each a segment or an event reference
 * - `field` : a field of a selected event (e.g. sessionPresent)
 * - `closes`: on one connection, who sent the first FIN and the first RST, in order, e.g.
 *             "broker:FA device:R" (empty string: neither); with `order: "any"` sorted, for a
 *             race the wire order of which is not the claim (see clean-disconnect-*.json)
 *
 * Statistical measures (random loss: the real kernel's nft `numgen` and the simulator's seeded
 * draw lose different segments, so only distributions can be compared; the simulated side is
 * pooled over the compare file's `simSeeds` runs, see `statOf`):
 * - `retx-median`  : over every original segment matching `seg` that was sent at least i more
 *                    times, the median delay of its i-th copy after the original (ms)
 * - `retx-fraction`: over every original matching `seg` sent at least `given` more times
 *                    (default 0), the fraction sent at least `atLeast` more times
 */
import type { Ev, Observation, Seg } from './observation.ts';
import type { ToleranceName, Value } from './tolerances.ts';

export interface SegSel {
  from?: string; to?: string; conn?: string;
  /** Canonical flags, exactly ("PA") or any of these letters present ("hasFlag": "F"). */
  flags?: string; hasFlag?: string;
  mqtt?: string; data?: boolean; retx?: boolean;
  /** The segment is sent again later (it is the original of a retransmission). */
  retransmitted?: boolean;
  where?: 'lan' | 'nat-inside';
  after?: Ref; before?: Ref;
  nth?: number; last?: boolean;
}

export interface EvSel {
  kind: Ev['kind']; node?: string; topic?: string; clientId?: string; do?: string;
  after?: Ref;
  nth?: number; last?: boolean;
}

export type Ref = ({ seg: SegSel } | { ev: EvSel }) & { plusMs?: number };

export type Measure =
  | { m: 'retx'; seg: SegSel; i: number | number[] }
  | { m: 'count'; seg: SegSel }
  | { m: 'events'; ev: EvSel }
  | { m: 'time'; of: Ref; from: Ref }
  | { m: 'field'; ev: EvSel; field: 'sessionPresent' | 'text' }
  | { m: 'closes'; conn: string; order?: 'wire' | 'any' };

/** Statistical measures: computed from samples pooled over one or more observations. */
export type StatMeasure =
  | { m: 'retx-median'; seg: SegSel; i: number | number[] }
  | { m: 'retx-fraction'; seg: SegSel; atLeast: number; given?: number };

export const isStat = (q: { m: string }): q is StatMeasure => q.m === 'retx-median' || q.m === 'retx-fraction';

export type QuantitySpec = (Measure | StatMeasure) & {
  id: string;
  tol: ToleranceName;
  window?: [number, number];
  /** Which finding or behaviour this quantity pins (shown in the table). */
  note?: string;
};

export interface CompareFile {
  quantities: QuantitySpec[];
  /** Simulated runs (seeds seed, seed+1, …) whose samples the statistical quantities pool; default 1. */
  simSeeds?: number;
}

/** Expand `i: [1, 2, 3]` into one quantity per index. */
export function expand(specs: QuantitySpec[]): QuantitySpec[] {
  const out: QuantitySpec[] = [];
  for (const s of specs) {
    if ((s.m === 'retx' || s.m === 'retx-median') && Array.isArray(s.i)) {
      for (const i of s.i) out.push({ ...s, i, id: `${s.id} #${i}` });
    } else out.push(s);
  }
  return out;
}

const segKind = (s: Seg) => (s.flags.includes('S') ? 'S' : s.flags.includes('F') && s.len === 0 ? 'F' : 'D');

/** Later retransmissions of the same SYN, FIN or first data byte by the same sender. */
function copiesOf(o: Observation, orig: Seg): Seg[] {
  return o.segs.filter((s) => (s.where ?? 'lan') === (orig.where ?? 'lan') && s.conn === orig.conn
    && s.from === orig.from && s.seq === orig.seq && s.retx && segKind(s) === segKind(orig) && s.t > orig.t);
}

function refTime(o: Observation, r: Ref): number | null {
  const base = 'seg' in r ? pickSeg(o, r.seg)?.t ?? null : pickEv(o, r.ev)?.t ?? null;
  return base === null ? null : base + (r.plusMs ?? 0);
}

function segMatches(o: Observation, s: Seg, sel: SegSel): boolean {
  if ((s.where ?? 'lan') !== (sel.where ?? 'lan')) return false;
  if (sel.from !== undefined && s.from !== sel.from) return false;
  if (sel.to !== undefined && s.to !== sel.to) return false;
  if (sel.conn !== undefined && s.conn !== sel.conn) return false;
  if (sel.flags !== undefined && s.flags !== sel.flags) return false;
  if (sel.hasFlag !== undefined && ![...sel.hasFlag].some((f) => s.flags.includes(f))) return false;
  if (sel.mqtt !== undefined && !s.mqtt.includes(sel.mqtt)) return false;
  if (sel.data !== undefined && (s.len > 0) !== sel.data) return false;
  if (sel.retx !== undefined && s.retx !== sel.retx) return false;
  if (sel.retransmitted !== undefined && (copiesOf(o, s).length > 0) !== sel.retransmitted) return false;
  if (sel.after) { const t = refTime(o, sel.after); if (t === null || s.t < t) return false; }
  if (sel.before) { const t = refTime(o, sel.before); if (t !== null && s.t >= t) return false; }
  return true;
}

export function selectSegs(o: Observation, sel: SegSel): Seg[] {
  return o.segs.filter((s) => segMatches(o, s, sel));
}

function pickSeg(o: Observation, sel: SegSel): Seg | null {
  const all = selectSegs(o, sel);
  return (sel.last ? all.at(-1) : all[sel.nth ?? 0]) ?? null;
}

function selectEvs(o: Observation, sel: EvSel): Ev[] {
  let after: number | null = null;
  if (sel.after) { after = refTime(o, sel.after); if (after === null) return []; }
  return o.events.filter((e) => e.kind === sel.kind
    && (sel.node === undefined || e.node === sel.node)
    && (sel.topic === undefined || e.topic === sel.topic)
    && (sel.clientId === undefined || e.clientId === sel.clientId)
    && (sel.do === undefined || e.do === sel.do)
    && (after === null || e.t >= after));
}

function pickEv(o: Observation, sel: EvSel): Ev | null {
  const all = selectEvs(o, sel);
  return (sel.last ? all.at(-1) : all[sel.nth ?? 0]) ?? null;
}

const round = (x: number) => Math.round(x * 10) / 10;

export function measure(o: Observation, q: QuantitySpec): Value {
  if (isStat(q)) return statOf([o], q).value;
  switch (q.m) {
    case 'retx': {
      const orig = pickSeg(o, { ...q.seg, retx: false });
      if (!orig) return null;
      const c = copiesOf(o, orig)[(q.i as number) - 1];
      return c ? round(c.t - orig.t) : null;
    }
    case 'count': return selectSegs(o, q.seg).length;
    case 'events': return selectEvs(o, q.ev).length;
    case 'time': {
      const a = refTime(o, q.of);
      const b = refTime(o, q.from);
      return a === null || b === null ? null : round(a - b);
    }
    case 'field': {
      const e = pickEv(o, q.ev);
      return e ? (e[q.field] ?? null) : null;
    }
    case 'closes': {
      const out: string[] = [];
      const seen = new Set<string>();
      for (const s of o.segs) {
        if (s.conn !== q.conn || (s.where ?? 'lan') !== 'lan') continue;
        const k = s.flags.includes('R') ? 'R' : s.flags.includes('F') ? 'F' : null;
        if (!k || seen.has(`${s.from}${k}`)) continue;
        seen.add(`${s.from}${k}`);
        out.push(`${s.from}:${s.flags}`);
      }
      return (q.order === 'any' ? out.sort() : out).join(' ');
    }
  }
}

/** A statistic over samples: the value shown, the sample count, and for a fraction its successes. */
export interface Stat { value: number | null; n: number; hits?: number }

/** Delays (ms) of each matching original's copies after it, one list per original. */
function copyDelays(o: Observation, sel: SegSel): number[][] {
  return selectSegs(o, { ...sel, retx: false }).map((orig) => copiesOf(o, orig).map((c) => c.t - orig.t));
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A statistical quantity over the samples of every observation given (pooled). */
export function statOf(obs: Observation[], q: StatMeasure): Stat {
  const delays = obs.flatMap((o) => copyDelays(o, q.seg));
  if (q.m === 'retx-median') {
    const i = q.i as number;
    const xs = delays.filter((d) => d.length >= i).map((d) => d[i - 1]!);
    const m = median(xs);
    return { value: m === null ? null : round(m), n: xs.length };
  }
  const trials = delays.filter((d) => d.length >= (q.given ?? 0));
  const hits = trials.filter((d) => d.length >= q.atLeast).length;
  return { value: trials.length === 0 ? null : Math.round((hits / trials.length) * 1000) / 1000, n: trials.length, hits };
}
