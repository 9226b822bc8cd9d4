/**
 * Browser and CLI agree: a shipped scenario run in the app (in its Web Worker) gives the
 * same trace bytes as `node sim/cli/bin.mjs run FILE --trace -`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { hasChromium, launch, openApp, RESULTS, waitForRun } from './browser.ts';

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const SHIPPED = ['keepalive-power-loss.json', 'takeover-after-reboot-spec.json', 'partition-and-heal.json']
  .filter((f) => existsSync(`public/scenarios/${f}`));

describe.skipIf(!hasChromium)('browser and CLI agree', () => {
  it.each(SHIPPED)('%s: the downloaded trace is byte-identical to the CLI\'s', async (file) => {
    const cli = execFileSync(process.execPath, ['sim/cli/bin.mjs', 'run', `public/scenarios/${file}`, '--trace', '-'], {
      encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'],
    });
    const { page, errors } = await openApp(browser);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
    await chooser.setFiles(`public/scenarios/${file}`);
    await page.getByRole('status').filter({ hasText: file }).waitFor();
    await waitForRun(page);
    const [dl] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download trace', exact: true }).click()]);
    const browserTrace = readFileSync((await dl.path())!, 'utf8');
    expect(browserTrace.length).toBeGreaterThan(0);
    expect(browserTrace).toBe(cli);
    await page.screenshot({ path: `${RESULTS}/cli-${file.replace('.json', '')}.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
