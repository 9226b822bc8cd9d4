/**
 * Untrusted input: a scenario file and a share link crafted to run script (script tags,
 * event handlers, javascript: links, huge strings). Nothing may execute; the user sees a
 * message; names and descriptions show as text or sanitised markdown.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { deflateSync } from 'fflate';
import { hasChromium, launch, openApp, RESULTS, waitForRun } from './browser.ts';
import { encodeSharePayload, toBase64Url } from '../../app/share/shareLink.ts';

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">' +
  '<a href="javascript:window.__pwned=3">click me</a><svg onload="window.__pwned=4"></svg>';

const hostileScenario = {
  format: 'halfopen/scenario', version: 1,
  name: `<img src=x onerror="window.__pwned=5">${'N'.repeat(150)}`,
  description: `# Hello\n\n${XSS}\n\n[link](javascript:window.__pwned=6) and <iframe src="javascript:window.__pwned=7"></iframe>`,
  durationMs: 10000,
  broker: { id: 'broker' },
  clients: [{ id: 'c1', keepAliveSeconds: 5, will: { topic: 'status/<b>x</b>', payload: XSS } }],
};

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  const path = `${RESULTS}/${name}`;
  writeFileSync(path, text);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
  await chooser.setFiles(path);
}

describe.skipIf(!hasChromium)('hostile input', () => {
  it('a hostile but valid file loads as inert text; an invalid one with huge strings is refused', async () => {
    const { page } = await openApp(browser);
    await importFile(page, 'hostile.json', JSON.stringify(hostileScenario));
    await waitForRun(page);
    await page.getByRole('status').filter({ hasText: 'Loaded' }).waitFor();
    await page.locator('.scenario-description summary').click();
    await page.getByRole('button', { name: /^client c1/ }).click();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(await pwned(page)).toBeNull();
    // No live script, handler or javascript: URL reached the DOM.
    const live = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll('.markdown script, .markdown iframe, .markdown img, .markdown svg')].length,
      handlers: [...document.querySelectorAll('.markdown *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(live).toEqual({ scripts: 0, handlers: 0, jsLinks: 0 });
    // The name shows as text, tags and all.
    expect(await page.locator('.scenario-name strong').textContent()).toContain('<img src=x');
    await page.screenshot({ path: `${RESULTS}/hostile-file.png` });

    const huge = { ...hostileScenario, name: 'x'.repeat(1_000_000), clients: [{ id: '<script>', keepAliveSeconds: -1 }] };
    await importFile(page, 'hostile-invalid.json', JSON.stringify(huge));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Import refused/);
    expect(await alert.textContent()).toContain('clients[0]');
    expect(await page.locator('.scenario-name strong').textContent()).toContain('<img src=x');
    expect(await pwned(page)).toBeNull();
    await page.screenshot({ path: `${RESULTS}/hostile-invalid.png` });
    await page.context().close();
  });

  it('hostile share links are refused with a message, or load inert', async () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(3_000_000).fill(32), { level: 9 }));
    const cases: [string, RegExp][] = [
      [`#scenario=${encodeURIComponent('<script>window.__pwned=8</script>')}`, /Share link refused.*malformed/],
      ['#scenario=AAAA', /Share link refused/],
      [`#scenario=${bomb}`, /too large/],
      [`#scenario=${encodeSharePayload('{"format":"halfopen/scenario","version":1,"name":"<script>x</script>"}')}`, /Share link refused.*problem/],
    ];
    for (const [hash, message] of cases) {
      const { page, errors } = await openApp(browser, hash);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(message);
      expect(await pwned(page)).toBeNull();
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const { page } = await openApp(browser, `#scenario=${encodeSharePayload(JSON.stringify(hostileScenario))}`);
    await page.getByRole('status').filter({ hasText: 'share link' }).waitFor();
    await page.locator('.scenario-description summary').click();
    await page.waitForTimeout(300);
    expect(await pwned(page)).toBeNull();
    await page.screenshot({ path: `${RESULTS}/hostile-link.png` });
    await page.context().close();
  });
});
