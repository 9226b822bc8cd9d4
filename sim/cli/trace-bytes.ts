/**
 * The trace line of lent fields (RunOptions.onFields) written straight into a byte buffer:
 * the same bytes as `fieldsToLine(fields, seq, tMs)` encoded as UTF-8 (sim/trace/ndjson.ts), without
 * building the line as a string first. For `halfopen run --trace FILE`, where building each
 * line as a string (a rope of a dozen pieces) and then flattening and encoding it into the
 * output chunk cost about as much as the run itself (issue 14: `--trace` ≤ 1.5 × untraced).
 *
 * How it stays byte-identical: it walks the fields in their own order with the same per-kind
 * table as ndjson.ts (`kindWriter`: each key's `,"key":` prefix and JSON type) and writes only
 * what has one obvious JSON form: ASCII strings with no character JSON escapes (printable
 * 0x20-0x7e except `"` and `\`), whole numbers of at most 15 digits (Number::toString writes
 * them as their digits), times in ms that are whole µs (ndjson.ts `msText`), booleans, lists of
 * such whole numbers. Any other value (a non-ASCII or escaped character, a fraction, null, a
 * key the schema does not declare) is written from its JSON text (ndjson.ts `valueText`, the
 * string writer's own code) with Buffer#write (UTF-8), as the string path does.
 * test/trace/trace-bytes.test.ts compares the two on every golden trace and on hostile values.
 *
 * Leaves out: the terminal escaping of `--trace -` on a tty (cli/terminal.ts), which takes the
 * string path.
 */
import type { Buffer } from 'node:buffer';
import { kindWriter, msText, slotAt, slotText, STRING, NUMBER, BOOLEAN, NUMBERS } from '../trace/ndjson.ts';

/** Bytes a line may need beyond its values' own lengths (keys and punctuation), checked once. */
const MARGIN = 1024;

const Q = 0x22;



/**
 * The time `nowUs` / 1000 in ms as ndjson.ts `msText` writes it (the µs digits with the point
 * moved three places, trailing zeros dropped), from the integer; anything else through msText.
 */
function msBytes(buf: Uint8Array, pos: number, nowUs: number): number {
  if (!(nowUs >= 0 && nowUs <= 8e12) || nowUs % 1 !== 0) return asciiText(buf, pos, msText(nowUs / 1000));
  let frac = nowUs % 1000;
  pos = wholeNumber(buf, pos, (nowUs - frac) / 1000);
  frac |= 0;
  if (frac === 0) return pos;
  buf[pos++] = 0x2e; // .
  let digits = 3;
  while (frac % 10 === 0) { frac /= 10; digits--; }
  for (let i = pos + digits - 1; i >= pos; i--) {
    const d = frac % 10;
    buf[i] = 0x30 + d;
    frac = (frac - d) / 10;
  }
  return pos + digits;
}

const SEQ = new TextEncoder().encode('{"seq":');
const TMS = new TextEncoder().encode(',"tMs":');

/**
 * Copies `src` into `buf` at `pos` (a key or kind that is not ASCII; an ASCII one is copied
 * from its string, asciiText: charCodeAt of an internalized one-byte string is faster here
 * than a loop over a Uint8Array, which was a fifth of the writer's time in a profile).
 */
function put(buf: Uint8Array, pos: number, src: Uint8Array): number {
  buf.set(src, pos);
  return pos + src.length;
}

/** `s` between quotes when every character is plain printable ASCII; -1 otherwise (nothing is kept). */
function plainString(buf: Uint8Array, pos: number, s: string, end: number): number {
  const n = s.length;
  if (pos + n + 2 > end) return -1;
  buf[pos] = Q;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === Q || c === 0x5c) return -1;
    buf[pos + 1 + i] = c;
  }
  buf[pos + n + 1] = Q;
  return pos + n + 2;
}

/** A whole number 0 ≤ v < 10^15 as its decimal digits (Number::toString's form); -1 otherwise. */
function wholeNumber(buf: Uint8Array, pos: number, v: number): number {
  if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) {
    // Small integers in int32 arithmetic: `%` and `/` on doubles would go through fmod.
    let x = v | 0;
    if (x < 10) { buf[pos] = 0x30 + x; return pos + 1; }
    const digits = x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : x < 100000 ? 5 : x < 1000000 ? 6
      : x < 10000000 ? 7 : x < 100000000 ? 8 : x < 1000000000 ? 9 : 10;
    for (let i = pos + digits - 1; i >= pos; i--) {
      const q = (x / 10) | 0;
      buf[i] = 0x30 + (x - q * 10);
      x = q;
    }
    return pos + digits;
  }
  if (!(v >= 0 && v < 1e15) || v % 1 !== 0) return -1;
  return asciiText(buf, pos, String(v));
}

/** Text that has no character above 0x7f, byte for byte (keys' prefixes, times, numbers). */
function asciiText(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos + i] = s.charCodeAt(i);
  return pos + s.length;
}

/**
 * Writes the line of `fields` (kind first), `seq` and the time `nowUs` (µs) into `buf` from `pos`, with its
 * '\n'. Returns the position after it, or -1 when it did not fit in `buf` before `end`
 * (then nothing before `pos` changed; write the line another way or into a fresh buffer).
 */
export function fieldsToBytes(
  fields: Readonly<{ kind: string }>, seq: number, nowUs: number, buf: Buffer, pos: number, end: number,
): number {
  if (pos + MARGIN > end) return -1;
  const w = kindWriter(fields.kind);
  if (w === undefined) return -1;
  pos = put(buf, pos, SEQ);
  const seqEnd = wholeNumber(buf, pos, seq);
  pos = seqEnd >= 0 ? seqEnd : asciiText(buf, pos, String(seq));
  pos = put(buf, pos, TMS);
  pos = msBytes(buf, pos, nowUs);
  pos = put(buf, pos, w.kindBytes);
  const ev = fields as unknown as Record<string, unknown>;
  let i = 0;
  let first = true;
  for (const key in ev) {
    if (first) {
      if (key !== 'kind') return -1;
      first = false;
      continue;
    }
    const v = ev[key];
    const slot = slotAt(w, i++, key);
    if (v === undefined) continue;
    if (pos + MARGIN > end) return -1;
    if (slot !== null) {
      const at = slot.ascii ? asciiText(buf, pos, slot.prefix) : put(buf, pos, slot.bytes);
      let done = -1;
      switch (slot.type) {
        case STRING:
          if (typeof v === 'string') done = plainString(buf, at, v, end - MARGIN);
          break;
        case NUMBER:
          if (typeof v === 'number') done = wholeNumber(buf, at, v);
          break;
        case BOOLEAN:
          if (v === true) done = asciiText(buf, at, 'true');
          else if (v === false) done = asciiText(buf, at, 'false');
          break;
        case NUMBERS:
          done = wholeNumbers(buf, at, v, end - MARGIN);
          break;
      }
      if (done >= 0) { pos = done; continue; }
    }
    // Everything else: the string writer's own text for this key and value, as UTF-8.
    const text = slotText(slot, key, v);
    if (pos + text.length * 3 + MARGIN > end) return -1;
    pos += buf.write(text, pos, 'utf8');
  }
  if (first) return -1;
  buf[pos] = 0x7d; // }
  buf[pos + 1] = 0x0a; // \n
  return pos + 2;
}

/** A plain array of whole numbers (seg.send `packets`) as `[a,b]`; -1 for anything else. */
function wholeNumbers(buf: Uint8Array, pos: number, v: unknown, end: number): number {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype || Object.hasOwn(v, 'toJSON')) return -1;
  buf[pos++] = 0x5b; // [
  for (let i = 0; i < v.length; i++) {
    if (pos + 20 > end || !(i in v)) return -1;
    if (i > 0) buf[pos++] = 0x2c; // ,
    const x: unknown = v[i];
    if (typeof x !== 'number') return -1;
    pos = wholeNumber(buf, pos, x);
    if (pos < 0) return -1;
  }
  buf[pos++] = 0x5d; // ]
  return pos;
}
