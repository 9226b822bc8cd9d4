/**
 * The built app served on 127.0.0.1 for the bench tools that drive it in Chromium
 * (fleet-browser.ts for `npm run bench`, storm-ab.mjs, profile-worker.mjs, trace-install.mjs): `vite build` into a directory, and `vite preview`
 * of a directory, answered before it returns. (The e2e suite has its own, test/e2e/globalSetup.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');

/** Builds the working tree's app into `outDir` (with source maps when asked). */
export function buildApp(outDir, { sourcemap = false } = {}) {
  const b = spawnSync(process.execPath, [VITE, 'build', '--logLevel', 'error', ...(sourcemap ? ['--sourcemap'] : []), '--outDir', outDir],
    { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`vite build failed: ${b.stderr}`);
}

/** Serves `dist` on `port` and waits until it answers; `stop()` ends the server. */
export async function serveApp(dist, port) {
  const server = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist],
    { cwd: ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    if (i > 150) { server.kill('SIGTERM'); throw new Error(`vite preview did not answer at ${url}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => server.kill('SIGTERM') };
}
