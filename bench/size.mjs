// What the universal entry weighs in a browser app, bundled by the two bundlers apps use: esbuild
// (`--bundle --minify`, ESM with `--splitting`) and rollup (what Vite builds for production with),
// each output chunk minified by esbuild, then gzip.
// "loaded" is the app's entry chunk and the chunks it imports statically (shipped at start); "lazy"
// is every chunk loaded only by an import() (formats, probes, the dsp and scalar kernels, ...).
// Two apps: one that makes a NumpyRecording and reads its traces, and one that keeps every export.
// fflate, the one runtime dependency, is bundled in (tree-shaken), as an app would ship it.
//
// The two bundlers differ in one way that matters here: esbuild assigns modules to chunks by the
// files an entry reaches, used or not, so a module that the library loads with import() and that the
// entry also re-exports lands in a chunk the app imports at start even when the app never uses it
// (every formats module, for instance, since `save()` loads them and `spikewire` exports them).
// Rollup assigns only the modules that survive tree-shaking. The targets are rollup's figures; the
// esbuild ones are what an esbuild app ships today.
// Run after `npm run build`: node bench/size.mjs   (--inputs: the largest modules of each loaded part)
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const entry = join(dist, 'index.mjs');
const APPS = {
  'NumpyRecording + getTraces': `import { NumpyRecording } from 'spikewire';
const recording = new NumpyRecording({ tracesList: [new Int16Array(64)], samplingFrequency: 30000, numChannels: 4 });
console.log((await recording.getTraces()).shape);`,
  'every export of spikewire': `import * as spikewire from 'spikewire';
console.log(spikewire);`,
};
/** Targets at start, KB min+gzip (rollup's figures; see above). */
const TARGETS = { 'NumpyRecording + getTraces': 30, 'every export of spikewire': 60 };
const showInputs = process.argv.includes('--inputs');

const kb = (n) => (n / 1024).toFixed(1);
/** "x KB min+gzip (y KB min, n files)" of a list of chunk texts, and the gzip size. */
function weigh(texts) {
  const text = texts.join('\n');
  const gzip = gzipSync(text, { level: 9 }).length;
  return { gzip, line: `${kb(gzip)} KB min+gzip (${kb(text.length)} KB min, ${texts.length} file${texts.length === 1 ? '' : 's'})` };
}

/** esbuild: the app's chunk and the chunks it imports statically, from the metafile. */
async function withEsbuild(app, dir) {
  const result = await build({
    entryPoints: [app], bundle: true, minify: true, format: 'esm', splitting: true, platform: 'browser',
    outdir: join(dir, 'out'), write: false, metafile: true, alias: { spikewire: entry }, logLevel: 'error',
  });
  const outputs = result.metafile.outputs;
  // the app's own chunk (with --splitting, every import() target is an entry point too)
  const start = Object.keys(outputs).find((k) => outputs[k].entryPoint && resolve(outputs[k].entryPoint) === app);
  const loaded = new Set();
  const visit = (k) => {
    if (loaded.has(k)) return;
    loaded.add(k);
    for (const i of outputs[k].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(start);
  const files = result.outputFiles.filter((f) => f.path.endsWith('.js'));
  const isLoaded = (f) => [...loaded].some((k) => resolve(k) === f.path);
  const inputs = {};
  for (const k of loaded) for (const [m, v] of Object.entries(outputs[k].inputs)) inputs[m] = (inputs[m] ?? 0) + v.bytesInOutput;
  return {
    loaded: files.filter(isLoaded).map((f) => f.text),
    lazy: files.filter((f) => !isLoaded(f)).map((f) => f.text),
    inputs,
  };
}

/**
 * rollup as Vite runs it for a browser build: package.json "sideEffects": false honoured (modules of
 * the library have none), the browser variants of the "imports" map, fflate's browser build.
 */
async function withRollup(app) {
  const require = createRequire(import.meta.url);
  const fflate = join(dirname(require.resolve('fflate')), '..', 'esm', 'browser.js');
  const ids = { spikewire: entry, fflate, '#file-platform': join(dist, 'file-platform.default.mjs'), '#parallel-writer': join(dist, 'parallel-writer.default.mjs') };
  const bundle = await rollup({
    input: app,
    logLevel: 'silent',
    plugins: [{
      name: 'resolve-like-vite',
      resolveId(id, importer) {
        const file = ids[id] ?? (importer && id.startsWith('.') ? resolve(dirname(importer), id) : null);
        return file ? { id: file, moduleSideEffects: file === app } : null;
      },
    }],
  });
  const { output } = await bundle.generate({ format: 'es', chunkFileNames: '[name]-[hash].js' });
  await bundle.close();
  const chunks = output.filter((c) => c.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const loaded = new Set();
  const visit = (c) => {
    if (loaded.has(c.fileName)) return;
    loaded.add(c.fileName);
    for (const f of c.imports) visit(byName.get(f));
  };
  visit(chunks.find((c) => c.isEntry));
  const minify = async (c) => (await transform(c.code, { minify: true, format: 'esm', loader: 'js' })).code;
  const inputs = {};
  for (const c of chunks) if (loaded.has(c.fileName)) for (const [m, v] of Object.entries(c.modules)) inputs[m] = (inputs[m] ?? 0) + v.renderedLength;
  return {
    loaded: await Promise.all(chunks.filter((c) => loaded.has(c.fileName)).map(minify)),
    lazy: await Promise.all(chunks.filter((c) => !loaded.has(c.fileName)).map(minify)),
    inputs,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'spikewire-size-'));
const misses = [];
try {
  for (const [name, code] of Object.entries(APPS)) {
    const app = join(dir, 'app.mjs');
    writeFileSync(app, code);
    console.log(`${name}:`);
    for (const [bundler, run] of [['rollup', withRollup], ['esbuild', withEsbuild]]) {
      const { loaded, lazy, inputs } = await run(app, dir);
      const start = weigh(loaded);
      const target = bundler === 'rollup' ? ` (target ≤ ${TARGETS[name]} KB)` : '';
      if (bundler === 'rollup' && start.gzip > TARGETS[name] * 1024) misses.push(name);
      console.log(`  ${bundler.padEnd(7)} loaded at start: ${start.line}${target}`);
      console.log(`  ${bundler.padEnd(7)} lazily loaded:   ${weigh(lazy).line}`);
      if (showInputs) {
        // unminified sizes for rollup (rendered), minified for esbuild: an order, not a sum
        for (const [m, b] of Object.entries(inputs).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${b} B  ${m.replace(dist, 'dist/')}`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (misses.length) console.log(`over target: ${misses.join(', ')}`);

const t0 = performance.now();
const { initKernel } = await import('spikewire');
const t1 = performance.now();
await initKernel();
const t2 = performance.now();
console.log(`import: ${(t1 - t0).toFixed(1)} ms, initKernel (decode + compile + instantiate, core and dsp modules): ${(t2 - t1).toFixed(1)} ms`);
