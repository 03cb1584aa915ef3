// A small static server for the browser example (`npm run example:browser`), with nothing but Node.
//
//   node examples/browser/serve.mjs [folder]       PORT=0 picks any free port (default 8080)
//
// It serves, on 127.0.0.1 only, what a user of the published package would have:
//   /examples/browser/   the page            /dist/                    the built package
//   /node_modules/fflate/  its one dependency  /data/                  `folder` (or $SPIKEWIRE_DATA), when given
// Every file answers HTTP Range requests (206 + Content-Range), so recordings under /data/ open by URL
// and are read by range; CORS headers let pages on other origins read them too. A directory without
// index.html is listed as a plain HTML page of <a href> links (sub-folders end with '/'), which is how
// spikewire lists a folder served over HTTP.
//
// The test (test/examples/browser-example.node.test.ts) imports startServer() to add its own mounts.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/** The folders the page needs, by URL prefix (each prefix ends with '/'). */
export function defaultMounts(dataFolder) {
  const mounts = {
    '/examples/browser/': { dir: join(repoRoot, 'examples/browser') },
    '/dist/': { dir: join(repoRoot, 'dist') },
    '/node_modules/fflate/': { dir: join(repoRoot, 'node_modules/fflate') },
  };
  if (dataFolder) mounts['/data/'] = { dir: resolve(dataFolder) };
  return mounts;
}

function cors(res) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Range');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, Accept-Ranges');
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** "bytes=a-b" | "bytes=a-" | "bytes=-n" → {start, end}; null without a header; 'bad' when unsatisfiable. */
function parseRange(header, size) {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start < size && start <= end ? { start, end } : 'bad';
}

async function listing(res, dir, urlPath, head) {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const links = entries.map((e) => {
    const name = e.isDirectory() ? `${e.name}/` : e.name;
    return `<li><a href="${esc(encodeURIComponent(e.name) + (e.isDirectory() ? '/' : ''))}">${esc(name)}</a></li>`;
  });
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>Index of ${esc(urlPath)}</title></head>\n` +
    `<body><h1>Index of ${esc(urlPath)}</h1>\n<ul>\n${links.join('\n')}\n</ul></body></html>\n`;
  res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-cache' });
  res.end(head ? undefined : html);
}

async function handle(mounts, req, res) {
  cors(res);
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS' }).end();
  const head = req.method === 'HEAD';
  const url = new URL(req.url ?? '/', 'http://localhost');
  let urlPath;
  try {
    urlPath = decodeURIComponent(url.pathname);
  } catch {
    return void res.writeHead(400).end('bad path');
  }
  if (urlPath === '/') return void res.writeHead(302, { Location: `/examples/browser/${url.search}` }).end();
  const prefix = Object.keys(mounts).find((p) => urlPath.startsWith(p) || urlPath === p.slice(0, -1));
  const notFound = () => res.writeHead(404, { 'Content-Type': TYPES['.txt'] }).end(`not found: ${urlPath}\n`);
  if (!prefix) return void notFound();
  const mount = mounts[prefix];
  const path = resolve(mount.dir, urlPath.slice(prefix.length));
  const inside = relative(mount.dir, path);
  if (inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).some((part) => part.startsWith('.'))) return void notFound();
  const st = await stat(path).catch(() => null);
  if (!st) return void notFound();
  if (st.isDirectory()) {
    if (!urlPath.endsWith('/')) return void res.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
    const index = join(path, 'index.html');
    const indexStat = await stat(index).catch(() => null);
    if (!indexStat?.isFile()) return listing(res, path, urlPath, head);
    return sendFile(req, res, index, indexStat.size, mount, head);
  }
  if (!st.isFile()) return void notFound();
  return sendFile(req, res, path, st.size, mount, head);
}

function sendFile(req, res, path, size, mount, head) {
  const headers = {
    'Content-Type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': mount.ranges === false ? 'none' : 'bytes',
    'Cache-Control': 'no-cache',
  };
  const range = mount.ranges === false ? null : parseRange(req.headers.range, size);
  if (range === 'bad') return void res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
  const { start, end } = range ?? { start: 0, end: size - 1 };
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, headers);
  if (head || size === 0) return void res.end();
  createReadStream(path, { start, end }).on('error', () => res.destroy()).pipe(res);
}

/**
 * Starts the server on `host` (127.0.0.1) and `port` (0 = any free port). `mounts` maps URL prefixes
 * ending in '/' to { dir, ranges? } (ranges: false answers Range requests with the whole file, 200).
 * `onResponse(req, res)` is called when each response is finished (for logs; `req.receivedAt` is when the
 * request arrived, in ms since the epoch). Returns
 * { url, server, close() }; `url` has no trailing slash.
 */
export async function startServer({ port = 0, host = '127.0.0.1', mounts = defaultMounts(), onResponse } = {}) {
  const server = createServer((req, res) => {
    req.receivedAt = Date.now(); // when the request arrived (logs tell what was asked before an event)
    if (onResponse) res.on('finish', () => onResponse(req, res));
    handle(mounts, req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': TYPES['.txt'] }).end(`${error?.message ?? error}\n`);
      else res.destroy();
    });
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

// Run as a script: serve the example (and a data folder, if given) and print the address.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dataFolder = process.argv[2] || process.env.SPIKEWIRE_DATA || '';
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT=${process.env.PORT} is not a port number (0 picks any free port)`);
    process.exit(1);
  }
  try {
    await stat(join(repoRoot, 'dist/index.mjs'));
  } catch {
    console.error('dist/index.mjs is missing: run `npm run build` first (`npm run example:browser` does both)');
    process.exit(1);
  }
  if (dataFolder && !(await stat(dataFolder).catch(() => null))?.isDirectory()) {
    console.error(`${dataFolder} is not a folder`);
    process.exit(1);
  }
  let started;
  try {
    started = await startServer({ port, mounts: defaultMounts(dataFolder) });
  } catch (error) {
    console.error(error.code === 'EADDRINUSE' ? `port ${port} is in use: set PORT to another port, or PORT=0 for any free one` : String(error));
    process.exit(1);
  }
  console.log(`spikewire browser example: ${started.url}/examples/browser/`);
  if (dataFolder) console.log(`serving ${resolve(dataFolder)} at ${started.url}/data/ (open a recording there by URL)`);
  console.log('press Ctrl+C to stop');
}
