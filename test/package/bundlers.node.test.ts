// The built package through bundlers, as apps use it: a small app is bundled with esbuild and with
// vite (rollup) against an installed copy of the package (package.json + dist, so that its
// "sideEffects" and "exports" apply as published), then run with Node. It opens a SpikeInterface
// binary folder through 'spikewire/node' (a path: the Node file platform must survive tree shaking)
// and reads traces in µV, checked against the fixture's raw file; an esbuild app also initialises
// the kernel from 'spikewire/kernel.simd.wasm' with esbuild's binary loader, as the README says; an
// app bundled for browsers runs in Chromium (skipped without one) and loads the kernel file by URL.
//
// Needs a fresh `npm run build` (`npm test` builds first). Node-only.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, readFixtureJson } from '../helpers/fixtures.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CASE = 'recordings/int16_gain_offset';
const TIMEOUT = 120_000;
const FRAMES = [100, 110] as const;
const CHANNELS = [3, 1];

let app = '';

/** The app: opens the folder given on the command line and prints its repr and a few traces in µV. */
const APP = `import { load } from 'spikewire/node';
const recording = await load(process.argv[2]);
const { data, shape } = await recording.getTraces({ segmentIndex: 1, startFrame: ${FRAMES[0]}, endFrame: ${FRAMES[1]}, channelIds: ${JSON.stringify(CHANNELS)}, returnInUV: true });
console.log(JSON.stringify({ repr: String(recording), shape, type: data.constructor.name, data: Array.from(data) }));
await recording.close();
`;

/** The README's snippet for esbuild: the raw kernel file as bytes (binary loader), given to initKernel. */
const WASM_APP = `import wasm from 'spikewire/kernel.simd.wasm';
import { initKernel, NumpyRecording } from 'spikewire';
await initKernel(wasm);
const recording = new NumpyRecording({ tracesList: [new Int16Array([1, 2, 3, 4, 5, 6])], samplingFrequency: 1000, numChannels: 2 });
recording.setChannelGains(0.5);
recording.setChannelOffsets(1);
const { data } = await recording.getTraces({ channelIds: [1], returnInUV: true });
console.log(JSON.stringify({ given: Object.prototype.toString.call(wasm), data: Array.from(data) }));
`;

/** The universal build in a page: the kernel from its file by a relative URL, then traces in µV. */
const PAGE_APP = `import { initKernel, NumpyRecording } from 'spikewire';
try {
  await initKernel('./kernel.simd.wasm');
  const recording = new NumpyRecording({ tracesList: [new Int16Array([1, 2, 3, 4, 5, 6])], samplingFrequency: 1000, numChannels: 2 });
  recording.setChannelGains(0.5);
  recording.setChannelOffsets(1);
  const { data } = await recording.getTraces({ channelIds: [1], returnInUV: true });
  window.result = { type: data.constructor.name, data: Array.from(data) };
} catch (e) {
  window.result = { error: String(e) };
}
`;

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Serves `dir` on 127.0.0.1 (static files, .wasm as application/wasm); returns its URL and a closer. */
async function serve(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { html: 'text/html', mjs: 'text/javascript', js: 'text/javascript', wasm: 'application/wasm' };
  const server = createServer(async (req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    try {
      const body = await readFile(join(dir, name.replace(/\.\.+/g, '')));
      res.writeHead(200, { 'content-type': types[name.split('.').pop()!] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: app, timeout: 90_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** What the app must print: the fixture's repr, and µV as numpy computes them from the raw file. */
async function expected() {
  const truth = await readFixtureJson(`${CASE}/expected.json`);
  const { gains, offsets, num_channels: n } = truth.spec;
  const raw = await readFile(await fixturePath(`${CASE}/saved/traces_cached_seg1.raw`));
  const samples = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  const data: number[] = [];
  for (let t = FRAMES[0]; t < FRAMES[1]; t++) {
    for (const c of CHANNELS) data.push(Math.fround(Math.fround(samples[t * n + c] * Math.fround(gains)) + Math.fround(offsets)));
  }
  return { repr: truth.loaded.repr, shape: [FRAMES[1] - FRAMES[0], CHANNELS.length], type: 'Float32Array', data };
}

beforeAll(async () => {
  for (const f of ['index.mjs', 'node.mjs', 'kernel.simd.wasm']) {
    if (!existsSync(join(repo, 'dist', f))) throw new Error(`dist/${f} is missing: run \`npm run build\` (or \`npm test\`, which builds first)`);
  }
  app = await mkdtemp(join(tmpdir(), 'spikewire-bundled-'));
  const installed = join(app, 'node_modules', 'spikewire');
  await mkdir(installed, { recursive: true });
  await cp(join(repo, 'package.json'), join(installed, 'package.json'));
  await cp(join(repo, 'dist'), join(installed, 'dist'), { recursive: true });
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    await mkdir(dirname(join(app, 'node_modules', dep)), { recursive: true });
    await symlink(join(repo, 'node_modules', dep), join(app, 'node_modules', dep), 'junction');
  }
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'bundled-app', private: true, type: 'module' }));
  await writeFile(join(app, 'app.mjs'), APP);
  await writeFile(join(app, 'wasm-app.mjs'), WASM_APP);
}, TIMEOUT);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

describe('an app bundled against the built package', () => {
  const folder = () => fixturePath(`${CASE}/saved`);


  it('esbuild (ESM, platform node): spikewire/node opens a folder and reads µV', async () => {
    await esbuild({ entryPoints: [join(app, 'app.mjs')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: join(app, 'out-esbuild', 'app.mjs'), logLevel: 'silent' });
    const r = await node([join(app, 'out-esbuild', 'app.mjs'), await folder()]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(await expected());
  }, TIMEOUT);

  it('vite (rollup, SSR build for Node): spikewire/node opens a folder and reads µV', async () => {
    const { build } = await import('vite');
    await build({
      configFile: false,
      root: app,
      logLevel: 'silent',
      ssr: { noExternal: true },
      build: { ssr: join(app, 'app.mjs'), outDir: join(app, 'out-vite'), emptyOutDir: true, rollupOptions: { output: { format: 'es', entryFileNames: 'app.mjs' } } },
    });
    const r = await node([join(app, 'out-vite', 'app.mjs'), await folder()]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(await expected());
  }, TIMEOUT);

  it("esbuild's binary loader: initKernel(wasm) with the imported kernel file", async () => {
    await esbuild({
      entryPoints: [join(app, 'wasm-app.mjs')], bundle: true, platform: 'node', format: 'esm', target: 'node20',
      loader: { '.wasm': 'binary' }, outfile: join(app, 'out-wasm', 'app.mjs'), logLevel: 'silent',
    });
    const r = await node([join(app, 'out-wasm', 'app.mjs')]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ given: '[object Uint8Array]', data: [2, 3, 4] });
  }, TIMEOUT);

  it.skipIf(!existsSync(chromiumPath))('esbuild for browsers: the universal build runs in Chromium and loads the kernel file by URL', async () => {
    const site = join(app, 'out-browser');
    await writeFile(join(app, 'page-app.mjs'), PAGE_APP);
    await esbuild({ entryPoints: [join(app, 'page-app.mjs')], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', outfile: join(site, 'app.mjs'), logLevel: 'silent' });
    await copyFile(join(repo, 'dist', 'kernel.simd.wasm'), join(site, 'kernel.simd.wasm'));
    await writeFile(join(site, 'index.html'), '<!doctype html><script type="module" src="./app.mjs"></script>');
    const bundle = await readFile(join(site, 'app.mjs'), 'utf8');
    expect(bundle).not.toContain('node:');
    const server = await serve(site);
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, null, { timeout: 30_000 });
      expect(await page.evaluate(() => (window as { result?: unknown }).result)).toEqual({ type: 'Float32Array', data: [2, 3, 4] });
    } finally {
      await browser.close();
      await server.close();
    }
  }, TIMEOUT);
});
