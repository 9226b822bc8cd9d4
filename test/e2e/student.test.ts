/**
 * Issue 12 in real Chromium: what a student meets. One time format, shortcuts whatever has
 * focus, key events visible (NAT expiry, a client giving up), wording that says what really
 * happens, the numbers explained where they appear, the first view, the layout at 1280×800 and
 * 1920×1080, and axe-core's critical/serious violations on every screen. Screenshots of
 * every screen go to test-results/student-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launch, openApp, RESULTS, axeSerious, scenarioHash } from './browser.ts';
import type { OpenPage } from './browser.ts';

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const open = (hash = '', viewport = { width: 1280, height: 800 }): Promise<OpenPage> => openApp(browser, hash, { viewport });

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const clock = async (page: Page): Promise<string> => (await page.getByLabel('Virtual time').textContent()) ?? '';
const seqOf = async (page: Page): Promise<number> => Number(/event (\d+) of/.exec(await clock(page))![1]);

async function logText(page: Page): Promise<string> {
  return (await page.locator('.log-list').innerText());
}

/** Scrolls the log through every row and collects the text (the log is windowed). */
async function allLogText(page: Page): Promise<string> {
  const box = page.locator('.log-scroll');
  const parts: string[] = [];
  const total = await box.evaluate((el) => el.scrollHeight);
  for (let top = 0; top <= total; top += 300) {
    await box.evaluate((el, t) => { el.scrollTop = t; }, top);
    await page.waitForTimeout(30);
    parts.push(await logText(page));
  }
  return parts.join('\n');
}

describe.skipIf(!hasChromium)('student first (issue 12)', () => {
  it('writes every time one way: seconds with milliseconds, minutes only as an addition', async () => {
    const { page, errors } = await open(scenarioHash('nat-idle-timeout'));
    const text = await allLogText(page);
    // The NAT race: broker 90.03 s vs client 90.04 s must read differently.
    expect(text).toMatch(/\b90\.03\d s\b/);
    expect(text).toMatch(/\b90\.04\d s\b/);
    expect(text).not.toMatch(/\d min \d/);
    expect(await clock(page)).toMatch(/^0\.000 s \/ 100\.000 s \(1 min 40 s\)/);
    // Clock past a minute: seconds first, the minutes as an addition.
    await page.evaluate(() => { window.location.hash = ''; });
    await button(page, 'Next notable event').click();
    for (let i = 0; i < 6; i++) await button(page, 'Next notable event').click();
    const c = await clock(page);
    expect(c).toMatch(/^\d+\.\d{3} s/);
    // The axis: seconds, no "1:30".
    const ticks = await page.locator('.tl-axis .tick text').allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks) expect(t).toMatch(/^\d+(\.\d+)? s$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keyboard shortcuts work after clicking the scrubber, the speed select or a checkbox', async () => {
    const { page, errors } = await open();
    await page.getByLabel('Notable only').uncheck();
    const start = await seqOf(page);
    await page.getByRole('slider', { name: 'Seek' }).click({ position: { x: 2, y: 5 } });
    const afterScrub = await seqOf(page);
    await page.keyboard.press('ArrowRight');
    expect(await seqOf(page)).toBe(afterScrub + 1);
    await page.getByLabel('Notable only').click(); // focus stays on the checkbox
    await page.getByLabel('Notable only').click();
    const s1 = await seqOf(page);
    await page.keyboard.press('ArrowRight');
    expect(await seqOf(page)).toBeGreaterThan(s1);
    await page.getByLabel('Speed').selectOption('10');
    await page.keyboard.press('Space');
    await button(page, 'Pause').waitFor({ timeout: 2000 });
    await page.keyboard.press('Space');
    await button(page, 'Play').waitFor({ timeout: 2000 });
    expect(start).toBeGreaterThanOrEqual(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the NAT forgetting the flow and the client giving up, in words', async () => {
    const { page } = await open(scenarioHash('nat-idle-timeout'));
    const text = await allLogText(page); // Notable only: the story
    expect(text).toContain('nat.expired');
    expect(text).toMatch(/NAT on the .* link forgot the idle flow/);
    expect(text).toMatch(/the client gave up: no PINGRESP in time/);
    expect(text).not.toMatch(/closed \(local\)/);
    expect(await page.locator('.tl-marker', { hasText: '⌀' }).count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('logs a one-way cut with its direction in words and a crash with what happens to the Will', async () => {
    const { page } = await open(scenarioHash('pingresp-lost'));
    const text = await allLogText(page);
    expect(text).not.toMatch(/\((a->b|b->a)\)/);
    expect(text).toMatch(/cut broker → sensor \(one direction only/);
    await page.context().close();
    const crash = await open(scenarioHash('crash-vs-power-off'));
    const t2 = await allLogText(crash.page);
    expect(t2).toMatch(/crash/);
    expect(t2).not.toMatch(/publishes the Will$/m);
    // The simulator's sentence, then what the trace shows the broker doing with that Will.
    expect(t2).toMatch(/the crashed process dies: its kernel closes the socket \(FIN\).*; at 10\.010 s the broker publishes its Will on status\/crashed \(\[MQTT-3\.1\.2-8\]/);
    // A delivered Will says whose it is, from the trace's origin fields (not a topic guess).
    await crash.page.getByLabel('Notable only').uncheck();
    const t3 = await allLogText(crash.page);
    expect(t3).toMatch(/message on status\/crashed delivered to dashboard: “offline” — the Last Will of crashed \(crashed\/1\): “offline”/);
    expect(t3).toMatch(/the Last Will of unplugged \(unplugged\/1\)/);
    await crash.page.context().close();
  });
});

const SIZES = [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }];

describe.skipIf(!hasChromium)('every screen: axe-core and screenshots (issue 12)', () => {
  for (const size of SIZES) {
    const tag = `${size.width}x${size.height}`;
    it(`first view, mid-run, editor, gallery at ${tag}: no critical or serious violations`, async () => {
      const { page, errors } = await open('', size);
      const found: Record<string, string[]> = {};
      await page.screenshot({ path: `${RESULTS}/student-first-${tag}.png` });
      found['first view'] = await axeSerious(page);
      for (let i = 0; i < 4; i++) await button(page, 'Next notable event').click();
      await page.screenshot({ path: `${RESULTS}/student-midrun-${tag}.png` });
      found['mid-run'] = await axeSerious(page);
      await page.locator('.scenario-name').click();
      await page.getByRole('tab', { name: 'Edit this scenario' }).click();
      await page.screenshot({ path: `${RESULTS}/student-editor-${tag}.png` });
      found['editor'] = await axeSerious(page);
      await page.getByRole('tab', { name: 'Gallery' }).click();
      await page.screenshot({ path: `${RESULTS}/student-gallery-${tag}.png` });
      found['gallery'] = await axeSerious(page);
      expect(found).toEqual({ 'first view': [], 'mid-run': [], editor: [], gallery: [] });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
