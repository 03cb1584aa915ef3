// The built package through bundlers, as apps use it: a small app is bundled with esbuild and with
// vite (rollup) against an installed copy of the package (package.json + dist, so that its
// "sideEffects" and "exports" apply as published), then run with Node. It opens a SpikeInterface
// binary folder through 'spikewire/node' (a path: the Node file platform must survive tree shaking)
// and reads traces in µV, checked against the fixture's raw file; an esbuild app also initialises
// the kernel from 'spikewire/kernel.simd.wasm' with esbuild's binary loader, as the README says.
//
// Needs a fresh `npm run build` (`npm test` builds first). Node-only.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
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
});
