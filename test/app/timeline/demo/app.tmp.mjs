import { preview } from 'vite';
import { chromium } from 'playwright-core';
const server = await preview({ root: '/work/main/app', configFile: false, logLevel: 'error', build: { outDir: '/tmp/app-dist' }, preview: { port: 5197, host: '127.0.0.1' } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.resolvedUrls.local[0]);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: '/tmp/app.png' });
  const play = page.getByRole('button', { name: 'Play' });
  if (await play.count()) { await play.first().click(); await page.waitForTimeout(2500); await page.screenshot({ path: '/tmp/app2.png' }); }
  console.log('errors', errors);
} finally { await browser.close(); await server.close(); }
