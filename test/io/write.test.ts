// writeBinaryRecording in every runtime (node and browser projects): Blob, WritableStream and ByteSink
// targets give SpikeInterface's bytes (sha256 of the write_recording fixtures), chunking options,
// dtype conversion, byteOffset, progress callbacks, aborts and failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BlobSink,
  NumpyRecording,
  RawBlockSegment,
  SpikewireError,
  WritableStreamSink,
  blobTarget,
  isBlobTarget,
  openSink,
  writeBinaryRecording,
  type ProgressInfo,
} from '../../src/index.js';
import { BaseRecording } from '../../src/core/index.js';
import type { Kernel } from '../../src/kernel/index.js';
import { formatInterval, formatProgressBar, ProgressReporter } from '../../src/extractors/progress.js';
import { resolveNJobs, withBinaryExtension } from '../../src/extractors/write-binary.js';
import { inBrowser, readFixtureJson } from '../helpers/fixtures.js';
import { withoutFilePlatform } from '../helpers/platform.js';
import { installFilePlatform, type FilePlatform } from '../../src/store/platform.js';

/** Node's os module, by a name the browser build never resolves. */
const NODE_OS = ['node', 'os'].join(':');
import {
  blobBytes,
  collectingStream,
  expectSameBytes,
  fixtureHashes,
  memorySink,
  recordingOffsetT1,
  recordingX,
  rejectsWith,
  sha,
} from './write-helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('writeBinaryRecording: the write_recording fixtures, byte for byte', () => {
  it("'blob' gives one Blob per segment with SpikeInterface's bytes (seg0.raw, seg1.raw)", async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    const blobs = await writeBinaryRecording(rec, 'blob');
    expect(blobs).toHaveLength(2);
    expect(blobs[0]).toBeInstanceOf(Blob);
    expect(blobs[0].size).toBe(8000);
    expect(blobs[1].size).toBe(4000);
    expect(await sha(await blobBytes(blobs[0]))).toBe(hashes['seg0.raw']);
    expect(await sha(await blobBytes(blobs[1]))).toBe(hashes['seg1.raw']);
    // the noext_* files are the same recording written under names without an extension
    expect(hashes['noext_seg0.raw']).toBe(hashes['seg0.raw']);
  });

  it('dtype float32 gives f32_seg0.raw / f32_seg1.raw (numpy astype of the raw int16 traces)', async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    for (const dtype of ['float32', '<f4', 'f4']) {
      const blobs = await writeBinaryRecording(rec, [blobTarget(), { kind: 'blob' }], { dtype });
      expect(blobs[0].size).toBe(16000);
      expect(await sha(await blobBytes(blobs[0]))).toBe(hashes['f32_seg0.raw']);
      expect(await sha(await blobBytes(blobs[1]))).toBe(hashes['f32_seg1.raw']);
    }
    // scaled or not, the gains play no part in what is written
    expect(rec.hasScaleableTraces()).toBe(true);
  });

  it('offset_t1: the time_axis 1 recording writes time-major; byteOffset 16 puts 16 zero bytes first', async () => {
    const hashes = await fixtureHashes();
    const expected = await readFixtureJson('write_recording/expected.json');
    const rawSha = expected.offset_t1.segment_hashes[0].raw_sha256 as string;
    const rec = await recordingOffsetT1();
    const [plain] = await writeBinaryRecording(rec, 'blob');
    expect(await sha(await blobBytes(plain))).toBe(rawSha);
    expect(rawSha).toBe(hashes['seg0.raw']);
    const [withHeader] = await writeBinaryRecording(rec, 'blob', { byteOffset: 16 });
    const bytes = await blobBytes(withHeader);
    expect(bytes.byteLength).toBe(8016); // the size of offset_t1.raw: 16-byte header + 1000 x 4 int16
    expect(Array.from(bytes.subarray(0, 16))).toEqual(new Array(16).fill(0));
    expect(await sha(bytes.subarray(16))).toBe(rawSha);
  });

  it('a WritableStream target collects the same bytes (chunks copied, never views of kernel memory)', async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    const a = collectingStream();
    const b = collectingStream();
    const out = await writeBinaryRecording(rec, [a.stream, b.stream], { chunkSize: 64 });
    expect(out).toEqual([undefined, undefined]);
    expect(a.state.closed && b.state.closed).toBe(true);
    expect(a.chunks.length).toBe(Math.ceil(1000 / 64));
    expect(await sha(a.bytes())).toBe(hashes['seg0.raw']);
    expect(await sha(b.bytes())).toBe(hashes['seg1.raw']);
    expect(new Set(a.chunks.map((c) => c.buffer)).size).toBe(a.chunks.length);
  });

  it('ByteSinks and mixed targets: each segment to its own target, close() results returned', async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    const m = memorySink('mine');
    const s = collectingStream();
    const out = await writeBinaryRecording(rec, [m.sink, s.stream]);
    expect(out[0]).toBe('closed mine');
    expect(out[1]).toBeUndefined();
    expect(await sha(m.bytes())).toBe(hashes['seg0.raw']);
    expect(await sha(s.bytes())).toBe(hashes['seg1.raw']);
  });

  it('a one-segment recording takes a single target as well as a list of one', async () => {
    const hashes = await fixtureHashes();
    const rec = (await recordingX()).selectSegments([1]);
    const [blob] = await writeBinaryRecording(rec, blobTarget());
    expect(await sha(await blobBytes(blob))).toBe(hashes['seg1.raw']);
    const s = collectingStream();
    await writeBinaryRecording(rec, s.stream);
    expect(await sha(s.bytes())).toBe(hashes['seg1.raw']);
  });
});

describe('writeBinaryRecording: chunking', () => {
  it('chunkSize, chunkDuration and chunkMemory give identical bytes (and so does the default, 1 s)', async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    const variants = [
      {},
      { chunkSize: 1 },
      { chunkSize: 7 },
      { chunkSize: 999 },
      { chunkSize: 1000 },
      { chunkSize: 100_000 },
      { chunkDuration: '1s' },
      { chunkDuration: 0.5 },
      { chunkDuration: '1ms' },
      { chunkDuration: '3.3ms' },
      { chunkMemory: '100M' },
      { chunkMemory: '1k' },
      { chunkMemory: 24 },
      { totalMemory: '2k' },
    ];
    for (const opts of variants) {
      const chunks: number[] = [];
      const blobs = await writeBinaryRecording(rec, 'blob', { ...opts, onProgress: (p) => chunks.push(p.total) });
      expect(await sha(await blobBytes(blobs[0])), JSON.stringify(opts)).toBe(hashes['seg0.raw']);
      expect(await sha(await blobBytes(blobs[1])), JSON.stringify(opts)).toBe(hashes['seg1.raw']);
    }
  });

  it('the chunk count follows the chunk options (SpikeInterface: int(duration * fs), int(memory / frame bytes))', async () => {
    const rec = await recordingX();
    const totalFor = async (opts: object) => {
      let total = -1;
      await writeBinaryRecording(rec, 'blob', { ...opts, onProgress: (p) => (total = p.total) });
      return total;
    };
    expect(await totalFor({})).toBe(2); // '1s' = 30000 frames: one chunk per segment
    expect(await totalFor({ chunkSize: 100 })).toBe(15);
    expect(await totalFor({ chunkSize: 300 })).toBe(4 + 2);
    expect(await totalFor({ chunkDuration: '10ms' })).toBe(4 + 2); // 300 frames
    expect(await totalFor({ chunkDuration: 0.01 })).toBe(4 + 2);
    expect(await totalFor({ chunkMemory: 2400 })).toBe(4 + 2); // 2400 B / (4 ch x 2 B) = 300 frames
    expect(await totalFor({ chunkMemory: '2.4k' })).toBe(4 + 2);
  });

  it('two chunk options: INVALID_ARGUMENT before anything is written', async () => {
    const rec = await recordingX();
    const pairs = [
      { chunkSize: 10, chunkDuration: '1s' },
      { chunkSize: 10, chunkMemory: '1M' },
      { chunkDuration: 1, chunkMemory: '1M' },
      { chunkMemory: '1M', totalMemory: '1M' },
    ];
    for (const opts of pairs) {
      const a = collectingStream();
      const b = collectingStream();
      await rejectsWith(writeBinaryRecording(rec, [a.stream, b.stream], opts), 'INVALID_ARGUMENT', /give one of/);
      expect(a.state.writes + b.state.writes).toBe(0);
    }
    await rejectsWith(writeBinaryRecording(rec, 'blob', { chunkSize: 0 }), 'INVALID_ARGUMENT', /chunkSize/);
    await rejectsWith(writeBinaryRecording(rec, 'blob', { chunkDuration: '1 minute' }), 'INVALID_ARGUMENT', /chunkDuration/);
    await rejectsWith(writeBinaryRecording(rec, 'blob', { chunkMemory: 'lots' }), 'INVALID_ARGUMENT', /chunkMemory/);
  });
});

describe('writeBinaryRecording: options and targets', () => {
  it('dtype conversion is numpy astype of the raw traces: int wraps, float truncates toward zero', async () => {
    const data = new Int16Array([300, -1, 256, -32768, 32767, 127, -129, 0]);
    const rec = new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels: 2 });
    rec.setChannelGains(10); // ignored: raw traces are written
    rec.setChannelOffsets(5);
    const [u8] = await writeBinaryRecording(rec, 'blob', { dtype: 'uint8', chunkSize: 3 });
    expect(Array.from(await blobBytes(u8))).toEqual([44, 255, 0, 0, 255, 127, 127, 0]);
    const [i32] = await writeBinaryRecording(rec, 'blob', { dtype: '<i4' });
    expect(Array.from(new Int32Array(await i32.arrayBuffer()))).toEqual(Array.from(data));
    const [f64] = await writeBinaryRecording(rec, 'blob', { dtype: 'float64' });
    expect(Array.from(new Float64Array(await f64.arrayBuffer()))).toEqual(Array.from(data));

    const floats = new Float32Array([1.9, -1.9, 2.5, -0.5, 100000, 70000.7]);
    const frec = new NumpyRecording({ tracesList: [floats], samplingFrequency: 1000, numChannels: 3 });
    const [i16] = await writeBinaryRecording(frec, 'blob', { dtype: 'int16' });
    const back = Array.from(new Int16Array(await i16.arrayBuffer()));
    expect(back.slice(0, 4)).toEqual([1, -1, 2, 0]); // in-range values: numpy's truncation
  });

  it('dtype errors: unknown → INVALID_ARGUMENT, big-endian → UNSUPPORTED', async () => {
    const rec = await recordingX();
    await rejectsWith(writeBinaryRecording(rec, 'blob', { dtype: 'int64' }), 'INVALID_ARGUMENT', /int64/);
    await rejectsWith(writeBinaryRecording(rec, 'blob', { dtype: '>i2' }), 'UNSUPPORTED', /big-endian/);
  });

  it('byteOffset: that many zero bytes, then the samples (large offsets too)', async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    for (const byteOffset of [0, 1, 16, 4096, (1 << 20) + 3]) {
      const blobs = await writeBinaryRecording(rec, 'blob', { byteOffset, chunkSize: 333 });
      for (const [i, name] of ['seg0.raw', 'seg1.raw'].entries()) {
        const bytes = await blobBytes(blobs[i]);
        expect(bytes.byteLength).toBe(byteOffset + (i === 0 ? 8000 : 4000));
        expect(bytes.subarray(0, byteOffset).every((b) => b === 0)).toBe(true);
        expect(await sha(bytes.subarray(byteOffset))).toBe(hashes[name]);
      }
    }
    await rejectsWith(writeBinaryRecording(rec, 'blob', { byteOffset: -1 }), 'INVALID_ARGUMENT', /byteOffset/);
    await rejectsWith(writeBinaryRecording(rec, 'blob', { byteOffset: 1.5 }), 'INVALID_ARGUMENT', /byteOffset/);
  });

  it('one target per segment: a count mismatch is INVALID_ARGUMENT naming both counts', async () => {
    const rec = await recordingX();
    const e = await rejectsWith(writeBinaryRecording(rec, [blobTarget()]), 'INVALID_ARGUMENT', /1 target .* 2 segments/);
    expect(e.message).toMatch(/one target per segment/);
    await rejectsWith(writeBinaryRecording(rec, blobTarget()), 'INVALID_ARGUMENT', /2 segments/);
    await rejectsWith(writeBinaryRecording(rec, [blobTarget(), blobTarget(), blobTarget()]), 'INVALID_ARGUMENT', /3 targets/);
    await rejectsWith(writeBinaryRecording(rec, undefined), 'INVALID_ARGUMENT', /needs targets/);
    await rejectsWith(writeBinaryRecording(rec, [42, 43]), 'INVALID_ARGUMENT', /cannot write to 42/);
    const s = collectingStream();
    await rejectsWith(writeBinaryRecording(rec, [s.stream, s.stream]), 'INVALID_ARGUMENT', /same target/);
    await rejectsWith(writeBinaryRecording({} as BaseRecording, 'blob'), 'INVALID_ARGUMENT', /expects a recording/);
  });

  it("'.raw' is added unless the name ends in .raw, .bin or .dat (SpikeInterface's add_suffix)", () => {
    expect(withBinaryExtension('noext_seg0')).toBe('noext_seg0.raw');
    expect(withBinaryExtension('seg0.raw')).toBe('seg0.raw');
    expect(withBinaryExtension('a/b/traces.bin')).toBe('a/b/traces.bin');
    expect(withBinaryExtension('traces.dat')).toBe('traces.dat');
    expect(withBinaryExtension('traces.RAW')).toBe('traces.RAW.raw'); // case-sensitive, as Path.suffix
    expect(withBinaryExtension('traces.txt')).toBe('traces.txt.raw');
    expect(withBinaryExtension('traces.raw.gz')).toBe('traces.raw.gz.raw');
    expect(withBinaryExtension('folder.bin/traces')).toBe('folder.bin/traces.raw');
    expect(withBinaryExtension('folder/.raw')).toBe('folder/.raw.raw'); // a dot file has no suffix
    expect(withBinaryExtension('traces.')).toBe('traces..raw');
    expect(withBinaryExtension('C:\\data\\seg0')).toBe('C:\\data\\seg0.raw');
    expect(withBinaryExtension('C:\\data\\seg0.dat')).toBe('C:\\data\\seg0.dat');
  });

  it('nJobs: SpikeInterface semantics; more than one job warns once and writes the same bytes', async () => {
    expect(resolveNJobs(undefined, 8)).toBe(1);
    expect(resolveNJobs(1, 8)).toBe(1);
    expect(resolveNJobs(-1, 8)).toBe(8);
    expect(resolveNJobs(-2, 8)).toBe(7);
    expect(resolveNJobs(0.5, 8)).toBe(4);
    expect(resolveNJobs(1.0, 8)).toBe(1); // an integer 1 is one job, as Python's int 1
    expect(resolveNJobs(64, 8)).toBe(8);
    expect(resolveNJobs(-100, 8)).toBe(1);
    expect(() => resolveNJobs(0, 8)).toThrow(SpikewireError);
    expect(() => resolveNJobs('2', 8)).toThrow(/nJobs/);

    const hashes = await fixtureHashes();
    const rec = await recordingX();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // Browsers have no parallel writer; Node's (#parallel-writer) needs file paths, not Blobs. Either
    // way the write falls back to one job, and says so when more than one core was there to use.
    const cores = inBrowser ? navigator.hardwareConcurrency ?? 1 : (await import(/* @vite-ignore */ NODE_OS)).availableParallelism();
    const blobs = await writeBinaryRecording(rec, 'blob', { nJobs: 2 });
    expect(warn).toHaveBeenCalledTimes(cores > 1 ? 1 : 0);
    if (cores > 1) {
      expect(String(warn.mock.calls[0][0])).toMatch(inBrowser ? /parallel writing comes with worker support/ : /parallel writing needs a file path per segment/);
    }
    expect(await sha(await blobBytes(blobs[0]))).toBe(hashes['seg0.raw']);
    warn.mockClear();
    await writeBinaryRecording(rec, 'blob', { nJobs: 1 });
    expect(warn).not.toHaveBeenCalled();
    await rejectsWith(writeBinaryRecording(rec, 'blob', { nJobs: 0 }), 'INVALID_ARGUMENT', /nJobs/);
  });

  it('empty segments write empty outputs (or just the header)', async () => {
    const rec = new NumpyRecording({ tracesList: [new Int16Array(0), new Int16Array([1, 2, 3, 4])], samplingFrequency: 100, numChannels: 2 });
    const progress: ProgressInfo[] = [];
    const blobs = await writeBinaryRecording(rec, 'blob', { onProgress: (p) => progress.push({ ...p }) });
    expect(blobs.map((b) => b.size)).toEqual([0, 8]);
    expect(progress.at(-1)).toEqual({ done: 1, total: 1 });
    const withHeader = await writeBinaryRecording(rec, 'blob', { byteOffset: 4 });
    expect(withHeader.map((b) => b.size)).toEqual([4, 12]);
  });

  it('views (channel slices, frame slices) write their own samples', async () => {
    const rec = await recordingX();
    const view = rec.selectSegments([0]).channelSlice(['c2', 'c0']).frameSlice(10, 20);
    const [blob] = await writeBinaryRecording(view, 'blob', { chunkSize: 3 });
    const expected = await view.getTraces();
    expectSameBytes(await blobBytes(blob), new Uint8Array(expected.data.buffer, expected.data.byteOffset, expected.data.byteLength));
    const [f] = await writeBinaryRecording(view, 'blob', { dtype: 'float32', chunkSize: 4 });
    expect(Array.from(new Float32Array(await f.arrayBuffer()))).toEqual(Array.from(expected.data));
  });
});

describe('writeBinaryRecording: progress', () => {
  it('onProgress: {done: 0, total} first, then one call per chunk, monotone, ending at total', async () => {
    const rec = await recordingX();
    const seen: ProgressInfo[] = [];
    await writeBinaryRecording(rec, 'blob', { chunkSize: 100, onProgress: (p) => seen.push({ ...p }) });
    expect(seen[0]).toEqual({ done: 0, total: 15 });
    expect(seen.at(-1)).toEqual({ done: 15, total: 15 });
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(new Set(seen.map((p) => p.total))).toEqual(new Set([15]));
  });

  it('onProgress must be a function; progressBar must be a boolean', async () => {
    const rec = await recordingX();
    await rejectsWith(writeBinaryRecording(rec, 'blob', { onProgress: 3 as never }), 'INVALID_ARGUMENT', /onProgress/);
    await rejectsWith(writeBinaryRecording(rec, 'blob', { progressBar: 'yes' as never }), 'INVALID_ARGUMENT', /progressBar/);
  });

  it('an onProgress that throws stops the write and aborts the outputs', async () => {
    const rec = await recordingX();
    const a = collectingStream();
    const b = collectingStream();
    const boom = new Error('callback failed');
    await expect(writeBinaryRecording(rec, [a.stream, b.stream], { chunkSize: 100, onProgress: (p) => { if (p.done === 3) throw boom; } })).rejects.toBe(boom);
    expect(a.state.aborted && b.state.aborted).toBe(true);
    expect(a.state.closed || b.state.closed).toBe(false);
  });

  it('formatProgressBar draws tqdm\'s line', () => {
    expect(formatProgressBar('write_binary_recording', 0, 60, 0)).toBe('write_binary_recording:   0%|          | 0/60 [00:00<?, ?it/s]');
    expect(formatProgressBar('write_binary_recording', 27, 60, 1.317)).toBe('write_binary_recording:  45%|████▌     | 27/60 [00:01<00:01, 20.50it/s]');
    expect(formatProgressBar('write_binary_recording', 60, 60, 2.9)).toBe('write_binary_recording: 100%|██████████| 60/60 [00:02<00:00, 20.69it/s]');
    expect(formatProgressBar('job', 1, 8, 1)).toBe('job:  12%|█▎        | 1/8 [00:01<00:07,  1.00it/s]'); // 12.5 rounds half to even
    expect(formatProgressBar('job', 1, 3, 4)).toBe('job:  33%|███▎      | 1/3 [00:04<00:08,  4.00s/it]');
    expect(formatProgressBar('job', 0, 0, 0)).toBe('job: 0it [00:00, ?it/s]');
    expect(formatInterval(59.9)).toBe('00:59');
    expect(formatInterval(3599)).toBe('59:59');
    expect(formatInterval(3600 * 2 + 61)).toBe('2:01:01');
  });

  it('ProgressReporter redraws with \\r at most every 0.1 s, draws the final state and ends the line', () => {
    let clock = 0;
    const out: string[] = [];
    const calls: ProgressInfo[] = [];
    const r = new ProgressReporter('job', 4, (p) => calls.push({ ...p }), { write: (t) => out.push(t) }, () => clock);
    r.start();
    clock = 50;
    r.tick(); // within 0.1 s of the last draw: not drawn
    clock = 200;
    r.tick();
    clock = 210;
    r.tick();
    clock = 220;
    r.tick(); // the last chunk is always drawn
    r.close();
    r.close();
    expect(calls.map((c) => c.done)).toEqual([0, 1, 2, 3, 4]);
    expect(out.every((t) => t === '\n' || t.startsWith('\r'))).toBe(true);
    expect(out.at(-1)).toBe('\n');
    expect(out.filter((t) => t === '\n')).toHaveLength(1);
    const lines = out.filter((t) => t !== '\n').map((t) => t.slice(1).trimEnd());
    expect(lines[0]).toBe('job:   0%|          | 0/4 [00:00<?, ?it/s]');
    expect(lines.some((l) => l.includes(' 1/4 '))).toBe(false);
    expect(lines.some((l) => l.includes(' 2/4 '))).toBe(true);
    expect(lines.at(-1)).toMatch(/^job: 100%\|██████████\| 4\/4 \[00:00<00:00, \d+\.\d\dit\/s\]$/);
  });

  it('no file platform in this runtime or no TTY: progressBar undefined draws nothing (no error)', async () => {
    const rec = await recordingX();
    // without a file platform (browsers): no stderr, no error
    await withoutFilePlatform(async () => {
      expect(await writeBinaryRecording(rec, 'blob', {})).toHaveLength(rec.getNumSegments());
      expect(await writeBinaryRecording(rec, 'blob', { progressBar: false })).toHaveLength(rec.getNumSegments());
    });
    // with one: a bar only on a terminal when progressBar is undefined; never with false
    const written: string[] = [];
    let tty = false;
    const stderr = { stderrIsTTY: () => tty, writeStderr: (text: string) => void written.push(text) } as unknown as FilePlatform;
    const previous = installFilePlatform(stderr);
    try {
      await writeBinaryRecording(rec, 'blob', {});
      await writeBinaryRecording(rec, 'blob', { progressBar: false });
      expect(written).toEqual([]);
      tty = true;
      await writeBinaryRecording(rec, 'blob', { progressBar: false });
      expect(written).toEqual([]);
      await writeBinaryRecording(rec, 'blob', {});
      expect(written.join('')).toMatch(/100%/);
    } finally {
      installFilePlatform(previous);
    }
  });
});

describe('writeBinaryRecording: abort and failures leave nothing behind', () => {
  it('an AbortSignal stops the write between chunks: ABORTED, every stream aborted, none closed', async () => {
    const rec = await recordingX();
    const a = collectingStream();
    const b = collectingStream();
    const controller = new AbortController();
    const e = await rejectsWith(
      writeBinaryRecording(rec, [a.stream, b.stream], {
        chunkSize: 50,
        signal: controller.signal,
        onProgress: (p) => { if (p.done === 4) controller.abort(new Error('user cancelled')); },
      }),
      'ABORTED',
      /write_binary_recording aborted: user cancelled/,
    );
    expect(e.code).toBe('ABORTED');
    expect(a.state.aborted && b.state.aborted).toBe(true);
    expect(a.state.closed || b.state.closed).toBe(false);
    expect(a.state.writes).toBeLessThanOrEqual(5);
  });

  it('an AbortSignal also stops a write stuck on a slow stream', async () => {
    const rec = await recordingX();
    const slow = collectingStream({ delayMs: 50 });
    const other = collectingStream();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const t0 = Date.now();
    await rejectsWith(writeBinaryRecording(rec, [slow.stream, other.stream], { chunkSize: 10, signal: controller.signal }), 'ABORTED');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(slow.state.aborted && other.state.aborted).toBe(true);
  });

  it('an already aborted signal: ABORTED before any target is opened', async () => {
    const rec = await recordingX();
    const a = collectingStream();
    const b = collectingStream();
    await rejectsWith(writeBinaryRecording(rec, [a.stream, b.stream], { signal: AbortSignal.abort() }), 'ABORTED');
    expect(a.stream.locked || b.stream.locked).toBe(false);
    expect(a.state.writes + b.state.writes).toBe(0);
  });

  it('a recording whose segment fails while reading: the error comes through, outputs aborted', async () => {
    const failure = new SpikewireError('IO', 'the disk went away (test)');
    const rec = failingRecording(2000, 4, 1234, failure);
    const a = collectingStream();
    await expect(writeBinaryRecording(rec, a.stream, { chunkSize: 500 })).rejects.toBe(failure);
    expect(a.state.aborted).toBe(true);
    expect(a.state.closed).toBe(false);
    const m = memorySink();
    await expect(writeBinaryRecording(rec, [m.sink], { chunkSize: 500, dtype: 'float32' })).rejects.toBe(failure);
    expect(m.state.aborted).toBe(true);
  });

  it('a stream that fails: IO error, the other outputs aborted', async () => {
    const rec = await recordingX();
    const bad = collectingStream({ failAt: 3 });
    const good = collectingStream();
    await rejectsWith(writeBinaryRecording(rec, [good.stream, bad.stream], { chunkSize: 100 }), 'IO', /disk full \(test\)/);
    expect(good.state.aborted).toBe(true);
    expect(good.state.closed).toBe(false);
  });
});

describe('sinks', () => {
  it('BlobSink: copies each write, close() returns the Blob, unusable after close/abort', async () => {
    const sink = new BlobSink('b', 'application/x-test');
    const bytes = new Uint8Array([1, 2, 3]);
    await sink.write(bytes);
    bytes[0] = 99; // the caller reuses its array
    await sink.write(new Uint8Array([4]));
    expect(sink.bytesWritten).toBe(4);
    const blob = await sink.close();
    expect(blob.type).toBe('application/x-test');
    expect(Array.from(await blobBytes(blob))).toEqual([1, 2, 3, 4]);
    await rejectsWith(sink.write(bytes), 'IO', /closed/);
    const aborted = new BlobSink();
    await aborted.write(bytes);
    await aborted.abort();
    await rejectsWith(aborted.close(), 'IO', /aborted/);
  });

  it('WritableStreamSink: copies, respects backpressure, abort() aborts the stream and never throws', async () => {
    const c = collectingStream();
    const sink = new WritableStreamSink(c.stream, 'test stream');
    const bytes = new Uint8Array([5, 6]);
    await sink.write(bytes);
    bytes[0] = 0;
    await sink.close();
    expect(Array.from(c.bytes())).toEqual([5, 6]);
    expect(c.state.closed).toBe(true);
    await sink.abort(); // after close: nothing happens, no throw

    const d = collectingStream();
    const s2 = new WritableStreamSink(d.stream);
    await s2.write(new Uint8Array([1]));
    await s2.abort(new Error('stop'));
    await s2.abort();
    expect(d.state.aborted).toBe(true);
    await rejectsWith(s2.write(new Uint8Array([1])), 'IO', /aborted/);

    const locked = collectingStream();
    locked.stream.getWriter();
    expect(() => new WritableStreamSink(locked.stream)).toThrow(/locked/);
  });

  it('openSink picks the sink for each kind of target', async () => {
    expect(await openSink(blobTarget())).toBeInstanceOf(BlobSink);
    expect(await openSink(collectingStream().stream)).toBeInstanceOf(WritableStreamSink);
    const m = memorySink();
    expect(await openSink(m.sink)).toBe(m.sink);
    expect(isBlobTarget({ kind: 'blob' })).toBe(true);
    expect(isBlobTarget('blob')).toBe(false);
    await rejectsWith(openSink({ kind: 'file' } as never), 'INVALID_ARGUMENT', /cannot write to/);
    await rejectsWith(openSink(''), 'INVALID_ARGUMENT', /empty/);
    // a FileSystemFileHandle-like object: its createWritable() stream is used
    const c = collectingStream();
    const handle = { kind: 'file', name: 'x.raw', createWritable: async () => c.stream } as unknown as FileSystemFileHandle;
    const sink = await openSink(handle);
    expect(sink.name).toBe('x.raw');
    await sink.write(new Uint8Array([7]));
    await sink.close();
    expect(Array.from(c.bytes())).toEqual([7]);
  });
});

/** A lazy recording whose reads fail from frame `failFrom` on. */
function failingRecording(frames: number, channels: number, failFrom: number, error: Error): BaseRecording {
  class Segment extends RawBlockSegment {
    constructor() {
      super(1000, null, null, 'int16', channels, 0);
    }
    getNumSamples(): number {
      return frames;
    }
    protected async readBlock(kernel: Kernel, start: number, end: number, address: number): Promise<void> {
      if (end > failFrom) throw error;
      const v = kernel.view('int16', address, (end - start) * channels);
      for (let i = 0; i < v.length; i++) v[i] = (start * channels + i) % 1000;
    }
  }
  class Failing extends BaseRecording {
    constructor() {
      super(1000, Array.from({ length: channels }, (_, i) => i), 'int16');
      this.addRecordingSegment(new Segment());
    }
  }
  return new Failing();
}
