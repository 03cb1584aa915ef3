// BinaryRecordingExtractor in Node and in the browser: every fixture case's raw files through Blobs /
// Files and through HTTP range requests (a local server on 127.0.0.1), big-endian files, channel-major
// files, large windows, chunks, and every bad input with its error code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BinaryRecordingExtractor,
  BlobSource,
  HttpSource,
  MemorySource,
  SpikewireError,
  parseDTypeString,
  readBinary,
  type BaseRecording,
  type BinaryRecordingOptions,
} from '../../src/index.js';
import { getKernel } from '../../src/kernel/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { withoutFilePlatform } from '../helpers/platform.js';
import { readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { rangeServerUrl } from '../helpers/http.js';
import { BINARY_CASES, applyCaseExtras, expectReprWithPaths, loadBinaryCase, optionsFromKwargs } from './binary-cases.js';
import { firstDifference } from './bytes.js';

afterEach(() => {
  vi.restoreAllMocks();
});

async function checkCase(rec: BaseRecording, name: string, paths: string[], c: Awaited<ReturnType<typeof loadBinaryCase>>) {
  await applyCaseExtras(rec, c);
  await expectDescription(rec, c.expected.source, { repr: false });
  expectReprWithPaths(rec, c.expected.source.repr, paths);
  expect((rec as any)._kwargs.file_paths).toEqual(paths);
  expect(name).toBeTruthy();
}

describe.each(BINARY_CASES)('fixture case %s', (name) => {
  it('through Files (Blob sources)', async () => {
    const c = await loadBinaryCase(name);
    const files = await Promise.all(c.files.map(async (rel) => new File([(await readFixtureBytes(rel)) as Uint8Array<ArrayBuffer>], rel.split('/').pop()!)));
    const rec = await BinaryRecordingExtractor.open({ ...c.options, sources: files });
    try {
      await checkCase(rec, name, files.map((f) => f.name), c);
      for (const s of rec.sources) expect(s).toBeInstanceOf(BlobSource);
    } finally {
      await rec.close();
    }
  }, 30_000);

  it('over HTTP range requests (URL strings and URL objects)', async () => {
    const c = await loadBinaryCase(name);
    const base = await rangeServerUrl();
    const urls = c.files.map((rel) => `${base}/range/${rel}`);
    const rec = await readBinary({ ...c.options, filePaths: urls.map((u, i) => (i % 2 ? new URL(u) : u)) });
    try {
      await checkCase(rec, name, urls, c);
      for (const s of rec.sources) expect(s).toBeInstanceOf(HttpSource);
    } finally {
      await rec.close();
    }
  }, 30_000);
});

describe('write_recording fixtures through Blob and HTTP', () => {
  it('offset_t1 (16-byte header, timeAxis 1, fileOffset 16) and x (string ids, gains)', async () => {
    const e = await readFixtureJson('write_recording/expected.json');
    const base = await rangeServerUrl();
    const t1 = optionsFromKwargs((await readFixtureJson('write_recording/offset_t1.json')).kwargs);
    const x = (await readFixtureJson('write_recording/x.json')).kwargs;
    const blob = new Blob([(await readFixtureBytes('write_recording/offset_t1.raw')) as Uint8Array<ArrayBuffer>]);
    for (const source of [blob, `${base}/range/write_recording/offset_t1.raw`]) {
      const rec = await readBinary({ ...t1, sources: [source] });
      await expectDescription(rec, e.offset_t1, { repr: false });
      expectReprWithPaths(rec, e.offset_t1.repr, [typeof source === 'string' ? source : 'blob']);
      await rec.close();
    }
    const rec = await readBinary({ ...optionsFromKwargs(x), sources: x.file_paths.map((p: string) => `${base}/range/write_recording/${p}`) });
    await expectDescription(rec, e.x, { repr: false });
    await rec.close();
  }, 30_000);
});

/** Swaps the bytes of every `size`-byte item: a little-endian file becomes its big-endian twin. */
function toBigEndian(bytes: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  return out;
}

describe('big-endian files are byte-swapped', () => {
  it.each(['int16_gain_offset', 'uint16_centered', 'float32_string_ids', 'float64_t_starts', 'many_segments_1ch'])('%s as its big-endian twin', async (name) => {
    const c = await loadBinaryCase(name);
    const le = parseDTypeString(c.kwargs.dtype);
    const size = Number(c.kwargs.dtype.slice(2));
    const be = `>${c.kwargs.dtype.slice(1)}`;
    const sources = await Promise.all(c.files.map(async (rel) => new MemorySource(toBigEndian(await readFixtureBytes(rel), size), rel)));
    const rec = await BinaryRecordingExtractor.open({ ...c.options, dtype: be, sources });
    await checkCase(rec, name, c.files, c);
    expect(rec.getDtype()).toBe(le.dtype);
    expect((rec as any)._kwargs.dtype).toBe(be);
    // chunks() too
    const seg0 = await rec.getTraces({ segmentIndex: 0 });
    const parts: number[] = [];
    for await (const chunk of rec.chunks({ segmentIndex: 0, chunkSize: 333 })) parts.push(...Array.from(chunk.data as ArrayLike<number>));
    expect(parts).toEqual(Array.from(seg0.data as ArrayLike<number>));
  }, 30_000);
});

describe('numpy dtype strings', () => {
  it('parses names and numpy strings with byte order', () => {
    expect(parseDTypeString('<i2')).toEqual({ dtype: 'int16', littleEndian: true, numpy: '<i2' });
    expect(parseDTypeString('>f4')).toEqual({ dtype: 'float32', littleEndian: false, numpy: '>f4' });
    expect(parseDTypeString('|u1')).toEqual({ dtype: 'uint8', littleEndian: true, numpy: '|u1' });
    expect(parseDTypeString('>u1')).toEqual({ dtype: 'uint8', littleEndian: true, numpy: '|u1' });
    expect(parseDTypeString('=i4')).toEqual({ dtype: 'int32', littleEndian: true, numpy: '<i4' });
    expect(parseDTypeString('f8')).toEqual({ dtype: 'float64', littleEndian: true, numpy: '<f8' });
    expect(parseDTypeString('int8')).toEqual({ dtype: 'int8', littleEndian: true, numpy: '|i1' });
    expect(parseDTypeString('uint32')).toEqual({ dtype: 'uint32', littleEndian: true, numpy: '<u4' });
    expect(parseDTypeString('>u2')).toEqual({ dtype: 'uint16', littleEndian: false, numpy: '>u2' });
  });

  it.each(['<i8', 'int64', 'float16', '<f2', 'complex64', '<c8', 'S4', '', 'i2x', 42, null])('refuses %s with INVALID_ARGUMENT listing the accepted forms', (bad) => {
    let error: unknown;
    try {
      parseDTypeString(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toContain(`dtype ${JSON.stringify(bad) ?? String(bad)}`);
    expect((error as Error).message).toMatch(/int16.*'<i2', '>f4', '\|u1'/);
  });
});

/** int16 time-major samples: value of (t, c) = genValue(t, c). */
const value = (t: number, c: number) => ((t * 7 + c * 1031) % 65536) - 32768;
function int16File(frames: number, channels: number): Int16Array {
  const a = new Int16Array(frames * channels);
  for (let t = 0, i = 0; t < frames; t++) for (let c = 0; c < channels; c++, i++) a[i] = value(t, c);
  return a;
}

describe('large windows (reads split into blocks of at most 32 MiB)', () => {
  it('timeAxis 0: one scattered channel over 41 MB of frames, raw and µV', async () => {
    const channels = 64;
    const frames = 320_000;
    const samples = int16File(frames, channels);
    const rec = await readBinary({ sources: [new MemorySource(samples)], samplingFrequency: 30000, numChannels: channels, dtype: '<i2', gainToUV: 0.5, offsetToUV: -3 });
    const s = 1234;
    const e = frames - 17;
    for (const returnInUV of [false, true]) {
      const got = await rec.getTraces({ startFrame: s, endFrame: e, channelIds: [37, 2], returnInUV });
      expect(got.shape).toEqual([e - s, 2]);
      const want = returnInUV ? new Float32Array((e - s) * 2) : new Int16Array((e - s) * 2);
      for (let t = s; t < e; t++) {
        for (const [j, ch] of [37, 2].entries()) {
          const x = samples[t * channels + ch];
          want[(t - s) * 2 + j] = returnInUV ? Math.fround(Math.fround(x * 0.5) - 3) : x;
        }
      }
      expect(firstDifference(got.data, want)).toBe(-1);
    }
  }, 60_000);

  it('timeAxis 1: windows read as SpikeInterface does (the window\'s bytes as channel rows), large and small', async () => {
    const channels = 4;
    const n = 4_500_000; // 36 MB: one window over it is read in pieces
    const raw = new Int16Array(n * channels);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 13) % 30011;
    const header = 16;
    const bytes = new Uint8Array(header + raw.byteLength);
    bytes.set(new Uint8Array(raw.buffer), header);
    const rec = await readBinary({ sources: [new MemorySource(bytes)], samplingFrequency: 30000, numChannels: channels, dtype: 'int16', timeAxis: 1, fileOffset: header });
    expect(rec.getNumSamples()).toBe(n);
    // SpikeInterface: frames [s, e) -> raw[s*C : e*C] reshaped (C, e-s), transposed.
    const reference = (s: number, e: number, ids: number[]) => {
      const out = new Int16Array((e - s) * ids.length);
      const L = e - s;
      for (let t = 0; t < L; t++) ids.forEach((c, j) => (out[t * ids.length + j] = raw[s * channels + c * L + t]));
      return out;
    };
    for (const [s, e, ids] of [[0, n, [0, 1, 2, 3]], [3, n - 5, [3, 1]], [100, 110, [2, 0, 3]], [0, 8, [0, 1, 2, 3]]] as [number, number, number[]][]) {
      const got = await rec.getTraces({ startFrame: s, endFrame: e, channelIds: ids });
      expect(firstDifference(got.data, reference(s, e, ids)), `${s}-${e}`).toBe(-1);
    }
  }, 60_000);
});

describe('bad input: each a SpikewireError with a clear message', () => {
  const base: BinaryRecordingOptions = { sources: [new MemorySource(new Int16Array(40))], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' };

  it('a size that is not a whole number of frames: floored as SpikeInterface, with a warning naming the file', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rec = await readBinary({ ...base, sources: [new MemorySource(new Uint8Array(8 * 10 + 5), 'odd.raw')], fileOffset: 2 });
    expect(rec.getNumSamples()).toBe(10);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/odd\.raw.*83 bytes after fileOffset 2 are not a whole number of frames.*reading 10 samples.*last 3 bytes/);
  });

  it('a dtype we do not know', async () => {
    await expectCodeAsync(readBinary({ ...base, dtype: '<i8' }), 'INVALID_ARGUMENT', /dtype "<i8"/);
  });

  it('numChannels 0, negative, fractional or missing', async () => {
    for (const numChannels of [0, -1, 2.5, undefined]) {
      await expectCodeAsync(readBinary({ ...base, numChannels: numChannels as number }), 'INVALID_ARGUMENT', /numChannels/);
    }
  });

  it('a fileOffset past the end, or not an integer', async () => {
    await expectCodeAsync(readBinary({ ...base, fileOffset: 81 }), 'INVALID_ARGUMENT', /fileOffset 81 is past the end of "memory" \(80 bytes\)/);
    await expectCodeAsync(readBinary({ ...base, fileOffset: -1 }), 'INVALID_ARGUMENT', /fileOffset/);
    await expectCodeAsync(readBinary({ ...base, fileOffset: 1.5 }), 'INVALID_ARGUMENT', /fileOffset/);
    const atEnd = await readBinary({ ...base, fileOffset: 80 });
    expect(atEnd.getNumSamples()).toBe(0);
  });

  it('a server without Range support, a 404, a short body', async () => {
    const url = await rangeServerUrl();
    const rel = 'recordings/int16_gain_offset/source/traces_seg0.raw';
    const opts = { samplingFrequency: 30000, numChannels: 8, dtype: '<i2' };
    await expectCodeAsync(readBinary({ ...opts, sources: [`${url}/norange/${rel}`] }), 'IO', /ignores HTTP Range requests/);
    await expectCodeAsync(readBinary({ ...opts, sources: [`${url}/range/${rel}.missing`] }), 'IO', /HTTP 404/);
    const short = await readBinary({ ...opts, sources: [`${url}/short/${rel}`] });
    expect(short.getNumSamples()).toBe(3000);
    await expectCodeAsync(short.getTraces({ startFrame: 10, endFrame: 20 }), 'IO', /short body/);
    await expectCodeAsync(short.getTraces({ startFrame: 10, endFrame: 20, channelIds: [3], returnInUV: false }), 'IO', /short body/);
  });

  it('a file path without a file system (browsers, edge functions) is UNSUPPORTED', async () => {
    await withoutFilePlatform(() => expectCodeAsync(readBinary({ ...base, sources: undefined, filePaths: ['traces.raw'] }), 'UNSUPPORTED', /traces\.raw.*spikewire\/node/));
  });

  it('other options', async () => {
    await expectCodeAsync(readBinary({ ...base, filePaths: ['a.raw'] }), 'INVALID_ARGUMENT', /not both/);
    await expectCodeAsync(readBinary({ ...base, sources: undefined }), 'INVALID_ARGUMENT', /filePaths/);
    await expectCodeAsync(readBinary({ ...base, sources: [] }), 'INVALID_ARGUMENT', /empty/);
    await expectCodeAsync(readBinary({ ...base, sources: [42 as never] }), 'INVALID_ARGUMENT', /source 0 is 42/);
    await expectCodeAsync(readBinary({ ...base, samplingFrequency: 0 }), 'INVALID_ARGUMENT', /samplingFrequency/);
    await expectCodeAsync(readBinary({ ...base, timeAxis: 2 as never }), 'INVALID_ARGUMENT', /timeAxis/);
    await expectCodeAsync(readBinary({ ...base, channelIds: [1, 2] }), 'INVALID_ARGUMENT', /channelIds has 2 ids for numChannels 4/);
    await expectCodeAsync(readBinary({ ...base, tStarts: [1, 2] }), 'INVALID_ARGUMENT', /tStarts/);
    await expectCodeAsync(readBinary({ ...base, gainToUV: [1, 2] }), 'INVALID_ARGUMENT', /gainToUV has 2 values, expected 4/);
    await expectCodeAsync(readBinary({ ...base, offsetToUV: Number.NaN }), 'INVALID_ARGUMENT', /offsetToUV/);
    await expectCodeAsync(readBinary({ ...base, isFiltered: 'yes' as never }), 'INVALID_ARGUMENT', /isFiltered/);
    await expectCodeAsync(readBinary(null as never), 'INVALID_ARGUMENT', /options object/);
  });
});

describe('recording behaviour', () => {
  it('options land where SpikeInterface puts them: gains, offsets, is_filtered, t_starts, kwargs', async () => {
    const rec = await readBinary({
      sources: [new MemorySource(new Int16Array(40), 'a'), new MemorySource(new Int16Array(20), 'b')],
      samplingFrequency: 1000, numChannels: 4, dtype: '<i2', channelIds: ['w', 'x', 'y', 'z'],
      tStarts: [5, 10], gainToUV: [1, 2, 3, 4], offsetToUV: 0.5, isFiltered: true,
    });
    expect(Array.from(rec.getChannelGains())).toEqual([1, 2, 3, 4]);
    expect(Array.from(rec.getChannelOffsets())).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(rec.isFiltered()).toBe(true);
    expect(rec.getStartTime(1)).toBe(10);
    expect(rec.getNumSamples(1)).toBe(5);
    expect((rec as any)._kwargs).toEqual({
      file_paths: ['a', 'b'], sampling_frequency: 1000, t_starts: [5, 10], num_channels: 4, dtype: '<i2',
      channel_ids: ['w', 'x', 'y', 'z'], time_axis: 0, file_offset: 0, gain_to_uV: [1, 2, 3, 4], offset_to_uV: 0.5, is_filtered: true,
    });
    expect(rec.toString()).toContain("\n  file_paths: ['a', 'b']");
    expect(rec.getFilePaths()).toEqual(['a', 'b']);
  });

  it('one source may be given alone, not in a list; chunks() covers every frame', async () => {
    const samples = int16File(10_000, 3);
    const rec = await readBinary({ sources: new Blob([samples]), samplingFrequency: 1000, numChannels: 3, dtype: 'int16' });
    const all = await rec.getTraces();
    expect(firstDifference(all.data, samples)).toBe(-1);
    let frames = 0;
    for await (const chunk of rec.chunks({ chunkSize: 999, channelIds: [2, 0] })) {
      for (let t = 0; t < chunk.shape[0]; t++) {
        expect(chunk.data[t * 2]).toBe(samples[(chunk.startFrame + t) * 3 + 2]);
        expect(chunk.data[t * 2 + 1]).toBe(samples[(chunk.startFrame + t) * 3]);
      }
      frames += chunk.shape[0];
    }
    expect(frames).toBe(10_000);
  });

  it('an aborted read gives ABORTED; close() closes every source and later reads fail with IO', async () => {
    const base = await rangeServerUrl();
    const rec = await readBinary({ sources: [`${base}/range/gen/800000`, new Blob([new Uint8Array(8000)])], samplingFrequency: 1000, numChannels: 4, dtype: 'int16' });
    const c = new AbortController();
    c.abort('enough');
    await expectCodeAsync(rec.getTraces({ segmentIndex: 0, signal: c.signal }), 'ABORTED');
    const pending = rec.getTraces({ segmentIndex: 0 });
    await rec.close();
    await expectCodeAsync(pending, 'IO', /closed/);
    await expectCodeAsync(rec.getTraces({ segmentIndex: 1 }), 'IO', /closed/);
  });

  it('writeRecording delegates to the binary writer (Blobs out), which reads back the same', async () => {
    const samples = int16File(500, 2);
    const rec = await readBinary({ sources: new Blob([samples]), samplingFrequency: 1000, numChannels: 2, dtype: '<i2' });
    const [blob] = await BinaryRecordingExtractor.writeRecording(rec, 'blob');
    expect(blob).toBeInstanceOf(Blob);
    const back = await readBinary({ sources: blob, samplingFrequency: 1000, numChannels: 2, dtype: '<i2' });
    expect(firstDifference((await back.getTraces()).data, samples)).toBe(-1);
  });
});

describe('read-ahead on sequential reads (files, Blobs, URLs)', () => {
  it('long reads and chunks read ahead give the same samples; blocks read ahead are freed by close()', async () => {
    const kernel = await getKernel();
    const live = () => (kernel as unknown as { heap: { liveCount: number } }).heap.liveCount;
    const before = live();
    const frames = 3_000_000;
    const samples = int16File(frames, 8); // 48 MB
    const opts = { samplingFrequency: 30000, numChannels: 8, dtype: 'int16', gainToUV: 0.25, offsetToUV: 3 } as const;
    const fromBlob = await readBinary({ ...opts, sources: new Blob([samples]) });
    const fromMemory = await readBinary({ ...opts, sources: new MemorySource(samples) });
    // one getTraces in many tiles (sequential inside one call)
    const a = await fromBlob.getTraces({ returnInUV: true, channelIds: [7, 0, 3] });
    const b = await fromMemory.getTraces({ returnInUV: true, channelIds: [7, 0, 3] });
    expect(firstDifference(a.data, b.data)).toBe(-1);
    // chunks larger than one block (split inside a request), and ordinary chunks
    for (const chunkSize of [2_500_000, 100_000]) {
      const want = await fromMemory.getTraces({ returnInUV: true });
      let at = 0;
      for await (const chunk of fromBlob.chunks({ chunkSize, returnInUV: true })) {
        expect(firstDifference(chunk.data, want.data.subarray(at, at + chunk.data.length)), `chunk at ${chunk.startFrame}`).toBe(-1);
        at += chunk.data.length;
      }
      expect(at).toBe(frames * 8);
    }
    // stop early: a block may wait, read ahead; close() frees it
    for await (const chunk of fromBlob.chunks({ chunkSize: 50_000, returnInUV: true })) if (chunk.startFrame >= 200_000) break;
    expect(live()).toBe(before + 1); // the block of frames [250000, 300000), read ahead
    await fromBlob.close();
    await fromMemory.close();
    expect(live()).toBe(before);
  }, 60_000);
});
