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

const STRING = 1;
const NUMBER = 2;
const BOOLEAN = 3;
const OTHER = 4;
/** A list of numbers (seg.send `packets`, SUBACK `granted`). */
const NUMBERS = 5;

/** A field as the writer needs it: `,"key":` and the JSON type its value should have. */
interface Slot { readonly prefix: string; readonly type: number }

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
  return { prefix, type };
}

/** kind → field name → slot (the kind's fields and the common fields). */
const TABLE: ReadonlyMap<string, ReadonlyMap<string, Slot>> = new Map(
  Object.entries(TRACE_SCHEMA).map(([kind, spec]) => {
    const fields: Record<string, Field> = { ...(spec.fields as Record<string, Field>), ...COMMON_FIELDS };
    return [kind, new Map(Object.entries(fields).map(([k, f]) => [k, slotOf(k, f)]))];
  }),
);
/** `{"seq":…,"tMs":…,"kind":"…"` is written once per kind from this. */
const KIND_TEXT: ReadonlyMap<string, string> = new Map(
  Object.keys(TRACE_SCHEMA).map((kind) => [kind, `,"kind":${JSON.stringify(kind)}`]),
);

function generic(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? '' : `,${JSON.stringify(key)}:${text}`;
}

/** One line of the trace, with its '\n'; the same bytes as `JSON.stringify(event) + '\n'`. */
export function eventToLine(event: TraceEvent): string {
  const slots = TABLE.get(event.kind);
  const kindText = KIND_TEXT.get(event.kind);
  if (slots === undefined || kindText === undefined) return JSON.stringify(event) + '\n';
  const ev = event as unknown as Record<string, unknown>;
  let out = '';
  let n = 0;
  for (const key in ev) {
    const v = ev[key];
    // seq, tMs, kind come first in every event the engine builds: checked, not assumed.
    if (n < 3) {
      const expected = n === 0 ? 'seq' : n === 1 ? 'tMs' : 'kind';
      if (key !== expected || (n < 2 && typeof v !== 'number')) return JSON.stringify(event) + '\n';
      out += n === 0 ? '{"seq":' + num(v as number) : n === 1 ? ',"tMs":' + num(v as number) : kindText;
      n++;
      continue;
    }
    const slot = slots.get(key);
    if (slot === undefined) { out += generic(key, v); continue; }
    switch (slot.type) {
      case STRING:
        if (typeof v === 'string') { out += slot.prefix + JSON.stringify(v); continue; }
        break;
      case NUMBER:
        if (typeof v === 'number') { out += slot.prefix + num(v); continue; }
        break;
      case BOOLEAN:
        if (v === true) { out += slot.prefix + 'true'; continue; }
        if (v === false) { out += slot.prefix + 'false'; continue; }
        break;
      case NUMBERS:
        if (finiteNumbers(v)) { out += slot.prefix + '[' + v.join(',') + ']'; continue; }
        break;
    }
    out += generic(key, v);
  }
  if (n < 3) return JSON.stringify(event) + '\n';
  return out + '}\n';
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
