/**
 * Chromium for the e2e tests: Debian's /usr/bin/chromium via playwright-core. Missing
 * browser: a failure under CI=true, otherwise the tests are skipped with a loud warning.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { encodeSharePayload } from '../../app/share/shareLink.ts';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
// HALFOPEN_E2E_PORT: a second checkout (a git worktree) runs its e2e suite beside this one.
export const E2E_PORT = Number(process.env.HALFOPEN_E2E_PORT ?? 4173);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}/`;
export const RESULTS = 'test-results';

export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  console.warn(`\n\n*** WARNING: ${CHROMIUM} is missing: the browser tests are SKIPPED. ` +
    'Install it with `apt-get install -y chromium`. ***\n\n');
}

export async function launch(): Promise<Browser> {
  mkdirSync(RESULTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenPage { page: Page; errors: string[] }

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** false: return as soon as the page has loaded (a test that checks what shows before a run). */
  waitRun?: boolean;
  /** The app's CSP (script-src 'self') would refuse an injected script such as axe-core. */
  bypassCSP?: boolean;
}

/** A fresh page (1280×800 unless told) that records console errors and uncaught exceptions. */
export async function openApp(browser: Browser, hash = '', opts: OpenOptions = {}): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true,
    ...(opts.bypassCSP === true ? { bypassCSP: true } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`${BASE_URL}${hash}`);
  if (opts.waitRun !== false) await waitForRun(page);
  return { page, errors };
}

/** Waits until a run is ready: Play is enabled and the log has rows. */
export async function waitForRun(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Play', exact: true }).or(page.getByRole('button', { name: 'Pause', exact: true }))
    .and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.run-status.running'), undefined, { timeout: 60_000 });
}

/** axe-core's source, injected into pages by the accessibility checks. */
export const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The app's hash that opens a shipped scenario (public/scenarios/NAME.json) as a share link. */
export const scenarioHash = (name: string): string =>
  `#scenario=${encodeSharePayload(readFileSync(`public/scenarios/${name}.json`, 'utf8'))}`;

interface AxeViolations { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }

/**
 * axe-core's critical and serious violations in the page, or inside `selector`, as
 * "rule (n): first targets". axe is injected through DevTools (page.evaluate), so the page's
 * CSP (script-src 'self') stays as shipped.
 */
export async function axeSerious(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(ctx: Document | string, opts: object): Promise<unknown> } }).axe;
    return await axe.run(sel ?? document, { resultTypes: ['violations'] });
  }, selector) as AxeViolations;
  return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}
