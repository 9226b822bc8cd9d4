/**
 * A guided lesson (public/lessons/<id>.json, `"format": "halfopen/lesson"`): a sequence of
 * steps over a scenario. A step moves the cursor, selects a node in the Inspector, points at
 * regions, and may ask the learner to predict; the answer is read from the simulator's trace
 * (the event `answer` selects), never written into the lesson as text. validate.ts checks files.
 */
import type { Scenario } from '../../sim/index.ts';

/** The regions a step can point at (CONTRACT.md section 5 names). */
export const LOOK_REGIONS = ['Timeline', 'Topology', 'Event log', 'Inspector'] as const;
export type LookRegion = typeof LOOK_REGIONS[number];

export type FieldValue = string | number | boolean;

/** Selects one event of a trace: the `nth` (from 1) event of one of `kind` whose fields equal `where`, at or after `fromMs`. */
export interface EventSelector {
  kind: string | string[];
  where?: Record<string, FieldValue>;
  nth?: number;
  fromMs?: number;
}

/** What must hold of the answer event for a choice to be the right one. */
export interface ChoiceCondition {
  kind?: string;
  where?: Record<string, FieldValue>;
  betweenMs?: [number, number];
}

export interface Choice { text: string; when: ChoiceCondition }

export interface StandardQuote { source: string; quote: string }

export interface Prediction {
  question: string;
  choices: Choice[];
  /** The event whose presence, time or fields decide the answer. */
  answer: EventSelector;
  /** More events the reveal may name: `{name.tMs|time}`. */
  facts?: Record<string, EventSelector>;
  /** Markdown; `{answer.tMs|time}`, `{answer.node}`, `{fact.field}` are filled from the trace. */
  reveal: string;
  standard: StandardQuote;
}

export type CursorSpec = { atMs: number } | { event: EventSelector };

export interface LessonStep {
  title: string;
  /** Markdown. May use `{name.field}` of `facts`. */
  text: string;
  /** A shipped scenario (file in public/scenarios/) for this step instead of the lesson's. */
  scenario?: string;
  cursor?: CursorSpec;
  /** The node the Inspector shows. */
  select?: string;
  look?: LookRegion[];
  facts?: Record<string, EventSelector>;
  predict?: Prediction;
  standard?: StandardQuote;
}

export interface Lesson {
  format: 'halfopen/lesson';
  version: 1;
  id: string;
  title: string;
  summary: string;
  /** A shipped scenario file in public/scenarios/ … */
  scenario?: string;
  /** … or a scenario written in the lesson. Exactly one of the two. */
  scenarioInline?: Scenario;
  steps: LessonStep[];
}

export interface LessonIndexEntry { id: string; title: string; summary: string }
