// Memory stays bounded by the chunk size: a lazy recording of more than 2 GB written to a counting
// ByteSink (no disk). The kernel's linear memory must stay within a few chunks and the process RSS
// must barely grow, whatever the length of the recording. Own file: a fresh kernel per test file.
import { describe, expect, it } from 'vitest';
import { BaseRecording, RawBlockSegment, writeBinaryRecording, type ByteSink } from '../../src/index.js';
import { getKernel, type Kernel } from '../../src/kernel/index.js';

const FS = 30000;
const CHANNELS = 384;
const SECONDS_PER_SEGMENT = 50; // 2 segments x 50 s x 30 kHz x 384 ch x int16 = 2.30 GB
const CHUNK_FRAMES = FS; // the default chunk: 1 s
const CHUNK_BYTES = CHUNK_FRAMES * CHANNELS * 2;

/**
 * Deterministic int16 samples generated on demand: sample (t, c) = pattern[(t % PERIOD) * CHANNELS + c],
 * with the first channel of every frame replaced by t's low 15 bits, so a misplaced chunk shows.
 */
const PERIOD = 997;
const pattern = new Int16Array(PERIOD * CHANNELS);
for (let i = 0, x = 1; i < pattern.length; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  pattern[i] = (x >>> 16) - 32768;
}
const expectedSample = (t: number, c: number): number => (c === 0 ? t & 0x7fff : pattern[(t % PERIOD) * CHANNELS + c]);

class LazySegment extends RawBlockSegment {
  constructor(private readonly frames: number) {
    super(FS, null, null, 'int16', CHANNELS, 0);
  }
  getNumSamples(): number {
    return this.frames;
  }
  protected async readBlock(kernel: Kernel, start: number, end: number, address: number): Promise<void> {
    const out = kernel.view('int16', address, (end - start) * CHANNELS) as Int16Array;
    let t = start;
    let at = 0;
    while (t < end) {
      const phase = t % PERIOD;
      const n = Math.min(end - t, PERIOD - phase);
      out.set(pattern.subarray(phase * CHANNELS, (phase + n) * CHANNELS), at);
      for (let k = 0; k < n; k++) out[at + k * CHANNELS] = (t + k) & 0x7fff;
      t += n;
      at += n * CHANNELS;
    }
  }
}

class LazyRecording extends BaseRecording {
  constructor(segments: number, frames: number) {
    super(FS, Array.from({ length: CHANNELS }, (_, i) => i), 'int16');
    for (let i = 0; i < segments; i++) this.addRecordingSegment(new LazySegment(frames));
  }
}

/** Counts bytes, checks the first frame of every write, and watches the kernel's memory size. */
function countingSink(kernel: Kernel, itemBytes: number, decode: (view: DataView, offset: number) => number) {
  const state = { bytes: 0, writes: 0, maxMemory: 0, badFrames: 0 };
  const frameBytes = CHANNELS * itemBytes;
  const sink: ByteSink = {
    name: 'counting sink',
    async write(bytes) {
      // the frame where this write starts, and a few of its samples
      const t = state.bytes / frameBytes;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (const c of [0, 1, CHANNELS - 1]) if (decode(view, c * itemBytes) !== expectedSample(t, c)) state.badFrames++;
      const lastT = t + bytes.byteLength / frameBytes - 1;
      if (decode(view, bytes.byteLength - frameBytes) !== expectedSample(lastT, 0)) state.badFrames++;
      state.bytes += bytes.byteLength;
      state.writes++;
      state.maxMemory = Math.max(state.maxMemory, kernel.memory.buffer.byteLength);
    },
    async close() {
      return state.bytes;
    },
    async abort() {},
  };
  return { sink, state };
}

describe('writeBinaryRecording: memory stays bounded by the chunk size', () => {
  it(`writes ${((2 * SECONDS_PER_SEGMENT * FS * CHANNELS * 2) / 1e9).toFixed(2)} GB (int16, no conversion) in 1-s chunks with a few chunks of memory`, async () => {
    const kernel = await getKernel();
    const frames = SECONDS_PER_SEGMENT * FS;
    const rec = new LazyRecording(2, frames);
    expect(rec.getTotalMemorySize()).toBeGreaterThan(2e9);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const sinks = [countingSink(kernel, 2, (v, o) => v.getInt16(o, true)), countingSink(kernel, 2, (v, o) => v.getInt16(o, true))];
    const out = await writeBinaryRecording(rec, sinks.map((s) => s.sink));
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(out).toEqual([frames * CHANNELS * 2, frames * CHANNELS * 2]);
    for (const { state } of sinks) {
      expect(state.bytes).toBe(frames * CHANNELS * 2);
      expect(state.writes).toBe(SECONDS_PER_SEGMENT);
      expect(state.badFrames).toBe(0);
      expect(state.maxMemory).toBeLessThan(8 * CHUNK_BYTES);
    }
    expect(kernel.memory.buffer.byteLength).toBeLessThan(8 * CHUNK_BYTES);
    expect(rssGrowth).toBeLessThan(300e6); // vs 2.3 GB written
  }, 120_000);

  it('the same with a dtype conversion (float32: 4.6 GB out) through one reusable region', async () => {
    const kernel = await getKernel();
    const frames = SECONDS_PER_SEGMENT * FS;
    const rec = new LazyRecording(2, frames);
    const rssBefore = process.memoryUsage().rss;
    const sinks = [countingSink(kernel, 4, (v, o) => v.getFloat32(o, true)), countingSink(kernel, 4, (v, o) => v.getFloat32(o, true))];
    await writeBinaryRecording(rec, sinks.map((s) => s.sink), { dtype: 'float32', chunkDuration: '500ms' });
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    for (const { state } of sinks) {
      expect(state.bytes).toBe(frames * CHANNELS * 4);
      expect(state.writes).toBe(2 * SECONDS_PER_SEGMENT);
      expect(state.badFrames).toBe(0);
      // 1-s int16 chunks above, 0.5-s int16 read + 0.5-s float32 region here: within 8 chunks of 1 s
      expect(state.maxMemory).toBeLessThan(8 * CHUNK_BYTES);
    }
    expect(rssGrowth).toBeLessThan(300e6);
  }, 120_000);
});
