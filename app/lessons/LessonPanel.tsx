/**
 * The lesson on screen: a landmark `Lesson` beside the app. The step's text, the regions it
 * points at (outlined in the app), a prediction to make before the answer is shown, the
 * answer as the simulator's trace has it, and the standard's words. Plus the entry in the
 * header (Lessons, Resume) and the list of lessons.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JSX, FormEvent } from 'react';
import { Markdown } from '../scenarios/Markdown.tsx';
import { useApp, getAppStore } from '../store/store.ts';
import {
  answer, clearAnswer, goToStep, leaveLesson, lessonHash, loadLessonIndex, openLesson, restoreStepScenario,
  resumeLesson, setLessonListOpen, useLesson,
} from './lessonStore.ts';
import { evaluatePrediction, fillTemplate, findFacts, lessonTime } from './evaluate.ts';
import type { StandardQuote } from './types.ts';
import './lessons.css';

function Standard({ q }: { q: StandardQuote }): JSX.Element {
  return (
    <figure className="lesson-standard">
      <blockquote>{q.quote}</blockquote>
      <figcaption>{q.source}</figcaption>
    </figure>
  );
}

/** The header's way in: Lessons (the list) and, after leaving one, Resume. */
export function LessonsEntry(): JSX.Element {
  const progress = useLesson((s) => s.progress);
  const active = useLesson((s) => s.active);
  const lessonTitle = useLesson((s) => s.lesson?.title ?? null);
  return (
    <div className="lesson-entry">
      <button type="button" className="lesson-entry-button" onClick={() => setLessonListOpen(true)}>
        Lessons
      </button>
      {!active && progress && (
        <button type="button" onClick={resumeLesson}>
          Resume lesson: {lessonTitle ?? progress.title}, step {progress.step + 1}
        </button>
      )}
      <LessonList />
    </div>
  );
}

function LessonList(): JSX.Element | null {
  const open = useLesson((s) => s.listOpen);
  const index = useLesson((s) => s.index);
  const progress = useLesson((s) => s.progress);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  useEffect(() => { if (open) void loadLessonIndex(); }, [open]);
  return (
    <dialog ref={ref} className="lesson-list" aria-labelledby="lesson-list-title" onClose={() => setLessonListOpen(false)}>
      <h2 id="lesson-list-title">Guided lessons</h2>
      <p className="lesson-list-intro">
        Each lesson walks through a scenario step by step. At the key moments you predict what happens, then the
        simulator shows what really happened and the rule that decides it. You can leave at any step, break
        things in the app, and come back.
      </p>
      {index === null ? <p>Loading…</p> : index.length === 0 ? <p>No lessons found.</p> : (
        <ol>
          {index.map((l) => (
            <li key={l.id}>
              <a href={lessonHash(l.id, 1)} onClick={(e) => { e.preventDefault(); void openLesson(l.id, 1); }}><strong>{l.title}</strong></a>
              <span className="lesson-list-summary">{l.summary}</span>
              {progress?.id === l.id && (
                <a className="lesson-list-resume" href={lessonHash(l.id, progress.step + 1)}
                  onClick={(e) => { e.preventDefault(); void openLesson(l.id, progress.step + 1); }}>
                  Resume at step {progress.step + 1}
                </a>
              )}
            </li>
          ))}
        </ol>
      )}
      <form method="dialog"><button type="submit">Close</button></form>
    </dialog>
  );
}

/** Outlines the regions a step points at (the app's own sections, found by their names). */
function useLookOutline(regions: readonly string[]): void {
  const key = regions.join('|');
  useEffect(() => {
    const els = regions.flatMap((r) => [...document.querySelectorAll<HTMLElement>(`section[aria-label="${r}"]`)]);
    for (const el of els) el.classList.add('lesson-look');
    return () => { for (const el of els) el.classList.remove('lesson-look'); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}

export function LessonPanel(): JSX.Element | null {
  const active = useLesson((s) => s.active);
  const lesson = useLesson((s) => s.lesson);
  const stepIndex = useLesson((s) => s.step);
  const status = useLesson((s) => s.status);
  const error = useLesson((s) => s.error);
  const answers = useLesson((s) => s.answers);
  const loaded = useLesson((s) => s.loaded);
  const index = useLesson((s) => s.index);
  const trace = useApp((s) => s.trace);
  const scenario = useApp((s) => s.scenario);
  const runReady = useApp((s) => s.runStatus === 'ready');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [picked, setPicked] = useState<number | null>(null);

  const step = lesson?.steps[stepIndex];
  useLookOutline(active && step?.look ? step.look : []);
  useEffect(() => { setPicked(null); }, [lesson?.id, stepIndex]);
  // A new step: the keyboard and screen-reader user lands on its title.
  useEffect(() => { if (active && lesson) headingRef.current?.focus({ preventScroll: false }); }, [active, lesson?.id, stepIndex]);
  useEffect(() => { void loadLessonIndex(); }, []);

  const ours = loaded !== null && scenario === loaded.scenario;
  const usable = ours && runReady && trace.length > 0;
  const factsResult = useMemo(() => (step && usable ? findFacts(trace, step.facts) : null), [step, usable, trace]);
  const chosen = lesson ? answers[`${lesson.id}/${stepIndex}`] : undefined;
  const evaluation = useMemo(
    () => (step?.predict && usable && chosen !== undefined ? evaluatePrediction(step.predict, trace, step.facts) : null),
    [step, usable, trace, chosen],
  );

  if (!active) return null;
  if (!lesson || !step) {
    return (
      <aside className="lesson-panel" aria-label="Lesson">
        <h2>Lesson</h2>
        {status === 'error' ? <p role="alert">{error}</p> : <p>Loading the lesson…</p>}
        <div className="lesson-nav">
          <button type="button" onClick={() => setLessonListOpen(true)}>All lessons</button>
          <button type="button" onClick={leaveLesson}>Close</button>
        </div>
      </aside>
    );
  }

  const n = lesson.steps.length;
  const number = (index?.findIndex((l) => l.id === lesson.id) ?? -1) + 1;
  const text = factsResult?.ok ? fillTemplate(step.text, factsResult.facts) : step.text;

  const showOnTimeline = (seq: number, node?: unknown): void => {
    const s = getAppStore().getState();
    s.seekToEvent(seq);
    if (typeof node === 'string' && [s.scenario.broker.id, ...s.scenario.clients.map((c) => c.id)].includes(node)) s.selectNode(node);
  };

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    if (picked === null || !step.predict) return;
    answer(picked);
    // Reveal: the cursor goes to the event that answers the question.
    const ev = usable ? evaluatePrediction(step.predict, trace, step.facts) : null;
    if (ev?.ok) showOnTimeline(ev.answer.seq, (ev.answer as unknown as Record<string, unknown>)['node']);
  };

  return (
    <aside className="lesson-panel" aria-label="Lesson">
      <p className="lesson-kicker">
        {number > 0 ? `Lesson ${number}${index ? ` of ${index.length}` : ''} · ` : ''}Step {stepIndex + 1} of {n}
      </p>
      <h2 className="lesson-title">{lesson.title}</h2>
      <nav aria-label="Lesson steps">
        <ol className="lesson-steps">
          {lesson.steps.map((s, i) => (
            <li key={i}>
              <a href={lessonHash(lesson.id, i + 1)} aria-current={i === stepIndex ? 'step' : undefined}
                title={s.title} aria-label={`Step ${i + 1}: ${s.title}${s.predict ? ' (prediction)' : ''}`}
                onClick={(e) => { e.preventDefault(); goToStep(i); }}>
                {i + 1}{s.predict ? '?' : ''}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <h3 className="lesson-step-title" tabIndex={-1} ref={headingRef}>{step.title}</h3>
      {status === 'loading' && <p className="lesson-status" role="status">Running the scenario…</p>}
      {status === 'error' && <p className="lesson-status error" role="alert">{error}</p>}
      {!ours && status === 'ready' && (
        <div className="lesson-changed" role="note">
          <p>The app now shows another scenario than this step&apos;s (you changed it or opened another one).
            The answers below are about the lesson&apos;s own scenario.</p>
          <button type="button" onClick={restoreStepScenario}>Back to the lesson&apos;s scenario</button>
        </div>
      )}
      <Markdown text={text} className="lesson-text" />
      {step.look && step.look.length > 0 && (
        <p className="lesson-look-hint">
          Look at: {step.look.join(', ')}
          {step.select ? ` (the Inspector shows ${step.select})` : ''}
        </p>
      )}
      {step.predict && (
        <section className="lesson-predict" aria-labelledby="lesson-predict-q">
          <form onSubmit={onSubmit}>
            <fieldset disabled={chosen !== undefined}>
              <legend id="lesson-predict-q"><span className="lesson-badge">Predict</span> {step.predict.question}</legend>
              {step.predict.choices.map((c, i) => {
                const right = evaluation?.ok && evaluation.correct.includes(i);
                const mine = chosen === i;
                return (
                  <label key={i} className={`lesson-choice${chosen !== undefined && right ? ' right' : ''}${mine ? ' mine' : ''}`}>
                    <input type="radio" name="lesson-choice" value={i}
                      checked={chosen !== undefined ? mine : picked === i} onChange={() => setPicked(i)} />
                    <span>{c.text}</span>
                    {chosen !== undefined && right && <span className="lesson-mark"> ✓ what happened</span>}
                    {chosen !== undefined && mine && !right && <span className="lesson-mark"> ✗ your answer</span>}
                  </label>
                );
              })}
            </fieldset>
            {chosen === undefined && (
              <button type="submit" className="primary" disabled={picked === null || !usable}>
                {usable ? 'Check my prediction' : 'Waiting for the run…'}
              </button>
            )}
          </form>
          {chosen !== undefined && (
            <div className="lesson-reveal" role="status" aria-live="polite">
              {evaluation === null ? <p>Running the scenario…</p> : !evaluation.ok ? (
                <p>In the scenario as it is now, {evaluation.message}.</p>
              ) : (
                <>
                  <p className="lesson-verdict">
                    {evaluation.correct.includes(chosen) ? 'Right. ' : evaluation.correct.length > 0 ? 'Not quite. ' : 'None of the choices happened in the scenario as it is now. '}
                    The simulator: <strong>{evaluation.answer.kind}</strong> at <strong>{lessonTime(evaluation.answer.tMs)}</strong> (event {evaluation.answer.seq + 1}, counted as the clock counts).
                  </p>
                  <Markdown text={fillTemplate(step.predict.reveal, { ...evaluation.facts, answer: evaluation.answer })} className="lesson-text" />
                  <Standard q={step.predict.standard} />
                  <div className="lesson-reveal-actions">
                    <button type="button" onClick={() => showOnTimeline(evaluation.answer.seq, (evaluation.answer as unknown as Record<string, unknown>)['node'])}>
                      Show it on the timeline
                    </button>
                    <button type="button" onClick={clearAnswer}>Try the question again</button>
                  </div>
                </>
              )}
            </div>
          )}
        </section>
      )}
      {step.standard && <Standard q={step.standard} />}
      <div className="lesson-nav">
        <button type="button" onClick={() => goToStep(stepIndex - 1)} disabled={stepIndex === 0}>Previous step</button>
        <button type="button" className="primary" onClick={() => goToStep(stepIndex + 1)} disabled={stepIndex === n - 1}>Next step</button>
        <button type="button" onClick={leaveLesson} title="Hide the lesson and use the app freely; Resume lesson brings you back here">Leave lesson</button>
      </div>
      <p className="lesson-link">
        Link to this step: <a href={lessonHash(lesson.id, stepIndex + 1)}>{lessonHash(lesson.id, stepIndex + 1)}</a>
      </p>
    </aside>
  );
}
