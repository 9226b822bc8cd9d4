/**
 * The measured steps of the fleet storm in Chromium, shared by `npm run bench`'s app target
 * (fleet-browser.ts) and the A/B tool (storm-ab.mjs): open the app, wait for its default
 * scenario, import `file` through the Import button, and wait until the Fleet region is drawn
 * with the run installed (the believed-vs-alive chart has its lines). Returns the seconds from
 * choosing the file until then. `beforeImport` runs just before the click (the bench clears
 * its long-task list there).
 *
 * The end is read in the page: a requestAnimationFrame watcher notes the clock at the first frame
 * where the Fleet region, its cursor readout and a visible chart line are there and no run is
 * in progress; the test then only waits for that note. Playwright's locator waits poll every
 * 500 ms after their first second, and timing them put every time up to half a second late, in
 * 0.5 s steps (stop 24: 7.40, 6.90, 6.40 s; the page's clock said 6.93-7.20 s).
 */
export async function importUntilDrawn(page, url, file, beforeImport = async () => {}) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('.run-status.running'), undefined, { timeout: 60_000 });
  await beforeImport();
  await page.evaluate(() => {
    const w = window;
    w.__drawnAt = null;
    const drawn = () => {
      if (document.querySelector('.run-status.running') !== null) return false;
      const region = document.querySelector('section[aria-label="Fleet"]');
      if (region === null || region.querySelector('[aria-label="Fleet at the cursor"]') === null) return false;
      const path = region.querySelector('svg path');
      return path !== null && path.getClientRects().length > 0 && getComputedStyle(path).visibility !== 'hidden';
    };
    // Not drawn yet at the click (the default scenario has no Fleet region); a frame after the
    // import's run has begun, the first that shows it drawn is the end.
    const tick = () => { if (drawn()) w.__drawnAt = Date.now(); else requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
  const started = Date.now();
  await chooser.setFiles(file);
  const drawnAt = await (await page.waitForFunction(() => window.__drawnAt, undefined, { timeout: 20 * 60_000, polling: 250 })).jsonValue();
  // What the watcher found by attribute, as the accessibility tree names it.
  await page.getByRole('region', { name: 'Fleet' }).getByLabel('Fleet at the cursor').waitFor({ timeout: 5_000 });
  return (drawnAt - started) / 1000;
}
