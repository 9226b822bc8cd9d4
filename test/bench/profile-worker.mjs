/**
 * Profiles the simulation worker in Debian's Chromium while the app runs the fleet storm
 * (test/bench/storm-10k.json, the one fleet-browser.ts times, or any scenario file), and prints its self time by function
 * and by source file, mapped through the build's source map. The worker is reached over CDP
 * (Target.setAutoAttach without flattening, Profiler.* sent into the worker's session); a page's
 * own profiler does not see it. Wall time of the import is printed too (with the profiler's
 * overhead, ~10-20 %). Not a test: a tool for finding where the storm's time goes.
 *
 * Usage: node test/bench/profile-worker.mjs [scenario.json] [out.cpuprofile, default
 * $TMPDIR/halfopen-worker.cpuprofile]; it builds the app with source maps into a temporary
 * directory and serves it on 127.0.0.1:4396.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import sourceMap from 'source-map-js';
import { buildApp, ROOT, serveApp } from './app-server.mjs';

const PORT = 4396;
const dir = mkdtempSync(join(tmpdir(), 'halfopen-profile-'));
const dist = join(dir, 'dist');
const file = process.argv[2] ?? join(ROOT, 'test/bench/storm-10k.json');
const out = process.argv[3] ?? join(tmpdir(), 'halfopen-worker.cpuprofile');

buildApp(dist, { sourcemap: true });
const server = await serveApp(dist, PORT);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  let worker = null;
  let nextId = 1;
  const pending = new Map();
  cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') worker = e.sessionId; });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (m.id !== undefined && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
  });
  const send = (method, params = {}) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    void cdp.send('Target.sendMessageToTarget', { sessionId: worker, message: JSON.stringify({ id, method, params }) });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('.run-status.running'));
  for (let i = 0; i < 50 && worker === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (worker === null) throw new Error('the simulation worker did not attach');
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 200 });
  await send('Profiler.start');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
  const started = Date.now();
  await chooser.setFiles(file);
  await page.getByRole('region', { name: 'Fleet' }).getByLabel('Fleet at the cursor').waitFor({ timeout: 20 * 60_000 });
  await page.waitForFunction(() => !document.querySelector('.run-status.running'), undefined, { timeout: 20 * 60_000 });
  console.log(`import to drawn: ${((Date.now() - started) / 1000).toFixed(1)} s (profiler on)`);
  const profile = (await send('Profiler.stop')).result.profile;

  // Self time by function, mapped through the source map of each bundle file.
  const maps = new Map();
  const mapOf = (url) => {
    const name = url.split('/').pop();
    if (!name?.endsWith('.js')) return null;
    if (!maps.has(name)) {
      try { maps.set(name, new sourceMap.SourceMapConsumer(JSON.parse(readFileSync(join(dist, 'assets', `${name}.map`), 'utf8')))); } catch { maps.set(name, null); }
    }
    return maps.get(name);
  };
  // The written profile names original functions and lines (the build is gone afterwards),
  // so inclusive time can be read from it without the source map.
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    const m = mapOf(cf.url);
    if (m === null || cf.lineNumber < 0) continue;
    const o = m.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber });
    if (!o.source) continue;
    n.callFrame = { ...cf, functionName: o.name ?? cf.functionName, url: o.source.split('/').slice(-2).join('/'), lineNumber: o.line - 1, columnNumber: o.column, mapped: true };
  }
  writeFileSync(out, JSON.stringify(profile));
  console.log(`profile: ${out} (names and lines mapped to the sources)`);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[i]));
  const byFn = new Map();
  const byFile = new Map();
  let total = 0;
  for (const n of profile.nodes) {
    const t = selfUs.get(n.id) ?? 0;
    if (t === 0) continue;
    total += t;
    const cf = n.callFrame;
    let fn = cf.functionName || '(anonymous)';
    let where = fn.startsWith('(') ? fn : cf.url.split('/').pop();
    if (cf.mapped === true) { where = cf.url; fn = `${fn} ${where}:${cf.lineNumber + 1}`; }
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    byFile.set(where, (byFile.get(where) ?? 0) + t);
  }
  const show = (title, m, k) => {
    console.log(`\n${title}`);
    for (const [name, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, k)) {
      console.log(`${(t / 1e6).toFixed(2).padStart(7)} s ${((100 * t) / total).toFixed(1).padStart(5)} %  ${name}`);
    }
  };
  console.log(`worker samples: ${(total / 1e6).toFixed(2)} s`);
  show('self time by function', byFn, 40);
  show('self time by source file', byFile, 25);
} finally {
  await browser.close();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
