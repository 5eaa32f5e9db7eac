// Publishing in the browser: the bundled site built with `relative_urls = true` works when
// opened from file:// (styles, scripts, diagrams and links to other pages), and the search
// box says that search needs HTTP there; a prefix build loads every resource under its
// prefix when served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO, buildSite, serveDir, launch } from './lib.mjs';

let browser;
const work = mkdtempSync(join(tmpdir(), 'trustdoc-publish-'));
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); rmSync(work, { recursive: true, force: true }); });

/** Every request the page made that failed or got an error status. */
function watchFailures(page) {
  const failed = [];
  // ERR_ABORTED means the page navigated away before a request (often the favicon) finished:
  // not a broken resource. A missing file reports ERR_FILE_NOT_FOUND or a 404 instead.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) failed.push(`${r.url()} (${why})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} (${r.status()})`); });
  return failed;
}

test('relative mode: the bundled site works from file://', async () => {
  const root = join(work, 'site');
  cpSync(join(REPO, 'content'), join(root, 'content'), { recursive: true });
  const config = readFileSync(join(REPO, 'trustdoc.toml'), 'utf8');
  writeFileSync(join(root, 'trustdoc.toml'), `${config}\nrelative_urls = true\n`);
  const out = join(root, 'public');
  buildSite(root, out);
  const page = await browser.newPage();
  const failed = watchFailures(page);
  try {
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    // The stylesheet applied: the header is laid out as a flex row.
    assert.equal(await page.locator('.td-header-inner').evaluate((e) => getComputedStyle(e).display), 'flex');
    // Follow the sidebar into a folder and on to a page in it, then the brand link back home.
    await page.locator('.td-nav a', { hasText: 'Using trustdoc' }).first().click();
    await page.waitForURL(/guide\/index\.html$/);
    await page.locator('.td-nav a', { hasText: 'Getting started' }).first().click();
    await page.waitForURL(/guide\/getting-started\/index\.html$/);
    assert.match(await page.title(), /^Getting started/);
    await page.locator('a.td-brand').click();
    await page.waitForURL(/public\/index\.html$/);
    // A page with diagrams: drawn inline, and the links to their files lead to files.
    await page.goto(pathToFileURL(join(out, 'compare-security-boundaries', 'index.html')).href);
    assert.ok(await page.locator('svg[role=img], figure svg').count() > 0, 'no diagram drawn');
    const files = await page.locator('a[href*="diagrams/"]').evaluateAll((as) => as.map((a) => a.href));
    assert.ok(files.length > 0, 'no links to diagram files');
    for (const f of files) assert.ok(existsSync(fileURLToPath(f)), `missing ${f}`);
    // Search says why it is off instead of failing silently.
    const input = page.locator('#td-search-input');
    assert.equal(await input.isDisabled(), true);
    assert.match(await page.locator('#td-search-status').textContent(), /served over HTTP/);
    assert.deepEqual(failed, []);
    // The icon the layout names is on disk (its request may be cut short by a navigation).
    const icon = await page.locator('link[rel=icon]').evaluate((l) => l.href);
    assert.ok(existsSync(fileURLToPath(icon)), `missing ${icon}`);
  } finally {
    await page.close();
  }
});

test('prefix build: every resource loads under the prefix', async () => {
  const out = join(work, 'prefix');
  buildSite(REPO, out, ['--base-url', 'https://example.github.io/docs/pr-42/']);
  const server = await serveDir(out, '/docs/pr-42/');
  const page = await browser.newPage();
  const failed = watchFailures(page);
  const outside = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (!u.pathname.startsWith('/docs/pr-42/')) outside.push(r.url()); });
  try {
    for (const path of ['', 'guide/getting-started/', 'compare-security-boundaries/', 'no-such-page/']) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
    }
    // The 404 page's links still lead into the prefix.
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
    for (const h of hrefs) {
      if (new URL(h).host === new URL(server.url).host) assert.match(new URL(h).pathname, /^\/docs\/pr-42\//, h);
    }
    assert.deepEqual(outside, []);
    assert.deepEqual(failed.filter((f) => !f.includes('no-such-page')), []);
  } finally {
    await page.close();
    await server.close();
  }
});
