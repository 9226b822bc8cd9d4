/**
 * Trace v1 as NDJSON (CONTRACT.md section 3): one JSON object per event, each line ended by
 * '\n', byte for byte what `JSON.stringify(event) + '\n'` gives. JSON.stringify is specified
 * exactly (ECMA-262 SerializeJSONProperty: key order is insertion order, numbers use
 * Number::toString), so the bytes are the same in Node and in every browser.
 *
 * `eventToLine` builds the line from a per-kind table derived from trace/schema.ts (each
 * field's key already quoted, with its JSON type) instead of calling JSON.stringify on the
 * whole object: it walks the event's own keys in their order (for...in: the same order
 * JSON.stringify uses for these plain objects, whose keys are never integer-like), writes
 * strings with JSON.stringify(string), finite numbers with String (Number::toString, as JSON
 * does; -0 is "0" in both), booleans as literals, lists of finite numbers (seg.send `packets`)
 * joined with commas, and anything else (lists, pairs, null, a key
 * the schema does not declare, a value of an unexpected type) with JSON.stringify, so the
 * result is the same bytes for any event. test/trace/ndjson-writer.test.ts proves it on every
 * golden trace. Leaves out: pretty printing, field reordering.
 */
import { COMMON_FIELDS, TRACE_SCHEMA } from './schema.ts';
import type { Field } from './schema.ts';
import type { TraceEvent } from './types.ts';

export const STRING = 1;
export const NUMBER = 2;
export const BOOLEAN = 3;
const OTHER = 4;
/** A list of numbers (seg.send `packets`, SUBACK `granted`). */
export const NUMBERS = 5;

/** A field as the writer needs it: `,"key":` and the JSON type its value should have. */
export interface Slot {
  readonly prefix: string; readonly type: number;
  /** `prefix` as UTF-8 bytes (the CLI's byte writer, sim/cli/trace-bytes.ts). */
  readonly bytes: Uint8Array;
  /** `prefix` is plain ASCII (every schema key is): the byte writer copies it from the string. */
  readonly ascii: boolean;
}

/** UTF-8 bytes of a text (keys and kinds are ASCII; anything else goes through TextEncoder). */
function utf8(text: string): Uint8Array {
  if (!/^[\x00-\x7f]*$/.test(text)) return new TextEncoder().encode(text);
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
}

function slotOf(key: string, f: Field): Slot {
  const prefix = `,${JSON.stringify(key)}:`;
  const values = f.values ?? [];
  const type = f.nullable ? OTHER
    : f.type === 'string' ? STRING
      : f.type === 'number' ? NUMBER
        : f.type === 'boolean' ? BOOLEAN
          : f.type === 'enum' && values.every((v) => typeof v === 'string') ? STRING
            : f.type === 'enum' && values.every((v) => typeof v === 'number') ? NUMBER
            : f.type === 'list' && f.of?.type === 'number' && f.of.nullable !== true ? NUMBERS
              : OTHER;
  const bytes = utf8(prefix);
  return { prefix, type, bytes, ascii: bytes.length === prefix.length };
}

/**
 * One kind's writer: its slots by field name, `,"kind":"…"`, and a memo of the key order it
 * met last (`keys[i]` → `memo[i]`): events of a kind almost always carry their keys in the
 * same order, so a key is found by one comparison instead of a Map lookup (a key in another
 * place just takes the lookup and updates the memo).
 */
export interface KindWriter {
  readonly slots: ReadonlyMap<string, Slot>;
  readonly kindText: string;
  /** `kindText` as UTF-8 bytes. */
  readonly kindBytes: Uint8Array;
  readonly keys: string[];
  readonly memo: (Slot | null)[];
}

/** kind → its writer (the kind's fields and the common fields). */
const WRITERS: ReadonlyMap<string, KindWriter> = new Map(
  Object.entries(TRACE_SCHEMA).map(([kind, spec]) => {
    const fields: Record<string, Field> = { ...(spec.fields as Record<string, Field>), ...COMMON_FIELDS };
    return [kind, {
      slots: new Map(Object.entries(fields).map(([k, f]) => [k, slotOf(k, f)])),
      kindText: `,"kind":${JSON.stringify(kind)}`,
      kindBytes: utf8(`,"kind":${JSON.stringify(kind)}`),
      keys: [], memo: [],
    }];
  }),
);

/** The writer of a kind the schema declares (ndjson-bytes.ts shares it). */
export function kindWriter(kind: string): KindWriter | undefined {
  return WRITERS.get(kind);
}

function generic(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? '' : `,${JSON.stringify(key)}:${text}`;
}

/** One line of the trace, with its '\n'; the same bytes as `JSON.stringify(event) + '\n'`. */
export function eventToLine(event: TraceEvent): string {
  const w = WRITERS.get(event.kind);
  if (w === undefined) return JSON.stringify(event) + '\n';
  const ev = event as unknown as Record<string, unknown>;
  let out = '';
  let n = 0;
  for (const key in ev) {
    // seq, tMs, kind come first in every event the engine builds: checked, not assumed.
    const v = ev[key];
    const expected = n === 0 ? 'seq' : n === 1 ? 'tMs' : 'kind';
    if (key !== expected || (n < 2 && typeof v !== 'number')) return JSON.stringify(event) + '\n';
    out += n === 0 ? '{"seq":' + num(v as number) : n === 1 ? ',"tMs":' + num(v as number) : w.kindText;
    if (++n === 3) break;
  }
  if (n < 3) return JSON.stringify(event) + '\n';
  return out + restOf(w, ev, 3, false)! + '}\n';
}

/**
 * The line of the event the engine would build from `fields` (an emit site's object: `kind`
 * first, then its fields), `seq` and `tMs`, without building it: the same bytes as
 * `eventToLine({ seq, tMs, ...fields })`. Keys whose value is undefined are left out, as
 * JSON.stringify leaves them out.
 */
export function fieldsToLine(fields: Readonly<{ kind: string }>, seq: number, tMs: number): string {
  const w = WRITERS.get(fields.kind);
  const rest = w === undefined ? null : restOf(w, fields as unknown as Record<string, unknown>, 1, true);
  if (rest === null) return JSON.stringify({ seq, tMs, ...fields }) + '\n';
  return '{"seq":' + num(seq) + ',"tMs":' + msText(tMs) + w!.kindText + rest + '}\n';
}

/**
 * A time in ms that is a whole number of µs (every time in a trace), as Number::toString
 * writes it, from integers: Number::toString gives the shortest decimal that reads back as the
 * same double, and for t = us / 1000 below 2^33 ms (~99 days) that is us's own decimal with
 * the point moved three places, trailing zeros dropped (any shorter decimal is at least 0.001
 * away, and doubles there are 2^-19 apart). Converting integers is much cheaper than finding a
 * double's shortest form. Anything else (not a whole number of µs, negative, later) goes to
 * `num`.
 */
export function msText(t: number): string {
  const us = Math.round(t * 1000);
  if (!(us >= 0 && us <= 8e12) || us / 1000 !== t) return num(t);
  const frac = us % 1000;
  const whole = (us - frac) / 1000;
  if (frac === 0) return '' + whole;
  if (frac % 100 === 0) return whole + '.' + frac / 100;
  if (frac % 10 === 0) return whole + (frac < 100 ? '.0' : '.') + frac / 10;
  return whole + (frac < 10 ? '.00' : frac < 100 ? '.0' : '.') + frac;
}

/**
 * The fields of `ev` after its first `skip` keys, each as `,"key":value`; null when
 * `kindFirst` and the first key is not `kind`.
 */
function restOf(w: KindWriter, ev: Record<string, unknown>, skip: number, kindFirst: boolean): string | null {
  let out = '';
  let i = 0;
  for (const key in ev) {
    if (skip > 0) {
      if (kindFirst && key !== 'kind') return null;
      kindFirst = false;
      skip--;
      continue;
    }
    out += slotText(slotAt(w, i++, key), key, ev[key]);
  }
  return out;
}

/**
 * The slot of the `i`-th key after `kind` in an event of `w`'s kind: from the memo of the
 * kind's usual key order when the key is where it was last time, else looked up (and the memo
 * updated). Shared by the string writer and the CLI's byte writer (sim/cli/trace-bytes.ts).
 */
export function slotAt(w: KindWriter, i: number, key: string): Slot | null {
  if (w.keys[i] === key) return w.memo[i] as Slot | null;
  const slot = w.slots.get(key) ?? null;
  w.keys[i] = key;
  w.memo[i] = slot;
  return slot;
}

/** One field as `,"key":value` ('' when JSON leaves it out: an undefined value). */
export function slotText(slot: Slot | null, key: string, v: unknown): string {
  if (slot === null || v === undefined) return generic(key, v);
  switch (slot.type) {
    case STRING:
      if (typeof v === 'string') return slot.prefix + JSON.stringify(v);
      break;
    case NUMBER:
      if (typeof v === 'number') return slot.prefix + num(v);
      break;
    case BOOLEAN:
      if (v === true) return slot.prefix + 'true';
      if (v === false) return slot.prefix + 'false';
      break;
    case NUMBERS:
      if (finiteNumbers(v)) return slot.prefix + '[' + v.join(',') + ']';
      break;
  }
  return generic(key, v);
}

/**
 * A plain array of finite numbers with no holes and no own extra keys that JSON would see:
 * `join(',')` then writes each with Number::toString, as JSON.stringify does.
 */
function finiteNumbers(v: unknown): v is number[] {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype || Object.hasOwn(v, 'toJSON')) return false;
  for (let i = 0; i < v.length; i++) {
    if (!(i in v)) return false;
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}

/** A number as JSON writes it: Number::toString when finite, else null. */
function num(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

export function traceToNdjson(events: readonly TraceEvent[]): string {
  let out = '';
  for (const e of events) out += eventToLine(e);
  return out;
}
