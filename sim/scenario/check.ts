/**
 * Small building blocks for the scenario validator (scenario/parse.ts): a problem list, JSON
 * paths, and typed field readers that report what is wrong instead of throwing.
 *
 * Objects from JSON are read through `Map(Object.entries(...))`, never by property access, so
 * that keys like `__proto__`, `constructor` or `toString` are plain (unknown) keys and never
 * inherited values. Leaves out: the rules of the format (parse.ts, parse-parts.ts).
 */

export interface Problem { path: string; message: string }

/** A JSON object as read: own keys only, in file order. */
export type Fields = Map<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function keyPath(path: string, key: string): string {
  const part = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === '') return part.startsWith('[') ? `(root)${part}` : part;
  return part.startsWith('[') ? path + part : `${path}.${part}`;
}

export function indexPath(path: string, index: number): string {
  return `${path === '' ? '(root)' : path}[${index}]`;
}

/** Shown as the path of a problem with the whole file. */
export const ROOT = '(root)';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Edit distance, case-insensitive, capped (long strings are not worth comparing). */
function distance(a: string, b: string): number {
  a = a.toLowerCase(); b = b.toLowerCase();
  if (a.length > 64 || b.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 99;
}

/** The candidate the user most likely meant, if any is close enough to say so. */
export function suggest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    let score = distance(word, c);
    if (w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc))) score = Math.min(score, 1.5);
    else if (w.length >= 6 && lc.startsWith(w.slice(0, w.length - 2))) score = Math.min(score, 2);
    const limit = Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3));
    if (score <= limit && score < bestScore) { best = c; bestScore = score; }
  }
  return best;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === null ? '' : ` (did you mean ${JSON.stringify(s)}?)`;
}

export function listOf(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

export interface IntRange { min: number; max: number }

export class Checker {
  readonly problems: Problem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path: path === '' ? ROOT : path, message });
  }

  /**
   * Reads an object and refuses keys outside `allowed`. Returns null (after reporting) if
   * `value` is not an object.
   */
  object(path: string, value: unknown, allowed: readonly string[], what = 'an object'): Fields | null {
    if (!isPlainObject(value)) {
      this.add(path, `must be ${what}`);
      return null;
    }
    const fields: Fields = new Map(Object.entries(value));
    for (const key of fields.keys()) {
      if (!allowed.includes(key)) this.add(keyPath(path, key), `unknown key${didYouMean(key, allowed)}`);
    }
    return fields;
  }

  /** `fields` lacks `key` (reported as required). */
  missing(fields: Fields, path: string, key: string, hint = ''): boolean {
    if (fields.has(key)) return false;
    this.add(keyPath(path, key), `is required${hint}`);
    return true;
  }

  int(fields: Fields, path: string, key: string, range: IntRange, required = false, unit = ''): number | undefined {
    if (!fields.has(key)) {
      if (required) this.add(keyPath(path, key), `is required (an integer from ${range.min} to ${range.max}${unit === '' ? '' : `, in ${unit}`})`);
      return undefined;
    }
    return this.intValue(keyPath(path, key), fields.get(key), range, unit);
  }

  intValue(path: string, v: unknown, range: IntRange, unit = ''): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < range.min || v > range.max) {
      this.add(path, `must be an integer from ${range.min} to ${range.max}${unit === '' ? '' : ` (${unit})`}`);
      return undefined;
    }
    return v;
  }

  num(fields: Fields, path: string, key: string, range: IntRange, required = false): number | undefined {
    if (!fields.has(key)) {
      if (required) this.add(keyPath(path, key), `is required (a number from ${range.min} to ${range.max})`);
      return undefined;
    }
    const v = fields.get(key);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < range.min || v > range.max) {
      this.add(keyPath(path, key), `must be a number from ${range.min} to ${range.max}`);
      return undefined;
    }
    return v;
  }

  bool(fields: Fields, path: string, key: string, required = false): boolean | undefined {
    if (!fields.has(key)) {
      if (required) this.add(keyPath(path, key), 'is required (true or false)');
      return undefined;
    }
    const v = fields.get(key);
    if (typeof v !== 'boolean') {
      this.add(keyPath(path, key), 'must be true or false');
      return undefined;
    }
    return v;
  }

  str(
    fields: Fields, path: string, key: string,
    opts: { min?: number; max: number; required?: boolean },
  ): string | undefined {
    const min = opts.min ?? 0;
    const p = keyPath(path, key);
    if (!fields.has(key)) {
      if (opts.required) this.add(p, min > 0 ? 'is required (a non-empty string)' : 'is required (a string)');
      return undefined;
    }
    const v = fields.get(key);
    if (typeof v !== 'string') {
      this.add(p, min > 0 ? 'must be a non-empty string' : 'must be a string');
      return undefined;
    }
    if (v.length < min) { this.add(p, 'must not be empty'); return undefined; }
    if (v.length > opts.max) { this.add(p, `must be at most ${opts.max} characters long`); return undefined; }
    return v;
  }

  oneOf<T extends string>(fields: Fields, path: string, key: string, values: readonly T[], required = false): T | undefined {
    const p = keyPath(path, key);
    if (!fields.has(key)) {
      if (required) this.add(p, `is required (one of ${listOf(values)})`);
      return undefined;
    }
    const v = fields.get(key);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.add(p, `must be one of ${listOf(values)}${typeof v === 'string' ? didYouMean(v, values) : ''}`);
    return undefined;
  }

  /** Reads an array (bounded length); returns null (after reporting) if it is not one. */
  array(fields: Fields, path: string, key: string, maxItems: number, required = false): unknown[] | null {
    const p = keyPath(path, key);
    if (!fields.has(key)) {
      if (required) this.add(p, 'is required (an array)');
      return null;
    }
    const v = fields.get(key);
    if (!Array.isArray(v)) { this.add(p, 'must be an array'); return null; }
    if (v.length > maxItems) { this.add(p, `must have at most ${maxItems} entries`); return null; }
    return v;
  }
}
