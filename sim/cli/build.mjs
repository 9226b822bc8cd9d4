#!/usr/bin/env node
// Builds the JavaScript that `halfopen` and `import ... from 'halfopen'` run, from the
// TypeScript sources (which stay the truth): `npm ci` runs it (the `prepare` script), and the
// bin (bin.mjs) reruns its bundling step when a source is newer than the build.
//
//   lib/halfopen.mjs    the command (sim/cli/main.ts), one file
//   lib/index.mjs       the programmatic API (sim/cli/api.ts)
//   lib/types/**.d.ts   type declarations (tsc; skipped with --bundle-only)
//   lib/scenario.schema.json  the JSON Schema of scenario files (sim/scenario/json-schema.ts)
//
// Bundling uses esbuild's JS API. esbuild's own install script (which only checks and
// optimises its binary) is not run here ("allowScripts": { "esbuild": false }); the JS API finds
// the platform binary from the optional @esbuild/<platform> package without it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lib = join(root, 'lib');

const ENTRIES = {
  'halfopen': 'sim/cli/main.ts',
  'index': 'sim/cli/api.ts',
};

/** Bundles the entries; each output is written beside its target and renamed in place. */
export async function bundle() {
  mkdirSync(lib, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, join(root, v)])),
    outdir: lib,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // mqtt-packet (CommonJS) stays a runtime dependency, loaded by Node itself.
    packages: process.env.HALFOPEN_EXTERNAL ? 'external' : undefined,
    write: false,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    // mqtt-packet's parser keeps its bytes in `bl()`, a BufferList that is also a Duplex stream
    // (bl.js, which loads readable-stream); it only calls BufferList methods (append, consume,
    // readUInt8, slice, get, length), so the bundle takes bl's plain BufferList (the same
    // methods: bl.js copies them onto the stream) and leaves readable-stream out: ~10 ms of
    // start-up. test/cli/built.test.ts compares the built traces with the sources' (real bl).
    alias: { bl: join(root, 'node_modules', 'bl', 'BufferList.js') },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // mqtt-packet and its helpers are CommonJS that `require` Node's built-ins.
    banner: {
      js: '// Built from the TypeScript sources in sim/ by sim/cli/build.mjs; do not edit.\n'
        + 'import { createRequire as __halfopenRequire } from \'node:module\';\n'
        + 'const require = __halfopenRequire(import.meta.url);',
    },
  });
  const tag = `${process.pid}-${Date.now()}`;
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temp = `${file.path}.${tag}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  writeNotices(Object.keys(result.metafile.inputs));
  return result.outputFiles.map((f) => f.path);
}

/** lib/THIRD-PARTY.md: the name, version, licence and licence text of every bundled package. */
function writeNotices(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  let text = '# Packages bundled into lib/\n';
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    text += `\n## ${pkg.name} ${pkg.version} (${pkg.license ?? 'no licence field'})\n`;
    const file = readdirSync(join(root, dir)).find((f) => /^licen[cs]e/i.test(f));
    if (file) text += '\n```\n' + readFileSync(join(root, dir, file), 'utf8').trim() + '\n```\n';
  }
  const temp = join(lib, `THIRD-PARTY.md.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, join(lib, 'THIRD-PARTY.md'));
}

/** Removes chunks of earlier builds (content-hashed names) that this build did not write. */
function pruneChunks(written) {
  const dir = join(lib, 'chunks');
  const keep = new Set(written);
  for (const name of readdirSync(dir)) {
    if (!keep.has(join(dir, name))) rmSync(join(dir, name), { force: true });
  }
}

/** lib/scenario.schema.json, generated from the validator's tables (sim/scenario/json-schema.ts). */
export async function writeSchema() {
  const api = await import(`${pathToFileURL(join(lib, 'index.mjs')).href}?at=${Date.now()}`);
  const temp = join(lib, `scenario.schema.json.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(api.scenarioJsonSchema(), null, 2) + '\n');
  renameSync(temp, join(lib, 'scenario.schema.json'));
}

/** Type declarations of the API (sim/api.ts and what it reaches) into lib/types. */
export function declarations() {
  rmSync(join(lib, 'types'), { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'sim', 'cli', 'tsconfig.lib.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tsc (declarations) failed with exit ${r.status}`);
  // The sources import './x.ts'; a declaration file names its neighbour './x.js' (which a
  // consumer's TypeScript resolves to './x.d.ts' under any module resolution).
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.d.ts')) {
        const text = readFileSync(p, 'utf8');
        const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\.ts\2/g, '$1$2$3.js$2');
        if (fixed !== text) writeFileSync(p, fixed);
      }
    }
  };
  walk(join(lib, 'types'));
}

/**
 * `npm pack` / `npm publish`: the packed package.json must not carry the `prepare` script (npm
 * lists it among a dependency's install scripts and warns, though it never runs it for a
 * tarball). --prepack removes it after keeping the original bytes; --postpack puts them back
 * (the pattern of typicode's pinst).
 */
const kept = join(root, 'node_modules', '.cache', 'halfopen-package.json');
function prepack() {
  const path = join(root, 'package.json');
  const text = readFileSync(path, 'utf8');
  mkdirSync(dirname(kept), { recursive: true });
  writeFileSync(kept, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
}
function postpack() {
  writeFileSync(join(root, 'package.json'), readFileSync(kept));
  rmSync(kept);
}

if (process.argv.includes('--postpack')) postpack();
else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  pruneChunks(await bundle());
  await writeSchema();
  if (!process.argv.includes('--bundle-only')) declarations();
  if (process.argv.includes('--prepack')) prepack();
  process.stderr.write(`halfopen: built lib/ in ${Math.round(performance.now() - t0)} ms\n`);
}
