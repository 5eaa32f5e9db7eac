// Search in the browser: the bundled site's search box finds a page by a word only its
// body contains, under a path prefix as well as at the root; title matches rank first;
// the box is usable with the keyboard and announces its results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, buildSite, serveDir, launch } from './lib.mjs';

let browser;
const work = mkdtempSync(join(tmpdir(), 'trustdoc-search-'));
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); rmSync(work, { recursive: true, force: true }); });

/** Types `query` into the search box and returns the result links' text and href. */
async function search(page, query) {
  const box = page.getByRole('searchbox', { name: 'Search the documentation' });
  await box.click();
  await box.fill('');
  await box.pressSequentially(query, { delay: 20 });
  await page.locator('#td-search-results li').first().waitFor({ timeout: 15000 });
  return page.locator('#td-search-results a').evaluateAll(
    (as) => as.map((a) => ({ title: a.textContent, href: a.getAttribute('href') })));
}

for (const prefix of ['/', '/docs/pr-42/']) {
  test(`bundled site: a body-only word finds its page first (served at ${prefix})`, async () => {
    const out = join(work, `bundled${prefix.replaceAll('/', '-')}`);
    buildSite(REPO, out, ['--base-url', `https://example.github.io${prefix}`]);
    const server = await serveDir(out, prefix);
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}guide/getting-started/`);
      // "katapolicygen" appears in the body of one page and in no title.
      const results = await search(page, 'katapolicygen');
      assert.ok(results.length >= 1, 'no results');
      assert.equal(results[0].title, 'Confidential containers on AKS');
      assert.equal(results[0].href, `${prefix}models/confidential-containers/`);
      const excerpt = await page.locator('#td-search-results .td-search-excerpt').first().innerHTML();
      assert.match(excerpt, /<mark>katapolicygen<\/mark>/i);
      const status = page.locator('#td-search-status');
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      assert.match(await status.textContent(), /found for/);
      // Keyboard: Down moves into the results, Enter on the input opens the first one.
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.textContent),
        'Confidential containers on AKS');
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'td-search-input');
      await Promise.all([page.waitForURL(/models\/confidential-containers\/$/), page.keyboard.press('Enter')]);
      assert.equal(await page.title(), 'Confidential containers on AKS - Confidential computing deployment guide');
    } finally {
      await page.close();
      await server.close();
    }
  });
}

test('a title match ranks above pages that only mention the word', async () => {
  const root = join(work, 'rank');
  const w = (rel, text) => { mkdirSync(join(root, rel, '..'), { recursive: true }); writeFileSync(join(root, rel), text); };
  w('trustdoc.toml', 'title = "Rank"\n');
  w('content/index.md', '---\ntitle: Home\n---\nStart here.\n');
  w('content/body.md', '---\ntitle: Gardening notes\n---\n' +
    'Quillwort grows in lakes. Quillwort is small. We saw quillwort again, and more quillwort.\n');
  w('content/named.md', '---\ntitle: Quillwort\n---\nA plant of shallow water, described at length elsewhere in the notes. '.repeat(3) + '\n');
  const out = join(root, 'public');
  buildSite(root, out);
  const server = await serveDir(out, '/');
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    const results = await search(page, 'quillwort');
    assert.deepEqual(results.map((r) => r.title), ['Quillwort', 'Gardening notes']);
    // Escape clears the box and the list.
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#td-search-input').inputValue(), '');
    assert.equal(await page.locator('#td-search-results').isHidden(), true);
  } finally {
    await page.close();
    await server.close();
  }
});
