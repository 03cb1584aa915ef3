// HTTP servers that misbehave (a local server on 127.0.0.1 told how to answer each request): every
// way a response can go wrong ends in a SpikewireError naming the URL, soon, and every wait ends
// when the caller aborts. Both HttpSource and load() of a saved folder over HTTP.
import { zipSync } from 'fflate';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpSource, load } from '../../src/node.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { readFixtureFolder } from '../helpers/folders.js';
import { genBytes } from '../helpers/gen-bytes.js';
import { serveFolder, startServerPair, type Misbehaviour } from '../helpers/hostile-server.js';

const SIZE = 10_000;
const data = genBytes(3, 3 + SIZE);
const folderFiles = await readFixtureFolder('recordings/multi_columns_probe/saved');
const pair = await startServerPair(data, folderFiles);
const { server, other, folder } = pair;
afterAll(() => pair.close());

/** Misbehave on requests whose path ends with `suffix` (and whose method is `method`, when given). */
function on(suffix: string, how: Misbehaviour, method?: string): void {
  server.decide = (req) => (new URL(req.url!, 'http://x').pathname.endsWith(suffix) && (!method || req.method === method) ? how : {});
}
beforeEach(() => {
  server.decide = () => ({});
  other.requests.length = 0;
});

describe('HttpSource against a misbehaving server', () => {
  it('reads right when the server behaves (the baseline of these tests)', async () => {
    const source = await HttpSource.open(`${server.url}/data.raw`);
    expect(source.size).toBe(SIZE);
    const into = new Uint8Array(100);
    await source.read(5000, into);
    expect(into).toEqual(data.subarray(5000, 5100));
    await source.close();
  });

  const cases: [string, Misbehaviour, RegExp][] = [
    ['200 instead of 206', { status: 200, body: 'whole' }, /ignored the Range request/],
    ['a wrong Content-Range', { contentRange: 'shifted' }, /Content-Range/],
    ['a garbage Content-Range', { contentRange: 'garbage' }, /Content-Range/],
    ['a size that changed since open', { contentRange: 'otherTotal' }, /changed size/],
    ['half the body', { body: 'half' }, /short body/],
    ['bytes beyond those asked', { body: 'extra', contentLength: 'missing' }, /more than the 100 bytes/],
    ['a Content-Length longer than the body', { contentLength: 'tooLong' }, /body broke off|short body/],
    ['HTTP 503', { status: 503 }, /HTTP 503/],
    ['a dropped connection mid-body', { drop: 'midBody' }, /body broke off/],
    ['a dropped connection before the headers', { drop: 'beforeHeaders' }, /network failure/],
  ];
  for (const [what, how, pattern] of cases) {
    it(`${what}: IO naming the URL`, async () => {
      const source = await HttpSource.open(`${server.url}/data.raw`, { timeoutMs: 2000 });
      on('data.raw', how);
      const error = await expectCodeAsync(source.read(5000, new Uint8Array(100)), 'IO', pattern);
      expect(error.message).toContain(`${server.url}/data.raw`);
      await source.close();
    });
  }

  it('a redirect to another origin is UNSUPPORTED naming the URL and allowedOrigins; allowed, it reads', async () => {
    on('data.raw', { redirect: 'otherOrigin' });
    const error = await expectCodeAsync(HttpSource.open(`${server.url}/data.raw`), 'UNSUPPORTED', /allowedOrigins/);
    expect(error.message).toContain(other.url);
    const source = await HttpSource.open(`${server.url}/data.raw`, { allowedOrigins: [other.url] });
    const into = new Uint8Array(10);
    await source.read(20, into);
    expect(into).toEqual(data.subarray(20, 30));
    await source.close();
    await expectCodeAsync(HttpSource.open(`${server.url}/data.raw`, { allowedOrigins: ['not a url'] }), 'INVALID_ARGUMENT', /allowedOrigins/);
  });

  it('a same-origin redirect is followed', async () => {
    server.decide = (req) => (req.url === '/data.raw' ? { redirect: 'sameOrigin' } : {});
    const source = await HttpSource.open(`${server.url}/data.raw`);
    expect(source.size).toBe(SIZE);
    await source.close();
  });

  it('a server that never sends headers: IO after timeoutMs, not undici\'s 300 s', async () => {
    on('data.raw', { stall: { at: 'headers', ms: 5000 } });
    const t0 = Date.now();
    await expectCodeAsync(HttpSource.open(`${server.url}/data.raw`, { timeoutMs: 200 }), 'IO', /no answer from .* for 200 ms .*timeoutMs/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a body that stops halfway: IO after timeoutMs', async () => {
    const source = await HttpSource.open(`${server.url}/data.raw`, { timeoutMs: 200 });
    on('data.raw', { stall: { at: 'body', ms: 5000 } });
    const t0 = Date.now();
    await expectCodeAsync(source.read(0, new Uint8Array(SIZE)), 'IO', /timeoutMs/);
    expect(Date.now() - t0).toBeLessThan(3000);
    await source.close();
  });

  it('aborting a read waiting for headers or body: ABORTED at once', async () => {
    const source = await HttpSource.open(`${server.url}/data.raw`);
    for (const at of ['headers', 'body'] as const) {
      on('data.raw', { stall: { at, ms: 5000 } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user stop')), 50);
      const t0 = Date.now();
      await expectCodeAsync(source.read(0, new Uint8Array(SIZE), controller.signal), 'ABORTED', /user stop/);
      expect(Date.now() - t0).toBeLessThan(2000);
    }
    await source.close();
  });

  it('closing a source while a read waits: the read ends with IO "closed"', async () => {
    const source = await HttpSource.open(`${server.url}/data.raw`);
    on('data.raw', { stall: { at: 'body', ms: 5000 } });
    const reading = source.read(0, new Uint8Array(SIZE));
    await new Promise((r) => setTimeout(r, 50));
    await source.close();
    await expectCodeAsync(reading, 'IO', /closed/);
  });

  it('hostile ranges and options: coded errors', async () => {
    const source = await HttpSource.open(`${server.url}/data.raw`);
    for (const position of [-1, Number.NaN, 1.5, Infinity, 2 ** 60]) {
      await expectCodeAsync(source.read(position, new Uint8Array(4)), 'INVALID_ARGUMENT', /position/);
    }
    await expectCodeAsync(source.read(SIZE - 1, new Uint8Array(4)), 'OUT_OF_RANGE', /past its end/);
    await expectCodeAsync(source.read(Number.MAX_SAFE_INTEGER, new Uint8Array(4)), 'OUT_OF_RANGE', /past its end/);
    await expectCodeAsync(source.read(0, 'bytes' as never), 'INVALID_ARGUMENT', /Uint8Array/);
    await source.close();
    for (const timeoutMs of [0, -5, Number.NaN, '30' as never]) {
      await expectCodeAsync(HttpSource.open(`${server.url}/data.raw`, { timeoutMs }), 'INVALID_ARGUMENT', /timeoutMs/);
    }
    await expectCodeAsync(HttpSource.open(`${server.url}/data.raw`, { headers: { 'Bad Name': 'x' } }), 'INVALID_ARGUMENT', /headers/);
  });
});

describe('load() of a saved folder over HTTP', () => {
  it('loads when the server behaves (the baseline)', async () => {
    const recording = await load(folder);
    expect(recording.getNumChannels()).toBeGreaterThan(0);
    await recording.getTraces({ endFrame: 10 });
    await recording.close();
  });

  it('a connection dropped in the middle of binary.json: IO naming the URL, not "TypeError: terminated"', async () => {
    on('binary.json', { drop: 'midBody' }, 'GET');
    const error = await expectCodeAsync(load(folder), 'IO', /broke off/);
    expect(error.message).toContain(`${folder}/binary.json`);
  });

  it('a connection dropped in the middle of a property file: IO naming it', async () => {
    on('gain_to_uV.npy', { drop: 'midBody' }, 'GET');
    const error = await expectCodeAsync(load(folder), 'IO');
    expect(error.message).toContain('properties/gain_to_uV.npy');
  });

  it('aborted while a file is arriving: ABORTED with the reason, not the raw reason', async () => {
    for (const at of ['headers', 'body'] as const) {
      on('binary.json', { stall: { at, ms: 5000 } }, 'GET');
      const controller = new AbortController();
      setTimeout(() => controller.abort('user stop'), 50);
      await expectCodeAsync(load(folder, { signal: controller.signal }), 'ABORTED', /user stop/);
    }
    const controller = new AbortController();
    controller.abort(new Error('before'));
    await expectCodeAsync(load(folder, { signal: controller.signal }), 'ABORTED', /before/);
  });

  it('a folder whose server stalls: IO after the timeoutMs given to load()', async () => {
    on('si_folder.json', { stall: { at: 'headers', ms: 5000 } });
    const t0 = Date.now();
    await expectCodeAsync(load(folder, { timeoutMs: 200 }), 'IO', /timeoutMs/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a zip behind a URL takes the same timeoutMs; it loads when the server behaves', async () => {
    server.files.set('saved.zip', zipSync(Object.fromEntries([...folderFiles].map(([p, b]) => [p, [b, { level: 0 }]])) as never));
    const recording = await load(`${server.url}/saved.zip`, { timeoutMs: 2000 });
    await recording.getTraces({ endFrame: 4 });
    await recording.close();
    on('saved.zip', { stall: { at: 'headers', ms: 5000 } });
    const t0 = Date.now();
    await expectCodeAsync(load(`${server.url}/saved.zip`, { timeoutMs: 200 }), 'IO', /saved\.zip.*timeoutMs/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('binary.json naming traces on another origin: UNSUPPORTED naming the URL and allowedOrigins, nothing fetched there', async () => {
    const binary = JSON.parse(new TextDecoder().decode(folderFiles.get('binary.json')!));
    binary.relative_paths = true;
    binary.kwargs.file_paths = [`${other.url}/saved/traces_cached_seg0.raw`];
    const files = new Map(folderFiles);
    files.set('binary.json', new TextEncoder().encode(JSON.stringify(binary)));
    const elsewhere = serveFolder(server, 'elsewhere', files);
    const error = await expectCodeAsync(load(elsewhere), 'UNSUPPORTED', /allowedOrigins/);
    expect(error.message).toContain(`${other.url}/saved/traces_cached_seg0.raw`);
    expect(other.requests).toEqual([]);
    // protocol-relative and other-scheme names are refused the same way
    binary.kwargs.file_paths = [`//127.0.0.1:9/x.raw`];
    files.set('binary.json', new TextEncoder().encode(JSON.stringify(binary)));
    await expectCodeAsync(load(serveFolder(server, 'elsewhere2', files)), 'UNSUPPORTED', /allowedOrigins/);
    // a name that is no URL at all is FORMAT naming it
    binary.kwargs.file_paths = ['http://[bad'];
    files.set('binary.json', new TextEncoder().encode(JSON.stringify(binary)));
    await expectCodeAsync(load(serveFolder(server, 'elsewhere4', files)), 'FORMAT', /http:\/\/\[bad/);
    // the caller may allow it
    binary.kwargs.file_paths = [`${other.url}/saved/traces_cached_seg0.raw`];
    files.set('binary.json', new TextEncoder().encode(JSON.stringify(binary)));
    const recording = await load(serveFolder(server, 'elsewhere3', files), { allowedOrigins: [other.url] });
    await recording.getTraces({ endFrame: 4 });
    expect(other.requests.length).toBeGreaterThan(0);
    await recording.close();
  });

  it('no socket is left open once loads have failed and the server drops idle connections', async () => {
    on('binary.json', { drop: 'midBody' }, 'GET');
    for (let i = 0; i < 5; i++) await expectCodeAsync(load(folder), 'IO');
    server.decide = () => ({});
    // idle keep-alive sockets close after the server's keepAliveTimeout (1 s); none stays busy
    const t0 = Date.now();
    while (server.openSockets() > 0 && Date.now() - t0 < 4000) await new Promise((r) => setTimeout(r, 50));
    expect(server.openSockets()).toBe(0);
  });
});
