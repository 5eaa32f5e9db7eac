// Interactions and themes in a real browser: the theme toggle (remembered, no flash, same
// colours as the system dark theme), diagrams that switch palette and scroll when wide, the
// decision guide, tabs, zone pivots and alerts, the phone sidebar, the print stylesheet,
// and screenshots of each page type at 1280 and 375 px in both themes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { SITES, WCAG_TAGS, buildTemp, describeViolations, focusWalk, launch, offline, serveDir } from './lib.mjs';

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const servers = {};
const outs = [];
let browser;

before(async () => {
  for (const site of SITES) {
    if (site.optional && !existsSync(site.root)) continue;
    const { out } = await buildTemp(site);
    outs.push(out);
    servers[site.name] = await serveDir(out);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
  for (const out of outs) await rm(out, { recursive: true, force: true });
});

async function open(site, path, { width = 1280, height = 900, colorScheme = 'light', js = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  await offline(context);
  const page = await context.newPage();
  if (!js) await page.route('**/trustdoc.js', (route) => route.abort());
  await page.goto(new URL(path, servers[site].url).href, { waitUntil: 'load' });
  return { context, page };
}

async function contrast(page, label) {
  const r = await new AxeBuilder({ page }).withTags(WCAG_TAGS).withRules(['color-contrast']).analyze();
  assert.equal(r.violations.length, 0, `${label}:\n${describeViolations(r.violations)}`);
}

/** The computed fill of every distinct shape class in the page's diagrams. */
const diagramFills = (page) => page.evaluate(() => {
  const fills = {};
  for (const el of document.querySelectorAll('svg.td-diagram [class*="td-f-"]')) {
    const cls = [...el.classList].find((c) => c.startsWith('td-f-'));
    fills[cls] ??= getComputedStyle(el).fill;
  }
  return fills;
});

/** Every --td-* custom property on the root element. */
const rootTokens = (page) => page.evaluate(() => {
  const cs = getComputedStyle(document.documentElement);
  const out = {};
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      const text = rule.cssText;
      for (const m of text.matchAll(/(--td-[a-z0-9-]+)\s*:/g)) out[m[1]] = cs.getPropertyValue(m[1]).trim();
    }
  }
  return out;
});

describe('themes', () => {
  const MODEL = 'models/confidential-vm-sev-snp/';

  test('the toggle switches to dark, is remembered, and applies before the first paint', async () => {
    const { context, page } = await open('bundled', MODEL);
    const button = page.getByRole('button', { name: 'Dark theme' });
    await assert.doesNotReject(button.waitFor({ state: 'visible' }), 'toggle visible');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    const lightFills = await diagramFills(page);
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await button.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => localStorage.getItem('trustdoc-theme')), 'dark');
    const darkFills = await diagramFills(page);
    assert.ok(Object.keys(lightFills).length >= 3, 'the page has a diagram');
    assert.notEqual(darkFills['td-f-canvas'], lightFills['td-f-canvas'], 'diagram canvas switches palette');
    assert.notEqual(darkFills['td-f-ink'], lightFills['td-f-ink'], 'diagram text switches palette');
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), lightBg);
    await contrast(page, 'colour contrast after the toggle');

    // A new page load without trustdoc.js: the inline head script alone applies the choice,
    // so the first paint is already dark.
    const page2 = await context.newPage();
    await page2.route('**/trustdoc.js', (route) => route.abort());
    await page2.goto(page.url(), { waitUntil: 'domcontentloaded' });
    assert.equal(await page2.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page2.evaluate(() => getComputedStyle(document.body).backgroundColor),
      await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await context.close();
  });

  test('toggled dark equals the system dark theme, page and diagrams', async () => {
    const sys = await open('bundled', MODEL, { colorScheme: 'dark' });
    const toggled = await open('bundled', MODEL, { colorScheme: 'light' });
    await toggled.page.getByRole('button', { name: 'Dark theme' }).click();
    assert.deepEqual(await rootTokens(toggled.page), await rootTokens(sys.page));
    assert.deepEqual(await diagramFills(toggled.page), await diagramFills(sys.page));
    const code = (p) => p.evaluate(() => [...document.querySelectorAll('pre.td-code span')].slice(0, 40)
      .map((s) => getComputedStyle(s).color));
    assert.deepEqual(await code(toggled.page), await code(sys.page), 'code colours');
    // The reader who prefers dark can pick light, and light passes too.
    const button = sys.page.getByRole('button', { name: 'Dark theme' });
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await button.click();
    assert.equal(await sys.page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await contrast(sys.page, 'colour contrast, light chosen under a dark system');
    await sys.context.close();
    await toggled.context.close();
  });
});

describe('diagrams', () => {
  for (const width of [1280, 375]) {
    test(`the wide diagram keeps readable text and scrolls inside its figure at ${width} px`, async () => {
      const { context, page } = await open('bundled', 'compare-security-boundaries/', { width });
      const box = page.locator('.td-diagram-scroll').first();
      assert.equal(await box.getAttribute('role'), 'region');
      assert.match(await box.getAttribute('aria-label'), /\S/);
      assert.equal(await box.getAttribute('tabindex'), '0');
      const state = await box.evaluate((el) => ({
        scrolls: el.scrollWidth > el.clientWidth,
        cue: getComputedStyle(el.closest('figure'), '::before').content,
        pageOverflow: document.documentElement.scrollWidth - innerWidth,
      }));
      assert.ok(state.scrolls, 'the figure scrolls');
      assert.match(state.cue, /scroll sideways/i, 'a visible cue says so');
      assert.ok(state.pageOverflow <= 0, 'the page itself does not scroll sideways');
      await box.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('End');
      await page.waitForFunction((el) => el.scrollLeft > 0, await box.elementHandle());
      await context.close();
    });
  }
});

describe('decision guide', () => {
  test('every rule: answer every question, see the recommended model and its rule', async () => {
    const { context, page } = await open('bundled', 'choose-a-deployment-model/');
    const form = page.locator('form.td-decision-guide').first();
    const data = JSON.parse(await form.locator('script.td-guide-data').textContent());
    assert.ok(data.rules.length > 0);
    for (const rule of data.rules) {
      await form.getByRole('button', { name: 'Reset answers' }).click();
      for (const input of data.inputs) {
        const allowed = rule.when[input.id];
        const answer = allowed === undefined || allowed === '-' ? input.answers[0]
          : [].concat(allowed)[0];
        await form.locator(`input[type="radio"][name="${input.id}"][value="${answer}"]`).check();
      }
      const result = (await form.locator('output').textContent()).replace(/\s+/g, ' ');
      const model = data.models[[].concat(rule.then)[0]];
      assert.ok(result.includes(model), `rule ${rule.id}: "${result}" names ${model}`);
      assert.ok(result.includes(rule.id), `rule ${rule.id}: "${result}" names the rule`);
    }
    await context.close();
  });
});

describe('Learn widgets', () => {
  test('tabs: click and arrow keys switch the panel', async () => {
    const { context, page } = await open('learn-widgets', 'setup/');
    const tabs = page.getByRole('tab');
    assert.equal(await tabs.count(), 2);
    const panels = page.locator('.td-tab-panel');
    assert.equal(await tabs.nth(0).getAttribute('aria-selected'), 'true');
    assert.ok(await panels.nth(0).isVisible() && !(await panels.nth(1).isVisible()));
    await tabs.nth(1).click();
    assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');
    assert.ok(await panels.nth(1).isVisible() && !(await panels.nth(0).isVisible()));
    await page.keyboard.press('ArrowLeft');
    assert.equal(await tabs.nth(0).getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'tab');
    assert.ok(await panels.nth(0).isVisible());
    await context.close();
  });

  test('zone pivots show each zone with the pivot it applies to', async () => {
    const { context, page } = await open('learn-widgets', 'setup/');
    const zones = page.locator('.td-zone');
    assert.equal(await zones.count(), 2);
    for (const [i, text] of [[0, 'Linux only text.'], [1, 'Windows only text.']]) {
      assert.ok(await zones.nth(i).getByText(text).isVisible());
      assert.match(await zones.nth(i).locator('.td-zone-label').textContent(), /^Applies to: /);
      assert.ok(await zones.nth(i).locator('.td-zone-label').isVisible());
    }
    await context.close();
  });

  test('alerts: five kinds, each titled, with an icon and its own colour', async () => {
    const { context, page } = await open('learn-widgets', '');
    const alerts = page.getByRole('note');
    assert.equal(await alerts.count(), 5);
    const seen = await alerts.evaluateAll((els) => els.map((el) => ({
      title: el.querySelector('.td-alert-title').textContent.trim(),
      icon: getComputedStyle(el.querySelector('.td-alert-title'), '::before').content,
      border: getComputedStyle(el).borderLeftColor,
    })));
    assert.deepEqual(seen.map((a) => a.title), ['Note', 'Tip', 'Important', 'Warning', 'Caution']);
    assert.ok(seen.every((a) => a.icon !== 'none'), 'every alert has an icon');
    assert.equal(new Set(seen.map((a) => a.border)).size, 5, 'five colours');
    await context.close();
  });
});

describe('the checks themselves', () => {
  test('the focus walk reports Tab stops whose indicator was removed', async () => {
    const { context, page } = await open('bundled', 'models/');
    await page.addStyleTag({ content: '*, *::before, *::after { outline: none !important; box-shadow: none !important; }' });
    const walk = await focusWalk(page);
    assert.ok(walk.stops > 5, `${walk.stops} stops`);
    assert.ok(walk.missing.length > 5, `missing: ${walk.missing.length}`);
    await context.close();
  });
});

describe('phone sidebar', () => {
  test('opens, closes, traps no focus, Escape closes it', async () => {
    const { context, page } = await open('bundled', 'models/confidential-vm-tdx/', { width: 375, height: 740 });
    const button = page.locator('button.td-menu-button');
    const sidebar = page.locator('#td-sidebar');
    assert.ok(await button.isVisible(), 'menu button visible');
    assert.ok(!(await page.locator('label.td-menu-label').isVisible()), 'the no-JS label is replaced');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    const inView = () => sidebar.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return getComputedStyle(el).visibility !== 'hidden' && r.right > 0 && r.left < innerWidth && r.width > 0;
    });
    assert.ok(!(await inView()), 'closed drawer is off screen');
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.ok(await inView(), 'open drawer is on screen');
    assert.ok(await sidebar.evaluate((el) => el.contains(document.activeElement)), 'focus moves into the drawer');
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.ok(await button.evaluate((el) => el === document.activeElement), 'Escape returns focus to the button');
    assert.ok(!(await inView()));
    await button.click();
    let left = false;
    for (let i = 0; i < 80 && !left; i += 1) {
      await page.keyboard.press('Tab');
      left = await sidebar.evaluate((el) => !el.contains(document.activeElement));
    }
    assert.ok(left, 'Tab leaves the drawer: no focus trap');
    await button.click();
    await page.waitForFunction(() => !document.body.classList.contains('td-nav-open'));
    assert.equal(await button.getAttribute('aria-expanded'), 'false', 'the button closes it');
    await context.close();
  });
});

describe('print', () => {
  test('no navigation, diagrams kept in their light palette, link URLs shown', async () => {
    const light = await open('bundled', 'models/confidential-vm-sev-snp/');
    const lightFills = await diagramFills(light.page);
    const lightCode = await light.page.evaluate(() => getComputedStyle(document.querySelector('pre.td-code') ?? document.body).color);
    await light.context.close();
    const { context, page } = await open('bundled', 'models/confidential-vm-sev-snp/', { colorScheme: 'dark' });
    await page.emulateMedia({ media: 'print' });
    assert.deepEqual(await diagramFills(page), lightFills, 'diagram printed in the light palette under a dark system theme');
    for (const sel of ['.td-header', '.td-sidebar', '.td-toc', '.td-pagination', '.td-footer']) {
      const n = await page.locator(sel).count();
      for (let i = 0; i < n; i += 1) assert.ok(!(await page.locator(sel).nth(i).isVisible()), `${sel} hidden in print`);
    }
    const svg = page.locator('svg.td-diagram').first();
    assert.ok(await svg.isVisible(), 'diagram printed');
    const fit = await svg.evaluate((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth + 1);
    assert.ok(fit, 'diagram fits the paper width');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('pre.td-code') ?? document.body).color), lightCode);
    // The reader's explicit dark choice does not reach paper either.
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    assert.deepEqual(await diagramFills(page), lightFills, 'diagram printed light under a chosen dark theme');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    await context.close();

    const learn = await open('learn-widgets', '');
    await learn.page.emulateMedia({ media: 'print' });
    const link = learn.page.locator('.td-content a[href^="http"]').first();
    const shown = await link.evaluate((el) => getComputedStyle(el, '::after').content);
    assert.ok(shown.includes(await link.getAttribute('href')), `link URL printed: ${shown}`);
    assert.ok(!(await learn.page.locator('.td-sidebar').isVisible()));
    await learn.context.close();
  });
});

describe('screenshots', () => {
  test(`home, model, decision and Learn pages at 1280 and 375 px, light and dark, in ${SCREENSHOTS}`, async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const learnSite = servers['learn-folder'] ? 'learn-folder' : 'learn-widgets';
    const learnPage = servers['learn-folder'] ? 'confidential-vm-overview/' : 'setup/';
    const shots = [['home', 'bundled', ''], ['model', 'bundled', 'models/confidential-vm-sev-snp/'],
      ['decision', 'bundled', 'choose-a-deployment-model/'], ['learn', learnSite, learnPage]];
    let written = 0;
    for (const [name, site, path] of shots) {
      for (const width of [1280, 375]) {
        for (const colorScheme of ['light', 'dark']) {
          const { context, page } = await open(site, path, { width, height: 900, colorScheme });
          await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}-${colorScheme}.png`), fullPage: true });
          written += 1;
          await context.close();
        }
      }
    }
    assert.equal(written, 16);
    console.log(`# screenshots: ${SCREENSHOTS}`);
  });
});
