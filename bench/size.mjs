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
// What loads with the entry (it and the chunks it imports statically) and everything, including the
// parts imported only when used (formats, probes, the scalar kernel fallback).
const chunks = result.output.filter((o) => o.type === 'chunk');
const byName = new Map(chunks.map((c) => [c.fileName, c]));
const initial = new Set();
const visit = (c) => {
  if (initial.has(c)) return;
  initial.add(c);
  for (const name of c.imports) if (byName.has(name)) visit(byName.get(name));
};
visit(chunks.find((c) => c.isEntry));
const weigh = (list) => {
  const code = list.map((c) => c.code).join('\n');
  return `${code.length} B minified, ${gzipSync(code, { level: 9 }).length} B minified+gzip`;
};
const raw = readFileSync(entry);
console.log(`dist/index.mjs (+ fflate), ${raw.length} B unbundled:`);
console.log(`  loaded with the entry: ${weigh([...initial])}`);
console.log(`  everything (incl. lazily loaded parts): ${weigh(chunks)}`);

const t0 = performance.now();
const { initKernel } = await import('spikewire');
const t1 = performance.now();
await initKernel();
const t2 = performance.now();
console.log(`import: ${(t1 - t0).toFixed(1)} ms, initKernel (decode + compile + instantiate): ${(t2 - t1).toFixed(1)} ms`);
