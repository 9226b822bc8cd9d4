/**
 * Builds the app once and serves dist/ with `vite preview` on 127.0.0.1:4173 (or HALFOPEN_E2E_PORT) for the whole
 * e2e run; the server is killed (by its pid) afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITE = `${ROOT}node_modules/vite/bin/vite.js`;
const PORT = String(Number(process.env.HALFOPEN_E2E_PORT ?? 4173));
export const BASE_URL = `http://127.0.0.1:${PORT}/`;

let server: ChildProcess | null = null;

async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await sleep(200);
  }
  throw new Error(`vite preview did not answer at ${url} within ${ms} ms`);
}

export default async function setup(): Promise<() => Promise<void>> {
  // NODE_ENV: vitest sets it to 'test', which would make this build bundle React's
  // development build (several times slower); the app is measured as it ships.
  const build = spawnSync(process.execPath, [VITE, 'build', '--logLevel', 'warn'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  server = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', PORT, '--strictPort'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout?.on('data', (d) => { log += String(d); });
  server.stderr?.on('data', (d) => { log += String(d); });
  try {
    await waitForServer(BASE_URL, 30_000);
  } catch (err) {
    server.kill();
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  return async () => {
    if (server?.pid && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
  };
}
