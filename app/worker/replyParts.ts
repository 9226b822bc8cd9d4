/**
 * A run's reply in several messages. Receiving a message is one task on the UI thread, and
 * decoding a 17,000-event trace plus its layout in one go takes ~60–100 ms, long enough to
 * freeze the page. So the worker sends the big arrays in slices (`part` messages, each
 * decoded in its own short task, with frames in between), then the small rest as the `run`
 * reply, and the runner puts them back together. The layout's typed arrays (including the
 * seq → item lookup) are transferred, not copied.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { Arrow, Ribbon } from '../view-model/layoutTypes.ts';
import { SeqItemIndex } from '../view-model/itemLookup.ts';
import { derivedTransferables } from './derived.ts';
import { fleetTransferables } from '../fleet/fleetData.ts';
import type { SegmentFlight } from '../view-model/segments.ts';
import type { RunOk, WorkerReply, WorkerRequest } from './protocol.ts';

/** Items per `part` message: a few ms of decoding each on a slow machine. */
export const PART_ITEMS = 2000;
/**
 * Characters of NDJSON per `part` message. Sent whole, the NDJSON of a 128,000-event run
 * (17 MB) was one message that took ~45 ms to decode on an idle machine, over 100 ms on a
 * busy one.
 */
export const PART_CHARS = 1 << 20;

export interface ReplyPart {
  id: number;
  type: 'part';
  trace?: TraceEvent[];
  ndjson?: string;
  arrows?: Arrow[];
  flights?: SegmentFlight[];
  ribbons?: Ribbon[];
}

export interface Outgoing { message: ReplyPart | WorkerReply; transfer: Transferable[] }

function slices<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PART_ITEMS) out.push(items.slice(i, i + PART_ITEMS));
  return out;
}

/** Worker side: the messages that carry `run` (the last one is the `run` reply). */
export function splitRun(id: WorkerRequest['id'], run: RunOk): Outgoing[] {
  const out: Outgoing[] = [];
  for (const trace of slices(run.trace)) out.push({ message: { id, type: 'part', trace }, transfer: [] });
  for (let i = 0; i < run.ndjson.length; i += PART_CHARS) {
    out.push({ message: { id, type: 'part', ndjson: run.ndjson.slice(i, i + PART_CHARS) }, transfer: [] });
  }
  const d = run.derived;
  if (d) {
    for (const arrows of slices(d.layout.arrows)) out.push({ message: { id, type: 'part', arrows }, transfer: [] });
    for (const ribbons of slices(d.layout.ribbons)) out.push({ message: { id, type: 'part', ribbons }, transfer: [] });
    for (const flights of slices(d.flights.flights)) out.push({ message: { id, type: 'part', flights }, transfer: [] });
  }
  const rest: RunOk = {
    ...run, trace: [], ndjson: '',
    ...(d ? { derived: { ...d, layout: { ...d.layout, arrows: [], ribbons: [] }, flights: { ...d.flights, flights: [] } } } : {}),
  };
  const transfer = d ? derivedTransferables(d) : [];
  if (run.stepEnds) transfer.push(run.stepEnds.buffer as ArrayBuffer);
  if (run.fleet) transfer.push(...fleetTransferables(run.fleet));
  out.push({ message: { id, type: 'run', ok: true, parts: true, ...rest }, transfer });
  return out;
}

/** UI side: collects the parts of each run and completes its `run` reply with them. */
export function createReplyAssembler() {
  // Items are appended as their part arrives (each part its own task), so that completing
  // the reply does not concatenate 100,000+ items in one go (~60 ms with a 128,000-event run).
  type Acc = { trace: TraceEvent[]; ndjson: string[]; arrows: Arrow[]; ribbons: Ribbon[]; flights: SegmentFlight[] };
  const append = <T>(to: T[], from: readonly T[]): void => { for (let i = 0; i < from.length; i++) to.push(from[i]!); };
  const fresh = (): Acc => ({ trace: [], ndjson: [], arrows: [], ribbons: [], flights: [] });
  const parts = new Map<number, Acc>();
  return {
    /** Stores a part. */
    add(p: ReplyPart): void {
      let acc = parts.get(p.id);
      if (!acc) { acc = fresh(); parts.set(p.id, acc); }
      if (p.trace) append(acc.trace, p.trace);
      if (p.ndjson !== undefined) acc.ndjson.push(p.ndjson);
      if (p.flights) append(acc.flights, p.flights);
      if (p.arrows) append(acc.arrows, p.arrows);
      if (p.ribbons) append(acc.ribbons, p.ribbons);
    },
    /** The reply with its parts put back (a reply sent whole is returned as is). */
    complete(reply: WorkerReply): WorkerReply {
      const acc = parts.get(reply.id);
      parts.delete(reply.id);
      if (reply.type !== 'run' || !reply.ok || !reply.parts) return reply;
      const got = acc ?? fresh();
      const whole = { ...reply, trace: got.trace, ndjson: got.ndjson.join('') };
      delete whole.parts;
      const d = reply.derived;
      if (d) {
        // The lookup arrives as a plain object (a message keeps data, not classes).
        const raw = d.layout.itemBySeq as unknown as { types: Int8Array; indices: Int32Array };
        const layout = {
          ...d.layout, arrows: got.arrows, ribbons: got.ribbons,
          itemBySeq: new SeqItemIndex(raw.types, raw.indices),
        };
        whole.derived = { ...d, layout, flights: { ...d.flights, flights: got.flights } };
      }
      return whole;
    },
    /** Drops everything received so far (the worker failed). */
    clear(): void { parts.clear(); },
  };
}
