/**
 * A run's reply in several messages. Receiving a message is one task on the UI thread, and
 * decoding a 17,000-event trace plus its layout in one go takes ~60–100 ms, long enough to
 * freeze the page. So the worker sends the big arrays in slices (`part` messages, each
 * decoded in its own short task, with frames in between), then the small rest as the `run`
 * reply, and the runner puts them back together. The layout's typed arrays (including the
 * seq → item lookup) are transferred, not copied.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { Arrow, Ribbon } from '../timeline/layoutTypes.ts';
import { SeqItemIndex } from '../timeline/itemLookup.ts';
import { derivedTransferables } from './derived.ts';
import type { RunOk, WorkerReply, WorkerRequest } from './protocol.ts';

/** Items per `part` message: a few ms of decoding each on a slow machine. */
export const PART_ITEMS = 2000;

export interface ReplyPart {
  id: number;
  type: 'part';
  trace?: TraceEvent[];
  ndjson?: string;
  arrows?: Arrow[];
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
  out.push({ message: { id, type: 'part', ndjson: run.ndjson }, transfer: [] });
  const d = run.derived;
  if (d) {
    for (const arrows of slices(d.layout.arrows)) out.push({ message: { id, type: 'part', arrows }, transfer: [] });
    for (const ribbons of slices(d.layout.ribbons)) out.push({ message: { id, type: 'part', ribbons }, transfer: [] });
  }
  const rest: RunOk = {
    ...run, trace: [], ndjson: '',
    ...(d ? { derived: { ...d, layout: { ...d.layout, arrows: [], ribbons: [] } } } : {}),
  };
  out.push({ message: { id, type: 'run', ok: true, parts: true, ...rest }, transfer: d ? derivedTransferables(d) : [] });
  return out;
}

/** UI side: collects the parts of each run and completes its `run` reply with them. */
export function createReplyAssembler() {
  const parts = new Map<number, { trace: TraceEvent[][]; ndjson: string; arrows: Arrow[][]; ribbons: Ribbon[][] }>();
  return {
    /** Stores a part. */
    add(p: ReplyPart): void {
      let acc = parts.get(p.id);
      if (!acc) { acc = { trace: [], ndjson: '', arrows: [], ribbons: [] }; parts.set(p.id, acc); }
      if (p.trace) acc.trace.push(p.trace);
      if (p.ndjson !== undefined) acc.ndjson = p.ndjson;
      if (p.arrows) acc.arrows.push(p.arrows);
      if (p.ribbons) acc.ribbons.push(p.ribbons);
    },
    /** The reply with its parts put back (a reply sent whole is returned as is). */
    complete(reply: WorkerReply): WorkerReply {
      const acc = parts.get(reply.id);
      parts.delete(reply.id);
      if (reply.type !== 'run' || !reply.ok || !reply.parts) return reply;
      const got = acc ?? { trace: [], ndjson: '', arrows: [], ribbons: [] };
      const whole = { ...reply, trace: got.trace.flat(), ndjson: got.ndjson };
      delete whole.parts;
      const d = reply.derived;
      if (d) {
        // The lookup arrives as a plain object (a message keeps data, not classes).
        const raw = d.layout.itemBySeq as unknown as { types: Int8Array; indices: Int32Array };
        const layout = {
          ...d.layout, arrows: got.arrows.flat(), ribbons: got.ribbons.flat(),
          itemBySeq: new SeqItemIndex(raw.types, raw.indices),
        };
        whole.derived = { ...d, layout };
      }
      return whole;
    },
    /** Drops everything received so far (the worker failed). */
    clear(): void { parts.clear(); },
  };
}
