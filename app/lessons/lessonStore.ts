/**
 * The lesson runner: its own small store beside the app's (the app's store, its export
 * table and its slices are untouched). It opens a lesson step from `#lesson=<id>&step=<n>`
 * (CONTRACT.md section 5, n from 1), loads the step's scenario into the app through the app's
 * own `loadScenario`, waits for that scenario's run, then pauses, moves the cursor and
 * selects the Inspector's node. The learner's place (lesson and step) and answers are kept in
 * localStorage, so leaving a lesson (to inject faults in the ordinary app) and coming back
 * resumes at the same step; resuming reloads the lesson's own scenario (the learner's changes
 * are set aside by the app, as with any other scenario load).
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { parseScenarioText } from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';
import { getAppStore } from '../store/store.ts';
import { parseLessonIndex, parseLessonText, LESSON_ID } from './validate.ts';
import { findEvent } from './evaluate.ts';
import type { Lesson, LessonIndexEntry, LessonStep } from './types.ts';

export const PROGRESS_KEY = 'halfopen.lesson.progress';
export const LESSON_PREFIX = '#lesson=';

export interface Progress { id: string; title: string; step: number; answers: Record<string, number> }

export interface LessonState {
  index: LessonIndexEntry[] | null;
  listOpen: boolean;
  lesson: Lesson | null;
  /** 0-based index of the step on screen. */
  step: number;
  /** The panel is shown (false after Leave lesson). */
  active: boolean;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** `${lessonId}/${step}` → the chosen choice's index. */
  answers: Record<string, number>;
  /** The scenario object this step loaded into the app (to tell whether the learner changed it). */
  loaded: { key: string; scenario: Scenario } | null;
  progress: Progress | null;
}

function readProgress(): Progress | null {
  try {
    const raw = localStorage.getItem(PROGRESS_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Progress;
    if (typeof p?.id !== 'string' || !LESSON_ID.test(p.id) || !Number.isInteger(p.step) || p.step < 0) return null;
    return { id: p.id, title: String(p.title ?? p.id), step: p.step, answers: typeof p.answers === 'object' && p.answers ? p.answers : {} };
  } catch { return null; }
}

function writeProgress(p: Progress | null): void {
  try {
    if (p) localStorage.setItem(PROGRESS_KEY, JSON.stringify(p));
    else localStorage.removeItem(PROGRESS_KEY);
  } catch { /* storage refused: resuming is then only possible from the link */ }
}

const initialProgress = readProgress();
export const lessonStore = createStore<LessonState>()(() => ({
  index: null, listOpen: false, lesson: null, step: 0, active: false, status: 'idle', error: null,
  answers: initialProgress?.answers ?? {}, loaded: null, progress: initialProgress,
}));

export function useLesson<T>(selector: (s: LessonState) => T): T {
  return useStore(lessonStore, selector);
}

/**
 * `#lesson=keep-alive&step=3` → { id, step: 3 }; null when the hash is not a lesson link.
 * A step that is not a whole number ≥ 1 is NaN, and openLesson says so.
 */
export function lessonFromHash(hash: string): { id: string; step: number; stepText: string } | null {
  if (!hash.startsWith(LESSON_PREFIX)) return null;
  const params = new URLSearchParams(hash.slice(1));
  const id = params.get('lesson') ?? '';
  const stepText = params.get('step') ?? '1';
  const step = /^\d{1,6}$/.test(stepText) ? Number(stepText) : Number.NaN;
  return { id, step, stepText };
}

export function lessonHash(id: string, step: number): string {
  return `${LESSON_PREFIX}${encodeURIComponent(id)}&step=${step}`;
}

const lessonCache = new Map<string, Lesson>();

export async function loadLessonIndex(): Promise<LessonIndexEntry[]> {
  const have = lessonStore.getState().index;
  if (have) return have;
  try {
    const res = await fetch('lessons/index.json');
    const index = res.ok ? parseLessonIndex(await res.json()) : [];
    lessonStore.setState({ index });
    return index;
  } catch {
    lessonStore.setState({ index: [] });
    return [];
  }
}

async function fetchLesson(id: string): Promise<Lesson | string> {
  const cached = lessonCache.get(id);
  if (cached) return cached;
  if (!LESSON_ID.test(id)) return `There is no lesson called “${id}”.`;
  let text: string;
  try {
    const res = await fetch(`lessons/${id}.json`);
    if (!res.ok) return `There is no lesson called “${id}”.`;
    text = await res.text();
  } catch { return `The lesson “${id}” could not be loaded.`; }
  // A server that answers every path with the app's index.html (an SPA fallback) has no such lesson either.
  if (!text.trimStart().startsWith('{')) return `There is no lesson called “${id}”.`;
  const parsed = parseLessonText(text);
  if (!parsed.ok) return `The lesson “${id}” is invalid: ${parsed.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`;
  lessonCache.set(id, parsed.lesson);
  return parsed.lesson;
}

function scenarioKey(lesson: Lesson, step: LessonStep): string {
  const file = step.scenario ?? lesson.scenario;
  return file ? `scenarios/${file}` : `lesson:${lesson.id}`;
}

async function scenarioFor(lesson: Lesson, step: LessonStep): Promise<Scenario | string> {
  const file = step.scenario ?? lesson.scenario;
  if (!file) return lesson.scenarioInline!;
  try {
    const res = await fetch(`scenarios/${file}`);
    if (!res.ok) return `The lesson's scenario ${file} is missing.`;
    const parsed = parseScenarioText(await res.text());
    return parsed.ok ? parsed.scenario : `The lesson's scenario ${file} is invalid.`;
  } catch { return `The lesson's scenario ${file} could not be loaded.`; }
}

/** Resolves when the app shows a finished run of exactly `scenario`. */
function whenRunReady(scenario: Scenario): Promise<boolean> {
  const app = getAppStore();
  const done = (): boolean | null => {
    const s = app.getState();
    if (s.scenario !== scenario) return false;
    if (s.runStatus === 'ready' && s.trace.length > 0) return true;
    if (s.runStatus === 'error') return false;
    return null;
  };
  const now = done();
  if (now !== null) return Promise.resolve(now);
  return new Promise((resolve) => {
    const unsubscribe = app.subscribe(() => {
      const d = done();
      if (d !== null) { unsubscribe(); resolve(d); }
    });
  });
}

let token = 0;

function saveProgress(): void {
  const { lesson, step, answers } = lessonStore.getState();
  if (!lesson) return;
  const progress = { id: lesson.id, title: lesson.title, step, answers };
  lessonStore.setState({ progress });
  writeProgress(progress);
}

function setAddress(hash: string): void {
  try {
    const url = `${window.location.pathname}${window.location.search}${hash}`;
    window.history.replaceState(window.history.state, '', url);
  } catch { /* not in a browser */ }
}

/** Puts the app where step `index` of the open lesson looks. */
async function showStep(index: number, reload: boolean): Promise<void> {
  const { lesson } = lessonStore.getState();
  if (!lesson) return;
  const my = ++token;
  const step = lesson.steps[index]!;
  lessonStore.setState({ step: index, active: true, status: 'loading', error: null, listOpen: false });
  setAddress(lessonHash(lesson.id, index + 1));
  saveProgress();
  const app = getAppStore();
  const key = scenarioKey(lesson, step);
  const { loaded } = lessonStore.getState();
  let scenario: Scenario;
  if (!reload && loaded && loaded.key === key && app.getState().scenario === loaded.scenario) {
    scenario = loaded.scenario;
  } else {
    const got = await scenarioFor(lesson, step);
    if (my !== token) return;
    if (typeof got === 'string') { lessonStore.setState({ status: 'error', error: got }); return; }
    app.getState().loadScenario(got, `lesson “${lesson.title}”`);
    scenario = app.getState().scenario;
    lessonStore.setState({ loaded: { key, scenario } });
  }
  const ok = await whenRunReady(scenario);
  if (my !== token) return;
  if (!ok) {
    lessonStore.setState({ status: 'ready' }); // the learner replaced the scenario meanwhile: leave the app alone
    return;
  }
  const s = app.getState();
  s.pause();
  if (step.cursor && 'atMs' in step.cursor) {
    s.seek(step.cursor.atMs);
    s.selectEvent(null);
  } else if (step.cursor) {
    const e = findEvent(s.trace, step.cursor.event);
    if (e) s.seekToEvent(e.seq);
  }
  if (step.select) s.selectNode(step.select);
  lessonStore.setState({ status: 'ready' });
}

/**
 * Opens a lesson at step `stepNumber` (from 1). A step the lesson does not have opens its
 * first step and says which step was asked for. Resolves false when there is no such lesson
 * (the panel says so; the caller decides what the app shows instead).
 */
export async function openLesson(id: string, stepNumber = 1, stepText = String(stepNumber)): Promise<boolean> {
  const my = ++token;
  lessonStore.setState({ status: 'loading', error: null, active: true, listOpen: false });
  const got = await fetchLesson(id);
  if (my !== token) return true;
  if (typeof got === 'string') {
    lessonStore.setState({ status: 'error', error: got, lesson: null, active: true });
    return false;
  }
  const inRange = Number.isInteger(stepNumber) && stepNumber >= 1 && stepNumber <= got.steps.length;
  const index = inRange ? stepNumber - 1 : 0;
  if (!inRange) {
    getAppStore().getState().showMessage({
      tone: 'error',
      text: `The lesson “${got.title}” has no step “${stepText.slice(0, 40)}” (its steps are 1 to ${got.steps.length}): showing step 1.`,
    });
  }
  const progress = lessonStore.getState().progress;
  const answers = progress?.id === id ? progress.answers : lessonStore.getState().answers;
  const sameLesson = lessonStore.getState().lesson?.id === id;
  lessonStore.setState({ lesson: got, answers, ...(sameLesson ? {} : { loaded: null }) });
  await showStep(index, false);
  return true;
}

export function goToStep(index: number): void {
  const { lesson } = lessonStore.getState();
  if (!lesson || index < 0 || index >= lesson.steps.length) return;
  void showStep(index, false);
}

/** Reloads the lesson's own scenario for this step (after the learner changed it). */
export function restoreStepScenario(): void {
  void showStep(lessonStore.getState().step, true);
}

export function answer(choice: number): void {
  const { lesson, step, answers } = lessonStore.getState();
  if (!lesson) return;
  lessonStore.setState({ answers: { ...answers, [`${lesson.id}/${step}`]: choice } });
  saveProgress();
}

export function clearAnswer(): void {
  const { lesson, step, answers } = lessonStore.getState();
  if (!lesson) return;
  const next = { ...answers };
  delete next[`${lesson.id}/${step}`];
  lessonStore.setState({ answers: next });
  saveProgress();
}

/** Hides the panel; the place is kept for Resume. */
export function leaveLesson(): void {
  token++;
  saveProgress();
  lessonStore.setState({ active: false, status: 'idle' });
  setAddress('');
}

export function resumeLesson(): void {
  const p = lessonStore.getState().progress;
  if (p) void openLesson(p.id, p.step + 1);
}

/**
 * What the app shows when a `#lesson=` link names no lesson: boot passes its default
 * scenario loader here, so the app is never left without a run.
 */
let fallback: (() => Promise<void>) | null = null;
export function setLessonFallback(load: () => Promise<void>): void { fallback = load; }

export function setLessonListOpen(open: boolean): void {
  lessonStore.setState({ listOpen: open });
  if (open) void loadLessonIndex();
}

/** For the hash: opens the lesson a `#lesson=` address names; false when it names none. */
export function openLessonFromHash(hash: string): boolean {
  const link = lessonFromHash(hash);
  if (!link) return false;
  void openLesson(link.id, link.step, link.stepText).then(async (found) => {
    if (found) return;
    const app = getAppStore().getState();
    // Nothing on screen yet (the lesson link opened the app): the default scenario instead.
    if (app.trace.length === 0 && app.runStatus !== 'running' && fallback) await fallback();
    const name = link.id.slice(0, 60);
    getAppStore().getState().showMessage({
      tone: 'error',
      text: `There is no lesson called “${name}”: showing the scenario “${getAppStore().getState().scenario.name}” instead. Open Lessons for the list.`,
    });
  });
  return true;
}
