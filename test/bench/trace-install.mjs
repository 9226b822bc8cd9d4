/**
 * What the UI thread does while a run arrives and installs, in Debian's Chromium: the case of
 * e2e careless.test.ts "near-limit-clients" (200 clients × 82 s, issue 10's "no task over
 * 200 ms"), the e2e test most likely to fail on a slow hour. Each load imports the scenario,
 * waits for the run and its first paint, and records a Chrome trace (devtools.timeline); it
 * prints the long tasks (PerformanceObserver) and, from the trace, the UI thread's time in
 * Blink's phases (Layout, style, paint, the compositor commit, canvas) and in script.
 * Not a test: a tool for comparing two builds of the app on a noisy machine. Interleave them
 * (A B A B ...) and compare medians; one load says little.
 *
 * Usage: node test/bench/trace-install.mjs [--loads N] [--scenario FILE] [--dist DIR ...]
 *   With no --dist it builds the working tree into a temporary directory. Several --dist are
 *   loaded in turn, one load each per round. The trace of the last load of each build is kept
 *   as $TMPDIR/halfopen-install-<k>.json (open it in Chrome DevTools' Performance panel).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildApp, serveApp } from './app-server.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const loads = Number(opt('--loads') ?? 3);
const dists = args.flatMap((a, i) => (a === '--dist' ? [args[i + 1]] : []));
const tmp = mkdtempSync(join(tmpdir(), 'halfopen-install-'));
let scenarioFile = opt('--scenario');
if (!scenarioFile) {
  // The near-limit-clients scenario of careless.test.ts.
  scenarioFile = join(tmp, 'near-limit-clients.json');
  writeFileSync(scenarioFile, JSON.stringify({
    format: 'halfopen/scenario', version: 1, name: 'Near the limit: 200 clients', durationMs: 82_000,
    broker: { id: 'broker' }, clients: Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, keepAliveSeconds: 5 })),
  }));
}
if (dists.length === 0) {
  const dist = join(tmp, 'dist');
  buildApp(dist);
  dists.push(dist);
}

const PHASES = ['Layout', 'UpdateLayoutTree', 'PrePaint', 'Paint', 'Commit', 'CanvasRenderingContext2D::FinalizeFrame', 'FunctionCall', 'RunTask'];
/** Sum of each phase's duration on the page's main thread (ms), and the long RunTasks' main phases. */
function phases(path) {
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const ev = Array.isArray(raw) ? raw : raw.traceEvents;
  const main = new Set(ev.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const sums = Object.fromEntries(PHASES.map((p) => [p, 0]));
  for (const e of ev) if (e.ph === 'X' && main.has(`${e.pid}:${e.tid}`) && e.name in sums) sums[e.name] += (e.dur ?? 0) / 1000;
  return sums;
}

const results = dists.map(() => []);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (let round = 0; round < loads; round++) {
    for (let k = 0; k < dists.length; k++) {
      const server = await serveApp(dists[k], 4397 + k);
      try {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await ctx.addInitScript(() => {
          window.__long = [];
          new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
        });
        const page = await ctx.newPage();
        await page.goto(server.url);
        await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
        await page.waitForFunction(() => !document.querySelector('.run-status.running'));
        await page.waitForTimeout(500);
        await page.evaluate(() => { window.__long.length = 0; });
        const trace = join(tmpdir(), `halfopen-install-${k}.json`);
        await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink'] });
        const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
        await chooser.setFiles(scenarioFile);
        await page.getByRole('status').filter({ hasText: scenarioFile.split('/').pop() }).waitFor({ timeout: 120_000 });
        await page.waitForFunction(() => !document.querySelector('.run-status.running'), undefined, { timeout: 120_000 });
        await page.waitForTimeout(1500); // the first paint of the run comes in a task of its own
        await browser.stopTracing();
        const long = await page.evaluate(() => window.__long);
        const p = phases(trace);
        results[k].push({ long, p });
        console.log(`${dists[k]} load ${round + 1}: long tasks ${JSON.stringify(long)}; ms on the UI thread: ${PHASES.map((n) => `${n.replace('CanvasRenderingContext2D::', '')} ${Math.round(p[n])}`).join(', ')}`);
        await ctx.close();
      } finally {
        server.stop();
      }
    }
  }
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
console.log('\nmedians over the loads (ms)');
for (let k = 0; k < dists.length; k++) {
  const r = results[k];
  console.log(`${dists[k]}: longest task ${median(r.map((x) => Math.max(0, ...x.long)))}, long tasks in all ${median(r.map((x) => x.long.reduce((a, b) => a + b, 0)))}, ${PHASES.map((n) => `${n.replace('CanvasRenderingContext2D::', '')} ${Math.round(median(r.map((x) => x.p[n])))}`).join(', ')}`);
}
