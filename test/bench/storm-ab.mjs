/**
 * Paired A/B timing of the fleet storm in Chromium: the same measurement as `npm run bench`'s
 * app target (test/bench/fleet-browser.ts: import test/bench/storm-10k.json, wait until the
 * Fleet region is drawn with the run installed), for several builds in turn, round after round,
 * so that the machine's slow minutes fall on all of them alike. Prints each run and the medians.
 * Not a test: a tool for deciding whether a change to the simulator or the app made the storm
 * faster, on machines whose speed drifts by 10-20 % from one minute to the next.
 *
 * Usage: node test/bench/storm-ab.mjs [--rounds N, default 4] [--scenario FILE] --dist DIR [--dist DIR ...]
 *   Build each with `npx vite build --outDir DIR` (a git worktree of the other commit for the
 *   baseline). With no --dist it builds the working tree into a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildApp, ROOT, serveApp } from './app-server.mjs';
import { importUntilDrawn } from './storm-import.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const rounds = Number(opt('--rounds') ?? 4);
const file = opt('--scenario') ?? join(ROOT, 'test/bench/storm-10k.json');
const dists = args.flatMap((a, i) => (a === '--dist' ? [args[i + 1]] : []));
const tmp = mkdtempSync(join(tmpdir(), 'halfopen-ab-'));
if (dists.length === 0) {
  const dist = join(tmp, 'dist');
  buildApp(dist);
  dists.push(dist);
}

/** Seconds from choosing the file until the Fleet region is drawn (storm-import.mjs), and the worker's own run. */
async function timeOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The worker's own time for the run (its reply's elapsedMs): the rest is the UI's.
  await context.addInitScript(() => {
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...a) {
        super(...a);
        // A run's reply (app/worker/protocol.ts WorkerReply, type 'run') carries elapsedMs.
        this.addEventListener('message', (e) => {
          if (e.data?.type === 'run' && typeof e.data.elapsedMs === 'number') window.__simMs = e.data.elapsedMs;
        });
      }
    };
  });
  try {
    const page = await context.newPage();
    const seconds = await importUntilDrawn(page, url, file);
    const simMs = await page.evaluate(() => window.__simMs ?? null);
    return { seconds, worker: simMs === null ? null : simMs / 1000 };
  } finally {
    await context.close();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const times = dists.map(() => []);
const workerTimes = dists.map(() => []);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const servers = [];
try {
  for (let k = 0; k < dists.length; k++) servers.push(await serveApp(dists[k], 4410 + k));
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so that neither build always runs first in a round.
    const order = dists.map((_, k) => k);
    if (r % 2 === 1) order.reverse();
    for (const k of order) {
      const { seconds, worker } = await timeOnce(browser, servers[k].url);
      times[k].push(seconds);
      if (worker !== null) workerTimes[k].push(worker);
      console.log(`round ${r + 1}: ${dists[k]}: ${seconds.toFixed(2)} s${worker === null ? '' : ` (the worker's run ${worker.toFixed(2)} s)`}`);
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.stop();
  rmSync(tmp, { recursive: true, force: true });
}
for (let k = 0; k < dists.length; k++) {
  console.log(`${dists[k]}: median ${median(times[k]).toFixed(2)} s of ${times[k].map((t) => t.toFixed(2)).join(', ')}` +
    (workerTimes[k].length > 0 ? `; the worker's run: median ${median(workerTimes[k]).toFixed(2)} s` : ''));
}
if (dists.length > 1) {
  console.log(`ratio of medians to the first: ${dists.slice(1).map((_, i) => (median(times[i + 1]) / median(times[0])).toFixed(3)).join(', ')}`);
}
