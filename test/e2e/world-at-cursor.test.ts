/**
 * Issue 11's user-facing cases in Chromium: what the Inspector and the Topology say at a
 * cursor placed on a fault. They read sim/world (the reducer over the trace), so the event
 * under the cursor has taken effect:
 * - jumping to "power-off unplugged" shows that host off and its client not connected, and
 *   the broker's connection to it half-open (the broker still believes it, nothing is on the
 *   wire to tell it);
 * - jumping to "crash crashed" shows the link closing (the kernel's FIN is on its way), not
 *   half-open.
 * The scenario is the shipped crash-vs-power-off.json, imported as a user would.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launch, openApp, RESULTS, waitForRun } from './browser.ts';

let browser: Browser;

beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const SCENARIO = readFileSync('public/scenarios/crash-vs-power-off.json', 'utf8');

async function openShipped(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openApp(browser);
  const path = `${RESULTS}/world-at-cursor.json`;
  writeFileSync(path, SCENARIO);
  const [chooser] = await Promise.all([
    opened.page.waitForEvent('filechooser'),
    opened.page.getByRole('button', { name: 'Import scenario', exact: true }).click(),
  ]);
  await chooser.setFiles(path);
  await opened.page.getByText('Crash (FIN) versus power-off (silence)').first().waitFor();
  await waitForRun(opened.page);
  return opened;
}

/** Puts the cursor on the first log row whose text matches, as a click on it does. */
async function jumpTo(page: Page, text: RegExp): Promise<void> {
  const notableOnly = page.getByLabel('Notable only');
  if (!(await notableOnly.isChecked())) await notableOnly.check();
  await page.locator('.log-row button').filter({ hasText: text }).first().click();
}

async function inspect(page: Page, node: string): Promise<string> {
  await page.getByRole('region', { name: 'Inspector', exact: true }).getByLabel('Node').selectOption(node);
  return (await page.getByRole('region', { name: 'Inspector', exact: true }).innerText()).replace(/\s+/g, ' ');
}

const linkLabel = (page: Page, client: string) =>
  page.locator(`[aria-label^="Link broker – ${client}"], [aria-label^="Link ${client} – broker"]`).first().getAttribute('aria-label');

describe.skipIf(!hasChromium)('the world at a fault under the cursor (Chromium)', () => {
  it('a jump to a power-off shows the host off, its client not connected and the broker\'s side half-open', async () => {
    const { page, errors } = await openShipped();
    await jumpTo(page, /power-off unplugged/);
    const unplugged = await inspect(page, 'unplugged');
    expect(unplugged).toContain('host off');
    expect(unplugged).not.toContain('host up');
    expect(unplugged).not.toMatch(/MQTT client connected/);
    expect(await linkLabel(page, 'unplugged')).toContain('half-open');
    const broker = await inspect(page, 'broker');
    // The broker has heard nothing: its session for the device is still connected.
    expect(broker).toMatch(/unplugged connected/);
    await page.screenshot({ path: `${RESULTS}/world-at-power-off.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a jump to a crash shows the link closing (FIN on its way), not half-open', async () => {
    const { page, errors } = await openShipped();
    await jumpTo(page, /crash crashed/);
    const label = await linkLabel(page, 'crashed');
    expect(label).toContain('closing');
    expect(label).not.toContain('half-open');
    const crashed = await inspect(page, 'crashed');
    // The process died, the operating system did not: the host is shown crashed, not off.
    expect(crashed).toContain('host crashed');
    expect(crashed).not.toContain('host off');
    await page.screenshot({ path: `${RESULTS}/world-at-crash.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
