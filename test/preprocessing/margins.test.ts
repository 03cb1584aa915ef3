// readChunkWithMargin (SpikeInterface's get_chunk_with_margin): margins clipped at the segment's ends
// and reported, zero padding with the cosine taper, numpy's reflect padding (values from np.pad), a
// block per call; and the base's conversion of float64 results to the dtype, then the target.
import { describe, expect, it } from 'vitest';
import { NumpyRecording, SpikewireError, commonReference, type BaseRecording } from '../../src/index.js';
import type { TraceRequest } from '../../src/core/segment.js';
import { getKernel } from '../../src/kernel/index.js';
import { BasePreprocessor, BasePreprocessorSegment } from '../../src/preprocessing/base.js';
import { readChunkWithMargin, type ChunkWithMarginOptions } from '../../src/preprocessing/margins.js';

const C = 3;
/** A float64 recording whose sample (t, c) is 10 * t + c: every value says where it came from. */
function ramp(n: number) {
  const data = new Float64Array(n * C);
  for (let t = 0; t < n; t++) for (let c = 0; c < C; c++) data[t * C + c] = 10 * t + c;
  return new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels: C });
}

async function chunk(n: number, opts: Omit<ChunkWithMarginOptions, 'channelIndices'> & { channelIndices?: Int32Array }) {
  const kernel = await getKernel();
  const segment = ramp(n).segments[0];
  const got = await readChunkWithMargin(kernel, segment, { channelIndices: Int32Array.from([0, 1, 2]), ...opts });
  try {
    const values = Array.from(kernel.view(got.dtype, got.address, got.numFrames * got.numChannels));
    // the frame each row holds (column 0 is 10 * frame)
    const frames = Array.from({ length: got.numFrames }, (_, r) => values[r * got.numChannels] / 10);
    return { ...got, values, frames };
  } finally {
    kernel.free(got.address);
  }
}

describe('readChunkWithMargin', () => {
  it('without padding: margins from the parent, clipped at both ends, the actual ones returned', async () => {
    const inside = await chunk(100, { startFrame: 40, endFrame: 50, margin: 5 });
    expect([inside.leftMargin, inside.rightMargin, inside.numFrames]).toEqual([5, 5, 20]);
    expect(inside.frames).toEqual(Array.from({ length: 20 }, (_, i) => 35 + i));
    const edges = await chunk(100, { startFrame: 2, endFrame: 97, margin: 5 });
    expect([edges.leftMargin, edges.rightMargin, edges.numFrames]).toEqual([2, 3, 100]);
    expect(edges.frames[0]).toBe(0);
    const partial = await chunk(100, { startFrame: 37, endFrame: 45, margin: 40 });
    expect([partial.leftMargin, partial.rightMargin]).toEqual([37, 40]);
  });

  it('addZeros: margin rows on both sides, zeros past the ends; windowOnMargin tapers them', async () => {
    const z = await chunk(10, { startFrame: 1, endFrame: 9, margin: 3, addZeros: true });
    expect([z.leftMargin, z.rightMargin, z.numFrames]).toEqual([3, 3, 14]);
    expect(z.values.slice(0, 2 * C)).toEqual(new Array(2 * C).fill(0));
    expect(z.frames.slice(2, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(z.values.slice(12 * C)).toEqual(new Array(2 * C).fill(0));
    const w = await chunk(20, { startFrame: 8, endFrame: 12, margin: 4, addZeros: true, windowOnMargin: true });
    // numpy: taper = (1 - cos(arange(4) / 4 * pi)) / 2 on rows 0..3, reversed on the last 4 rows
    const taper = [0, 1, 2, 3].map((i) => (1 - Math.cos((i / 4) * Math.PI)) / 2);
    for (let i = 0; i < 4; i++) {
      expect(w.values[i * C + 2]).toBe((10 * (4 + i) + 2) * taper[i]);
      expect(w.values[(11 - i) * C + 2]).toBe((10 * (15 - i) + 2) * taper[i]);
    }
    expect(w.values[4 * C + 1]).toBe(81);
  });

  it("addReflectPadding: numpy's np.pad(mode='reflect'), also when a pad is longer than the data", async () => {
    const r = await chunk(10, { startFrame: 0, endFrame: 10, margin: 3, addReflectPadding: true });
    expect(r.frames).toEqual([3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6]);
    expect([r.leftMargin, r.rightMargin]).toEqual([3, 3]);
    // np.pad(np.array([0, 1, 2]), (5, 6), mode='reflect')
    const long = await chunk(3, { startFrame: 0, endFrame: 3, margin: 5, addReflectPadding: true });
    expect(long.frames.slice(0, 13)).toEqual([1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]);
    // np.pad(np.array([7]), (2, 2), mode='reflect') repeats the only sample
    const one = await chunk(1, { startFrame: 0, endFrame: 1, margin: 2, addReflectPadding: true });
    expect(one.frames).toEqual([0, 0, 0, 0, 0]);
  });

  it('float32 blocks and channel subsets; bad arguments are coded errors', async () => {
    const f = await chunk(10, { startFrame: 4, endFrame: 6, margin: 1, dtype: 'float32', channelIndices: Int32Array.from([2, 0]) });
    expect(f.dtype).toBe('float32');
    expect(f.values).toEqual([32, 30, 42, 40, 52, 50, 62, 60]);
    await expect(chunk(10, { startFrame: 4, endFrame: 6, margin: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(chunk(10, { startFrame: 4, endFrame: 11, margin: 1 })).rejects.toMatchObject({ code: 'OUT_OF_RANGE' });
    await expect(chunk(10, { startFrame: 4, endFrame: 6, margin: 1, windowOnMargin: true })).rejects.toBeInstanceOf(SpikewireError);
  });
});

describe('BasePreprocessorSegment output', () => {
  it('float64 results → the recording dtype → the target; concurrent reads share nothing', async () => {
    // int16 parent, float32 output: traces in float32, µV reads scale them with the copied gains
    const data = Int16Array.from({ length: 400 * 4 }, (_, i) => ((i * 7919) % 601) - 300);
    const parent = new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels: 4 });
    parent.setChannelGains([0.5, 1, 2, 4]);
    parent.setChannelOffsets(1);
    const cmr = commonReference(parent, { operator: 'average', dtype: 'float32' });
    expect(cmr.getChannelGains()).toEqual(parent.getChannelGains());
    const raw = await cmr.getTraces({ startFrame: 10, endFrame: 20 });
    expect(raw.dtype).toBe('float32');
    const uv = await cmr.getTraces({ startFrame: 10, endFrame: 20, returnInUV: true });
    const g = parent.getChannelGains();
    for (let i = 0; i < uv.data.length; i++) expect(uv.data[i]).toBe(Math.fround(Math.fround(raw.data[i] * g[i % 4]) + 1));
    // numpy: x - mean of the row (float64), then astype(float32)
    for (let t = 0; t < 10; t++) {
      const row = Array.from(data.subarray((10 + t) * 4, (11 + t) * 4));
      const mean = row.reduce((a, b) => a + b, 0) / 4;
      for (let c = 0; c < 4; c++) expect(raw.data[t * 4 + c]).toBe(Math.fround(row[c] - mean));
    }
    const windows = Array.from({ length: 24 }, (_, i) => [i * 13, i * 13 + 40 + (i % 5)]);
    const sequential = [];
    for (const [s, e] of windows) sequential.push(Array.from((await cmr.getTraces({ startFrame: s, endFrame: e, channelIds: [3, 1] })).data));
    const concurrent = await Promise.all(windows.map(([s, e]) => cmr.getTraces({ startFrame: s, endFrame: e, channelIds: [3, 1] })));
    expect(concurrent.map((t) => Array.from(t.data))).toEqual(sequential);
  });
});

/** A test op with a one-frame margin computed in the chunk in place, as a filter would: y[t] = x[t] + x[t - 1]. */
class PreviousSumRecording extends BasePreprocessor {
  constructor(parent: BaseRecording, addZeros: boolean) {
    super(parent);
    for (const segment of parent.segments) this.addRecordingSegment(new PreviousSumSegment(segment, parent.getDtype(), addZeros));
  }
}

class PreviousSumSegment extends BasePreprocessorSegment {
  constructor(parent: BasePreprocessorSegment['parentSegment'], dtype: 'int16', private readonly addZeros: boolean) {
    super(parent, dtype);
  }
  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const chunk = await this.readParentChunk(request, 1, { addZeros: this.addZeros });
    try {
      const k = chunk.numChannels;
      const x = request.kernel.view('float64', chunk.address, chunk.numFrames * k);
      for (let r = chunk.numFrames - 1; r >= 1; r--) for (let j = 0; j < k; j++) x[r * k + j] += x[(r - 1) * k + j];
      this.copyChunkRows(request, chunk, out);
    } finally {
      request.kernel.free(chunk.address);
    }
  }
}

describe('a margin op on the base (the filters\' pattern)', () => {
  it('values do not depend on the window or the tiling; margins clip at the segment start unless zero-padded', async () => {
    const n = 5000;
    const data = Int16Array.from({ length: n * 4 }, (_, i) => ((i * 31) % 97) - 48);
    const parent = new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels: 4 });
    const want = (t: number, c: number) => data[t * 4 + c] + (t > 0 ? data[(t - 1) * 4 + c] : 0);
    for (const addZeros of [false, true]) {
      const op = new PreviousSumRecording(parent, addZeros);
      expect(op.getDtype()).toBe('int16');
      const full = await op.getTraces();
      for (let t = 0; t < n; t++) for (let c = 0; c < 4; c++) expect(full.data[t * 4 + c]).toBe(want(t, c));
      const window = await op.getTraces({ startFrame: 17, endFrame: 23, channelIds: [3, 0] });
      expect(Array.from(window.data)).toEqual([17, 18, 19, 20, 21, 22].flatMap((t) => [want(t, 3), want(t, 0)]));
    }
  });
});
