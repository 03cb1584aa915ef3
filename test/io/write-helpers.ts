// Shared by the writeBinaryRecording tests (node and browser): the recordings the
// write_recording fixtures were written from, rebuilt from the fixture raw files themselves.
import { expect } from 'vitest';
import { NumpyRecording, SpikewireError, type ByteSink } from '../../src/index.js';
import { readFixtureBytes, readFixtureJson, sha256Hex } from '../helpers/fixtures.js';

export const DIR = 'write_recording';

/** sha256 of every fixture file of write_recording/, by name. */
export async function fixtureHashes(): Promise<Record<string, string>> {
  const expected = await readFixtureJson(`${DIR}/expected.json`);
  return Object.fromEntries((expected.files as { path: string; sha256: string }[]).map((f) => [f.path, f.sha256]));
}

/** Little-endian int16 samples of a raw file (from `offset` bytes on), copied to an aligned array. */
function int16At(bytes: Uint8Array, offset = 0): Int16Array {
  const copy = bytes.slice(offset);
  return new Int16Array(copy.buffer, 0, copy.byteLength / 2);
}

/**
 * The recording `x` (x.json): BinaryRecordingExtractor of seg0.raw + seg1.raw, 4 channels 'c0'..'c3',
 * int16, 30 kHz, gain 0.195 / offset 0. Built as a NumpyRecording from the same bytes.
 */
export async function recordingX(): Promise<NumpyRecording> {
  const dump = await readFixtureJson(`${DIR}/x.json`);
  const kw = dump.kwargs;
  const segments = await Promise.all((kw.file_paths as string[]).map(async (p) => int16At(await readFixtureBytes(`${DIR}/${p}`), kw.file_offset)));
  expect(kw.dtype).toBe('<i2');
  expect(kw.time_axis).toBe(0);
  const rec = new NumpyRecording({ tracesList: segments, samplingFrequency: kw.sampling_frequency, numChannels: kw.num_channels, channelIds: kw.channel_ids });
  rec.setChannelGains(kw.gain_to_uV);
  rec.setChannelOffsets(kw.offset_to_uV);
  return rec;
}

/**
 * The recording of offset_t1.json: int16, 4 channels, time_axis 1 (channel-major), file_offset 16.
 * Transposed here to the time-major layout a NumpyRecording holds.
 */
export async function recordingOffsetT1(): Promise<NumpyRecording> {
  const dump = await readFixtureJson(`${DIR}/offset_t1.json`);
  const kw = dump.kwargs;
  expect(kw.time_axis).toBe(1);
  expect(kw.dtype).toBe('<i2');
  const channelMajor = int16At(await readFixtureBytes(`${DIR}/${kw.file_paths[0]}`), kw.file_offset);
  const c = kw.num_channels as number;
  const n = channelMajor.length / c;
  const timeMajor = new Int16Array(n * c);
  for (let ch = 0; ch < c; ch++) for (let t = 0; t < n; t++) timeMajor[t * c + ch] = channelMajor[ch * n + t];
  return new NumpyRecording({ tracesList: [timeMajor], samplingFrequency: kw.sampling_frequency, numChannels: c, channelIds: kw.channel_ids });
}

/** The bytes of a Blob. */
export async function blobBytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

export const sha = sha256Hex;

/** A WritableStream that keeps every chunk it receives (as given: the writer must not reuse them). */
export function collectingStream(opts: { failAt?: number; delayMs?: number } = {}) {
  const chunks: Uint8Array[] = [];
  const state = { closed: false, aborted: false, abortReason: undefined as unknown, writes: 0 };
  const stream = new WritableStream<Uint8Array>({
    async write(chunk) {
      state.writes++;
      if (opts.failAt !== undefined && state.writes === opts.failAt) throw new Error('disk full (test)');
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      chunks.push(chunk);
    },
    close() {
      state.closed = true;
    },
    abort(reason) {
      state.aborted = true;
      state.abortReason = reason;
    },
  });
  const bytes = (): Uint8Array => {
    const out = new Uint8Array(chunks.reduce((s, c) => s + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  };
  return { stream, chunks, state, bytes };
}

/** A ByteSink that keeps copies of what it gets, and records close/abort. */
export function memorySink(name = 'memory') {
  const parts: Uint8Array[] = [];
  const state = { closed: false, aborted: false };
  const sink: ByteSink = {
    name,
    async write(bytes) {
      parts.push(bytes.slice());
    },
    async close() {
      state.closed = true;
      return `closed ${name}`;
    },
    async abort() {
      state.aborted = true;
    },
  };
  const bytes = (): Uint8Array => {
    const out = new Uint8Array(parts.reduce((s, c) => s + c.byteLength, 0));
    let at = 0;
    for (const c of parts) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  };
  return { sink, state, bytes };
}

/** Awaits `p`, expects a SpikewireError with `code`, returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<SpikewireError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SpikewireError);
    expect((e as SpikewireError).code).toBe(code);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return e as SpikewireError;
  }
  return expect.fail(`expected a SpikewireError ${code}`);
}

/** Same bytes? (with a readable failure) */
export function expectSameBytes(a: Uint8Array, b: Uint8Array): void {
  expect(a.byteLength).toBe(b.byteLength);
  let firstDiff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      firstDiff = i;
      break;
    }
  }
  expect(firstDiff).toBe(-1);
}
