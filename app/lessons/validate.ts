/**
 * Lesson files come from public/ (and could come from anyone): checked like scenarios. Every
 * problem is reported with its JSON path (`steps[2].predict.choices[0].when.betweenMs: …`),
 * unknown keys are refused, an inline scenario is checked by the simulator's own parser (its
 * problems prefixed with `scenarioInline`), and every `{name.field}` in a text must name
 * `answer` or a declared fact. It never throws.
 */
import { parseScenario } from '../../sim/index.ts';
import type { Problem } from '../../sim/index.ts';
import { LOOK_REGIONS } from './types.ts';
import type { Lesson } from './types.ts';

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; problems: Problem[] };

export const LESSON_FORMAT = 'halfopen/lesson';
export const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;
export const SCENARIO_FILE = /^[A-Za-z0-9_.-]{1,80}\.json$/;
const MAX_TEXT = 8000;
const MAX_STEPS = 40;
/** `{name.field}` or `{name.field|time}` */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9]*)(\|time)?\}/g;

const TOP_KEYS = ['format', 'version', 'id', 'title', 'summary', 'scenario', 'scenarioInline', 'steps'];
const STEP_KEYS = ['title', 'text', 'scenario', 'cursor', 'select', 'look', 'facts', 'predict', 'standard'];
const PREDICT_KEYS = ['question', 'choices', 'answer', 'facts', 'reveal', 'standard'];
const SELECTOR_KEYS = ['kind', 'where', 'nth', 'fromMs'];
const CONDITION_KEYS = ['kind', 'where', 'betweenMs'];
const CHOICE_KEYS = ['text', 'when'];
const STANDARD_KEYS = ['source', 'quote'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Check {
  readonly problems: Problem[] = [];
  add(path: string, message: string): void { this.problems.push({ path, message }); }

  object(v: unknown, path: string, keys: readonly string[]): Obj | null {
    if (!isObj(v)) { this.add(path, 'must be an object'); return null; }
    for (const k of Object.keys(v)) {
      if (!keys.includes(k)) this.add(`${path}.${k}`.replace(/^\./, ''), `unknown key (allowed: ${keys.join(', ')})`);
    }
    return v;
  }

  text(v: unknown, path: string, max = MAX_TEXT): string | null {
    if (typeof v !== 'string' || v.trim() === '') { this.add(path, 'must be a non-empty string'); return null; }
    if (v.length > max) { this.add(path, `must be at most ${max} characters`); return null; }
    return v;
  }

  number(v: unknown, path: string, min: number, integer = false): number | null {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      this.add(path, `must be ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
      return null;
    }
    return v;
  }

  where(v: unknown, path: string): void {
    if (!isObj(v)) { this.add(path, 'must be an object of field values'); return; }
    for (const [k, x] of Object.entries(v)) {
      if (!['string', 'number', 'boolean'].includes(typeof x)) this.add(`${path}.${k}`, 'must be a string, number or boolean');
    }
  }

  selector(v: unknown, path: string): void {
    const o = this.object(v, path, SELECTOR_KEYS);
    if (!o) return;
    const kind = o['kind'];
    if (Array.isArray(kind)) {
      if (kind.length === 0) this.add(`${path}.kind`, 'must name at least one event kind');
      kind.forEach((k, i) => this.text(k, `${path}.kind[${i}]`, 64));
    } else {
      this.text(kind, `${path}.kind`, 64);
    }
    if (o['where'] !== undefined) this.where(o['where'], `${path}.where`);
    if (o['nth'] !== undefined) this.number(o['nth'], `${path}.nth`, 1, true);
    if (o['fromMs'] !== undefined) this.number(o['fromMs'], `${path}.fromMs`, 0);
  }

  standard(v: unknown, path: string): void {
    const o = this.object(v, path, STANDARD_KEYS);
    if (!o) return;
    this.text(o['source'], `${path}.source`, 200);
    this.text(o['quote'], `${path}.quote`, 2000);
  }

  facts(v: unknown, path: string): string[] {
    if (v === undefined) return [];
    if (!isObj(v)) { this.add(path, 'must be an object of event selectors'); return []; }
    for (const [name, sel] of Object.entries(v)) {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) this.add(`${path}.${name}`, 'a fact name is letters and digits');
      if (name === 'answer') this.add(`${path}.${name}`, '"answer" is the prediction\'s own event');
      this.selector(sel, `${path}.${name}`);
    }
    return Object.keys(v);
  }

  placeholders(text: unknown, path: string, names: readonly string[]): void {
    if (typeof text !== 'string') return;
    for (const m of text.matchAll(PLACEHOLDER)) {
      if (!names.includes(m[1]!)) this.add(path, `{${m[1]}.${m[2]}} names no event (known: ${names.join(', ') || 'none'})`);
    }
  }

  scenarioFile(v: unknown, path: string): void {
    if (typeof v !== 'string' || !SCENARIO_FILE.test(v)) this.add(path, 'must be a scenario file name in scenarios/, e.g. "keepalive-power-loss.json"');
  }
}

export function parseLessonText(text: string): LessonParse {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) {
    return { ok: false, problems: [{ path: '(file)', message: `not JSON: ${(e as Error).message}` }] };
  }
  return parseLesson(json);
}

export function parseLesson(json: unknown): LessonParse {
  const c = new Check();
  const o = c.object(json, '', TOP_KEYS);
  if (!o) return { ok: false, problems: c.problems.map((p) => ({ ...p, path: p.path || '(lesson)' })) };
  if (o['format'] !== LESSON_FORMAT) c.add('format', `must be "${LESSON_FORMAT}"`);
  if (o['version'] !== 1) c.add('version', 'must be 1');
  if (typeof o['id'] !== 'string' || !LESSON_ID.test(o['id'])) c.add('id', 'must be lowercase letters, digits and dashes, e.g. "keep-alive"');
  c.text(o['title'], 'title', 120);
  c.text(o['summary'], 'summary', 400);
  const hasFile = o['scenario'] !== undefined;
  const hasInline = o['scenarioInline'] !== undefined;
  if (hasFile === hasInline) c.add('scenario', 'give exactly one of "scenario" (a shipped file) and "scenarioInline"');
  if (hasFile) c.scenarioFile(o['scenario'], 'scenario');
  if (hasInline) {
    const parsed = parseScenario(o['scenarioInline']);
    if (!parsed.ok) for (const p of parsed.problems) c.add(p.path === '(root)' || p.path === '' ? 'scenarioInline' : `scenarioInline.${p.path}`, p.message);
  }
  const steps = o['steps'];
  if (!Array.isArray(steps) || steps.length === 0) c.add('steps', 'must be a non-empty array');
  else if (steps.length > MAX_STEPS) c.add('steps', `at most ${MAX_STEPS} steps`);
  else {
    steps.forEach((step, i) => {
      const p = `steps[${i}]`;
      const s = c.object(step, p, STEP_KEYS);
      if (!s) return;
      c.text(s['title'], `${p}.title`, 120);
      c.text(s['text'], `${p}.text`);
      if (s['scenario'] !== undefined) c.scenarioFile(s['scenario'], `${p}.scenario`);
      if (s['cursor'] !== undefined) {
        const cur = s['cursor'];
        if (isObj(cur) && 'atMs' in cur) { c.object(cur, `${p}.cursor`, ['atMs']); c.number(cur['atMs'], `${p}.cursor.atMs`, 0); }
        else if (isObj(cur) && 'event' in cur) { c.object(cur, `${p}.cursor`, ['event']); c.selector(cur['event'], `${p}.cursor.event`); }
        else c.add(`${p}.cursor`, 'must be { "atMs": number } or { "event": selector }');
      }
      if (s['select'] !== undefined) c.text(s['select'], `${p}.select`, 64);
      if (s['look'] !== undefined) {
        if (!Array.isArray(s['look'])) c.add(`${p}.look`, `must be an array of ${LOOK_REGIONS.join(', ')}`);
        else s['look'].forEach((r, j) => {
          if (!(LOOK_REGIONS as readonly unknown[]).includes(r)) c.add(`${p}.look[${j}]`, `must be one of ${LOOK_REGIONS.join(', ')}`);
        });
      }
      const stepFacts = c.facts(s['facts'], `${p}.facts`);
      c.placeholders(s['text'], `${p}.text`, stepFacts);
      if (s['standard'] !== undefined) c.standard(s['standard'], `${p}.standard`);
      if (s['predict'] !== undefined) {
        const q = `${p}.predict`;
        const pr = c.object(s['predict'], q, PREDICT_KEYS);
        if (!pr) return;
        c.text(pr['question'], `${q}.question`, 300);
        c.selector(pr['answer'], `${q}.answer`);
        const facts = c.facts(pr['facts'], `${q}.facts`);
        c.text(pr['reveal'], `${q}.reveal`);
        c.placeholders(pr['reveal'], `${q}.reveal`, ['answer', ...facts, ...stepFacts]);
        c.standard(pr['standard'], `${q}.standard`);
        const choices = pr['choices'];
        if (!Array.isArray(choices) || choices.length < 2 || choices.length > 6) {
          c.add(`${q}.choices`, 'must be an array of 2 to 6 choices');
        } else {
          choices.forEach((ch, j) => {
            const cp = `${q}.choices[${j}]`;
            const co = c.object(ch, cp, CHOICE_KEYS);
            if (!co) return;
            c.text(co['text'], `${cp}.text`, 300);
            const w = c.object(co['when'], `${cp}.when`, CONDITION_KEYS);
            if (!w) return;
            if (Object.keys(w).length === 0) c.add(`${cp}.when`, 'must say what the answer event shows (kind, where or betweenMs)');
            if (w['kind'] !== undefined) c.text(w['kind'], `${cp}.when.kind`, 64);
            if (w['where'] !== undefined) c.where(w['where'], `${cp}.when.where`);
            if (w['betweenMs'] !== undefined) {
              const b = w['betweenMs'];
              if (!Array.isArray(b) || b.length !== 2 || b.some((x) => typeof x !== 'number' || !Number.isFinite(x)) || (b[0] as number) > (b[1] as number)) {
                c.add(`${cp}.when.betweenMs`, 'must be [lo, hi] in ms with lo ≤ hi');
              }
            }
          });
        }
      }
    });
  }
  if (c.problems.length > 0) return { ok: false, problems: c.problems };
  return { ok: true, lesson: json as Lesson };
}

/** public/lessons/index.json: an array of { id, title, summary }. */
export function parseLessonIndex(json: unknown): { id: string; title: string; summary: string }[] {
  if (!Array.isArray(json)) return [];
  return json.filter((e): e is { id: string; title: string; summary: string } =>
    isObj(e) && typeof e['id'] === 'string' && LESSON_ID.test(e['id']) &&
    typeof e['title'] === 'string' && typeof e['summary'] === 'string');
}
