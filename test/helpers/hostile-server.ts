// A local HTTP server (Node only, 127.0.0.1) that misbehaves on purpose, one way per request: the
// test decides each answer (status, lying or missing Content-Range / Content-Length, truncated or
// overlong bodies, dropped connections, stalls, redirects). It serves files from memory, honours
// Range requests when told to behave, and keeps track of its sockets so that a test can check that
// none is left hanging. Every stall is a timer the server clears when it closes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How to answer one request. Anything left out behaves. */
export interface Misbehaviour {
  /** Status instead of 206 / 200. */
  status?: number;
  /** Content-Range: missing, another range, a total other than the file's size, or garbage. */
  contentRange?: 'right' | 'missing' | 'shifted' | 'otherTotal' | 'garbage';
  /** Content-Length: missing (chunked), or larger / smaller than the body sent. */
  contentLength?: 'right' | 'missing' | 'tooLong' | 'tooShort';
  /** The body: whole, cut in half, a few bytes too many, or the whole file whatever the range. */
  body?: 'right' | 'half' | 'extra' | 'whole';
  /** Destroy the connection before any header, or halfway through the body. */
  drop?: 'beforeHeaders' | 'midBody';
  /** Wait this long before the headers, or halfway through the body. */
  stall?: { at: 'headers' | 'body'; ms: number };
  /** Redirect (302) to the same path on this server, or on `otherOrigin`. */
  redirect?: 'sameOrigin' | 'otherOrigin';
  /** A header whose value is not text a client can read. */
  garbageHeader?: boolean;
}

export interface HostileServer {
  /** Base URL, no trailing slash. */
  url: string;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  /** Sockets still open. */
  openSockets(): number;
  /** Requests whose answer has neither finished nor been cut off: a client still waiting on one. */
  activeRequests(): number;
  /** Replaces the files served (path without leading slash → bytes). */
  files: Map<string, Uint8Array>;
  /** Chooses how to answer each request (default: behave). */
  decide: (req: IncomingMessage, n: number) => Misbehaviour;
  /** Where `redirect: 'otherOrigin'` points (a base URL). */
  otherOrigin: string;
  /** Destroys every socket and waits until they are gone. */
  dropConnections(): Promise<void>;
  close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): [number, number] | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return 'bad';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'bad' : [start, end];
}

export async function startHostileServer(files = new Map<string, Uint8Array>()): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const wait = (ms: number) => new Promise<void>((done) => {
    const t = setTimeout(() => {
      timers.delete(t);
      done();
    }, ms);
    timers.add(t);
  });
  let count = 0;
  let active = 0;
  const state: HostileServer = {
    url: '',
    requests: [],
    files,
    decide: () => ({}),
    otherOrigin: 'http://127.0.0.1:9',
    openSockets: () => sockets.size,
    activeRequests: () => active,
    async dropConnections() {
      for (const s of sockets) s.destroy();
      while (sockets.size > 0) await new Promise((r) => setTimeout(r, 5));
    },
    close: async () => {},
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const how = state.decide(req, count++);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    if (how.stall?.at === 'headers') await wait(how.stall.ms);
    if (how.drop === 'beforeHeaders' || req.socket.destroyed) {
      req.socket.destroy();
      return;
    }
    if (how.redirect) {
      const base = how.redirect === 'otherOrigin' ? state.otherOrigin : '';
      res.writeHead(302, { Location: `${base}/${path}?again=${count}` }).end();
      return;
    }
    const bytes = state.files.get(path.replace(/\/$/, ''));
    const dir = path.replace(/\/$/, '');
    if (!bytes && [...state.files.keys()].some((k) => k.startsWith(`${dir}/`))) {
      // a folder: there, but with no index page (as most static servers)
      res.writeHead(how.status ?? 200, { 'Content-Type': 'text/plain', 'Content-Length': 0 }).end();
      return;
    }
    if (!bytes) {
      res.writeHead(how.status ?? 404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const size = bytes.byteLength;
    const range = parseRange(req.headers.range, size);
    if (range === 'bad') {
      res.writeHead(how.status ?? 416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    let [start, end] = range ?? [0, size - 1];
    let body = bytes.subarray(start, end + 1);
    if (how.body === 'whole') body = bytes;
    if (how.body === 'half') body = body.subarray(0, Math.floor(body.byteLength / 2));
    if (how.body === 'extra') body = new Uint8Array([...body, 1, 2, 3]);
    const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream' };
    if (range) {
      const cr = how.contentRange ?? 'right';
      if (cr === 'right') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      if (cr === 'shifted') headers['Content-Range'] = `bytes ${start + 1}-${end + 1}/${size}`;
      if (cr === 'otherTotal') headers['Content-Range'] = `bytes ${start}-${end}/${size + 7}`;
      if (cr === 'garbage') headers['Content-Range'] = 'bytes lots/of/them';
    }
    const cl = how.contentLength ?? 'right';
    if (cl === 'right') headers['Content-Length'] = body.byteLength;
    if (cl === 'tooLong') headers['Content-Length'] = body.byteLength + 100;
    if (cl === 'tooShort') headers['Content-Length'] = Math.max(0, body.byteLength - 1);
    if (how.garbageHeader) headers['X-Garbage'] = 'a\u0001b';
    const status = how.status ?? (range ? 206 : 200);
    try {
      res.writeHead(status, headers);
    } catch {
      req.socket.destroy();
      return;
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const half = Math.floor(body.byteLength / 2);
    if (how.drop === 'midBody' || how.stall?.at === 'body') {
      res.write(body.subarray(0, half));
      // let the headers and the first half reach the client before hanging up or stalling
      await wait(how.stall?.at === 'body' ? how.stall.ms : 20);
      if (how.drop === 'midBody' || req.socket.destroyed) {
        req.socket.destroy();
        return;
      }
      res.end(body.subarray(half));
      return;
    }
    if (cl === 'tooLong') {
      // The promised length never comes: send what there is, then hang up.
      res.write(body);
      setImmediate(() => req.socket.destroy());
      return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    active++;
    res.once('close', () => active--);
    answer(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await state.dropConnections();
    await new Promise<void>((done) => server.close(() => done()));
  };
  return state;
}

/** The files of a folder (relative path → bytes) under `prefix/` in a server's file map. */
export function serveFolder(server: HostileServer, prefix: string, files: Map<string, Uint8Array>): string {
  for (const [rel, bytes] of files) server.files.set(`${prefix}/${rel}`, bytes);
  return `${server.url}/${prefix}`;
}

/** Two hostile servers on two origins serving the same `data.raw` and folder (`saved/`); redirects to "another origin" go from the first to the second. */
export async function startServerPair(data: Uint8Array, folder: Map<string, Uint8Array>): Promise<{ server: HostileServer; other: HostileServer; folder: string; close(): Promise<void> }> {
  const server = await startHostileServer();
  const other = await startHostileServer();
  server.otherOrigin = other.url;
  for (const s of [server, other]) s.files.set('data.raw', data);
  const url = serveFolder(server, 'saved', folder);
  serveFolder(other, 'saved', folder);
  return { server, other, folder: url, close: async () => { await server.close(); await other.close(); } };
}
