import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The app lives in app/ (index.html there); public/ holds the shipped scenarios.
// `base: './'` makes the built site work from any static host and any sub-path.
export default defineConfig({
  root: 'app',
  base: './',
  publicDir: '../public',
  plugins: [react()],
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  build: { outDir: '../dist', emptyOutDir: true },
  worker: { format: 'es' },
  test: {
    root: '.',
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'test/kernel/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
