// BinaryRecordingExtractor over local files (Node, through 'spikewire/node'): every fixture case's
// raw files opened with the case's options give the case's description (ids, sizes, times,
// properties, every window raw and in µV, segment hashes) and SpikeInterface's repr with our paths;
// file handles (closed by close() and on errors), files past 4 GiB, concurrency, the Node platform.
import { mkdtemp, open as openFh, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BinaryRecordingExtractor, MemorySource, NodeFileSource, nodeFilePlatform, openFile, readBinary, type BaseRecording } from '../../src/node.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { fixturePath, fixturesRoot, readFixtureJson } from '../helpers/fixtures.js';
import { genBytes } from '../helpers/gen-bytes.js';
import { rangeServerUrl } from '../helpers/http.js';
import { rng } from '../helpers/random.js';
import { BINARY_CASES, applyCaseExtras, loadBinaryCase, optionsFromKwargs } from './binary-cases.js';
import { firstDifference } from './bytes.js';

const SI_ROOT = '/home/user/si-fixtures';

describe.each(BINARY_CASES)('fixture case %s from its raw files', (name) => {
  it('matches expected.source, repr included (paths swapped for ours)', async () => {
    const c = await loadBinaryCase(name);
    const filePaths = await Promise.all(c.files.map(fixturePath));
    const rec = await BinaryRecordingExtractor.open({ ...c.options, filePaths });
    try {
      await applyCaseExtras(rec, c);
      const root = await fixturesRoot();
      const repr = c.expected.source.repr.split(SI_ROOT).join(root);
      await expectDescription(rec, { ...c.expected.source, repr });
      // kwargs as SpikeInterface stores them (absolute paths)
      const abs = (await readFixtureJson(`recordings/${name}/source.dump_abs.json`)).kwargs;
      expect((rec as any)._kwargs).toEqual({ ...abs, file_paths: abs.file_paths.map((p: string) => p.split(SI_ROOT).join(root)) });
      expect(rec.getAnnotation('is_filtered')).toBe(false);
      for (const s of rec.sources) expect(s).toBeInstanceOf(NodeFileSource);
    } finally {
      await rec.close();
    }
  }, 30_000);
});

describe('write_recording fixtures', () => {
  it('x.json (string ids, gains) and the float32 copy', async () => {
    const e = await readFixtureJson('write_recording/expected.json');
    const root = await fixturesRoot();
    const x = (await readFixtureJson('write_recording/x.json')).kwargs;
    const rec = await readBinary({ ...optionsFromKwargs(x), filePaths: await Promise.all(x.file_paths.map((p: string) => fixturePath(`write_recording/${p}`))) });
    await expectDescription(rec, { ...e.x, repr: e.x.repr.split(SI_ROOT).join(root) });
    await rec.close();
    const f32 = await readBinary({
      filePaths: [await fixturePath('write_recording/f32_seg0.raw'), await fixturePath('write_recording/f32_seg1.raw')],
      samplingFrequency: 30000, numChannels: 4, dtype: '<f4',
    });
    await expectDescription(f32, { ...e.float32_copy, repr: e.float32_copy.repr.split(SI_ROOT).join(root) });
    await f32.close();
  });

  it('offset_t1: a 16-byte header, timeAxis 1, fileOffset 16', async () => {
    const e = await readFixtureJson('write_recording/expected.json');
    const k = (await readFixtureJson('write_recording/offset_t1.json')).kwargs;
    expect(k.time_axis).toBe(1);
    expect(k.file_offset).toBe(16);
    const rec = await readBinary({ ...optionsFromKwargs(k), filePaths: [await fixturePath('write_recording/offset_t1.raw')] });
    await expectDescription(rec, { ...e.offset_t1, repr: e.offset_t1.repr.split(SI_ROOT).join(await fixturesRoot()) });
    await rec.close();
  });
});

// ------------------------------------------------------------------------------------------------
// Files: handles, errors, sizes past 4 GiB, concurrency, the Node file platform.

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'spikewire-io-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Open file descriptors of this process that point into `dir`. */
async function openFdsIn(dir: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    try {
      if ((await readlink(`/proc/self/fd/${fd}`)).startsWith(dir)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

describe('file handles', () => {
  it('are open while the recording is, and closed by close()', async () => {
    const paths = [0, 1, 2].map((i) => join(tmp, `h${i}.raw`));
    for (const p of paths) await writeFile(p, new Uint8Array(800));
    expect(await openFdsIn(tmp)).toBe(0);
    const rec = await BinaryRecordingExtractor.open({ filePaths: paths, samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });
    expect(await openFdsIn(tmp)).toBe(3);
    await rec.getTraces({ segmentIndex: 2 });
    await rec.close();
    expect(await openFdsIn(tmp)).toBe(0);
    await expectCodeAsync(rec.getTraces({ segmentIndex: 0 }), 'IO', /closed/);
  });

  it('are closed when opening fails: a missing file among good ones, a fileOffset past the end, bad gains', async () => {
    const good = join(tmp, 'good.raw');
    await writeFile(good, new Uint8Array(80));
    const missing = join(tmp, 'missing.raw');
    const e = await expectCodeAsync(readBinary({ filePaths: [good, missing, good], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' }), 'NOT_FOUND');
    expect(e.message).toContain(missing);
    expect(await openFdsIn(tmp)).toBe(0);
    await expectCodeAsync(readBinary({ filePaths: [good, good], samplingFrequency: 1000, numChannels: 4, dtype: 'int16', fileOffset: 81 }), 'INVALID_ARGUMENT', /past the end/);
    expect(await openFdsIn(tmp)).toBe(0);
    await expectCodeAsync(readBinary({ filePaths: [good], samplingFrequency: 1000, numChannels: 4, dtype: 'int16', channelIds: [1, 1, 2, 3] }), 'INVALID_ARGUMENT');
    expect(await openFdsIn(tmp)).toBe(0);
    await expectCodeAsync(readBinary({ filePaths: [tmp], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' }), 'IO', /not a regular file/);
    expect(await openFdsIn(tmp)).toBe(0);
  });

  it('a read error (the file shrank) is IO and the handle stays closable', async () => {
    const p = join(tmp, 'shrink.raw');
    await writeFile(p, new Uint8Array(8000));
    const rec = await readBinary({ filePaths: p, samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });
    const fh = await openFh(p, 'r+');
    await fh.truncate(100);
    await fh.close();
    await expectCodeAsync(rec.getTraces({ startFrame: 0, endFrame: 1000 }), 'IO', /short read.*shrink\.raw/);
    await rec.close();
    expect(await openFdsIn(tmp)).toBe(0);
  });
});

describe('bad input with files', () => {
  it('a missing file is NOT_FOUND naming it', async () => {
    await expectCodeAsync(readBinary({ filePaths: [join(tmp, 'nope.raw')], samplingFrequency: 1, numChannels: 1, dtype: 'int16' }), 'NOT_FOUND', /nope\.raw.*no such file/);
  });

  it('a size that is not a whole number of frames: floored, one warning per file', async () => {
    const p = join(tmp, 'odd.raw');
    await writeFile(p, new Uint8Array(8 * 100 + 3));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rec = await readBinary({ filePaths: [p, p], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });
    expect(rec.getNumSamples(0)).toBe(100);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0][0])).toContain(p);
    warn.mockRestore();
    await rec.close();
  });

  it('relative paths are stored absolute (kwargs and repr); file: URLs are paths', async () => {
    const p = join(tmp, 'rel.raw');
    await writeFile(p, new Uint8Array(80));
    const rec = await readBinary({ filePaths: relative(process.cwd(), p), samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });
    expect((rec as any)._kwargs.file_paths).toEqual([p]);
    expect(rec.toString().endsWith(`\n  file_paths: ['${p}']`)).toBe(true);
    await rec.close();
    const viaUrl = await readBinary({ filePaths: [pathToFileURL(p)], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });
    expect(viaUrl.getFilePaths()).toEqual([p]);
    expect(viaUrl.sources[0]).toBeInstanceOf(NodeFileSource);
    await viaUrl.close();
  });
});

describe('files larger than 4 GiB', () => {
  it('a sparse 4.5 GiB file: sizes and reads past 4 GiB are exact', async () => {
    const p = join(tmp, 'sparse.raw');
    const size = 4.5 * 2 ** 30;
    const fh = await openFh(p, 'w');
    await fh.truncate(size);
    const numChannels = 16;
    const frameBytes = numChannels * 2;
    const frame = Math.floor((2 ** 32 + 12345) / frameBytes); // a frame past 4 GiB
    const known = genBytes(0, frameBytes * 100);
    await fh.write(known, 0, known.length, frame * frameBytes);
    await fh.close();
    const rec = await readBinary({ filePaths: p, samplingFrequency: 30000, numChannels, dtype: 'int16', gainToUV: 2, offsetToUV: 1 });
    try {
      expect(rec.getNumSamples()).toBe(size / frameBytes);
      expect(rec.getTotalMemorySize()).toBe(size);
      const raw = await rec.getTraces({ startFrame: frame, endFrame: frame + 100 });
      expect(firstDifference(raw.data, known)).toBe(-1);
      const some = await rec.getTraces({ startFrame: frame + 10, endFrame: frame + 20, channelIds: [15, 3], returnInUV: true });
      const ints = new Int16Array(known.buffer);
      const want = new Float32Array(20);
      for (let t = 0; t < 10; t++) [15, 3].forEach((c, j) => (want[t * 2 + j] = Math.fround(Math.fround(ints[(t + 10) * numChannels + c] * 2) + 1)));
      expect(firstDifference(some.data, want)).toBe(-1);
      const zeros = await rec.getTraces({ startFrame: frame - 5, endFrame: frame });
      expect(Array.from(zeros.data).every((x) => x === 0)).toBe(true);
      expect((await stat(p)).blocks * 512).toBeLessThan(1 << 20); // still sparse
    } finally {
      await rec.close();
    }
  }, 60_000);
});

describe('concurrency on files', () => {
  it('100 concurrent getTraces on file, Blob and HTTP recordings equal the same calls one by one', async () => {
    const bigPath = join(tmp, 'big.raw');
    await writeFile(bigPath, genBytes(0, 64_000_000));
    const base = await rangeServerUrl();
    const recs: BaseRecording[] = [
      await readBinary({ filePaths: bigPath, samplingFrequency: 30000, numChannels: 64, dtype: '<i2', gainToUV: 0.195, offsetToUV: 0 }),
      await readBinary({ filePaths: bigPath, samplingFrequency: 30000, numChannels: 8, dtype: '>f4' }),
      await readBinary({ filePaths: bigPath, samplingFrequency: 30000, numChannels: 5, dtype: 'int16', timeAxis: 1, fileOffset: 10 }),
      await readBinary({ sources: new Blob([(await readFile(bigPath)).subarray(0, 16_000_000)]), samplingFrequency: 30000, numChannels: 32, dtype: 'uint16', gainToUV: 1, offsetToUV: -32768 }),
      await readBinary({ sources: `${base}/range/gen/24000000`, samplingFrequency: 30000, numChannels: 384, dtype: '<i2', gainToUV: 0.5, offsetToUV: 0 }),
      await readBinary({ sources: new MemorySource(genBytes(0, 32_000_000)), samplingFrequency: 30000, numChannels: 20, dtype: 'int32' }),
    ];
    const random = rng(7);
    const pick = (n: number) => Math.floor(random() * n);
    const calls = Array.from({ length: 100 }, (_, i) => {
      const rec = recs[i % recs.length];
      const n = rec.getNumSamples();
      const length = random() < 0.2 ? Math.min(n, 50_000 + pick(250_000)) : 1 + pick(4000);
      const startFrame = pick(n - length + 1);
      const ids = rec.getChannelIds().filter(() => random() < 0.4);
      return { rec, opts: { startFrame, endFrame: startFrame + length, channelIds: ids.length && random() < 0.6 ? ids : undefined, returnInUV: rec.hasScaleableTraces() && random() < 0.5 } };
    });
    const together = await Promise.all(calls.map(({ rec, opts }) => rec.getTraces(opts)));
    for (let i = 0; i < calls.length; i++) {
      const alone = await calls[i].rec.getTraces(calls[i].opts);
      expect(firstDifference(together[i].data, alone.data), `call ${i}`).toBe(-1);
    }
    const file = new Int16Array((await readFile(bigPath)).buffer.slice(0));
    const raw = await recs[0].getTraces({ startFrame: 1000, endFrame: 400_000 });
    expect(firstDifference(raw.data, file.subarray(1000 * 64, 400_000 * 64))).toBe(-1);
    await Promise.all(recs.map((r) => r.close()));
    expect(await openFdsIn(tmp)).toBe(0);
  }, 120_000);
});

describe('the Node file platform', () => {
  it('openFile gives a NodeFileSource reading exact ranges', async () => {
    const p = join(tmp, 'src.raw');
    const bytes = genBytes(0, 10_000);
    await writeFile(p, bytes);
    const s = await openFile(p);
    expect(s).toBeInstanceOf(NodeFileSource);
    expect(s.size).toBe(10_000);
    expect(s.name).toBe(p);
    const into = new Uint8Array(500);
    await s.read(9500, into);
    expect(firstDifference(into, bytes.subarray(9500))).toBe(-1);
    await expectCodeAsync(s.read(9600, into), 'OUT_OF_RANGE');
    const c = new AbortController();
    c.abort();
    await expectCodeAsync(s.read(0, into, c.signal), 'ABORTED');
    await s.close();
    await s.close();
    await expectCodeAsync(s.read(0, into), 'IO', /closed/);
  });

  it('file sinks write beside the target and rename on close; abort leaves nothing', async () => {
    const p = join(tmp, 'out', 'sink.raw');
    await nodeFilePlatform.mkdir(join(tmp, 'out'));
    const sink = await nodeFilePlatform.createFileSink(p);
    await sink.write(new Uint8Array([1, 2, 3]));
    await sink.write(new Uint8Array([4]));
    expect(await nodeFilePlatform.stat(p)).toBeNull();
    expect((await readdir(join(tmp, 'out'))).length).toBe(1); // the temporary file
    expect(await sink.close()).toBe(p);
    expect(Array.from(await readFile(p))).toEqual([1, 2, 3, 4]);
    expect(await readdir(join(tmp, 'out'))).toEqual(['sink.raw']);
    await expectCodeAsync(nodeFilePlatform.createFileSink(p), 'INVALID_ARGUMENT', /already exists.*overwrite/);
    const again = await nodeFilePlatform.createFileSink(p, { overwrite: true });
    await again.write(new Uint8Array([9]));
    await again.abort(new Error('stop'));
    await again.abort();
    expect(Array.from(await readFile(p))).toEqual([1, 2, 3, 4]); // untouched
    expect(await readdir(join(tmp, 'out'))).toEqual(['sink.raw']);
    await expectCodeAsync(again.write(new Uint8Array([1])), 'IO', /aborted/);
    await expectCodeAsync(nodeFilePlatform.createFileSink(join(tmp, 'no', 'such', 'dir', 'x.raw')), 'NOT_FOUND');
    const bulk = await nodeFilePlatform.createFileSink(join(tmp, 'out', 'bulk.raw'), { durable: false });
    await bulk.write(new Uint8Array(1000).fill(3));
    await bulk.close();
    expect((await readFile(join(tmp, 'out', 'bulk.raw'))).length).toBe(1000);
  });

  it('readFile, writeFile (atomic), readDir, stat, mkdir, rename, remove, resolvePath', async () => {
    const P = nodeFilePlatform;
    const dir = join(tmp, 'plat', 'a', 'b');
    await P.mkdir(dir);
    expect(await P.stat(dir)).toEqual({ kind: 'dir', size: expect.any(Number) });
    await P.writeFile(join(dir, 'x.json'), '{"a":1}');
    await P.writeFile(join(dir, 'y.bin'), new Uint8Array([5, 6]));
    expect(new TextDecoder().decode(await P.readFile(join(dir, 'x.json')))).toBe('{"a":1}');
    expect((await P.readDir(dir)).sort()).toEqual(['x.json', 'y.bin']);
    expect(await P.stat(join(dir, 'y.bin'))).toEqual({ kind: 'file', size: 2 });
    expect(await P.stat(join(dir, 'none'))).toBeNull();
    await P.rename(join(dir, 'y.bin'), join(dir, 'z.bin'));
    expect((await P.readDir(dir)).sort()).toEqual(['x.json', 'z.bin']);
    await expectCodeAsync(P.readFile(join(dir, 'none')), 'NOT_FOUND');
    await expectCodeAsync(P.readDir(join(dir, 'none')), 'NOT_FOUND');
    await P.remove(join(tmp, 'plat'));
    await P.remove(join(tmp, 'plat'));
    expect(await P.stat(join(tmp, 'plat'))).toBeNull();
    expect(P.resolvePath('a/b')).toBe(join(process.cwd(), 'a/b'));
    expect(typeof P.stderrIsTTY()).toBe('boolean');
  });
});
