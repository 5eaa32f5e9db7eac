// Every page of every checked site: axe-core (WCAG 2.2 AA) with zero violations in the light
// and the dark theme, the Nu HTML Checker with zero errors, no console errors, no sideways
// scrolling at 375 px, a visible focus indicator at every Tab stop, and diagram text of at
// least 10 CSS px at 1280 and 375 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { rm } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import {
  SITES, WCAG_TAGS, buildTemp, describeViolations, focusWalk, launch, listPages, missingMedia, offline,
  serveDir, vnu, watchConsole,
} from './lib.mjs';

/** The one vnu message the Learn pages may keep: their authors skip heading levels (the build
 * warns about those with file:line). Matched whole, on Learn pages only. */
const LEARN_HEADING_SKIP = /^The heading “h[1-6]” \(with computed level [1-6]\) follows the heading “h[1-6]” \(with computed level [1-6]\), skipping [1-5] heading levels?\.$/;
const MIN_DIAGRAM_PX = 10;

const sites = SITES.filter((s) => {
  if (s.optional && !existsSync(s.root)) {
    console.log(`# skipped ${s.name}: ${s.root} not found`);
    return false;
  }
  return true;
});

let browser;
const built = new Map();
let vnuMessages = [];
const summary = { pages: 0, smallestDiagramPx: Infinity };

before(async () => {
  for (const site of sites) {
    const { out, stderr } = await buildTemp(site);
    const { pages, redirects } = await listPages(out);
    const server = await serveDir(out);
    built.set(site.name, { out, stderr, pages, redirects, server, missing: missingMedia(stderr) });
  }
  vnuMessages = vnu([...built.values()].map((b) => b.out));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const b of built.values()) {
    await b.server.close();
    await rm(b.out, { recursive: true, force: true });
  }
  console.log(`# pages checked: ${summary.pages}; smallest diagram text: ${summary.smallestDiagramPx.toFixed(2)} px`);
});

/** Smallest rendered font size (CSS px) of any text in an inline diagram, or null. */
function smallestDiagramText(page) {
  return page.evaluate(() => {
    let min = null;
    // Font sizes sit on <tspan>s (or <text>); only elements that hold text themselves count.
    for (const t of document.querySelectorAll('svg.td-diagram text, svg.td-diagram tspan')) {
      if (![...t.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const ctm = t.getScreenCTM();
      if (!ctm || !t.getClientRects().length) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
      if (min === null || px < min) min = px;
    }
    return min;
  });
}

/** Pages checked at once, each in its own browser context (Chromium uses every core). */
const JOBS = Number(process.env.TD_BROWSER_JOBS) || Math.max(2, availableParallelism());

/** Runs every per-page check on `path` and returns the problems found (empty: passed). */
async function checkPage(page, errors, b, path) {
  const problems = [];
  const check = (ok, message) => { if (!ok) problems.push(message); };
  const url = new URL(path, b.server.url).href;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', media: 'screen' });
  await page.goto(url, { waitUntil: 'load' });
  summary.pages += 1;

  const light = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  check(light.violations.length === 0, `axe, light theme:\n${describeViolations(light.violations)}`);

  const walk = await focusWalk(page);
  check(!walk.trapped, 'Tab never leaves the page: focus trap');
  check(walk.missing.length === 0,
    `Tab stops without a visible focus indicator (of ${walk.stops}):\n    ${walk.missing.join('\n    ')}`);

  const wide = await smallestDiagramText(page);
  if (wide !== null) {
    summary.smallestDiagramPx = Math.min(summary.smallestDiagramPx, wide);
    check(wide >= MIN_DIAGRAM_PX, `diagram text ${wide.toFixed(2)} px at 1280 px`);
  }

  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await new AxeBuilder({ page }).withTags(WCAG_TAGS).withRules(['color-contrast']).analyze();
  check(dark.violations.length === 0, `axe colour contrast, dark theme:\n${describeViolations(dark.violations)}`);

  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `page scrolls sideways by ${overflow} px at 375 px`);
  const phone = await smallestDiagramText(page);
  if (phone !== null) {
    summary.smallestDiagramPx = Math.min(summary.smallestDiagramPx, phone);
    check(phone >= MIN_DIAGRAM_PX, `diagram text ${phone.toFixed(2)} px at 375 px`);
  }

  // The Learn folder's media files are not in the corpus: the build warns about each missing
  // image with file:line, and exactly those 404s (resolved against this page) are allowed.
  const allowed = b.missing.get(path) ?? new Set();
  const allowedUrls = new Set([...allowed].map((raw) => new URL(raw, url).href));
  const unexpected = errors.filter((e) => !(
    e.text.startsWith('Failed to load resource: the server responded with a status of 404')
    && allowedUrls.has(e.url)));
  check(unexpected.length === 0, `console errors:\n    ${unexpected.map((e) => `${e.text} ${e.url}`).join('\n    ')}`);
  return problems;
}

for (const site of sites) {
  describe(`site ${site.name}`, () => {
    test('Nu HTML Checker: zero errors', () => {
      const b = built.get(site.name);
      const prefix = `file:${b.out}/`;
      const errors = vnuMessages.filter((m) => m.type === 'error' && m.url?.startsWith(prefix))
        .filter((m) => !(site.learn && LEARN_HEADING_SKIP.test(m.message)));
      assert.deepEqual(errors.map((m) => `${m.url.slice(prefix.length)}:${m.lastLine}: ${m.message}`), []);
    });

    test('every page in a real browser', async (t) => {
      const b = built.get(site.name);
      assert.ok(b.pages.length > 0, 'the build wrote pages');
      const results = new Map();
      let next = 0;
      const worker = async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await offline(context);
        const page = await context.newPage();
        const errors = watchConsole(page);
        while (next < b.pages.length) {
          const path = b.pages[next];
          next += 1;
          errors.length = 0;
          try {
            results.set(path, await checkPage(page, errors, b, path));
          } catch (err) {
            results.set(path, [`check failed: ${err.stack}`]);
          }
        }
        await context.close();
      };
      await Promise.all(Array.from({ length: Math.min(JOBS, b.pages.length) }, worker));
      for (const path of b.pages) {
        await t.test(path || '/', () => assert.deepEqual(results.get(path), []));
      }
    });
  });
}
