#!/usr/bin/env node
// `npm test`: runs every suite in turn and ends with one plain line "N passed, N failed".
//
// Suites: the unit/scenario/property suite (vitest, Node), the end-to-end suite in real
// Chromium, and the kernel reference suite (real kernels in network namespaces, real brokers
// and clients, tshark; test/kernel/README.md). Suites that need Chromium, root, nft, tshark,
// mosquitto or Paho skip loudly when those are missing, and fail under CI=true (each suite
// checks that itself). Set HALFOPEN_SUITES=unit,e2e,kernel to run a subset (`brokers` is the
// old name of `kernel` and still selects it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-results');
mkdirSync(out, { recursive: true });

const suites = [
  { name: 'unit', args: [] },
  { name: 'e2e', args: ['--config', 'test/e2e/vitest.config.ts'], config: 'test/e2e/vitest.config.ts' },
  { name: 'kernel', args: ['--config', 'test/kernel/vitest.config.ts'], config: 'test/kernel/vitest.config.ts' },
];
const wanted = (process.env.HALFOPEN_SUITES ?? '').split(',').filter(Boolean).map((s) => (s === 'brokers' ? 'kernel' : s));

let passed = 0, failed = 0, skipped = 0, exitCode = 0;
for (const suite of suites) {
  if (wanted.length && !wanted.includes(suite.name)) continue;
  if (suite.config && !existsSync(join(root, suite.config))) {
    console.error(`\n!!! suite ${suite.name}: ${suite.config} is missing`);
    failed++; exitCode = 1; continue;
  }
  const report = join(out, `vitest-${suite.name}.json`);
  rmSync(report, { force: true });
  console.log(`\n=== suite: ${suite.name} ===`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run',
    ...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) exitCode = 1;
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    passed += j.numPassedTests ?? 0;
    failed += (j.numFailedTests ?? 0) + (r.status !== 0 && !j.numFailedTests ? 1 : 0);
    skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  } else if (r.status !== 0) failed++;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode);
