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
