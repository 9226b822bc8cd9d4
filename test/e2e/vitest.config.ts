/**
 * End-to-end tests: the built app (vite build → dist/, served by vite preview on
 * 127.0.0.1:4173) driven in Debian's Chromium through playwright-core.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
