import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The Content Security Policy of the built site: the app loads nothing from other origins, so
 * a scenario description (untrusted markdown) that slipped past the sanitiser still could not
 * make the viewer's browser fetch a URL, run script or submit a form. `blob:` for workers
 * and for the download links; inline styles only through React's style property (CSSOM,
 * which CSP allows). Only in `vite build`: the dev server needs inline scripts for HMR.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "manifest-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "child-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'halfopen-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      // Right after <meta charset>, before any script or stylesheet it must govern.
      handler: (html) => html.replace(/(<meta charset="UTF-8" \/>)/,
        `$1\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
    },
  };
}

// The app lives in app/ (index.html there); public/ holds the shipped scenarios.
// `base: './'` makes the built site work from any static host and any sub-path.
export default defineConfig({
  root: 'app',
  base: './',
  publicDir: '../public',
  plugins: [react(), contentSecurityPolicy()],
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
