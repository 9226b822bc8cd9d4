/**
 * Where a JSON text is broken, as line and column, the same in every JavaScript engine.
 *
 * `JSON.parse` error messages differ between engines (and many carry no position), so when
 * it fails we scan the text ourselves (RFC 8259 grammar) to find the first offending
 * character. The scanner is iterative, so deeply nested input cannot overflow the stack.
 * It only locates errors; parsing itself is always `JSON.parse`.
 */

export interface JsonSyntaxError { line: number; column: number; message: string }

type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'done';

const INVISIBLE: Record<number, string> = {
  0xfeff: 'a byte-order mark',
  0x00a0: 'a no-break space',
  0x200b: 'a zero-width space',
  0x200e: 'a left-to-right mark',
  0x200f: 'a right-to-left mark',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
};

/** A character named so that it can be seen: invisible and control characters by code point. */
function describeChar(ch: string): string {
  if (ch === '\n') return 'a line break';
  if (ch === '\t') return 'a tab';
  const code = ch.codePointAt(0) ?? 0;
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `the control character ${u}`;
  const name = INVISIBLE[code];
  if (name !== undefined) return `${u} (${name})`;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x061c) return `${u} (a bidirectional text control)`;
  if ((code >= 0x2000 && code <= 0x200d) || code === 0x2060 || code === 0x3000 || (code >= 0xd800 && code <= 0xdfff)) return `the invisible character ${u}`;
  return JSON.stringify(String.fromCodePoint(code));
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Scans a string starting at the opening quote; returns the index after the closing quote, or an error. */
function scanString(text: string, start: number): number | { at: number; message: string } {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { at: i, message: 'invalid \\u escape: it needs four hex digits' };
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) return { at: i, message: 'invalid escape sequence in string' };
      i += 2;
      continue;
    }
    if (c < 0x20) return { at: i, message: `${describeChar(text[i] ?? '')} is not allowed inside a string (write it as an escape such as \\n)` };
    i++;
  }
  return { at: start, message: 'unterminated string (missing closing ")' };
}

/** Locates the first syntax error of `text`, or null if the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stack: string[] = [];
  let want: Want = 'value';
  let i = 0;
  const fail = (at: number, message: string): JsonSyntaxError => ({ ...lineColumn(text, at), message });
  const next = (): Want => (stack.length === 0 ? 'done' : 'comma-or-close');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
    if (i >= text.length) {
      if (want === 'done') return null;
      return fail(i, stack.length === 0 && want === 'value' ? 'the file is empty' : 'unexpected end of file (something is not closed)');
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    switch (want) {
      case 'done':
        return fail(i, `unexpected ${describeChar(ch)} after the end of the JSON value`);
      case 'value':
      case 'value-or-close': {
        if (ch === ']' && want === 'value-or-close') { stack.pop(); i++; want = next(); break; }
        if (ch === '{') { stack.push('{'); want = 'key-or-close'; i++; break; }
        if (ch === '[') { stack.push('['); want = 'value-or-close'; i++; break; }
        if (ch === '"') {
          const r = scanString(text, i);
          if (typeof r !== 'number') return fail(r.at, r.message);
          i = r; want = next(); break;
        }
        if (ch === '-' || (ch >= '0' && ch <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (m === null && text.startsWith('-Infinity', i)) return fail(i, 'unexpected "-Infinity": JSON has no NaN or Infinity; write a finite number');
          if (m === null) return fail(i, 'invalid number');
          i += m[0].length;
          want = next(); break;
        }
        const word = /^[A-Za-z_]+/.exec(text.slice(i, i + 20))?.[0];
        if (word === 'true' || word === 'false' || word === 'null') { i += word.length; want = next(); break; }
        if (word === 'NaN' || word === 'Infinity') return fail(i, `unexpected word "${word}": JSON has no NaN or Infinity; write a finite number`);
        if (word !== undefined) return fail(i, `unexpected word ${JSON.stringify(word)} (strings need double quotes)`);
        if (ch === ']' && stack[stack.length - 1] === '[') return fail(i, 'unexpected "]" (trailing commas are not allowed)');
        if (ch === "'") return fail(i, 'strings need double quotes, not single quotes');
        return fail(i, `unexpected ${describeChar(ch)} where a value was expected`);
      }
      case 'key':
      case 'key-or-close': {
        if (ch === '}' && want === 'key-or-close') { stack.pop(); i++; want = next(); break; }
        if (ch === '"') {
          const r = scanString(text, i);
          if (typeof r !== 'number') return fail(r.at, r.message);
          i = r; want = 'colon'; break;
        }
        if (ch === '}') return fail(i, 'unexpected "}" (trailing commas are not allowed)');
        return fail(i, `expected a property name in double quotes, found ${describeChar(ch)}`);
      }
      case 'colon':
        if (ch !== ':') return fail(i, `expected ":" after the property name, found ${describeChar(ch)}`);
        i++; want = 'value'; break;
      case 'comma-or-close': {
        const top = stack[stack.length - 1];
        if (ch === ',') { i++; want = top === '{' ? 'key' : 'value'; break; }
        if (ch === '}' && top === '{') { stack.pop(); i++; want = next(); break; }
        if (ch === ']' && top === '[') { stack.pop(); i++; want = next(); break; }
        return fail(i, `expected "," or "${top === '{' ? '}' : ']'}", found ${describeChar(ch)}`);
      }
    }
  }
}

export interface DuplicateKey { path: string; line: number; column: number }

/**
 * Object keys given twice in one object. `JSON.parse` keeps the last and says nothing, so a
 * scenario with `"durationMs": 20000, …, "durationMs": 30000` would silently run for 30 s;
 * like an unknown key, that is refused (CONTRACT.md section 2: a typo never silently changes a
 * run). Call only on text `JSON.parse` accepted. `path` is the duplicate's own JSON path, in
 * the validator's notation (`keyPath` / `indexPath`, passed in to keep this file
 * dependency-free); line and column point at its second occurrence.
 */
export function findDuplicateKeys(
  text: string,
  keyPath: (path: string, key: string) => string,
  indexPath: (path: string, index: number) => string,
): DuplicateKey[] {
  interface Frame { object: boolean; path: string; keys: Set<string> | null; index: number; key: string }
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let i = 0;
  let expectKey = false;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '';
    return top.object ? keyPath(top.path, top.key) : indexPath(top.path, top.index);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      const top = stack[stack.length - 1];
      if (expectKey && top !== undefined && top.keys !== null) {
        const key = JSON.parse(text.slice(start, i)) as string;
        if (top.keys.has(key)) out.push({ path: keyPath(top.path, key), ...lineColumn(text, start) });
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      continue;
    }
    if (ch === '{' || ch === '[') {
      const path = childPath();
      stack.push({ object: ch === '{', path, keys: ch === '{' ? new Set() : null, index: 0, key: '' });
      expectKey = ch === '{';
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top !== undefined) {
        if (top.object) expectKey = true;
        else top.index++;
      }
    }
    i++;
  }
  return out;
}

export interface InvalidUtf8 { offset: number; byte: number; line: number; message: string }

/**
 * The first byte at which `bytes` stops being UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or null if all of it is UTF-8. Decoders replace such
 * bytes with U+FFFD and say nothing, which would silently change a name or a payload; callers
 * refuse the file instead and name the offset (counted from 0) and the line.
 */
export function findInvalidUtf8(bytes: Uint8Array): InvalidUtf8 | null {
  let line = 1;
  let i = 0;
  const bad = (offset: number, message: string): InvalidUtf8 => ({ offset, byte: bytes[offset] ?? 0, line, message });
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) { if (b === 10) line++; i++; continue; }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    else return bad(i, b >= 0x80 && b <= 0xbf ? 'a continuation byte with no character to continue' : 'this byte never occurs in UTF-8');
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return bad(i, 'the file ends in the middle of a character');
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return bad(i, 'an incomplete or invalid multi-byte sequence');
    }
    i += need + 1;
  }
  return null;
}
