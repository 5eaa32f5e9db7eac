// Shared helpers for the browser suite: build a site with the trustdoc binary, serve a
// folder on 127.0.0.1 with Node's own HTTP server, and launch Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const BIN = process.env.TRUSTDOC_BIN || join(REPO, 'target', 'debug', 'trustdoc');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Runs `trustdoc build` and throws with its stderr when it fails. */
export function buildSite(root, output, extra = []) {
  const args = ['build', '--quiet', '--output', output, ...(root ? ['--root', root] : []), ...extra];
  const run = spawnSync(BIN, args, { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`trustdoc ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
  }
  return run;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.xml': 'application/xml', '.txt': 'text/plain', '.woff2': 'font/woff2',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.wasm': 'application/wasm',
};

/** Serves `dir` on a free loopback port; resolves to { url, close }. */
export async function serveDir(dir, prefix = '/') {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); res.end(); return; }
    path = normalize(join(root, path.slice(prefix.length)));
    if (path !== root && !path.startsWith(root + sep)) { res.writeHead(403); res.end(); return; }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      let body = '';
      try { body = await readFile(join(root, '404.html')); } catch { /* no 404 page */ }
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches headless Chromium with the flags this machine and CI need. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The sites the suite checks: the bundled site, the suite's own Learn-style fixture, and the
 * Learn folder from ../shared when it exists (`null` root means the repository itself). */
export const LEARN_ROOT = process.env.TRUSTDOC_LEARN_ROOT
  || resolve(REPO, '..', 'shared', 'corpus', 'azure-confidential-computing');
export const SITES = [
  { name: 'bundled', root: null, learn: false },
  { name: 'learn-widgets', root: join(REPO, 'tests', 'browser', 'fixtures', 'learn-widgets'), learn: true },
  { name: 'learn-folder', root: LEARN_ROOT, learn: true, optional: true },
];

/** Every HTML file under `dir` as a URL path relative to the site root ('' for index.html);
 * redirect stubs (a meta refresh) are listed separately. */
export async function listPages(dir) {
  const { readdir } = await import('node:fs/promises');
  const pages = [];
  const redirects = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const full = join(entry.parentPath ?? entry.path, entry.name);
    const rel = full.slice(resolve(dir).length + 1).split(sep).join('/');
    const path = rel === 'index.html' ? '' : rel.replace(/(^|\/)index\.html$/, '$1');
    const html = await readFile(full, 'utf8');
    (/<meta http-equiv="refresh"/i.test(html) ? redirects : pages).push(path);
  }
  return { pages: pages.sort(), redirects: redirects.sort() };
}

/** The images the build warned are missing (`file.md:line:col: warning: image `X` not found`),
 * keyed by the page URL path the source file becomes: the only 404s a page may log. */
export function missingMedia(stderr) {
  const map = new Map();
  const re = /^\s*(?:\d+\.\s+)?(\S+?)\.md:\d+:\d+: warning: image `([^`]+)` not found/gm;
  for (const [, file, raw] of stderr.matchAll(re)) {
    const page = file === 'index' || file.endsWith('/index') ? file.slice(0, -5) : `${file}/`;
    if (!map.has(page)) map.set(page, new Set());
    map.get(page).add(raw);
  }
  return map;
}

/** Builds the site, warnings included, into a fresh temporary folder. */
export async function buildTemp(site) {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const out = await mkdtemp(join(tmpdir(), `trustdoc-${site.name}-`));
  const args = ['build', '--output', out, ...(site.root ? ['--root', site.root] : [])];
  const run = spawnSync(BIN, args, { encoding: 'utf8', cwd: REPO });
  if (run.status !== 0) throw new Error(`trustdoc ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
  return { out, stderr: run.stderr };
}

/** Runs the Nu HTML Checker once over `dirs`; resolves to its messages. */
export function vnu(dirs) {
  const jar = join(import.meta.dirname, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  const run = spawnSync('java', ['-Xss4m', '-jar', jar, '--format', 'json', '--skip-non-html', ...dirs],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  return JSON.parse(run.stderr).messages;
}

/** WCAG 2.2 AA as axe-core tags it. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** One line per axe violation: rule, impact, the first few targets. */
export function describeViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    `
    + v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).join('\n    ')).join('\n');
}

/** Records console errors and uncaught exceptions of a page. */
export function watchConsole(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push({ text: msg.text(), url: msg.location().url });
  });
  page.on('pageerror', (err) => errors.push({ text: `uncaught: ${err.message}`, url: '' }));
  return errors;
}

/** Tabs through the whole page with the real keyboard and reports every focus stop whose
 * look does not change on focus (outline, box-shadow or border of the element, its ::before
 * or ::after, or one of its three nearest ancestors, compared with the state before focus).
 * Resolves to { stops, missing: [description], trapped }. */
export async function focusWalk(page, limit = 600) {
  await page.evaluate(() => {
    const PROPS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow',
      'borderTopColor', 'borderBottomColor', 'backgroundColor', 'textDecorationLine'];
    const look = (el) => {
      const parts = [];
      let node = el;
      for (let depth = 0; node && node.nodeType === 1 && depth < 4; depth += 1, node = node.parentElement) {
        for (const pseudo of [null, '::before', '::after']) {
          const cs = getComputedStyle(node, pseudo);
          parts.push(PROPS.map((k) => cs[k]).join('|'));
        }
      }
      return parts.join('\n');
    };
    const visibleRing = (el) => {
      // A ring that can be seen: a non-transparent outline at least 1px wide, or a box-shadow.
      let node = el;
      for (let depth = 0; node && node.nodeType === 1 && depth < 4; depth += 1, node = node.parentElement) {
        for (const pseudo of [null, '::before', '::after']) {
          const cs = getComputedStyle(node, pseudo);
          const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1
            && !/rgba\(.*, 0\)$|transparent/.test(cs.outlineColor);
          if (outline || (cs.boxShadow && cs.boxShadow !== 'none')) return true;
        }
      }
      return false;
    };
    const base = new Map();
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex], iframe, [contenteditable]';
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    for (const el of document.querySelectorAll(sel)) base.set(el, look(el));
    window.__tdFocusCandidates = base.size;
    const ids = new WeakMap();
    const log = [];
    window.__tdFocusLog = log;
    document.addEventListener('focusin', (event) => {
      const el = event.target;
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}"`;
      const before = base.get(el);
      const now = look(el);
      const changed = before === undefined ? visibleRing(el) : before !== now;
      if (!ids.has(el)) ids.set(el, log.length + 1);
      log.push({ id: ids.get(el), name, ok: changed && visibleRing(el), inBody: el !== document.body });
    }, true);
  });
  // One key press per round trip and no query in between: press Tab once per candidate
  // (an upper bound on the Tab stops) plus two, then read the log the listener kept. The walk
  // ends where focus leaves the document or comes back to its first stop.
  const candidates = await page.evaluate(() => window.__tdFocusCandidates);
  for (let i = 0; i < Math.min(candidates + 2, limit); i += 1) await page.keyboard.press('Tab');
  const raw = await page.evaluate(() => window.__tdFocusLog);
  const seen = new Set();
  const log = [];
  let trapped = candidates + 2 > limit;
  for (const entry of raw) {
    if (seen.has(entry.id)) {
      // Coming back to the first stop is the end of the page; to any other, a trap.
      trapped ||= entry.id !== raw[0].id;
      break;
    }
    seen.add(entry.id);
    log.push(entry);
  }
  const stops = log.length;
  const missing = [...new Set(log.filter((e) => !e.ok).map((e) => e.name))];
  return { stops, missing, trapped };
}

/** The suite runs without a network: requests that leave 127.0.0.1 (an author's image on
 * another host, say) are answered with an empty 204 instead of failing with a console error
 * that would say nothing about the page. */
export async function offline(context) {
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.fulfill({ status: 204, body: '' }));
}
