/**
 * Issue 12 part 6, the rest of a scenario, in real Chromium: the editor's sections drawn from
 * the simulator's key tables (host TCP settings, client groups, reconnect and PINGREQ, the
 * broker's store on disk, a link's NAT/proxy) edit the scenario, the re-run shows the change
 * outside the editor (expectation verdicts, the badge, the downloaded trace), an invalid value
 * is refused beside its field with its JSON path; the fault menu's pause/resume/stop (broker
 * only) and NAT flush (NAT links only), with the simulator's sentences as their hints;
 * screenshots at 1280×800 and 1920×1080 and axe-core with the sections open.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { hasChromium, launch, openApp, scenarioHash, RESULTS, waitForRun, axeSerious } from './browser.ts';
import type { OpenPage } from './browser.ts';
import { ACTION_DOCS } from '../../sim/index.ts';

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const open = (name: string, viewport = { width: 1280, height: 800 }): Promise<OpenPage> =>
  openApp(browser, scenarioHash(name), { viewport, waitRun: true });

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const editor = (page: Page) => page.getByRole('form', { name: 'Edit scenario' });

async function openEditor(page: Page): Promise<void> {
  await page.locator('.scenario-name').click();
  await page.getByRole('tab', { name: 'Edit this scenario' }).click();
  await editor(page).waitFor();
}

/** Opens a folded editor section by the start of its title. */
async function section(page: Page, title: string): Promise<Locator> {
  const s = editor(page).locator('details.editor-section').filter({ has: page.locator('summary', { hasText: title }) }).first();
  if (await s.getAttribute('open') === null) await s.locator('summary').click();
  return s;
}

async function rerun(page: Page): Promise<void> {
  await page.waitForTimeout(150);
  await waitForRun(page);
}

const verdict = (page: Page, n: number) => editor(page).getByRole('group', { name: `Expectation ${n}` }).locator('.verdict');
const alertText = (page: Page) => editor(page).getByRole('alert').innerText();

async function downloadText(page: Page, name: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), button(page, name).click()]);
  return readFileSync((await dl.path())!, 'utf8');
}
const events = (ndjson: string): Record<string, unknown>[] => ndjson.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

async function faultMenu(page: Page, target: RegExp): Promise<Locator> {
  await page.getByRole('button', { name: target }).first().click();
  return page.getByRole('dialog', { name: /^Faults for/ });
}

describe.skipIf(!hasChromium)('the editor edits what a scenario holds beyond MQTT options (issue 12 part 6)', () => {
  it('host TCP: somaxconn raised on the reconnect storm ends the overflow; an invalid value is refused with its path', async () => {
    const { page, errors } = await open('reconnect-storm');
    await openEditor(page);
    const tcp = await section(page, "TCP settings of the broker's host");
    const somaxconn = tcp.getByLabel('Accept queue cap (somaxconn)');
    expect(await somaxconn.inputValue()).toBe('8');
    // The plain words beside the jargon are the simulator's (field-docs.ts), with the default.
    expect(await tcp.innerText()).toMatch(/wait, handshake done, for the broker to accept them[^]*Default: 4096/);
    await expect.poll(async () => verdict(page, 3).innerText()).toMatch(/^Holds on the last run: .*tcp\.listen-overflow/);
    await somaxconn.fill('100');
    await rerun(page);
    expect(await editor(page).getByRole('alert').count()).toBe(0);
    // The 32 SYN cookies and the dropped ACKs are gone from the re-run: their expectations fail.
    await expect.poll(async () => verdict(page, 3).innerText()).toMatch(/^Fails on the last run: .*saw 0/);
    await expect.poll(async () => verdict(page, 4).innerText()).toMatch(/^Fails on the last run/);
    await expect.poll(async () => page.locator('.expect-badge').innerText()).toMatch(/2 of 5 expectations fail/);
    // Refused beside the field with its JSON path; the draft is signalled as not applied.
    await somaxconn.fill('lots');
    await expect.poll(async () => tcp.locator('.doc-field.invalid').innerText()).toMatch(/broker\.tcp\.somaxconn: /);
    expect(await somaxconn.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(async () => alertText(page)).toMatch(/Not applied yet — 1 problem/);
    await somaxconn.fill('-1');
    await expect.poll(async () => tcp.locator('.doc-field.invalid').innerText()).toMatch(/broker\.tcp\.somaxconn: .*0/);
    // A boolean key as a three-way choice: default, true, false.
    await somaxconn.fill('8');
    await rerun(page);
    await tcp.getByLabel('Reset on full queue').selectOption('true');
    await rerun(page);
    const doc = await page.evaluate(() => localStorage.getItem('halfopen.workingCopy.v1')) ?? '';
    expect(doc).toMatch(/"tcp":\{"somaxconn":8,"abortOnOverflow":true\}/);
    await page.screenshot({ path: `${RESULTS}/editor-hosts-tcp-1280x800.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a client group: its count and connect window are edited, the members named, the run has that many devices', async () => {
    const { page, errors } = await open('reconnect-storm');
    await openEditor(page);
    const group = await section(page, 'Group: many devices like dev');
    expect(await group.locator('.members').innerText()).toBe('40 devices: dev-01 … dev-40; ClientIds dev-01 … dev-40.');
    await group.getByLabel('Devices in this group').fill('12');
    await rerun(page);
    expect(await group.locator('.members').innerText()).toBe('12 devices: dev-01 … dev-12; ClientIds dev-01 … dev-12.');
    // 12 devices connect twice (before the crash and after the restart): the run has 24 connects.
    await expect.poll(async () => verdict(page, 1).innerText()).toMatch(/^Fails on the last run: .*client\.connected.*saw 24/);
    const trace = events(await downloadText(page, 'Download trace'));
    expect(new Set(trace.filter((e) => e['kind'] === 'client.connected').map((e) => e['node']))).toEqual(
      new Set(Array.from({ length: 12 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`)));
    // The window: its end after the run is refused with the path of that key.
    await group.getByLabel('Window to (ms)').fill('20000');
    await expect.poll(async () => group.locator('.field.invalid').innerText()).toMatch(/clients\[0\]\.connectAtMs\.toMs: is after durationMs/);
    await group.getByLabel('Window to (ms)').fill('1500');
    await rerun(page);
    await group.getByLabel('Devices in this group').fill('0');
    await expect.poll(async () => group.locator('.doc-field.invalid').innerText()).toMatch(/clients\[0\]\.count: /);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reconnect and PINGREQ: never reconnecting halves the connects; a cap below the first wait is refused', async () => {
    const { page, errors } = await open('reconnect-storm');
    await openEditor(page);
    const rc = await section(page, 'Reconnecting and pinging (dev)');
    await rc.getByLabel('After a lost connection').selectOption('never');
    await rerun(page);
    await expect.poll(async () => verdict(page, 1).innerText()).toMatch(/^Fails on the last run: .*saw 40/);
    await rc.getByLabel('After a lost connection').selectOption('policy');
    await rerun(page);
    await rc.getByLabel('Longest wait (ms)').fill('500');
    await expect.poll(async () => rc.locator('.doc-field.invalid').innerText())
      .toMatch(/clients\[0\]\.reconnect\.maxDelayMs: is 500, below delayMs \(1000\)/);
    await rc.getByLabel('Longest wait (ms)').fill('8000');
    await rc.getByLabel('Backoff factor').fill('2');
    await rc.getByLabel('Jitter (0..1)').fill('0.5');
    await rerun(page);
    expect(await editor(page).getByRole('alert').count()).toBe(0);
    // PINGREQ never: the keep-alive 60 s devices send no PINGREQ in 10 s anyway, so check the file.
    await rc.getByLabel('PINGREQ', { exact: true }).selectOption('never');
    await rerun(page);
    const doc = JSON.parse(await page.evaluate(() => localStorage.getItem('halfopen.workingCopy.v1')) ?? '{}') as { scenario: { clients: object[] } };
    expect(doc.scenario.clients[0]).toMatchObject({ reconnect: { delayMs: 1000, maxDelayMs: 8000, backoff: 2, jitter: 0.5 }, pingIntervalMs: false });
    await page.screenshot({ path: `${RESULTS}/editor-hosts-reconnect-1280x800.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('PINGREQ on its own period is in the re-run', async () => {
    const { page, errors } = await open('keepalive-power-loss');
    await openEditor(page);
    const rc = await section(page, 'Reconnecting and pinging (sensor)');
    const pings = async (): Promise<number> => events(await downloadText(page, 'Download trace'))
      .filter((e) => e['kind'] === 'mqtt.send' && e['node'] === 'sensor' && e['packet'] === 'PINGREQ').length;
    const before = await pings();
    await rc.getByLabel('PINGREQ', { exact: true }).selectOption('every');
    await rerun(page);
    await rc.getByLabel('PINGREQ every (ms)').fill('1000');
    await rerun(page);
    expect(await pings()).toBeGreaterThan(before + 10);
    await rc.getByLabel('PINGREQ every (ms)').fill('0');
    await expect.poll(async () => rc.locator('.doc-field.invalid').innerText()).toMatch(/clients\[0\]\.pingIntervalMs: /);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('persistence: autosave off loses the retained message at the power-off; Stop (SIGTERM) from the fault menu saves it', async () => {
    const { page, errors } = await open('persisted-retained-online');
    await openEditor(page);
    const ps = await section(page, "Broker's store on disk");
    expect(await ps.getByLabel('Keep a store on disk').inputValue()).toBe('true');
    await ps.getByLabel('Save every (s)').fill('0');
    await rerun(page);
    // No autosave at 60.5 s, so nothing to restore at 100 s.
    await expect.poll(async () => verdict(page, 1).innerText()).toMatch(/^Fails on the last run/);
    await expect.poll(async () => verdict(page, 3).innerText()).toMatch(/^Fails on the last run/);
    await ps.getByLabel('Save after changes').fill('1');
    await expect.poll(async () => ps.locator('.doc-field.invalid').innerText())
      .toMatch(/broker\.persistence\.autosaveAfterChanges: is given together with "autosaveIntervalSeconds"/);
    await ps.getByLabel('Save after changes').fill('');
    await rerun(page);
    // Closing the editor with failing expectations opens their list; Escape closes it.
    await button(page, 'Close scenario panel').click();
    await page.keyboard.press('Escape');
    // The fault menu: a client has no pause/stop; the broker does, each with the simulator's words.
    await page.getByRole('slider', { name: 'Seek' }).fill('50000');
    const clientMenu = await faultMenu(page, /^client sensor/);
    expect(await clientMenu.getByRole('button', { name: /Pause|Stop|Resume/ }).count()).toBe(0);
    await clientMenu.getByRole('button', { name: 'Close menu' }).click();
    const menu = await faultMenu(page, /^broker broker/);
    const stop = menu.getByRole('button', { name: 'Stop (SIGTERM)' });
    expect(await stop.getAttribute('title')).toBe(ACTION_DOCS['stop']);
    await stop.click();
    await waitForRun(page);
    await page.keyboard.press('Escape');
    const trace = events(await downloadText(page, 'Download trace'));
    expect(trace.some((e) => e['kind'] === 'action' && e['do'] === 'stop' && e['tMs'] === 50000)).toBe(true);
    // mosquitto saves its store when it stops in order; the power-on at 100 s restores it.
    expect(trace.some((e) => e['kind'] === 'broker.store-saved' && e['tMs'] === 50000)).toBe(true);
    expect(trace.some((e) => e['kind'] === 'broker.store-restored' && e['retained'] === 1)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('pause and resume the broker; NAT flush is offered only on a link with a NAT', async () => {
    const { page, errors } = await open('nat-idle-timeout');
    // The dashboard's link has no NAT: no flush there.
    let menu = await faultMenu(page, /^Link dashboard/);
    expect(await menu.getByRole('button', { name: 'NAT forgets all flows' }).count()).toBe(0);
    await menu.getByRole('button', { name: 'Close menu' }).click();
    await page.getByRole('slider', { name: 'Seek' }).fill('10000');
    menu = await faultMenu(page, /^Link sensor/);
    const flush = menu.getByRole('button', { name: 'NAT forgets all flows' });
    expect(await flush.getAttribute('title')).toBe(ACTION_DOCS['nat-flush']);
    // The hint is also text beside the buttons for the focused one (no tooltip needed).
    await flush.focus();
    expect(await menu.locator('.fault-hint').textContent()).toBe(ACTION_DOCS['nat-flush']);
    await flush.click();
    await waitForRun(page);
    await page.getByRole('slider', { name: 'Seek' }).fill('12000');
    menu = await faultMenu(page, /^broker broker/);
    await menu.getByRole('button', { name: 'Pause (SIGSTOP)' }).click();
    await waitForRun(page);
    await page.getByRole('slider', { name: 'Seek' }).fill('15000');
    menu = await faultMenu(page, /^broker broker/);
    // Paused at the cursor (sim/world `paused`): only Resume is offered.
    expect(await menu.getByRole('button', { name: 'Pause (SIGSTOP)' }).count()).toBe(0);
    await menu.getByRole('button', { name: 'Resume (SIGCONT)' }).click();
    await waitForRun(page);
    const trace = events(await downloadText(page, 'Download trace'));
    const acts = trace.filter((e) => e['kind'] === 'action').map((e) => `${String(e['tMs'])} ${String(e['do'])}`);
    expect(acts).toEqual(expect.arrayContaining(['10000 nat-flush', '12000 pause', '15000 resume']));
    await page.getByText('Timed actions in this scenario').click().catch(() => undefined);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    const tag = `${viewport.width}x${viewport.height}`;
    it(`the sections open beside the timeline at ${tag}, screenshotted, with no serious axe violation`, async () => {
      const { page, errors } = await openApp(browser, scenarioHash('reconnect-storm'), { viewport, waitRun: true, bypassCSP: true });
      await openEditor(page);
      for (const t of ["Broker's store on disk", "TCP settings of the broker's host", 'Group: many devices like dev', 'Reconnecting and pinging (dev)']) {
        await section(page, t);
      }
      const tl = (await page.getByRole('region', { name: 'Timeline', exact: true }).boundingBox())!;
      const pn = (await page.getByRole('complementary', { name: 'Scenarios' }).boundingBox())!;
      expect(tl.x + tl.width).toBeLessThanOrEqual(pn.x + 1);
      await (await section(page, "TCP settings of the broker's host")).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${RESULTS}/editor-hosts-${tag}.png` });
      await (await section(page, 'Group: many devices like dev')).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${RESULTS}/editor-hosts-group-${tag}.png` });
      expect(await axeSerious(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
