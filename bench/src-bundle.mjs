// Helpers of the benchmarks that measure functions not in the public entry: bundle them from src/
// with esbuild and import the bundle; time a call as the median of repeated runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `contents` (TypeScript re-exports with paths from the repository root) and imports it. */
export async function importFromSrc(contents) {
  const dir = await mkdtemp(join(tmpdir(), 'spikewire-bench-'));
  try {
    const bundle = join(dir, 'bundle.mjs');
    await build({
      stdin: { contents, resolveDir: root, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'warning',
    });
    return await import(pathToFileURL(bundle).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Median time of `runs` calls of fn in ms, after one warm-up call (compilation, first page faults). */
export async function medianMs(fn, runs) {
  await fn();
  const ms = [];
  while (ms.length < runs) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[runs >> 1];
}
