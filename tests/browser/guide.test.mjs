// The decision guide explains itself: with JavaScript, the recommended model comes with the
// rule that chose it, the rule's note and one line per question on how the answer narrowed
// the choice; a rule that recommends no model says so; without JavaScript the decision
// table is the answer. Runs against the bundled site and the small site in guide-fixture/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, buildSite, serveDir, launch } from './lib.mjs';

let browser;
let bundled;
let fixture;
const dirs = [];

function temp(name) {
  const dir = mkdtempSync(join(tmpdir(), `trustdoc-guide-${name}-`));
  dirs.push(dir);
  return dir;
}

before(async () => {
  const out = temp('bundled');
  buildSite(REPO, out, ['--strict']);
  bundled = await serveDir(out);

  const fixtureOut = temp('fixture');
  buildSite(join(import.meta.dirname, 'guide-fixture'), fixtureOut, ['--strict']);
  fixture = await serveDir(fixtureOut);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await bundled?.close();
  await fixture?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Checks one radio per question (by input id and answer) and returns the result's lines. */
async function answer(page, choices) {
  for (const [input, value] of Object.entries(choices)) {
    await page.check(`form.td-decision-guide input[name="${input}"][value="${value}"]`);
  }
  return page.$$eval('output.td-guide-result > span', (spans) => spans.map((s) => s.textContent));
}

test('the recommendation names its rule, its note and how each answer narrowed the choice', async () => {
  const page = await browser.newPage();
  await page.goto(`${bundled.url}choose-a-deployment-model/`);
  const result = await answer(page, { code: 'containerize', guest_admin: 'yes', shape: 'cloud_native', cpu: 'intel' });
  assert.equal(result[0], 'Recommended: Confidential VM (Intel TDX)');
  assert.equal(result[1], 'Chosen by rule R4i.');
  assert.match(result[2], /TDX confidential VM nodes/);
  assert.equal(result[3], 'How your answers narrowed the choice:');
  const why = await page.$$eval('output.td-guide-result .td-guide-why > span', (s) => s.map((x) => x.textContent));
  assert.deepEqual(why, [
    'How far can you change the application? containerize: rules out Application enclave (Intel SGX); 3 options left.',
    'Must data be hidden from the VM admin and co-located apps? yes: rules out Confidential VM (AMD SEV-SNP); 2 options left.',
    'What does the workload look like? cloud native: rules out nothing further; 2 options left.',
    'Which CPU vendor do you need? intel: rules out Confidential containers on AKS; 1 option left.',
  ]);
  // Changing one answer changes the explanation with it.
  const amd = await answer(page, { cpu: 'amd' });
  assert.equal(amd[0], 'Recommended: Confidential containers on AKS');
  assert.equal(amd[1], 'Chosen by rule R4.');
  await page.close();
});

test('a combination no model fits is said to be so, with the rule and its note', async () => {
  const page = await browser.newPage();
  await page.goto(`${fixture.url}pick/`);
  const result = await answer(page, { cpu: 'intel' });
  assert.deepEqual(result.slice(0, 3), [
    'No model fits these answers.',
    'Said so by rule N.',
    'Nothing in this table runs on Intel',
  ]);
  const why = await page.$$eval('output.td-guide-result .td-guide-why > span', (s) => s.map((x) => x.textContent));
  assert.deepEqual(why, ['Which CPU? intel: rules out AMD VM; 1 option left.']);
  await page.close();
});

test('without JavaScript the table is the answer', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${fixture.url}pick/`);
  assert.equal(await page.isVisible('form.td-decision-guide'), false);
  assert.equal(await page.isVisible('table.td-decision-table'), true);
  const rows = await page.$$eval('table.td-decision-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.deepEqual(rows, ['AamdAMD VM', 'NintelNo model fitsNothing in this table runs on Intel']);
  await context.close();
});
