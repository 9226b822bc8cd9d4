/**
 * The measured steps of the fleet storm in Chromium, shared by `npm run bench`'s app target
 * (fleet-browser.ts) and the A/B tool (storm-ab.mjs): open the app, wait for its default
 * scenario, import `file` through the Import button, and wait until the Fleet region is drawn
 * with the run installed (the believed-vs-alive chart has its lines). Returns the seconds from
 * choosing the file until then. `beforeImport` runs just before the click (the bench clears
 * its long-task list there).
 */
export async function importUntilDrawn(page, url, file, beforeImport = async () => {}) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('.run-status.running'), undefined, { timeout: 60_000 });
  await beforeImport();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
  const started = Date.now();
  await chooser.setFiles(file);
  const region = page.getByRole('region', { name: 'Fleet' });
  await region.getByLabel('Fleet at the cursor').waitFor({ timeout: 20 * 60_000 });
  await page.waitForFunction(() => !document.querySelector('.run-status.running'), undefined, { timeout: 20 * 60_000 });
  await region.locator('svg path').first().waitFor({ timeout: 60_000 });
  return (Date.now() - started) / 1000;
}
