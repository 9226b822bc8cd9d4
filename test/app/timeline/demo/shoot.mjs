// Screenshot of the demo page: node test/app/timeline/demo/shoot.mjs OUT.png [query] [actions]
// Starts a Vite dev server on this folder, opens it in Chromium, saves a PNG, stops both.
import { createServer } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const out = process.argv[2] ?? '/tmp/timeline.png';
const query = process.argv[3] ?? '';
const script = process.argv[4] ?? '';
const server = await createServer({
  root, configFile: false, plugins: [react()], logLevel: 'error',
  server: { port: 5199, strictPort: false, host: '127.0.0.1', fs: { allow: [fileURLToPath(new URL('../../../..', import.meta.url))] } },
});
await server.listen();
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 420 }, deviceScaleFactor: Number(process.env.DPR ?? 1) });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + query);
  await page.waitForSelector('[data-testid=sequence-diagram] .tl-lane-name', { timeout: 20000 });
  if (script) await new Function('page', `return (async () => { ${script} })()`)(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  if (errors.length) console.log('page errors:', errors.join('\n'));
  console.log('saved', out);
} finally {
  await browser.close();
  await server.close();
}
