// `trustdoc serve` in Chromium: an open page changes by itself after a save (live reload,
// after the rebuild is in place), shows the error overlay for a broken save and drops it
// after the fix, and reloads when the server restarts on the same port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, launch } from './lib.mjs';

function site() {
  const root = mkdtempSync(join(tmpdir(), 'trustdoc-serve-'));
  mkdirSync(join(root, 'content'));
  writeFileSync(join(root, 'trustdoc.toml'), 'title = "Live"\nbase_url = "https://example.org/docs/"\n');
  writeFileSync(join(root, 'content', 'index.md'), '---\ntitle: Home\n---\n\nFirst version.\n');
  return root;
}

function serve(root, port = 0) {
  const child = spawn(BIN, ['serve', '--root', root, '--port', String(port)]);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving .* at (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, url };
}

async function stop(child) {
  const done = new Promise((ok) => child.on('exit', ok));
  child.kill('SIGINT');
  return done;
}

const page = (root, text) => writeFileSync(join(root, 'content', 'index.md'), `---\ntitle: Home\n---\n\n${text}\n`);

test('live reload, error overlay and reconnect after a restart', async () => {
  const root = site();
  let server = serve(root);
  const url = await server.url;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/docs\/$/);
  const browser = await launch();
  try {
    const tab = await browser.newPage();
    await tab.goto(url);
    await tab.getByText('First version.').waitFor();
    // Give EventSource a moment to connect, then save.
    await tab.waitForTimeout(300);
    page(root, 'Second version.');
    await tab.getByText('Second version.').waitFor({ timeout: 30000 });

    page(root, 'Broken [link](<missing&.md>).');
    const overlay = tab.locator('#trustdoc-overlay');
    await overlay.waitFor({ timeout: 30000 });
    const text = await overlay.innerText();
    assert.match(text, /content\/index\.md:5:\d+: error: /);
    assert.ok(text.includes('missing&.md'), text);
    page(root, 'Third version.');
    await tab.getByText('Third version.').waitFor({ timeout: 30000 });
    assert.equal(await overlay.count(), 0);

    // A new server on the same port: the page reconnects and reloads.
    const port = new URL(url).port;
    await stop(server.child);
    page(root, 'After the restart.');
    server = serve(root, port);
    await server.url;
    await tab.getByText('After the restart.').waitFor({ timeout: 30000 });
  } finally {
    await browser.close();
    await stop(server.child);
  }
});
