/**
 * Responsiveness: a run of at least 10,000 trace events is computed in the worker, then the
 * timeline is zoomed and panned and the event log scrolled while a PerformanceObserver
 * records long tasks (> 50 ms) on the UI thread. The figures are printed for the README.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { hasChromium, launch, openApp, RESULTS, waitForRun } from './browser.ts';

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

describe.skipIf(!hasChromium)('responsiveness', () => {
  it('pans and zooms a 10,000-event run without long tasks over 50 ms', async () => {
    const { page, errors } = await openApp(browser);
    writeFileSync(`${RESULTS}/busy.json`, JSON.stringify(busyScenario()));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
    await chooser.setFiles(`${RESULTS}/busy.json`);
    await page.getByRole('status').filter({ hasText: 'busy.json' }).waitFor();
    await waitForRun(page);
    const events = await page.evaluate(() => Number(/of ([\d,]+) events/.exec(document.querySelector('.count')?.textContent ?? '')?.[1]?.replace(/,/g, '')));
    expect(events).toBeGreaterThanOrEqual(10_000);
    await page.waitForTimeout(500); // let the first render settle before measuring

    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__long.push(e.duration); })
        .observe({ type: 'longtask' });
    });
    const takeLong = () => page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      const out = w.__long; w.__long = []; return out;
    });
    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
    const box = (await timeline.boundingBox())!;
    const cx = box.x + box.width / 2; const cy = box.y + box.height * 0.65;
    const phases: Record<string, { ms: number; long: number[] }> = {};
    const phase = async (name: string, run: () => Promise<void>) => {
      await takeLong();
      const t0 = Date.now();
      await run();
      await page.waitForTimeout(200); // let the last frame land inside the phase
      phases[name] = { ms: Date.now() - t0, long: await takeLong() };
    };
    await page.mouse.move(cx, cy);
    await phase('zoom (wheel ×20)', async () => {
      for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -240);
      for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 240);
    });
    await phase('pan (drag ×4)', async () => {
      for (let i = 0; i < 4; i++) {
        await page.mouse.move(cx + 150, cy); await page.mouse.down();
        await page.mouse.move(cx - 150, cy, { steps: 8 }); await page.mouse.up();
      }
    });
    const log = page.locator('.log-scroll');
    await phase('event log scroll ×20', async () => {
      for (let i = 0; i < 20; i++) await log.evaluate((el, k) => { el.scrollTop = k * 20_000; }, i);
    });
    await page.getByLabel('Speed').selectOption('20');
    await phase('playback 1.5 s at 20×', async () => {
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await page.waitForTimeout(1500);
      const pause = page.getByRole('button', { name: 'Pause', exact: true });
      if (await pause.count()) await pause.click();
    });
    const lines = Object.entries(phases).map(([name, p]) =>
      `  ${name.padEnd(26)} ${String(p.ms).padStart(5)} ms, long tasks: ${p.long.length}` +
      `${p.long.length ? ` (longest ${Math.max(...p.long).toFixed(0)} ms)` : ''}`);
    console.log(`\n[perf] ${events} trace events, 1280×800, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs\n${lines.join('\n')}\n`);
    await page.screenshot({ path: `${RESULTS}/perf-busy.png` });
    expect(errors).toEqual([]);
    // Pan, zoom and log scrolling must stay responsive; playback figures are informative.
    for (const name of ['zoom (wheel ×20)', 'pan (drag ×4)', 'event log scroll ×20']) {
      expect(phases[name]!.long.filter((d) => d > 50), name).toEqual([]);
    }
    await page.context().close();
  });
});
