// nJobs > 1 where worker_threads is incomplete (runtimes that re-implement it: Bun, Deno): one job,
// one warning, the same bytes. The gap check itself on made-up worker_threads modules, then the
// built package with Node's Worker made incomplete (needs a fresh `npm run build`). Node-only.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Spikewire from '../../src/node.js';
import { workerThreadsGap } from '../../src/extractors/node/worker-support.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
let tmp = '';
afterAll(() => (tmp ? rm(tmp, { recursive: true, force: true }) : undefined));

/** A class whose prototype has the named methods (and nothing else). */
function classWith(...methods: string[]): unknown {
  const cls = function () {} as unknown as { prototype: Record<string, unknown> };
  for (const m of methods) cls.prototype[m] = () => {};
  return cls;
}

describe('workerThreadsGap', () => {
  it("Node's worker_threads has everything", () => {
    expect(workerThreadsGap()).toBeNull();
    expect(workerThreadsGap({ Worker })).toBeNull();
    expect(workerThreadsGap({ Worker: classWith('postMessage', 'terminate', 'on') })).toBeNull();
  });

  it('names what is missing', () => {
    expect(workerThreadsGap({ Worker: undefined })).toMatch(/worker_threads is incomplete \(no Worker class\)/);
    expect(workerThreadsGap({ Worker: classWith('postMessage', 'on') })).toMatch(/\(no Worker\.terminate\)/);
    expect(workerThreadsGap({ Worker: classWith('terminate') })).toMatch(/\(no Worker\.postMessage, Worker\.on\)/);
  });
});

describe('save({ nJobs: 2 }) with an incomplete worker_threads', () => {
  it('writes with one job, says so on one line, and the bytes are the same', async () => {
    if (!existsSync(join(dist, 'node.mjs'))) throw new Error('dist/node.mjs is missing: run `npm run build` (or `npm test`, which builds first)');
    const sw = (await import(/* @vite-ignore */ join(dist, 'node.mjs'))) as typeof Spikewire;
    tmp = await mkdtemp(join(tmpdir(), 'spikewire-fallback-'));
    const raw = join(tmp, 'source.raw');
    const samples = Int16Array.from({ length: 4 * 3000 }, (_, i) => (i * 7) % 2000 - 1000);
    await import('node:fs/promises').then((fs) => fs.writeFile(raw, samples));
    const rec = await sw.BinaryRecordingExtractor.open({ filePaths: [raw], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });

    // Node's Worker without terminate, seen through the package's own `import { Worker }`
    const workerThreads = createRequire(import.meta.url)('node:worker_threads');
    const original = workerThreads.Worker;
    const Incomplete = class extends original {};
    Object.defineProperty(Incomplete.prototype, 'terminate', { value: undefined });
    workerThreads.Worker = Incomplete;
    syncBuiltinESMExports();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const saved = await rec.save({ folder: join(tmp, 'saved'), nJobs: 2, chunkSize: 500 });
      expect(warn).toHaveBeenCalledTimes(1);
      const line = String(warn.mock.calls[0][0]);
      expect(line).toMatch(/^spikewire: .*nJobs 2: this runtime's worker_threads is incomplete \(no Worker\.terminate\); writing with one job/);
      expect(line).not.toContain('\n');
      expect((await readFile(join(tmp, 'saved', 'traces_cached_seg0.raw'))).equals(await readFile(raw))).toBe(true);
      await saved.close();
    } finally {
      warn.mockRestore();
      workerThreads.Worker = original;
      syncBuiltinESMExports();
      await rec.close();
    }
  });
});
