// What the universal entry weighs in a browser app: esbuild `--bundle --minify`, ESM with `--splitting`
// (so that what the library imports with import() when used lands in chunks of its own), then gzip.
// "loaded" is the app's entry chunk and the chunks it imports statically (shipped at start); "lazy"
// is every chunk loaded only by an import() (formats, probes, the scalar kernel fallback, ...).
// Two apps: one that makes a NumpyRecording and reads its traces, and one that keeps every export.
// fflate, the one runtime dependency, is bundled in (tree-shaken), as an app would ship it.
// Run after `npm run build`: node bench/size.mjs   (--inputs: the largest modules of each loaded part)
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
const APPS = {
  'NumpyRecording + getTraces': `import { NumpyRecording } from 'spikewire';
const recording = new NumpyRecording({ tracesList: [new Int16Array(64)], samplingFrequency: 30000, numChannels: 4 });
console.log((await recording.getTraces()).shape);`,
  'every export of spikewire': `import * as spikewire from 'spikewire';
console.log(spikewire);`,
};
const showInputs = process.argv.includes('--inputs');

const dir = mkdtempSync(join(tmpdir(), 'spikewire-size-'));
try {
  for (const [name, code] of Object.entries(APPS)) {
    const app = join(dir, 'app.mjs');
    writeFileSync(app, code);
    const result = await build({
      entryPoints: [app],
      bundle: true,
      minify: true,
      format: 'esm',
      splitting: true,
      platform: 'browser',
      outdir: join(dir, 'out'),
      write: false,
      metafile: true,
      alias: { spikewire: entry },
      logLevel: 'error',
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
    const weigh = (list) => {
      const text = list.map((f) => f.text).join('\n');
      return `${(gzipSync(text, { level: 9 }).length / 1024).toFixed(1)} KB min+gzip (${(text.length / 1024).toFixed(1)} KB min, ${list.length} file${list.length === 1 ? '' : 's'})`;
    };
    console.log(`${name}:`);
    console.log(`  loaded at start: ${weigh(files.filter(isLoaded))}`);
    console.log(`  lazily loaded:   ${weigh(files.filter((f) => !isLoaded(f)))}`);
    if (showInputs) {
      const inputs = {};
      for (const k of loaded) for (const [m, v] of Object.entries(outputs[k].inputs)) inputs[m] = (inputs[m] ?? 0) + v.bytesInOutput;
      for (const [m, b] of Object.entries(inputs).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${b} B  ${m}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const t0 = performance.now();
const { initKernel } = await import('spikewire');
const t1 = performance.now();
await initKernel();
const t2 = performance.now();
console.log(`import: ${(t1 - t0).toFixed(1)} ms, initKernel (decode + compile + instantiate): ${(t2 - t1).toFixed(1)} ms`);
