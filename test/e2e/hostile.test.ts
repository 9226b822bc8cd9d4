/**
 * Untrusted input: a scenario file and a share link crafted to run script (script tags,
 * event handlers, javascript: links, huge strings). Nothing may execute; the user sees a
 * message; names and descriptions show as text or sanitised markdown.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { deflateSync } from 'fflate';
import { hasChromium, launch, openApp, RESULTS, waitForRun } from './browser.ts';
import { encodeSharePayload, toBase64Url } from '../../app/share/shareLink.ts';

let browser: Browser;
beforeAll(async () => { if (hasChromium) browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">' +
  '<a href="javascript:window.__pwned=3">click me</a><svg onload="window.__pwned=4"></svg>';

const hostileScenario = {
  format: 'halfopen/scenario', version: 1,
  name: `<img src=x onerror="window.__pwned=5">${'N'.repeat(150)}`,
  description: `# Hello\n\n${XSS}\n\n[link](javascript:window.__pwned=6) and <iframe src="javascript:window.__pwned=7"></iframe>`,
  durationMs: 10000,
  broker: { id: 'broker' },
  clients: [{ id: 'c1', keepAliveSeconds: 5, will: { topic: 'status/<b>x</b>', payload: XSS } }],
};

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  const path = `${RESULTS}/${name}`;
  writeFileSync(path, text);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import scenario', exact: true }).click()]);
  await chooser.setFiles(path);
}

describe.skipIf(!hasChromium)('hostile input', () => {
  it('a hostile but valid file loads as inert text; an invalid one with huge strings is refused', async () => {
    const { page } = await openApp(browser);
    await importFile(page, 'hostile.json', JSON.stringify(hostileScenario));
    await waitForRun(page);
    await page.getByRole('status').filter({ hasText: 'Loaded' }).waitFor();
    await page.locator('.scenario-description summary').click();
    // The description now opens over the page (issue 12: readable width at 1280), so it is
    // closed again before the topology underneath is clicked.
    await page.locator('.scenario-description summary').click();
    await page.getByRole('button', { name: /^client c1/ }).click();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(await pwned(page)).toBeNull();
    // No live script, handler or javascript: URL reached the DOM.
    const live = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll('.markdown script, .markdown iframe, .markdown img, .markdown svg')].length,
      handlers: [...document.querySelectorAll('.markdown *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(live).toEqual({ scripts: 0, handlers: 0, jsLinks: 0 });
    // The name shows as text, tags and all.
    expect(await page.locator('.scenario-name strong').textContent()).toContain('<img src=x');
    await page.screenshot({ path: `${RESULTS}/hostile-file.png` });

    const huge = { ...hostileScenario, name: 'x'.repeat(1_000_000), clients: [{ id: '<script>', keepAliveSeconds: -1 }] };
    await importFile(page, 'hostile-invalid.json', JSON.stringify(huge));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Import refused/);
    expect(await alert.textContent()).toContain('clients[0]');
    expect(await page.locator('.scenario-name strong').textContent()).toContain('<img src=x');
    expect(await pwned(page)).toBeNull();
    await page.screenshot({ path: `${RESULTS}/hostile-invalid.png` });
    await page.context().close();
  });

  it('hostile share links are refused with a message, or load inert', async () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(3_000_000).fill(32), { level: 9 }));
    const cases: [string, RegExp][] = [
      [`#scenario=${encodeURIComponent('<script>window.__pwned=8</script>')}`, /Share link refused.*malformed/],
      ['#scenario=AAAA', /Share link refused/],
      [`#scenario=${bomb}`, /too large/],
      [`#scenario=${encodeSharePayload('{"format":"halfopen/scenario","version":1,"name":"<script>x</script>"}')}`, /Share link refused.*problem/],
    ];
    for (const [hash, message] of cases) {
      const { page, errors } = await openApp(browser, hash);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(message);
      expect(await pwned(page)).toBeNull();
      expect(errors).toEqual([]);
      await page.context().close();
    }
    const { page } = await openApp(browser, `#scenario=${encodeSharePayload(JSON.stringify(hostileScenario))}`);
    await page.getByRole('status').filter({ hasText: 'share link' }).waitFor();
    await page.locator('.scenario-description summary').click();
    await page.waitForTimeout(300);
    expect(await pwned(page)).toBeNull();
    await page.screenshot({ path: `${RESULTS}/hostile-link.png` });
    await page.context().close();
  });
});

/** A local HTTP server that counts every request it receives (the "link author's" server). */
async function trapServer(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

/** Every way markup can make a browser fetch a URL without a click, all pointing at `u`. */
function fetchingDescription(u: string, linkTo: string): string {
  return [
    '# Loads nothing', '', `![markdown image](${u}/md-img.png)`, '',
    `<img src="${u}/img.png"><img srcset="${u}/srcset.png 1x"><picture><source srcset="${u}/picture.png"><img></picture>`,
    `<audio src="${u}/audio.mp3" autoplay></audio><audio autoplay><source src="${u}/source.mp3"><track src="${u}/track.vtt"></audio>`,
    `<video poster="${u}/poster.png" src="${u}/video.mp4" autoplay muted></video>`,
    `<table background="${u}/table-bg.png"><tr><td background="${u}/td-bg.png">cell</td></tr></table>`,
    `<div style="background-image:url(${u}/style-url.png)">styled</div><span style="background:url('${u}/span.png')">s</span>`,
    `<style>@import url("${u}/import.css"); body { background: url(${u}/style-tag.png) }</style>`,
    `<link rel="stylesheet" href="${u}/link.css"><link rel="prefetch" href="${u}/prefetch"><link rel="preload" as="image" href="${u}/preload.png">`,
    `<meta http-equiv="refresh" content="0;url=${u}/meta-refresh">`,
    `<object data="${u}/object.bin"></object><embed src="${u}/embed.swf"><iframe src="${u}/iframe.html"></iframe>`,
    `<svg><image href="${u}/svg-image.png"/><image xlink:href="${u}/svg-xlink.png"/><use href="${u}/use.svg#x"/></svg>`,
    `<math><mi xlink:href="${u}/math">m</mi></math>`,
    `<form action="${u}/form-action"><button formaction="${u}/formaction">go</button><input type="image" src="${u}/input-image.png"></form>`,
    `<body background="${u}/body-bg.png"><base href="${u}/base/">`,
    `<script src="${u}/script.js"></script><frameset><frame src="${u}/frame.html"></frameset>`,
    `<a href="${u}/a-ping-href" ping="${u}/ping">raw link with a ping</a>`,
    '', `Text with [a markdown link](${linkTo}/clicked), [a data link](data:text/html,<b>x</b>), [a script link](javascript:fetch('${u}/js'))`,
    `and ![an inline image](${u}/inline.png) <img src="${u}/inline-raw.png"> <span style="background:url(${u}/inline-style.png)">inline</span>.`,
    '',
    `<a href="javascript:fetch('${u}/js-href')">js link</a> <a href="${u.replace('http:', '')}/protocol-relative">protocol-relative</a>`,
  ].join('\n');
}

describe.skipIf(!hasChromium)('a share link loads nothing from other servers (issue 10, defect 4)', () => {
  it('no element or attribute of the description fetches a URL (raw HTML shows as text); links open only on a click, in a new tab, without referrer', async () => {
    const trap = await trapServer();
    const other = await trapServer(); // where the one link goes when clicked
    try {
      const scenario = {
        format: 'halfopen/scenario', version: 1, name: 'Fetches nothing', durationMs: 10_000,
        description: fetchingDescription(trap.url, other.url),
        broker: { id: 'broker' }, clients: [{ id: 'c1', keepAliveSeconds: 5 }],
      };
      const { page, errors } = await openApp(browser, `#scenario=${encodeSharePayload(JSON.stringify(scenario))}`);
      await page.getByRole('status').filter({ hasText: 'share link' }).waitFor();
      await page.locator('.scenario-description summary').click();
      await page.waitForTimeout(1500);
      expect(trap.hits).toEqual([]);
      // What is left in the description: only elements and attributes that load nothing.
      const left = await page.evaluate(() => {
        const md = document.querySelector('.scenario-description .markdown')!;
        const tags = new Set<string>();
        const attrs = new Set<string>();
        for (const el of md.querySelectorAll('*')) {
          tags.add(el.tagName.toLowerCase());
          for (const a of el.attributes) attrs.add(a.name);
        }
        const links = [...md.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), rel: a.rel, target: a.target }));
        return { tags: [...tags].sort(), attrs: [...attrs].sort(), links };
      });
      for (const t of ['img', 'audio', 'video', 'source', 'track', 'picture', 'style', 'link', 'meta', 'object', 'embed', 'iframe', 'svg', 'image', 'use', 'math', 'form', 'button', 'input', 'base', 'script', 'frame', 'frameset', 'body']) {
        expect(left.tags).not.toContain(t);
      }
      expect(left.attrs.filter((a) => !['href', 'title', 'align', 'start', 'target', 'rel'].includes(a))).toEqual([]);
      const withHref = left.links.filter((l) => l.href !== null);
      expect(withHref).toEqual([{ href: `${other.url}/clicked`, rel: 'noopener noreferrer', target: '_blank' }]);
      await page.screenshot({ path: `${RESULTS}/hostile-fetching-link.png` });

      // A click opens the link in a new tab, without the ping.
      const [popup] = await Promise.all([page.context().waitForEvent('page'),
        page.locator('.scenario-description .markdown a', { hasText: 'a markdown link' }).click()]);
      await popup.waitForLoadState();
      await page.waitForTimeout(500);
      expect(other.hits[0]).toBe('GET /clicked'); // (the new tab may then ask that server for its favicon)
      expect(trap.hits).toEqual([]);
      expect(await popup.evaluate(() => document.referrer)).toBe('');
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      trap.server.close();
      other.server.close();
    }
  });

  it('the built index.html carries a Content Security Policy that forbids other origins, and the app runs under it', async () => {
    const html = readFileSync('dist/index.html', 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    const csp = meta![1]!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/https?:|\*/);
    // The CSP comes before any script or stylesheet.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    // The app runs under it: the worker simulates, no violation is reported.
    const { page, errors } = await openApp(browser);
    const violations = await page.evaluate(() => new Promise<number>((resolve) => {
      let n = 0;
      document.addEventListener('securitypolicyviolation', () => { n++; });
      setTimeout(() => resolve(n), 500);
    }));
    expect(violations).toBe(0);
    expect(await page.locator('.log-row').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
