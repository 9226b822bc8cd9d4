/**
 * Issue 10 ("Hostile and careless input"), the app's side: scenarios the validator accepts but
 * the page cannot hold are refused before anything runs, quickly and with words that say
 * what the app can show; no task blocks the page for more than 200 ms meanwhile (10 MiB files
 * are parsed in the worker); a failed or pending run never shows the previous scenario's
 * results; sizes and invisible characters read as words; a dropped file is imported.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, hasChromium, launch, RESULTS, waitForRun } from './browser.ts';
import { encodeSharePayload } from '../../app/share/shareLink.ts';

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** Longest task the page may run at once (issue 10, defect 8). */
const BLOCK_LIMIT_MS = 200;

function fleet(n: number, durationMs: number, keepAliveSeconds: number, name = `Fleet of ${n}`, pad = 0) {
  const clients = Array.from({ length: n }, (_, i) => ({
    id: `c${i}`, keepAliveSeconds, ...(pad > 0 ? { clientId: `${'x'.repeat(pad)}${i}` } : {}),
  }));
  return { format: 'halfopen/scenario', version: 1, name, durationMs, broker: { id: 'broker' }, clients };
}

/** A page whose long tasks (over 50 ms) are recorded in window.__long from the start. */
async function openPage(hash = ''): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const long: number[] = [];
    (window as unknown as { __long: number[] }).__long = long;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(Math.round(e.duration)); })
      .observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`${BASE_URL}${hash}`);
  return { page, errors };
}

const longTasks = (page: Page): Promise<number[]> => page.evaluate(() => [...(window as unknown as { __long: number[] }).__long]);
const resetLongTasks = (page: Page): Promise<void> => page.evaluate(() => { (window as unknown as { __long: number[] }).__long.length = 0; });
const scenarioName = (page: Page): Promise<string | null> => page.locator('.scenario-name strong').textContent();

async function importFile(page: Page, name: string, text: string | Buffer): Promise<void> {
  const path = `${RESULTS}/${name}`;
  writeFileSync(path, text);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
  await chooser.setFiles(path);
}

async function alertText(page: Page, timeout = 10_000): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout });
  return (await alert.textContent()) ?? '';
}

describe.skipIf(!hasChromium)('scenarios too large for the page (issue 10, defect 8)', () => {
  it('5,000 clients, a 10 MiB file of 100,000 clients and a seven-day 1 s keep-alive run are refused at once, in words, without blocking the page', async () => {
    const { page, errors } = await openPage();
    await waitForRun(page);
    const before = await scenarioName(page);

    const cases: [string, object, RegExp][] = [
      ['fleet-5000.json', fleet(5000, 60_000, 60), /5,000 clients/],
      ['seven-days.json', fleet(1, 7 * 86_400_000, 1, 'Seven days, 1 s keep-alive'), /7 days, about 12 million events/],
    ];
    // Just under 10 MiB: 100,000 clients with long ClientIds.
    const big = JSON.stringify(fleet(100_000, 60_000, 60, "Fleet of 100,000", 45));
    expect(big.length).toBeGreaterThan(9 * 1024 * 1024);
    expect(big.length).toBeLessThan(10 * 1024 * 1024);
    cases.push(['fleet-100000.json', JSON.parse(big) as object, /100,000 clients/]);

    for (const [file, scenario, size] of cases) {
      await page.getByRole('button', { name: 'Dismiss message' }).click().catch(() => {});
      await resetLongTasks(page);
      const t0 = Date.now();
      await importFile(page, file, JSON.stringify(scenario));
      const text = await alertText(page, 15_000);
      const took = Date.now() - t0;
      expect(text).toMatch(/^Import refused: /);
      expect(text).toMatch(size);
      expect(text).toMatch(/too large to show here/);
      expect(text).toContain('up to 200 clients and about 75,000 events');
      expect(text).toContain('npx halfopen run FILE');
      expect(text).toContain('The current scenario is unchanged.');
      expect(await scenarioName(page)).toBe(before);
      expect(await page.locator('.run-status').textContent()).toBe('');
      expect(await page.locator('.log-row').count()).toBeGreaterThan(0); // the current run still shows
      const long = await longTasks(page);
      console.log(`${file}: refused after ${took} ms; long tasks ${JSON.stringify(long)}`);
      expect(long.filter((d) => d > BLOCK_LIMIT_MS)).toEqual([]);
      expect(took).toBeLessThan(15_000);
    }
    await page.screenshot({ path: `${RESULTS}/careless-too-large.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a share link of 3,000 clients is not opened; the built-in scenario loads instead, with the reason', async () => {
    const link = encodeSharePayload(JSON.stringify(fleet(3000, 3_600_000, 30, 'Link fleet')));
    const { page, errors } = await openPage(`#scenario=${link}`);
    const text = await alertText(page);
    expect(text).toMatch(/^Share link not opened: “Link fleet” is too large to show here \(3,000 clients for 1 hour/);
    expect(text).toContain('npx halfopen run FILE');
    await waitForRun(page);
    expect(await scenarioName(page)).not.toBe('Link fleet');
    // The same link opened in this tab (hashchange): refused without blocking the page.
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await page.waitForTimeout(1000);
    await resetLongTasks(page);
    const name = await scenarioName(page);
    await page.evaluate((h) => { window.location.hash = ''; window.location.hash = h; }, `#scenario=${link}`);
    expect(await alertText(page)).toMatch(/^Share link not opened: “Link fleet” is too large/);
    await page.waitForTimeout(300);
    expect(await scenarioName(page)).toBe(name);
    expect((await longTasks(page)).filter((d) => d > BLOCK_LIMIT_MS)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an edit that makes the scenario too large stays a draft, with the reason, and the run is kept', async () => {
    const { page } = await openPage();
    await waitForRun(page);
    await page.locator('.scenario-name').click();
    await page.getByRole('tab', { name: 'Edit this scenario' }).click();
    await page.getByLabel('Duration (ms)').fill(String(7 * 86_400_000));
    const problems = page.locator('.scenario-editor .problems');
    await problems.waitFor({ timeout: 5000 });
    expect(await problems.textContent()).toMatch(/too large to show here.*npx halfopen run FILE/);
    expect(await page.locator('.run-status').textContent()).toBe('');
    await page.screenshot({ path: `${RESULTS}/careless-edit-too-large.png` });
    await page.context().close();
  });
});

/** `n` clients publishing QoS 1 every `everyMs`, the first subscribed to all of it. */
function publishers(n: number, durationMs: number, everyMs: number, name: string) {
  const clients = Array.from({ length: n }, (_, i) => ({
    id: `c${i}`, keepAliveSeconds: 5,
    publish: [{ topic: `t/c${i}`, payload: '21.5', qos: 1 as const, everyMs }],
    ...(i === 0 ? { subscriptions: [{ topic: 't/#', qos: 1 as const }] } : {}),
  }));
  return { format: 'halfopen/scenario', version: 1, name, durationMs, broker: { id: 'broker' }, clients };
}

describe.skipIf(!hasChromium)('scenarios just under the limits install without blocking the page (issue 10, defect 8)', () => {
  // Estimated (app/model/estimate.ts): 200 clients and ~73,600 events; 10 clients and
  // ~73,900 events (the limits: 200 clients, 75,000 events). Receiving and installing a run
  // used to be one task of 500–1,000 ms (a canvas as tall as 200 lanes, every row painted,
  // megabytes of state checkpoints and NDJSON decoded at once, the log's rows and the fault
  // bands derived on the UI thread). The machines are small and shared: each scenario is
  // loaded three times and the median of the longest task per load must stay under the
  // limit (every load is printed).
  const cases: [string, object, number][] = [
    ['near-limit-clients', fleet(200, 82_000, 5, 'Near the limit: 200 clients'), 50_000],
    // 58,452 events since main's traced-timer change (timer events only where the sink reads
    // them; sim/ identical to main here): the run is still the largest the limit admits.
    ['near-limit-events', publishers(10, 108_000, 500, 'Near the limit: 10 clients publishing'), 55_000],
  ];
  for (const [file, scenario, minEvents] of cases) {
    it(`${file}: no task over ${BLOCK_LIMIT_MS} ms while the run arrives and installs (median of 3 loads)`, async () => {
      const { page, errors } = await openPage();
      await waitForRun(page);
      const longest: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        await page.getByRole('button', { name: 'Dismiss message' }).click().catch(() => {});
        await page.waitForTimeout(500);
        await resetLongTasks(page);
        await importFile(page, `${file}-${rep}.json`, JSON.stringify(scenario));
        await page.getByRole('status').filter({ hasText: `${file}-${rep}.json` }).waitFor({ timeout: 30_000 });
        await waitForRun(page);
        await page.waitForTimeout(1500); // the first paint of the run comes in a task of its own
        const long = await longTasks(page);
        longest.push(Math.max(0, ...long));
        console.log(`${file} load ${rep + 1}: long tasks ${JSON.stringify(long)}`);
      }
      const events = Number(/of ([\d,]+) events/.exec(await page.locator('.count').textContent() ?? '')?.[1]?.replace(/,/g, ''));
      expect(events).toBeGreaterThan(minEvents);
      expect(await page.getByRole('alert').count()).toBe(0);
      const median = [...longest].sort((a, b) => a - b)[1]!;
      console.log(`${file}: ${events} events; longest task per load ${JSON.stringify(longest)}, median ${median} ms`);
      expect(median).toBeLessThan(BLOCK_LIMIT_MS);
      await page.screenshot({ path: `${RESULTS}/careless-${file}.png` });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe.skipIf(!hasChromium)('sizes and invisible characters in words (issue 10, defect 11)', () => {
  it('the import limit reads "10 MiB"; a double byte-order mark is named U+FEFF', async () => {
    const { page } = await openPage();
    await waitForRun(page);
    await importFile(page, 'over-limit.json', Buffer.alloc(10 * 1024 * 1024 + 1, 32));
    const over = await alertText(page);
    expect(over).toContain('the limit is 10 MiB');
    expect(over).not.toMatch(/10\.48576|MB\b/);
    await page.getByRole('button', { name: 'Dismiss message' }).click();

    // The browser's UTF-8 decoding drops one leading byte-order mark and the parser another:
    // a third (a file saved twice by an editor that adds one, then concatenated) is an error.
    const json = JSON.stringify(fleet(1, 10_000, 5, 'Three BOMs'));
    await importFile(page, 'three-boms.json', `\uFEFF\uFEFF\uFEFF${json}`);
    const bom = await alertText(page);
    expect(bom).toMatch(/unexpected U\+FEFF \((a )?byte-order mark\) where a value was expected/);
    expect(bom).not.toContain('\uFEFF');
    await page.screenshot({ path: `${RESULTS}/careless-bom.png` });
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await importFile(page, 'zero-width.json', json.replace('"version"', '\u200B"version"'));
    const zw = await alertText(page);
    expect(zw).toMatch(/found U\+200B \((a )?zero-width space\)/);
    expect(zw).not.toContain('\u200B');
    await page.screenshot({ path: `${RESULTS}/careless-bom.png` });
    await page.context().close();
  });
});

describe.skipIf(!hasChromium)('a file dropped on the page', () => {
  it('is imported (the browser does not replace the app by the file); too large a file is refused', async () => {
    const { page, errors } = await openPage();
    await waitForRun(page);
    const drop = (name: string, text: string) => page.evaluate(([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t!], n!, { type: 'application/json' }));
      const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true });
      document.querySelector('main')!.dispatchEvent(over);
      const ev = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
      document.querySelector('main')!.dispatchEvent(ev);
      return { overPrevented: over.defaultPrevented, dropPrevented: ev.defaultPrevented };
    }, [name, text]);
    expect(await drop('dropped.json', JSON.stringify(fleet(2, 10_000, 5, 'Dropped here'))))
      .toEqual({ overPrevented: true, dropPrevented: true });
    await page.getByRole('status').filter({ hasText: 'Loaded “Dropped here” (dropped.json)' }).waitFor();
    await waitForRun(page);
    expect(await scenarioName(page)).toBe('Dropped here');
    await drop('huge.json', JSON.stringify(fleet(5000, 60_000, 60)));
    expect(await alertText(page)).toMatch(/^Import refused: .*5,000 clients/);
    expect(await scenarioName(page)).toBe('Dropped here');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/**
 * The worker as built, wrapped (page.route) so that a run of a scenario named "CRASH-ME"
 * dies the way an oversized run does (an uncaught RangeError: Invalid string length), and a
 * run of one named "SLOW-ME" answers 3 s late. Everything else is the real worker.
 */
const WRAPPER = `
const early = [];
self.onmessage = (m) => { early.push(m); };
const real = new URL(import.meta.url); real.searchParams.set('real', '1');
await import(real.href);
const handle = self.onmessage;
self.onmessage = (m) => {
  const d = m.data;
  const name = d && d.scenario && d.scenario.name || '';
  if (d.type === 'run' && name.includes('CRASH-ME')) throw new RangeError('Invalid string length');
  if (d.type === 'run' && name.includes('SLOW-ME')) { setTimeout(() => handle.call(self, m), 3000); return; }
  handle.call(self, m);
};
for (const m of early) self.onmessage(m);`;

describe.skipIf(!hasChromium)('no stale results (issue 10, defect 9)', () => {
  it('while a run computes and after it fails, the previous scenario\'s timeline, log and badge are not shown as this one\'s; the failure is in words', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route(/sim\.worker[^/]*\.js/, async (route) => {
      if (new URL(route.request().url()).searchParams.has('real')) await route.continue();
      else await route.fulfill({ contentType: 'text/javascript', body: WRAPPER });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(BASE_URL);
    await waitForRun(page);
    const withExpect = {
      ...fleet(2, 10_000, 5, 'Has expectations'),
      expect: [{ kind: 'run.end', count: 1 }],
    };
    await importFile(page, 'with-expect.json', JSON.stringify(withExpect));
    await page.locator('.expect-badge').filter({ hasText: '1 expectation hold' }).waitFor();
    await waitForRun(page);

    // A slow run: until it answers, nothing of "Has expectations" shows under the new name.
    await importFile(page, 'slow.json', JSON.stringify(fleet(1, 10_000, 5, 'SLOW-ME')));
    await page.getByRole('status').filter({ hasText: 'Simulating' }).waitFor();
    expect(await scenarioName(page)).toBe('SLOW-ME');
    expect(await page.locator('.expect-badge').count()).toBe(0);
    expect(await page.locator('.log-row').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Timeline' }).textContent()).toContain('Simulating “SLOW-ME”…');
    await page.screenshot({ path: `${RESULTS}/careless-pending.png` });
    await waitForRun(page);
    expect(await page.locator('.log-row').count()).toBeGreaterThan(0);

    // Back to a scenario with expectations, then one whose run dies.
    await importFile(page, 'with-expect.json', JSON.stringify(withExpect));
    await page.locator('.expect-badge').filter({ hasText: '1 expectation hold' }).waitFor();
    await importFile(page, 'crash.json', JSON.stringify(fleet(1, 10_000, 1, 'CRASH-ME')));
    const alert = await alertText(page);
    expect(alert).toMatch(/too large for the browser's memory/);
    expect(await page.locator('.run-status').textContent()).toBe('Run failed');
    expect(await scenarioName(page)).toBe('CRASH-ME');
    expect(await page.locator('.expect-badge').count()).toBe(0);
    expect(await page.locator('.log-row').count()).toBe(0);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    expect(await timeline.textContent()).toContain('No results for “CRASH-ME”: the run failed.');
    expect(await page.getByRole('button', { name: 'Download trace' }).isDisabled()).toBe(true);
    await page.screenshot({ path: `${RESULTS}/careless-run-failed.png` });

    // The worker was replaced: the next scenario runs.
    await importFile(page, 'after.json', JSON.stringify(fleet(1, 10_000, 5, 'After the crash')));
    await waitForRun(page);
    expect(await page.locator('.log-row').count()).toBeGreaterThan(0);
    expect(await page.locator('.run-status').textContent()).toBe('');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!hasChromium)('edits are never lost without a word (issue 10, defect 2)', () => {
  it('survive a reload, are set aside by a share link in the same tab with an offer to restore, and come back with Back', async () => {
    const { page, errors } = await openPage();
    await waitForRun(page);
    await page.locator('.scenario-name').click();
    await page.getByRole('tab', { name: 'Edit this scenario' }).click();
    await page.getByLabel('Name', { exact: true }).fill('My edited scenario');
    await page.getByLabel('Seed', { exact: true }).fill('42');
    await waitForRun(page);
    expect(await scenarioName(page)).toBe('My edited scenario');

    // Reload: the edits come back, with a notice.
    await page.reload();
    await waitForRun(page);
    await page.getByRole('status').filter({ hasText: 'Restored your unsaved edits to “My edited scenario”' }).waitFor();
    expect(await scenarioName(page)).toBe('My edited scenario');

    // A share link opened in this tab: it shows, and the edits are set aside, offered back.
    const link = encodeSharePayload(JSON.stringify(fleet(1, 10_000, 5, 'From a link')));
    await page.goto(`${BASE_URL}#scenario=${link}`);
    await page.getByRole('status').filter({ hasText: 'Opened “From a link” from a share link' }).waitFor();
    expect(await scenarioName(page)).toBe('From a link');
    const aside = page.getByRole('note', { name: 'Edits set aside' });
    expect(await aside.textContent()).toContain('Your edits to “My edited scenario” were set aside');
    await page.screenshot({ path: `${RESULTS}/careless-set-aside.png` });

    // Back: the edits return.
    await page.goBack();
    await page.getByRole('status').filter({ hasText: 'Restored your edits to “My edited scenario”' }).waitFor();
    expect(await scenarioName(page)).toBe('My edited scenario');
    await waitForRun(page);
    await page.locator('.scenario-name').click();
    await page.getByRole('tab', { name: 'Edit this scenario' }).click();
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).toBe('42');

    // Opening the page from a share link (new load): the link shows; the edits wait aside.
    await page.goto('about:blank');
    await page.goto(`${BASE_URL}#scenario=${link}`);
    await waitForRun(page);
    expect(await scenarioName(page)).toBe('From a link');
    await aside.getByRole('button', { name: 'Restore my edits' }).click();
    await waitForRun(page);
    expect(await scenarioName(page)).toBe('My edited scenario');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
