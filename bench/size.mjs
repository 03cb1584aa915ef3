// How much the universal bundle weighs in a browser app (minified + gzip, as a bundler would ship it)
// and how long the kernel takes to initialise. Run after `npm run build`: node bench/size.mjs
// The minifier is rolldown, which the test toolchain (vite) already installs. fflate, the one
// runtime dependency, is bundled in (tree-shaken), as an app would ship it.
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const entry = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
const result = await build({
  input: entry,
  write: false,
  treeshake: true,
  output: { format: 'es', minify: true },
});
const code = result.output[0].code;
const raw = readFileSync(entry);
console.log(`dist/index.mjs (+ fflate): ${raw.length} B unbundled, bundled+minified ${code.length} B, minified+gzip ${gzipSync(code, { level: 9 }).length} B`);

const t0 = performance.now();
const { initKernel } = await import('spikewire');
const t1 = performance.now();
await initKernel();
const t2 = performance.now();
console.log(`import: ${(t1 - t0).toFixed(1)} ms, initKernel (decode + compile + instantiate): ${(t2 - t1).toFixed(1)} ms`);
