/**
 * Responsiveness measurement (issue 3 item 10), in real Chromium on the built app: a run of
 * well over 10,000 trace events is computed in the worker, then the timeline is zoomed with
 * the wheel and panned by dragging, a few rounds each, while the page records
 *   - the canvas paint time of every frame and the whole frame time (from the animation
 *     frame's start, React render included, to the end of the paint), through the timeline's
 *     debug hook `window.__halfopenTimelinePerf` (app/timeline/SequenceDiagram.tsx);
 *   - the intervals between animation frames;
 *   - long tasks (> 50 ms) on the UI thread (PerformanceObserver 'longtask').
 * Then a fault is injected, which re-runs the simulation: the test checks that the run went
 * to the Web Worker and that no task over SIMULATING_LIMIT_MS happened on the UI thread while the
 * worker was computing; the long tasks of receiving and installing the new trace (from the first
 * message of the reply on) are reported apart. The worker also builds the timeline layout
 * and sends the reply in slices (app/worker/derived.ts, replyParts.ts), so applying a run
 * must not block the UI thread for long either: no task over APPLY_LIMIT_MS, and no layout
 * built on the UI thread (counted through the same debug hook, `layoutBuilds`).
 *
 * This is a measurement, not a timing test: the machines are small and shared, so the
 * figures (medians and p95) are printed and written to test-results/app-perf.json for the
 * README, and the assertions are deliberately generous (median frame < 50 ms, applying a run
 * < APPLY_LIMIT_MS per task, where ~30–70 ms is typical on a busy 2-core machine) or about
 * structure (the simulation does not run on the UI thread).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, hasChromium, launch, RESULTS, waitForRun } from './browser.ts';

/**
 * Longest UI-thread task allowed while the worker simulates: a run of this size on the UI
 * thread would block it for the whole run (150-550 ms here), so 120 ms tells the two apart.
 */
const SIMULATING_LIMIT_MS = 120;
/**
 * Longest UI-thread task allowed while a 17,000-event run is received and installed: the
 * app's own bound for installing a run (issue 10's 200 ms; issue 13 holds the Fleet view to
 * the same). It was 120 ms, stricter than the product's bound; the same build measured 61, 88
 * and 121 ms in three CI runs at load ~2 (2026-12-06), so 120 ms failed on noise. Loosened on
 * purpose: a regression of the install from its ~30-70 ms shows only in the printed figure.
 */
const APPLY_LIMIT_MS = 200;

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** Ten clients publishing every 500 ms for 60 s, one losing power: well over 10,000 events. */
function busyScenario() {
  const clients = Array.from({ length: 10 }, (_, i) => ({
    id: `c${i}`, keepAliveSeconds: 5, will: { topic: `status/c${i}`, payload: 'offline', qos: 1 as const },
    publish: [{ topic: `t/c${i}`, payload: '21.5', qos: 1 as const, everyMs: 500 }],
  }));
  return {
    format: 'halfopen/scenario', version: 1, name: 'Busy: 10 clients', durationMs: 60_000, seed: 3,
    broker: { id: 'broker' }, clients, actions: [{ atMs: 20_000, do: 'power-off', node: 'c3' }],
  };
}

/**
 * Runs in the page before the app: records long tasks, and wraps Worker so the test can see
 * when a run request is posted, when its reply starts arriving (the first of its messages),
 * and the worker's own run time (on the last message, which completes it).
 */
function instrument(): void {
  const w = window as unknown as Record<string, unknown>;
  const long: Array<{ start: number; duration: number }> = [];
  const runs: Array<{ postedAt: number; repliedAt: number | null; workerMs: number | null }> = [];
  w.__long = long;
  w.__runs = runs;
  w.__workers = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const Base = window.Worker;
  class CountingWorker extends Base {
    constructor(url: string | URL, opts?: WorkerOptions) {
      super(url, opts);
      w.__workers = (w.__workers as number) + 1;
      const byId = new Map<number, (typeof runs)[number]>();
      const post = this.postMessage.bind(this) as (m: unknown, t?: Transferable[]) => void;
      this.postMessage = ((m: { id?: number; type?: string }, t?: Transferable[]) => {
        if (m && m.type === 'run' && typeof m.id === 'number') {
          const r = { postedAt: performance.now(), repliedAt: null, workerMs: null };
          runs.push(r);
          byId.set(m.id, r);
        }
        post(m, t);
      }) as Worker['postMessage'];
      this.addEventListener('message', (ev: MessageEvent<{ id?: number; elapsedMs?: number }>) => {
        const r = byId.get(ev.data?.id ?? -1);
        if (!r) return;
        if (r.repliedAt === null) r.repliedAt = performance.now();
        if (typeof ev.data.elapsedMs === 'number') r.workerMs = ev.data.elapsedMs;
      });
    }
  }
  window.Worker = CountingWorker;
}

interface Stats { n: number; median: number; p95: number; max: number }
function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const r = (v: number): number => Math.round(v * 10) / 10;
  return { n: s.length, median: r(at(0.5)), p95: r(at(0.95)), max: r(s[s.length - 1] ?? NaN) };
}

interface Phase { draw: Stats; frame: Stats; rafInterval: Stats; longTasks: number; longestTaskMs: number }

/** Runs `act` while recording paint/frame times, animation-frame intervals and long tasks. */
async function measure(page: Page, act: () => Promise<void>): Promise<Phase> {
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__halfopenTimelinePerf = { draws: [], frames: [] };
    (w.__long as unknown[]).length = 0;
    const intervals: number[] = [];
    w.__raf = intervals;
    w.__rafOn = true;
    let last = performance.now();
    const tick = (t: number): void => {
      intervals.push(t - last);
      last = t;
      if (w.__rafOn) requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  });
  await act();
  await page.waitForTimeout(300); // let the last frame land inside the phase
  const got = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__rafOn = false;
    const perf = w.__halfopenTimelinePerf as { draws: number[]; frames: number[] };
    return { ...perf, raf: w.__raf as number[], long: (w.__long as Array<{ duration: number }>).map((l) => l.duration) };
  });
  return {
    draw: stats(got.draws), frame: stats(got.frames), rafInterval: stats(got.raf),
    longTasks: got.long.length, longestTaskMs: Math.round(Math.max(0, ...got.long)),
  };
}

describe.skipIf(!hasChromium)('responsiveness (measurement)', () => {
  it('zooms and pans a >10,000-event run, and re-runs the simulation off the UI thread', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(BASE_URL);
    await waitForRun(page);

    writeFileSync(`${RESULTS}/busy.json`, JSON.stringify(busyScenario()));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
    await chooser.setFiles(`${RESULTS}/busy.json`);
    await page.getByRole('status').filter({ hasText: 'busy.json' }).waitFor();
    await waitForRun(page);
    const eventCount = (): Promise<number> => page.evaluate(() => Number(
      /of ([\d,]+) events/.exec(document.querySelector('.count')?.textContent ?? '')?.[1]?.replace(/,/g, '')));
    const events = await eventCount();
    expect(events).toBeGreaterThanOrEqual(10_000);
    await page.waitForTimeout(500); // let the first render settle

    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
    const plot = page.locator('.tl-plot');
    const box = (await plot.boundingBox())!;
    const cx = box.x + box.width * 0.55; const cy = box.y + Math.min(box.height * 0.5, 200);
    await page.mouse.move(cx, cy);
    await timeline.screenshot({ path: `${RESULTS}/perf-timeline-fit.png` });
    // The lanes scroll: show c2–c4 (c3 loses power at 20 s) for the overview pictures.
    const scrollToLane = (name: string) => page.evaluate((n) => {
      const label = [...document.querySelectorAll('.tl-lane-name')].find((t) => t.textContent === n) as SVGTextElement | undefined;
      const scroller = document.querySelector('.tl-scroll');
      if (label && scroller) scroller.scrollTop = Number(label.getAttribute('y')) - 40;
    }, name);
    await scrollToLane('c2');
    await page.waitForTimeout(200);
    await timeline.screenshot({ path: `${RESULTS}/perf-timeline-fit-c3.png` });
    await scrollToLane('c0');

    // Zoom: from Fit (the whole run, every arrow in view) in by ~2^7 and back out, 3 rounds.
    const zoom = await measure(page, async () => {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 15; i++) await page.mouse.wheel(0, -240);
        for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 240);
      }
    });
    // Pan: at ~4× (a quarter of the run, ~4,000 events in view), drag left and right, 3 rounds.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.mouse.move(cx, cy); // back over the plot: the wheel zooms where the pointer is
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -240);
    await page.waitForTimeout(200);
    const pan = await measure(page, async () => {
      for (let round = 0; round < 3; round++) {
        for (const [from, to] of [[cx + 250, cx - 250], [cx - 250, cx + 250]] as const) {
          await page.mouse.move(from, cy); await page.mouse.down();
          await page.mouse.move(to, cy, { steps: 20 }); await page.mouse.up();
        }
      }
    });
    const panRange = await page.locator('.tl-range').textContent();
    expect(panRange).not.toContain('0.000 s – 60.000 s'); // the pan really ran zoomed in
    await timeline.screenshot({ path: `${RESULTS}/perf-timeline-4x.png` });
    // Zoomed in around the power-off of c3 at 20 s (keyboard zoom is anchored at the cursor).
    await page.getByRole('slider', { name: 'Seek' }).fill('20000');
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
    await page.waitForTimeout(200);
    await timeline.screenshot({ path: `${RESULTS}/perf-timeline-zoomed.png` });
    await scrollToLane('c2');
    await page.waitForTimeout(200);
    await timeline.screenshot({ path: `${RESULTS}/perf-timeline-zoomed-c3.png` });
    await scrollToLane('c0');
    await page.getByRole('button', { name: 'Fit', exact: true }).click();

    // Re-run: crash c5 at 30 s; the worker re-runs the whole scenario.
    await page.getByRole('slider', { name: 'Seek' }).fill('30000');
    await page.waitForTimeout(300);
    const runsBefore = await page.evaluate(() => ((window as unknown as { __runs: unknown[] }).__runs).length);
    await page.evaluate(() => {
      const w = window as unknown as { __long: unknown[]; __halfopenTimelinePerf: { layoutBuilds?: number[] } };
      w.__long.length = 0;
      w.__halfopenTimelinePerf.layoutBuilds = [];
    });
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: /^client c5/ }).click();
    await page.getByRole('dialog', { name: /^Faults for/ }).getByRole('button', { name: 'Crash' }).click();
    // Not waitForRun: its role queries are UI-thread work of the test (tens of ms on a busy
    // machine) that would land among the tasks measured here. This polls a cheap condition.
    await page.waitForFunction((n) => {
      const runs = (window as unknown as { __runs: Array<{ workerMs: number | null }> }).__runs;
      return runs.length > n && runs[runs.length - 1]!.workerMs !== null && !document.querySelector('.run-status.running');
    }, runsBefore, { polling: 100, timeout: 60_000 });
    await page.waitForTimeout(500);
    const rerun = await page.evaluate((since) => {
      const w = window as unknown as {
        __runs: Array<{ postedAt: number; repliedAt: number | null; workerMs: number | null }>;
        __long: Array<{ start: number; duration: number }>; __workers: number;
        __halfopenTimelinePerf: { layoutBuilds?: number[] };
      };
      return {
        runs: w.__runs, long: w.__long.filter((l) => l.start + l.duration >= since), workers: w.__workers,
        layoutBuilds: w.__halfopenTimelinePerf.layoutBuilds ?? [],
      };
    }, clickedAt);
    const run = rerun.runs[rerun.runs.length - 1]!;
    expect(rerun.runs.length).toBeGreaterThan(runsBefore); // the fault was sent to the worker
    expect(rerun.workers).toBeGreaterThanOrEqual(1);
    expect(run.repliedAt).not.toBeNull();
    const whileSimulating = rerun.long.filter((l) => l.start + l.duration <= run.repliedAt!);
    const afterReply = rerun.long.filter((l) => l.start + l.duration > run.repliedAt!);
    const longest = (xs: Array<{ duration: number }>): number => Math.round(Math.max(0, ...xs.map((l) => l.duration)));
    const eventsAfter = await eventCount();
    await timeline.screenshot({ path: `${RESULTS}/perf-timeline-rerun.png` });

    const report = {
      date: new Date().toISOString(), browser: `Chromium ${browser.version()}`, viewport: '1280×800',
      cpus: cpus().length, loadAverage: Number(loadavg()[0]!.toFixed(2)), traceEvents: events,
      zoom, pan,
      rerun: {
        traceEvents: eventsAfter, workerRunMs: run.workerMs === null ? null : Math.round(run.workerMs),
        postToReplyMs: Math.round(run.repliedAt! - run.postedAt),
        longTasksWhileSimulating: whileSimulating.length, longestWhileSimulatingMs: longest(whileSimulating),
        longTasksApplyingResult: afterReply.length, longestApplyingResultMs: longest(afterReply),
        simulatingLimitMs: SIMULATING_LIMIT_MS, applyLimitMs: APPLY_LIMIT_MS,
        layoutsBuiltOnUiThread: rerun.layoutBuilds.length,
      },
    };
    writeFileSync(`${RESULTS}/app-perf.json`, `${JSON.stringify(report, null, 2)}\n`);
    const row = (name: string, p: Phase): string =>
      `  ${name.padEnd(6)} ${String(p.frame.n).padStart(6)} ${String(p.frame.median).padStart(8)} ${String(p.frame.p95).padStart(8)}` +
      ` ${String(p.draw.median).padStart(9)} ${String(p.draw.p95).padStart(8)} ${String(p.rafInterval.median).padStart(9)}` +
      ` ${String(p.longTasks).padStart(6)} ${String(p.longestTaskMs).padStart(8)}`;
    console.log([
      '',
      `[perf] ${events} trace events, 1280×800, Chromium ${browser.version()}, load average ${report.loadAverage} on ${report.cpus} CPUs`,
      '  (ms)   frames frame p50 frame p95  paint p50 paint p95   rAF p50  long# longest',
      row('zoom', zoom),
      row('pan', pan),
      `  re-run (crash c5): worker ${report.rerun.workerRunMs} ms, post→reply ${report.rerun.postToReplyMs} ms; ` +
        `UI long tasks while simulating: ${whileSimulating.length} (longest ${report.rerun.longestWhileSimulatingMs} ms); ` +
        `applying the ${eventsAfter}-event result: ${afterReply.length} (longest ${report.rerun.longestApplyingResultMs} ms); ` +
        `layouts built on the UI thread: ${rerun.layoutBuilds.length}`,
      `  written to ${RESULTS}/app-perf.json`,
      '',
    ].join('\n'));

    expect(errors).toEqual([]);
    // Generous, robust bounds only (see the top comment); the figures above are the result.
    expect(zoom.frame.n).toBeGreaterThan(10);
    expect(pan.frame.n).toBeGreaterThan(10);
    expect(zoom.frame.median).toBeLessThan(50);
    expect(pan.frame.median).toBeLessThan(50);
    // The simulation runs in the worker: the UI thread never blocks for long while it computes.
    // A run of this size on the UI thread would block it for the whole run (workerRunMs above,
    // 150-550 ms here); the bound leaves room for a GC or paint on a loaded machine (85 ms seen
    // at load 7.5).
    expect(whileSimulating.filter((l) => l.duration > SIMULATING_LIMIT_MS)).toEqual([]);
    // The layout comes built from the worker, in slices: receiving it blocks for no long.
    expect(rerun.layoutBuilds).toEqual([]);
    expect(report.rerun.longestApplyingResultMs).toBeLessThan(APPLY_LIMIT_MS);
    await context.close();
  });
});
