/**
 * Guided lessons in Chromium: every shipped lesson opens from its deep link at step 1 and at
 * a later step; a prediction is answered (by keyboard too) and the reveal shows the time the
 * simulator computes for that scenario (checked against a run in Node); a learner leaves,
 * injects a fault, and resumes at the same step with the lesson's scenario back; the list is
 * reachable from the first screen; axe-core finds no critical or serious violation in the
 * lesson panel or the list. Screenshots at 1280×800 and 1920×1080 go to test-results/.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { parseScenarioText, resolveScenario, runScenario } from '../../sim/index.ts';
import { parseLessonIndex, parseLessonText } from '../../app/lessons/validate.ts';
import { evaluatePrediction, lessonTime } from '../../app/lessons/evaluate.ts';
import type { Lesson } from '../../app/lessons/types.ts';
import { BASE_URL, hasChromium, launch, openApp, RESULTS, waitForRun, axeSerious } from './browser.ts';
import type { OpenPage } from './browser.ts';

const index = parseLessonIndex(JSON.parse(readFileSync('public/lessons/index.json', 'utf8')));
const lessons: Lesson[] = index.map((e) => {
  const r = parseLessonText(readFileSync(`public/lessons/${e.id}.json`, 'utf8'));
  if (!r.ok) throw new Error(`${e.id} invalid`);
  return r.lesson;
});
const scenarioName = (file: string): string => JSON.parse(readFileSync(`public/scenarios/${file}`, 'utf8')).name;

/** The simulator's answer for step `i` of a lesson, computed here in Node. */
function expectedAnswer(lesson: Lesson, i: number): { tMs: number; seq: number; correct: number } {
  const step = lesson.steps[i]!;
  const parsed = parseScenarioText(readFileSync(`public/scenarios/${step.scenario ?? lesson.scenario}`, 'utf8'));
  if (!parsed.ok) throw new Error('bad scenario');
  const ev = evaluatePrediction(step.predict!, runScenario(resolveScenario(parsed.scenario)).trace, step.facts);
  if (!ev.ok) throw new Error(ev.message);
  return { tMs: ev.answer.tMs, seq: ev.answer.seq, correct: ev.correct[0]! };
}

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const open = (hash: string, viewport = { width: 1280, height: 800 }, waitRun = true): Promise<OpenPage> =>
  openApp(browser, hash, { viewport, waitRun, bypassCSP: true });

const panel = (page: Page) => page.getByRole('complementary', { name: 'Lesson' });

/** Waits until the step is shown and its scenario's run is in place. */
async function stepReady(page: Page, title: string): Promise<void> {
  await panel(page).getByRole('heading', { name: title, exact: true }).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.lesson-status'), undefined, { timeout: 60_000 });
  await waitForRun(page);
}

/** The cursor's event seq: the clock counts events from 1 ("event N of"), seqs count from 0. */
const clockSeq = async (page: Page): Promise<number> =>
  Number(/event (\d+) of/.exec((await page.getByLabel('Virtual time').textContent()) ?? '')?.[1] ?? 0) - 1;

describe.skipIf(!hasChromium)('guided lessons in Chromium', () => {
  it('the first screen has a Lessons button; the list names every lesson and opens one', async () => {
    const { page, errors } = await open('');
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Guided lessons' });
    await dialog.waitFor();
    for (const l of lessons) await expect(dialog.getByRole('link', { name: l.title }).count()).resolves.toBe(1);
    expect(await axeSerious(page, 'dialog.lesson-list')).toEqual([]);
    await page.screenshot({ path: `${RESULTS}/lesson-list-1280.png` });
    await dialog.getByRole('link', { name: lessons[0]!.title }).click();
    await stepReady(page, lessons[0]!.steps[0]!.title);
    expect(page.url()).toContain(`#lesson=${lessons[0]!.id}&step=1`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const lesson of lessons) {
    it(`${lesson.id}: opens at step 1 and at a later step from its deep link, and answers a prediction from the trace`, async () => {
      const { page, errors } = await open(`#lesson=${lesson.id}&step=1`);
      await stepReady(page, lesson.steps[0]!.title);
      await expect(panel(page).getByText(`Step 1 of ${lesson.steps.length}`).count()).resolves.toBe(1);
      await expect(page.locator('.scenario-name strong').textContent())
        .resolves.toBe(scenarioName(lesson.steps[0]!.scenario ?? lesson.scenario!));

      // A later step, straight from its link: the last step with a prediction after step 1, else the last step.
      const later = Math.max(...lesson.steps.map((s, i) => (s.predict && i > 0 ? i : -1)), lesson.steps.length - 1 > 0 ? 1 : 0);
      const target = lesson.steps.findIndex((s, i) => i > 0 && s.predict) >= 0 ? lesson.steps.findIndex((s, i) => i > 0 && s.predict) : later;
      await page.goto(`${BASE_URL}#lesson=${lesson.id}&step=${target + 1}`);
      await page.reload();
      await stepReady(page, lesson.steps[target]!.title);
      await expect(panel(page).getByText(`Step ${target + 1} of ${lesson.steps.length}`).count()).resolves.toBe(1);
      await expect(page.locator('.scenario-name strong').textContent())
        .resolves.toBe(scenarioName(lesson.steps[target]!.scenario ?? lesson.scenario!));

      // Answer the first prediction of the lesson (wrong on purpose where possible) and check the reveal.
      const q = lesson.steps.findIndex((s) => s.predict);
      if (q !== target) {
        await page.goto(`${BASE_URL}#lesson=${lesson.id}&step=${q + 1}`);
        await stepReady(page, lesson.steps[q]!.title);
      }
      const want = expectedAnswer(lesson, q);
      const wrong = want.correct === 0 ? 1 : 0;
      expect(await page.locator('.lesson-reveal').count()).toBe(0); // nothing revealed before the prediction
      await panel(page).getByRole('radio', { name: lesson.steps[q]!.predict!.choices[wrong]!.text }).check();
      await panel(page).getByRole('button', { name: 'Check my prediction' }).click();
      const reveal = panel(page).locator('.lesson-reveal');
      await reveal.getByText('The simulator:').waitFor();
      expect(await reveal.textContent()).toContain(lessonTime(want.tMs));
      expect(await reveal.textContent()).toContain('Not quite.');
      expect(await reveal.locator('figcaption').textContent()).toBe(lesson.steps[q]!.predict!.standard.source);
      // The event that answers the question is selected, and the cursor shows it with its
      // effects applied (the last event of the same engine event, sim/world effectsEnd).
      expect(await page.getByRole('region', { name: 'Selected event', exact: true }).locator('h3').textContent())
        .toMatch(new RegExp(`^Event #${want.seq} at`));
      expect(await clockSeq(page)).toBeGreaterThanOrEqual(want.seq);
      await expect(panel(page).locator('.lesson-choice.right').textContent())
        .resolves.toContain(lesson.steps[q]!.predict!.choices[want.correct]!.text);
      expect(await axeSerious(page, 'aside[aria-label="Lesson"]')).toEqual([]);
      await page.screenshot({ path: `${RESULTS}/lesson-${lesson.id}-1280.png` });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('keyboard: the step title takes focus, a prediction is chosen with arrows and checked with Enter', async () => {
    const lesson = lessons[0]!;
    const q = lesson.steps.findIndex((s) => s.predict);
    const { page, errors } = await open(`#lesson=${lesson.id}&step=${q + 1}`);
    await stepReady(page, lesson.steps[q]!.title);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(lesson.steps[q]!.title);
    const want = expectedAnswer(lesson, q);
    await panel(page).getByRole('radio').first().focus();
    for (let i = 0; i < want.correct; i++) await page.keyboard.press('ArrowDown');
    if (want.correct === 0) await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check my prediction');
    await page.keyboard.press('Enter');
    const reveal = panel(page).locator('.lesson-reveal');
    await reveal.getByText('The simulator:').waitFor();
    expect(await reveal.textContent()).toContain('Right.');
    // Next step by keyboard.
    await panel(page).getByRole('button', { name: 'Next step' }).focus();
    await page.keyboard.press('Enter');
    await stepReady(page, lesson.steps[q + 1]!.title);
    expect(page.url()).toContain(`step=${q + 2}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('leave at a step, inject a fault in the app, come back at the same step with the lesson\'s scenario', async () => {
    const lesson = lessons.find((l) => l.id === 'keep-alive')!;
    const { page, errors } = await open(`#lesson=${lesson.id}&step=3`);
    await stepReady(page, lesson.steps[2]!.title);
    await panel(page).getByRole('button', { name: 'Leave lesson' }).click();
    await expect(panel(page).count()).resolves.toBe(0);
    expect(page.url()).not.toContain('#lesson=');
    // The ordinary app: crash the dashboard at the cursor.
    await page.getByRole('button', { name: /^client dashboard/ }).click();
    await page.getByRole('dialog', { name: /^Faults for/ }).getByRole('button', { name: 'Crash' }).click();
    await waitForRun(page);
    await page.getByText('Timed actions in this scenario').click();
    await expect(page.locator('.action-list li').filter({ hasText: 'crash dashboard' }).count()).resolves.toBe(1);
    // A reload keeps the place.
    await page.reload();
    await waitForRun(page);
    const resume = page.getByRole('button', { name: new RegExp(`^Resume lesson: ${lesson.title}, step 3`) });
    await resume.click();
    await stepReady(page, lesson.steps[2]!.title);
    expect(page.url()).toContain(`#lesson=${lesson.id}&step=3`);
    await page.getByText('Timed actions in this scenario').click();
    await expect(page.locator('.action-list li').filter({ hasText: 'crash dashboard' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('screenshots at 1280×800 and 1920×1080 of a revealed prediction', async () => {
    const lesson = lessons[0]!;
    const q = lesson.steps.findIndex((s, i) => s.predict && i > 0);
    for (const [w, h] of [[1280, 800], [1920, 1080]] as const) {
      const { page, errors } = await open(`#lesson=${lesson.id}&step=${q + 1}`, { width: w, height: h });
      await stepReady(page, lesson.steps[q]!.title);
      await page.screenshot({ path: `${RESULTS}/lesson-predict-${w}.png` });
      const want = expectedAnswer(lesson, q);
      await panel(page).getByRole('radio', { name: lesson.steps[q]!.predict!.choices[want.correct]!.text }).check();
      await panel(page).getByRole('button', { name: 'Check my prediction' }).click();
      await panel(page).locator('.lesson-reveal').getByText('The simulator:').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${RESULTS}/lesson-reveal-${w}.png` });
      expect(await axeSerious(page, 'aside[aria-label="Lesson"]')).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('an unknown lesson says so, and the app still works', async () => {
    const { page, errors } = await open('#lesson=no-such-lesson&step=2', undefined, false);
    await panel(page).getByText('There is no lesson called “no-such-lesson”.').waitFor();
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
    await page.context().close();
  });
});
