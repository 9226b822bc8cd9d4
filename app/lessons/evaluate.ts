/**
 * Answers from the trace: the event a selector names, which choice of a prediction the
 * simulator's run makes right, and the reveal text with times and fields filled in from
 * the events. Pure: the app passes the trace it shows, the tests one from runScenario.
 */
import type { TraceEvent } from '../../sim/index.ts';
import { PLACEHOLDER } from './validate.ts';
import type { ChoiceCondition, EventSelector, Prediction } from './types.ts';

function fieldsMatch(e: TraceEvent, where: Record<string, unknown> | undefined): boolean {
  if (!where) return true;
  const f = e as unknown as Record<string, unknown>;
  return Object.entries(where).every(([k, v]) => Object.prototype.hasOwnProperty.call(f, k) && f[k] === v);
}

/** The event `sel` names, or null when the trace has none. */
export function findEvent(trace: readonly TraceEvent[], sel: EventSelector): TraceEvent | null {
  const kinds = Array.isArray(sel.kind) ? sel.kind : [sel.kind];
  let n = sel.nth ?? 1;
  for (const e of trace) {
    if (sel.fromMs !== undefined && e.tMs < sel.fromMs) continue;
    if (!kinds.includes(e.kind) || !fieldsMatch(e, sel.where)) continue;
    if (--n === 0) return e;
  }
  return null;
}

export function conditionHolds(e: TraceEvent, c: ChoiceCondition): boolean {
  if (c.kind !== undefined && e.kind !== c.kind) return false;
  if (!fieldsMatch(e, c.where)) return false;
  if (c.betweenMs && (e.tMs < c.betweenMs[0] || e.tMs > c.betweenMs[1])) return false;
  return true;
}

export type Evaluation =
  | { ok: true; answer: TraceEvent; facts: Record<string, TraceEvent>; correct: number[] }
  | { ok: false; message: string };

/** Finds the answer event and the facts, and the choices the run makes right (one, in a good lesson). */
export function evaluatePrediction(
  p: Prediction, trace: readonly TraceEvent[], stepFacts: Record<string, EventSelector> = {},
): Evaluation {
  const answer = findEvent(trace, p.answer);
  if (!answer) return { ok: false, message: `the run has no ${[p.answer.kind].flat().join(' / ')} event${p.answer.where ? ` with ${JSON.stringify(p.answer.where)}` : ''}` };
  const facts: Record<string, TraceEvent> = {};
  for (const [name, sel] of Object.entries({ ...stepFacts, ...(p.facts ?? {}) })) {
    const e = findEvent(trace, sel);
    if (!e) return { ok: false, message: `the run has no event for fact "${name}" (${[sel.kind].flat().join(' / ')})` };
    facts[name] = e;
  }
  const correct = p.choices.flatMap((c, i) => (conditionHolds(answer, c.when) ? [i] : []));
  return { ok: true, answer, facts, correct };
}

/** Facts of a step (for its text), or the name of the first one the run lacks. */
export function findFacts(trace: readonly TraceEvent[], sels: Record<string, EventSelector> | undefined):
  { ok: true; facts: Record<string, TraceEvent> } | { ok: false; missing: string } {
  const facts: Record<string, TraceEvent> = {};
  for (const [name, sel] of Object.entries(sels ?? {})) {
    const e = findEvent(trace, sel);
    if (!e) return { ok: false, missing: name };
    facts[name] = e;
  }
  return { ok: true, facts };
}

/** Seconds with milliseconds, whatever the size ("0.030 s", "90.030 s"): 90.030 and 90.040 stay apart. */
export function lessonTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/**
 * Replaces `{name.field}` by the field of the named event, `{name.field|time}` by it as a
 * time ("36.010 s"). A placeholder whose event or field is missing stays visible as `{…}`
 * (a test fails on it).
 */
export function fillTemplate(text: string, events: Record<string, TraceEvent>): string {
  return text.replace(PLACEHOLDER, (whole, name: string, field: string, time: string | undefined) => {
    const e = events[name] as unknown as Record<string, unknown> | undefined;
    const v = e?.[field];
    if (v === undefined || v === null) return whole;
    if (time && typeof v === 'number') return lessonTime(v);
    return String(v);
  });
}
