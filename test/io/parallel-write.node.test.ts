// writeBinaryRecording / save with nJobs > 1 (spikewire/node): chunks written on worker_threads, each
// worker rebuilding the recording from its dict. The output is byte for byte that of one job; a
// recording that cannot travel falls back to one job with a warning; abort and worker errors leave
// nothing behind.
//
// Workers run dist/parallel-worker.mjs (a worker cannot load the TypeScript sources), so this file
// tests the built package: it needs a fresh `npm run build` (`npm test` builds first). Node-only.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, unlink } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import os, { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Spikewire from '../../src/node.js';
import { fixturePath, readFixtureJson } from '../helpers/fixtures.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(repo, 'dist');
const CASE = 'recordings/int16_per_channel_gains_int_ids_3seg';

let sw: typeof Spikewire;
let tmp = '';
let sourceFiles: string[] = [];
let sourceDict: any;

beforeAll(async () => {
  for (const f of ['node.mjs', 'node.cjs', 'parallel-worker.mjs', 'parallel-worker.cjs']) {
    if (!existsSync(join(dist, f))) {
      throw new Error(`dist/${f} is missing: nJobs > 1 runs workers from the built package. Run \`npm run build\` (or \`npm test\`, which builds first).`);
    }
  }
  sw = (await import(/* @vite-ignore */ join(dist, 'node.mjs'))) as typeof Spikewire;
  tmp = await mkdtemp(join(tmpdir(), 'spikewire-parallel-'));
  sourceDict = await readFixtureJson(`${CASE}/source.dump.json`);
  sourceFiles = await Promise.all((sourceDict.kwargs.file_paths as string[]).map((p) => fixturePath(`${CASE}/${p}`)));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

let counter = 0;
async function freshDir(): Promise<string> {
  const dir = join(tmp, `case${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** The fixture's 3-segment int16 recording, opened with its source options (and its gains). */
async function fixtureRecording(files = sourceFiles): Promise<Spikewire.BinaryRecordingExtractor> {
  const k = sourceDict.kwargs;
  const rec = await sw.BinaryRecordingExtractor.open({
    filePaths: files,
    samplingFrequency: k.sampling_frequency,
    numChannels: k.num_channels,
    dtype: k.dtype,
    channelIds: k.channel_ids,
    timeAxis: k.time_axis,
    fileOffset: k.file_offset,
  });
  rec.setChannelGains(sourceDict.properties.gain_to_uV);
  rec.setChannelOffsets(sourceDict.properties.offset_to_uV);
  return rec;
}

/** Every file under `dir` (relative paths, sorted). */
async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  await walk(dir);
  return out.sort();
}

async function expectCode(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<Error> {
  let error: unknown = null;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a rejection with ${code}`).toBeInstanceOf(sw.SpikewireError);
  expect((error as Spikewire.SpikewireError).code).toBe(code);
  if (pattern) expect((error as Error).message).toMatch(pattern);
  return error as Error;
}

/** Runs `fn` while node:os reports `cores` cores (the nJobs cap), then restores it. */
async function withCores<T>(cores: number, fn: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(os, 'availableParallelism').mockReturnValue(cores);
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    spy.mockRestore();
    syncBuiltinESMExports();
  }
}

/** Writes `rec` with each nJobs into its own folder; returns the bytes of each segment's file per nJobs. */
async function writeEach(rec: Spikewire.BaseRecording, jobs: number[], opts: Spikewire.WriteBinaryOptions = {}) {
  const results: Buffer[][] = [];
  for (const nJobs of jobs) {
    const dir = await freshDir();
    const targets = Array.from({ length: rec.getNumSegments() }, (_, i) => join(dir, `seg${i}`));
    const progress: number[] = [];
    const paths = await sw.writeBinaryRecording(rec, targets, { ...opts, nJobs, onProgress: (p) => progress.push(p.done) });
    expect(paths).toEqual(targets.map((t) => `${t}.raw`));
    expect(await readdir(dir)).toEqual(targets.map((_, i) => `seg${i}.raw`)); // no temporary file left
    // progress: 0, then every chunk once, in order
    expect(progress).toEqual(Array.from({ length: progress.length }, (_, i) => i));
    results.push(await Promise.all(paths.map((p) => readFile(p))));
  }
  return results;
}

describe('nJobs > 1 writes on worker threads, byte for byte as one job', () => {
  it('a 3-segment BinaryRecordingExtractor: same bytes with 1, 2 and 3 jobs (raw int16 and cast to float32, with a header)', async () => {
    const rec = await fixtureRecording();
    const warn = vi.spyOn(console, 'warn');
    try {
      // 100-frame chunks: 10 + 15 + 7 chunks over the three segments
      await withCores(4, async () => {
        const plain = await writeEach(rec, [1, 2, 3], { chunkSize: 100 });
        const originals = await Promise.all(sourceFiles.map((f) => readFile(f)));
        for (const files of plain) files.forEach((b, i) => expect(b.equals(originals[i]), `int16 segment ${i}`).toBe(true));

        const cast = await writeEach(rec, [1, 2, 3], { chunkSize: 77, dtype: 'float32', byteOffset: 10 });
        for (const files of cast.slice(1)) files.forEach((b, i) => expect(b.equals(cast[0][i]), `float32 segment ${i}`).toBe(true));
        // the cast is numpy's astype of the raw samples, after 10 zero bytes
        const seg1 = cast[0][1];
        expect([...seg1.subarray(0, 10)]).toEqual(Array(10).fill(0));
        const raw = new Int16Array(originals[1].buffer.slice(originals[1].byteOffset, originals[1].byteOffset + originals[1].byteLength));
        const f32 = new Float32Array(seg1.buffer.slice(seg1.byteOffset + 10, seg1.byteOffset + seg1.byteLength));
        expect(f32.length).toBe(raw.length);
        expect(Array.from(f32)).toEqual(Array.from(raw));
      });
      expect(warn).not.toHaveBeenCalled(); // the parallel path ran: falling back always warns
    } finally {
      await rec.close();
    }
  });

  it('a ChannelSlice view (channels reordered), cast to int32, and nJobs -1 (all cores)', async () => {
    const rec = await fixtureRecording();
    const view = rec.channelSlice([35, 10, 21], ['a', 'b', 'c']);
    const warn = vi.spyOn(console, 'warn');
    try {
      const [one, two, all] = await writeEach(view, [1, 2, -1], { chunkSize: 64, dtype: '<i4' });
      for (const files of [two, all]) files.forEach((b, i) => expect(b.equals(one[i]), `segment ${i}`).toBe(true));
      // the view's own samples: channels 35, 10, 21 of the source, in that order
      const source = await rec.getTraces({ segmentIndex: 2, channelIds: [35, 10, 21] });
      const written = new Int32Array(one[2].buffer.slice(one[2].byteOffset, one[2].byteOffset + one[2].byteLength));
      expect(Array.from(written)).toEqual(Array.from(source.data as Int16Array));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await rec.close();
    }
  });

  it('recording.save({ folder, nJobs: 2 }) writes the same folder as nJobs 1, file by file', async () => {
    const rec = await fixtureRecording();
    rec.annotate({ note: 'parallel' });
    rec.setProperty('quality', ['good', 'bad', 'good', 'mua', 'good', 'bad']);
    const warn = vi.spyOn(console, 'warn');
    const base = await freshDir();
    try {
      const one = await rec.save({ folder: join(base, 'one'), nJobs: 1, chunkSize: 100 });
      const progress: number[] = [];
      const two = await rec.save({ folder: join(base, 'two'), nJobs: 2, chunkSize: 100, onProgress: (p) => progress.push(p.done) });
      expect(warn).not.toHaveBeenCalled();
      expect(progress.at(-1)).toBe(32);
      const files = await listTree(join(base, 'one'));
      expect(files).toContain('traces_cached_seg2.raw');
      expect(files).toContain('provenance.json');
      expect(await listTree(join(base, 'two'))).toEqual(files);
      for (const f of files) {
        const a = await readFile(join(base, 'one', f));
        const b = await readFile(join(base, 'two', f));
        expect(a.equals(b), f).toBe(true);
      }
      expect(await readdir(base)).toEqual(['one', 'two']); // no temporary folder left
      expect(two.getTotalSamples()).toBe(one.getTotalSamples());
      await Promise.all([one.close(), two.close()]);
    } finally {
      await rec.close();
    }
  });

  it('the CommonJS build runs its workers too (dist/parallel-worker.cjs)', async () => {
    const cjs = createRequire(import.meta.url)(join(dist, 'node.cjs')) as typeof Spikewire;
    const rec = await cjs.BinaryRecordingExtractor.open({ filePaths: sourceFiles, samplingFrequency: 20000, numChannels: 6, dtype: '<i2' });
    const warn = vi.spyOn(console, 'warn');
    const dir = await freshDir();
    try {
      const paths = await withCores(2, () => cjs.writeBinaryRecording(rec, [0, 1, 2].map((i) => join(dir, `s${i}.raw`)), { nJobs: 2, chunkSize: 250 }));
      expect(warn).not.toHaveBeenCalled();
      for (let i = 0; i < 3; i++) expect((await readFile(paths[i])).equals(await readFile(sourceFiles[i]))).toBe(true);
    } finally {
      await rec.close();
    }
  });
});

describe('falling back to one job', () => {
  it('a NumpyRecording cannot travel to a worker: one warning, the same bytes', async () => {
    const src = await fixtureRecording();
    const tracesList = [];
    for (let i = 0; i < 3; i++) tracesList.push((await src.getTraces({ segmentIndex: i })).data);
    await src.close();
    const rec = new sw.NumpyRecording({ tracesList, samplingFrequency: 20000, numChannels: 6 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const [one, two] = await withCores(2, () => writeEach(rec, [1, 2], { chunkSize: 100 }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/nJobs 2: NumpyRecording cannot travel to a worker.*writing with one job/);
    two.forEach((b, i) => expect(b.equals(one[i])).toBe(true));
    // a view of it is no better: the warning names the recording that cannot travel
    warn.mockClear();
    await withCores(2, () => writeEach(rec.channelSlice([0, 2]), [2], { chunkSize: 100 }));
    expect(String(warn.mock.calls[0][0])).toMatch(/NumpyRecording cannot travel to a worker/);
  });

  it('targets that are not file paths, and recordings that read Blobs, write as one job with a warning', async () => {
    const rec = await fixtureRecording();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const blobs = await withCores(2, () => sw.writeBinaryRecording(rec, 'blob', { nJobs: 2, chunkSize: 100 }));
      expect(String(warn.mock.calls[0][0])).toMatch(/needs a file path per segment/);
      expect(Buffer.from(await blobs[0].arrayBuffer()).equals(await readFile(sourceFiles[0]))).toBe(true);
    } finally {
      await rec.close();
    }
    warn.mockClear();
    const blobRec = await sw.BinaryRecordingExtractor.open({
      sources: [new Blob([await readFile(sourceFiles[0])])], samplingFrequency: 20000, numChannels: 6, dtype: 'int16',
    });
    const dir = await freshDir();
    const [path] = await withCores(2, () => sw.writeBinaryRecording(blobRec, [join(dir, 'x.raw')], { nJobs: 2, chunkSize: 100 }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/which a worker cannot reopen/);
    expect((await readFile(path)).equals(await readFile(sourceFiles[0]))).toBe(true);
  });
});

describe('abort and errors leave nothing behind', () => {
  it('aborting mid-way removes every file (writeBinaryRecording and save)', async () => {
    const rec = await fixtureRecording();
    try {
      const dir = await freshDir();
      const controller = new AbortController();
      const p = withCores(2, () => sw.writeBinaryRecording(rec, [0, 1, 2].map((i) => join(dir, `s${i}`)), {
        nJobs: 2, chunkSize: 20, signal: controller.signal, onProgress: ({ done }) => done === 5 && controller.abort('enough'),
      }));
      await expectCode(p, 'ABORTED', /write_binary_recording aborted: enough/);
      expect(await readdir(dir)).toEqual([]);

      const base = await freshDir();
      const again = new AbortController();
      const saving = withCores(2, () => rec.save({
        folder: join(base, 'saved'), nJobs: 2, chunkSize: 20, signal: again.signal, onProgress: ({ done }) => done === 7 && again.abort(),
      }));
      await expectCode(saving, 'ABORTED');
      expect(await readdir(base)).toEqual([]);

      // an already aborted signal: nothing is created at all
      const dir2 = await freshDir();
      await expectCode(sw.writeBinaryRecording(rec, [0, 1, 2].map((i) => join(dir2, `s${i}`)), { nJobs: 2, signal: AbortSignal.abort() }), 'ABORTED');
      expect(await readdir(dir2)).toEqual([]);
    } finally {
      await rec.close();
    }
  }, 20_000);

  it('a worker error surfaces as a SpikewireError (a file gone: NOT_FOUND; a file changed: IO) and removes the outputs', async () => {
    const inputs = await freshDir();
    const files = await Promise.all(sourceFiles.map(async (f, i) => {
      const copy = join(inputs, `in${i}.raw`);
      await copyFile(f, copy);
      return copy;
    }));
    const gone = await fixtureRecording(files);
    await unlink(files[1]); // still open here, but a worker cannot open it again
    const dir = await freshDir();
    const error = await expectCode(
      withCores(2, () => sw.writeBinaryRecording(gone, [0, 1, 2].map((i) => join(dir, `s${i}`)), { nJobs: 2, chunkSize: 100 })),
      'NOT_FOUND',
      /in1\.raw/,
    );
    expect(error.stack).toMatch(/worker thread/);
    expect(await readdir(dir)).toEqual([]);
    await gone.close();

    await copyFile(sourceFiles[1], files[1]);
    const changed = await fixtureRecording(files);
    await truncate(files[2], 1200); // 100 frames left of 700
    const dir2 = await freshDir();
    await expectCode(
      withCores(2, () => sw.writeBinaryRecording(changed, [0, 1, 2].map((i) => join(dir2, `s${i}`)), { nJobs: 2, chunkSize: 100 })),
      'IO',
      /rebuilt from its dict in a worker.*not the one being written/,
    );
    expect(await readdir(dir2)).toEqual([]);
    await changed.close();

    // a folder that does not exist fails before any worker starts
    const missing = join(tmp, 'no-such-folder', 'x.raw');
    const rec = await fixtureRecording();
    await expectCode(withCores(2, () => sw.writeBinaryRecording(rec, [missing, missing + '1', missing + '2'], { nJobs: 2 })), 'NOT_FOUND');
    await rec.close();
    expect(existsSync(join(tmp, 'no-such-folder'))).toBe(false);
  }, 20_000);

  it("an onProgress that throws stops the workers and rejects with the caller's own error", async () => {
    const rec = await fixtureRecording();
    const dir = await freshDir();
    const mine = new Error('stop here (test)');
    let error: unknown = null;
    try {
      await withCores(2, () => sw.writeBinaryRecording(rec, [0, 1, 2].map((i) => join(dir, `s${i}`)), {
        nJobs: 2, chunkSize: 50, onProgress: ({ done }) => {
          if (done === 4) throw mine;
        },
      }));
    } catch (e) {
      error = e;
    }
    expect(error).toBe(mine);
    expect(await readdir(dir)).toEqual([]);
    await rec.close();
  });

  it('overwrite: false refuses an existing file and leaves it as it was', async () => {
    const rec = await fixtureRecording();
    const dir = await freshDir();
    const targets = [0, 1, 2].map((i) => join(dir, `s${i}.raw`));
    await copyFile(sourceFiles[2], targets[1]);
    const before = await stat(targets[1]);
    await expectCode(withCores(2, () => sw.writeBinaryRecording(rec, targets, { nJobs: 2, overwrite: false, chunkSize: 100 })), 'INVALID_ARGUMENT', /already exists/);
    expect(await readdir(dir)).toEqual(['s1.raw']);
    expect((await stat(targets[1])).size).toBe(before.size);
    await rec.close();
  });
});
