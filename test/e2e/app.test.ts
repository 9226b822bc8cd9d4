/**
 * The app in real Chromium: load, Play/Pause, Step forward/back, inject a fault, export then
 * import gives the same trace, a share link opens the same scenario, an invalid import is
 * refused with its problems, and no console errors along the way. Screenshots go to
 * test-results/ for a human to look at.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launch, openApp, RESULTS, waitForRun } from './browser.ts';

let browser: Browser;

beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const clock = (page: Page) => page.getByLabel('Virtual time').textContent();

async function downloadText(page: Page, name: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), button(page, name).click()]);
  return readFileSync((await dl.path())!, 'utf8');
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  const path = `${RESULTS}/${name}`;
  writeFileSync(path, text);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button(page, 'Import scenario').click()]);
  await chooser.setFiles(path);
}

describe.skipIf(!hasChromium)('the app in Chromium', () => {
  it('opens with a scenario ready to play, the four regions and the named controls', async () => {
    const { page, errors } = await openApp(browser);
    for (const region of ['Timeline', 'Topology', 'Event log', 'Inspector']) {
      await expect(page.getByRole('region', { name: region, exact: true }).isVisible()).resolves.toBe(true);
    }
    for (const name of ['Play', 'Step forward', 'Step back', 'Export scenario', 'Import scenario', 'Share link']) {
      expect(await button(page, name).count(), name).toBe(1);
    }
    await page.screenshot({ path: `${RESULTS}/app-start.png` });
    // Every event-log row's text fills its row: no style from elsewhere (the Inspector's timer
    // list once padded and underlined the log's timer rows) shifts or clips it.
    const misfit = await page.$$eval('.log-row', (rows) => rows.filter((li) => {
      const b = li.querySelector('button')!.getBoundingClientRect();
      const r = li.getBoundingClientRect();
      return Math.abs(b.top - r.top) > 0.5 || Math.abs(b.height - r.height) > 0.5;
    }).map((li) => li.className));
    expect(misfit).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Play advances virtual time, Pause stops it; Step forward/back move one event', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByLabel('Speed').selectOption('10');
    await button(page, 'Play').click();
    await button(page, 'Pause').waitFor();
    await page.waitForTimeout(600);
    await button(page, 'Pause').click();
    const paused = await clock(page);
    expect(paused).not.toMatch(/^0 ms/);
    await page.waitForTimeout(300);
    expect(await clock(page)).toBe(paused);

    await button(page, 'Step back').click(); // to a known place: back one event
    const seqText = async () => Number(/event (\d+) of/.exec((await clock(page)) ?? '')![1]);
    const before = await seqText();
    // Stepping moves to the next event the log shows (Notable only by default, issue 12),
    // so the step may skip hidden events: the cursor lands after `before`, and back returns.
    await button(page, 'Step forward').click();
    const next = await seqText();
    expect(next).toBeGreaterThan(before);
    await button(page, 'Step back').click();
    expect(await seqText()).toBe(before);
    // Keyboard: → steps, Space plays.
    await page.locator('body').press('ArrowRight');
    expect(await seqText()).toBe(next);
    await page.screenshot({ path: `${RESULTS}/app-stepped.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('injects a fault from the topology at the cursor time and re-runs with the same past', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('slider', { name: 'Seek' }).fill('8000');
    const pastBefore = await page.evaluate(() => document.querySelector('.count')?.textContent);
    await page.getByRole('button', { name: /^client dashboard/ }).click();
    await page.getByRole('dialog', { name: /^Faults for/ }).getByRole('button', { name: 'Crash' }).click();
    await waitForRun(page);
    await page.getByText('Timed actions in this scenario').click();
    await expect(page.locator('.action-list li').filter({ hasText: 'crash dashboard' }).count()).resolves.toBe(1);
    const pastAfter = await page.evaluate(() => document.querySelector('.count')?.textContent);
    expect(pastAfter).not.toBe(pastBefore); // the future changed
    expect(await page.locator('.log-row', { hasText: 'Fault/action: crash dashboard' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${RESULTS}/app-fault.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('export then import gives the same trace; a share link opens the same scenario', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('slider', { name: 'Seek' }).fill('5000');
    await page.getByRole('button', { name: /^Link sensor/ }).click();
    await page.getByRole('dialog', { name: /^Faults for/ }).getByRole('button', { name: 'Cut both ways' }).click();
    await waitForRun(page);
    const exported = await downloadText(page, 'Export scenario');
    const trace = await downloadText(page, 'Download trace');
    expect(JSON.parse(exported).actions.some((a: { do: string }) => a.do === 'cut')).toBe(true);

    const fresh = await openApp(browser);
    await importFile(fresh.page, 'exported.json', exported);
    await waitForRun(fresh.page);
    expect(await downloadText(fresh.page, 'Download trace')).toBe(trace);

    await button(page, 'Share link').click();
    const url = await page.getByLabel('Share link URL').inputValue();
    expect(url).toContain('#scenario=');
    const shared = await openApp(browser, url.slice(url.indexOf('#')));
    expect(await downloadText(shared.page, 'Download trace')).toBe(trace);
    expect(await shared.page.locator('.scenario-name strong').textContent()).toBe(JSON.parse(exported).name);
    await shared.page.screenshot({ path: `${RESULTS}/app-shared.png` });
    expect([...errors, ...fresh.errors, ...shared.errors]).toEqual([]);
    for (const p of [page, fresh.page, shared.page]) await p.context().close();
  });

  it('an invalid import is refused with every problem and its path; the scenario stays', async () => {
    const { page, errors } = await openApp(browser);
    const name = await page.locator('.scenario-name strong').textContent();
    const bad = { format: 'halfopen/scenario', version: 1, name: 'Bad', durationMs: 0,
      broker: { id: 'broker' }, clients: [{ id: 'c', keepAliveSeconds: 70000, color: 'red' }] };
    await importFile(page, 'invalid.json', JSON.stringify(bad));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/Import refused/);
    expect(text).toContain('durationMs');
    expect(text).toContain('clients[0].keepAliveSeconds');
    expect(text).toContain('clients[0].color');
    expect(await page.locator('.scenario-name strong').textContent()).toBe(name);
    await page.screenshot({ path: `${RESULTS}/app-invalid-import.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
