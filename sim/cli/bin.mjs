#!/usr/bin/env node
// Entry of `npx halfopen`: runs the JavaScript built ahead of time (lib/halfopen.mjs, made by
// sim/cli/build.mjs, which `npm ci` / `npm install` run as the `prepare` script). In a source
// checkout (sim/cli/main.ts is here) the sources stay the truth: when the build is missing or
// any file under sim/ is newer than it, it is rebuilt first (esbuild, ~0.1-0.3 s), so an edit
// is never run stale. An installed package has no sources and goes straight to the build.
import { existsSync, readdirSync, statSync } from 'node:fs';

const built = new URL('../../lib/halfopen.mjs', import.meta.url);
const sources = new URL('../', import.meta.url);

function newestUnder(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = new URL(e.name + (e.isDirectory() ? '/' : ''), dir);
    if (e.isDirectory()) newest = Math.max(newest, newestUnder(p));
    else if (/\.(ts|mjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (existsSync(new URL('./main.ts', import.meta.url))) {
  let stale = true;
  try {
    stale = newestUnder(sources) > statSync(built).mtimeMs;
  } catch { /* not built */ }
  if (stale) await (await import('./build.mjs')).bundle();
}
await import(built.href);
