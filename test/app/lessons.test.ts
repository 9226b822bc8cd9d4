/**
 * Lessons: every shipped lesson (public/lessons/index.json) validates; every step's scenario
 * is a valid shipped scenario; every prediction's answer event and every fact exists in the
 * trace of that scenario as the simulator runs it; exactly one choice is right; no `{…}` is
 * left unfilled. And the validator refuses bad files with JSON paths.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';
import type { TraceEvent } from '../../sim/index.ts';
import { parseLesson, parseLessonIndex, parseLessonText, PLACEHOLDER } from '../../app/lessons/validate.ts';
import { evaluatePrediction, fillTemplate, findEvent, findFacts } from '../../app/lessons/evaluate.ts';
import type { Lesson } from '../../app/lessons/types.ts';

const DIR = 'public/lessons';
const index = parseLessonIndex(JSON.parse(readFileSync(`${DIR}/index.json`, 'utf8')));

const traces = new Map<string, TraceEvent[]>();
function traceOf(file: string): TraceEvent[] {
  let t = traces.get(file);
  if (!t) {
    const parsed = parseScenarioText(readFileSync(`public/scenarios/${file}`, 'utf8'));
    if (!parsed.ok) throw new Error(`${file}: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    t = runScenario(resolveScenario(parsed.scenario)).trace;
    traces.set(file, t);
  }
  return t;
}

function load(id: string): Lesson {
  const parsed = parseLessonText(readFileSync(`${DIR}/${id}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${id}: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return parsed.lesson;
}

const leftover = (s: string): string[] => [...s.matchAll(PLACEHOLDER)].map((m) => m[0]);

describe('shipped lessons', () => {
  it('the index lists at least six lessons, one file each, and every file is listed', () => {
    expect(index.length).toBeGreaterThanOrEqual(6);
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(index.map((e) => e.id).sort());
  });

  for (const entry of index) {
    describe(entry.id, () => {
      it('validates, and its id and title match the index', () => {
        const lesson = load(entry.id);
        expect(lesson.id).toBe(entry.id);
        expect(lesson.title).toBe(entry.title);
      });

      it('asks at least one prediction, and each is answered by its scenario\'s trace', () => {
        const lesson = load(entry.id);
        const predictions = lesson.steps.filter((s) => s.predict);
        expect(predictions.length).toBeGreaterThanOrEqual(1);
        lesson.steps.forEach((step, i) => {
          const where = `${entry.id} step ${i + 1}`;
          const file = step.scenario ?? lesson.scenario!;
          const trace = traceOf(file);
          if (step.select) {
            const ids = new Set(trace.flatMap((e) => ('node' in e ? [String(e.node)] : [])));
            expect(ids.has(step.select), `${where}: select ${step.select}`).toBe(true);
          }
          if (step.cursor && 'event' in step.cursor) {
            expect(findEvent(trace, step.cursor.event), `${where}: cursor event`).not.toBeNull();
          }
          const facts = findFacts(trace, step.facts);
          expect(facts.ok, `${where}: fact ${facts.ok ? '' : facts.missing}`).toBe(true);
          if (facts.ok) expect(leftover(fillTemplate(step.text, facts.facts)), `${where}: text`).toEqual([]);
          if (!step.predict) return;
          const ev = evaluatePrediction(step.predict, trace, step.facts);
          if (!ev.ok) throw new Error(`${where}: ${ev.message}`);
          expect(ev.correct, `${where}: exactly one right choice`).toHaveLength(1);
          const filled = fillTemplate(step.predict.reveal, { ...ev.facts, answer: ev.answer });
          expect(leftover(filled), `${where}: reveal`).toEqual([]);
        });
      });
    });
  }
});

describe('the lesson validator', () => {
  const good = (): Record<string, unknown> => JSON.parse(readFileSync(`${DIR}/keep-alive.json`, 'utf8'));

  it('refuses unknown keys with their path', () => {
    const l = good();
    (l['steps'] as Record<string, unknown>[])[0]!['hilight'] = 'Timeline';
    const r = parseLesson(l);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toContain('steps[0].hilight');
  });

  it('names bad values inside a prediction by path', () => {
    const l = good();
    const step = (l['steps'] as Record<string, Record<string, unknown>>[])[0]!;
    const pr = step['predict'] as Record<string, unknown>;
    (pr['choices'] as Record<string, Record<string, unknown>>[])[1]!['when'] = { betweenMs: [5, 1] };
    pr['reveal'] = 'at {nothing.tMs|time}';
    const r = parseLesson(l);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const paths = r.problems.map((p) => p.path);
      expect(paths).toContain('steps[0].predict.choices[1].when.betweenMs');
      expect(paths).toContain('steps[0].predict.reveal');
    }
  });

  it('wants exactly one scenario source, a safe file name and a known region', () => {
    const l = good();
    l['scenario'] = '../secrets.json';
    (l['steps'] as Record<string, unknown>[])[1]!['look'] = ['Timeline', 'Sidebar'];
    const r = parseLesson(l);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['scenario', 'steps[1].look[1]']));
    const both = good();
    both['scenarioInline'] = {};
    const r2 = parseLesson(both);
    expect(r2.ok).toBe(false);
  });

  it('checks an inline scenario with the scenario parser, paths prefixed', () => {
    const l = good();
    delete l['scenario'];
    l['scenarioInline'] = { format: 'halfopen/scenario', version: 1, name: 'x', seed: 1, durationMs: 1000, broker: { id: 'broker' }, clients: [{ id: 'c', keepAliveSeconds: -1 }] };
    const r = parseLesson(l);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.some((p) => p.path.startsWith('scenarioInline.clients[0]'))).toBe(true);
  });

  it('refuses text that is not JSON', () => {
    const r = parseLessonText('{ "format": ');
    expect(r.ok).toBe(false);
  });
});
