// BaseRecording behaviour that the fixtures do not pin down, checked against plain-JS references
// computed from the input arrays: reads, views, joins, chunks, properties and the error contract.
import { describe, expect, it } from 'vitest';
import {
  NumpyRecording,
  aggregateChannels,
  appendRecordings,
  concatenateRecordings,
  type BaseRecording,
} from '../../src/index.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';

/** int16 samples with a pattern that tells channel and frame apart: value = 100 * c + t (mod). */
function ramp(frames: number, channels: number, seed = 0): Int16Array {
  const a = new Int16Array(frames * channels);
  for (let t = 0; t < frames; t++) for (let c = 0; c < channels; c++) a[t * channels + c] = ((seed + 100 * c + t) % 30000) - 15000;
  return a;
}

/** Reference read: frames [s, e) of channels `idx` from a flat time-major array. */
function slice(a: ArrayLike<number>, channels: number, s: number, e: number, idx: number[]): number[] {
  const out: number[] = [];
  for (let t = s; t < e; t++) for (const c of idx) out.push(a[t * channels + c]);
  return out;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const seg0 = ramp(1000, 5, 0);
const seg1 = ramp(700, 5, 7);
function twoSegments(): NumpyRecording {
  return new NumpyRecording({ tracesList: [seg0, seg1], samplingFrequency: 1000, channelIds: ['a', 'b', 'c', 'd', 'e'] });
}

describe('getTraces', () => {
  it('reads windows, subsets in any order, and clips the end', async () => {
    const rec = twoSegments();
    const t = await rec.getTraces({ segmentIndex: 1, startFrame: 690, endFrame: 5000, channelIds: ['e', 'a', 'c'] });
    expect(t.shape).toEqual([10, 3]);
    expect(t.dtype).toBe('int16');
    expect(Array.from(t.data)).toEqual(slice(seg1, 5, 690, 700, [4, 0, 2]));
  });

  it('scales to µV as float32(x) * float32(gain) + float32(offset)', async () => {
    const rec = twoSegments();
    const gains = [0.195, 0.5, 1.25, 2.34375, 0.1];
    rec.setChannelGains(gains);
    rec.setChannelOffsets(-10);
    const t = await rec.getTraces({ segmentIndex: 0, startFrame: 3, endFrame: 40, channelIds: ['d', 'b'], returnInUV: true });
    expect(t.dtype).toBe('float32');
    const want = slice(seg0, 5, 3, 40, [3, 1]).map((x, i) => Math.fround(Math.fround(x * Math.fround(gains[i % 2 === 0 ? 3 : 1])) + Math.fround(-10)));
    expect(Array.from(t.data)).toEqual(want);
  });

  it('writes into `out` and returns it', async () => {
    const rec = twoSegments();
    const out = new Int16Array(50);
    const t = await rec.getTraces({ segmentIndex: 0, endFrame: 10, out });
    expect(t.data.buffer).toBe(out.buffer);
    expect(Array.from(out)).toEqual(slice(seg0, 5, 0, 10, [0, 1, 2, 3, 4]));
    await expectCodeAsync(rec.getTraces({ segmentIndex: 0, endFrame: 10, out: new Int16Array(49) }), 'INVALID_ARGUMENT');
    await expectCodeAsync(rec.getTraces({ segmentIndex: 0, endFrame: 10, out: new Float32Array(50) }), 'INVALID_ARGUMENT');
  });

  it('follows the error contract', async () => {
    const rec = twoSegments();
    await expectCodeAsync(rec.getTraces(), 'SEGMENT_INDEX_REQUIRED');
    await expectCodeAsync(rec.getTraces({ segmentIndex: 2 }), 'OUT_OF_RANGE');
    await expectCodeAsync(rec.getTraces({ segmentIndex: 0, startFrame: -1 }), 'OUT_OF_RANGE');
    await expectCodeAsync(rec.getTraces({ segmentIndex: 0, startFrame: 20, endFrame: 10 }), 'OUT_OF_RANGE');
    const missing = await expectCodeAsync(rec.getTraces({ segmentIndex: 0, channelIds: ['a', 'zz'] }), 'CHANNEL_NOT_FOUND');
    expect(missing.message).toContain('"zz"');
    const scale = await expectCodeAsync(rec.getTraces({ segmentIndex: 0, returnInUV: true }), 'NOT_SCALEABLE');
    expect(scale.message).toContain('int16');
  });

  it('passes float data without gains through unchanged in µV', async () => {
    const data = Float32Array.from({ length: 40 }, (_, i) => i * 0.5 - 3);
    const rec = new NumpyRecording({ tracesList: [data], samplingFrequency: 100, numChannels: 4 });
    const t = await rec.getTraces({ returnInUV: true });
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data)).toEqual(Array.from(data));
  });

  it('gives the same bytes for 200 concurrent reads on several recordings as one by one', async () => {
    const recs: BaseRecording[] = [];
    for (let r = 0; r < 4; r++) {
      const rec = new NumpyRecording({ tracesList: [ramp(20000, 16 + r, r * 13)], samplingFrequency: 30000, numChannels: 16 + r });
      rec.setChannelGains(Float64Array.from({ length: 16 + r }, (_, c) => 0.1 + c * 0.01));
      rec.setChannelOffsets(-3);
      recs.push(rec, rec.channelSlice([3, 1, 2]), rec.frameSlice(100, 19000));
    }
    let x = 99;
    const rand = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const calls = Array.from({ length: 200 }, () => {
      const rec = recs[rand(recs.length)];
      const n = rec.getNumSamples();
      const start = rand(n);
      const end = start + 1 + rand(Math.min(n - start, 8000));
      const ids = rec.getChannelIds();
      const channelIds = rand(2) ? undefined : ids.filter(() => rand(2)).reverse();
      return { rec, opts: { startFrame: start, endFrame: end, channelIds: channelIds?.length ? channelIds : undefined, returnInUV: rand(2) === 1 } };
    });
    const together = await Promise.all(calls.map(({ rec, opts }) => rec.getTraces(opts)));
    for (let i = 0; i < calls.length; i++) {
      const alone = await calls[i].rec.getTraces(calls[i].opts);
      expect(together[i].shape).toEqual(alone.shape);
      expect(sameBytes(together[i].data, alone.data)).toBe(true);
    }
  });
});

describe('chunks', () => {
  it('covers every frame of every segment once, in order', async () => {
    const rec = twoSegments();
    const seen: number[][] = [[], []];
    for await (const c of rec.chunks({ chunkSize: 300, channelIds: ['b'] })) {
      expect(c.shape[1]).toBe(1);
      expect(c.startFrame).toBe(seen[c.segmentIndex].length);
      seen[c.segmentIndex].push(...Array.from(c.data));
    }
    expect(seen[0]).toEqual(slice(seg0, 5, 0, 1000, [1]));
    expect(seen[1]).toEqual(slice(seg1, 5, 0, 700, [1]));
  });

  it('takes chunkDuration as seconds or text, and refuses two chunk options at once', async () => {
    const rec = twoSegments();
    const sizes: number[] = [];
    for await (const c of rec.chunks({ segmentIndex: 0, chunkDuration: '250ms' })) sizes.push(c.shape[0]);
    expect(sizes).toEqual([250, 250, 250, 250]);
    await expectCodeAsync((async () => { for await (const _ of rec.chunks({ chunkSize: 10, chunkDuration: 1 })) break; })(), 'INVALID_ARGUMENT');
  });
});

describe('views', () => {
  it('channelSlice / removeChannels / renameChannels keep samples and properties of their channels', async () => {
    const rec = twoSegments();
    rec.setProperty('quality', ['good', 'bad', 'good', 'noise', 'mua']);
    const view = rec.removeChannels(['b', 'd']);
    expect(view.getChannelIds()).toEqual(['a', 'c', 'e']);
    expect(view.getProperty('quality')).toEqual(['good', 'good', 'mua']);
    const renamed = view.renameChannels([10, 11, 12]);
    expect(renamed.getChannelIds()).toEqual([10, 11, 12]);
    const t = await renamed.getTraces({ segmentIndex: 1, channelIds: [12, 10] });
    expect(Array.from(t.data)).toEqual(slice(seg1, 5, 0, 700, [4, 0]));
    expectCode(() => rec.channelSlice(['a', 'a']), 'INVALID_ARGUMENT');
    expectCode(() => rec.selectChannels(['q']), 'CHANNEL_NOT_FOUND');
  });

  it('selectSegments, frameSlice and timeSlice', async () => {
    const rec = twoSegments();
    const one = rec.selectSegments([1]);
    expect(one.getNumSegments()).toBe(1);
    expect(one.getNumSamples()).toBe(700);
    const fs = one.frameSlice(100, 200);
    expect(fs.getNumSamples()).toBe(100);
    expect(fs.getStartTime()).toBe(0.1);
    const t = await fs.getTraces({ channelIds: ['c'] });
    expect(Array.from(t.data)).toEqual(slice(seg1, 5, 100, 200, [2]));
    const ts = one.timeSlice(0.25, 0.5);
    expect(ts.getNumSamples()).toBe(250);
    expect(ts.getStartTime()).toBe(0.25);
    expectCode(() => rec.frameSlice(0, 10), 'INVALID_ARGUMENT', /only works with one segment but found 2/);
    expectCode(() => one.frameSlice(10, 5), 'OUT_OF_RANGE');
    expectCode(() => one.frameSlice(0, 701), 'OUT_OF_RANGE');
    expectCode(() => rec.selectSegments([3]), 'OUT_OF_RANGE');
  });

  it('appendRecordings adds segments; concatenateRecordings joins them across boundaries', async () => {
    const a = twoSegments();
    const b = new NumpyRecording({ tracesList: [seg1], samplingFrequency: 1000, channelIds: ['a', 'b', 'c', 'd', 'e'] });
    const appended = appendRecordings([a, b]);
    expect(appended.getNumSegments()).toBe(3);
    expect(appended.getNumSamples(2)).toBe(700);
    const joined = concatenateRecordings([a, b]);
    expect(joined.getNumSegments()).toBe(1);
    expect(joined.getNumSamples()).toBe(2400);
    const t = await joined.getTraces({ startFrame: 990, endFrame: 1710, channelIds: ['e', 'b'] });
    const want = [...slice(seg0, 5, 990, 1000, [4, 1]), ...slice(seg1, 5, 0, 700, [4, 1]), ...slice(seg1, 5, 0, 10, [4, 1])];
    expect(Array.from(t.data)).toEqual(want);
    const other = new NumpyRecording({ tracesList: [seg1], samplingFrequency: 2000, channelIds: ['a', 'b', 'c', 'd', 'e'] });
    expectCode(() => appendRecordings([a, other]), 'INVALID_ARGUMENT');
  });

  it('aggregateChannels puts channels side by side and reads interleaved subsets', async () => {
    const left = new NumpyRecording({ tracesList: [ramp(300, 3, 1)], samplingFrequency: 1000, channelIds: [0, 1, 2] });
    const right = new NumpyRecording({ tracesList: [ramp(300, 2, 5)], samplingFrequency: 1000, channelIds: [0, 1] });
    left.setChannelGains([1, 2, 3]);
    left.setChannelOffsets(0);
    right.setChannelGains([4, 5]);
    right.setChannelOffsets(1);
    const agg = aggregateChannels({ probeA: left, probeB: right });
    expect(agg.getChannelIds()).toEqual(['0', '1', '2', '3', '4']);
    expect(agg.getProperty('aggregation_key')).toEqual(['probeA', 'probeA', 'probeA', 'probeB', 'probeB']);
    const t = await agg.getTraces({ channelIds: ['4', '0', '3', '1'], returnInUV: true, startFrame: 5, endFrame: 9 });
    const l = ramp(300, 3, 1), r = ramp(300, 2, 5);
    const want: number[] = [];
    for (let f = 5; f < 9; f++) want.push(r[f * 2 + 1] * 5 + 1, l[f * 3] * 1, r[f * 2] * 4 + 1, l[f * 3 + 1] * 2);
    expect(Array.from(t.data)).toEqual(want.map(Math.fround));
    const unique = aggregateChannels([left, new NumpyRecording({ tracesList: [ramp(300, 1)], samplingFrequency: 1000, channelIds: [9] })]);
    expect(unique.getChannelIds()).toEqual([0, 1, 2, 9]);
    const short = new NumpyRecording({ tracesList: [ramp(200, 1)], samplingFrequency: 1000, channelIds: [9] });
    expectCode(() => aggregateChannels([left, short]), 'INVALID_ARGUMENT', /inconsistent number of samples/);
  });
});

describe('properties and annotations', () => {
  it('fills missing values as SpikeInterface: NaN, empty string, null; ints need one', () => {
    const rec = twoSegments();
    rec.setProperty('depth', [1.5, 2.5], ['b', 'c']);
    expect(Array.from(rec.getProperty('depth') as Float64Array)).toEqual([NaN, 1.5, 2.5, NaN, NaN]);
    rec.setProperty('area', ['CA1'], ['e']);
    expect(rec.getProperty('area')).toEqual(['', '', '', '', 'CA1']);
    expect(rec.getPropertyColumn('area')!.dtype).toBe('<U3');
    rec.setProperty('obj', [{ x: 1 }], ['a']);
    expect(rec.getProperty('obj')).toEqual([{ x: 1 }, null, null, null, null]);
    expectCode(() => rec.setProperty('count', [3], ['a']), 'INVALID_ARGUMENT', /missingValue/);
    rec.setProperty('count', [3], ['a'], -1);
    expect(rec.getProperty('count')).toEqual([3, -1, -1, -1, -1]);
    rec.setProperty('count', [7], ['d']);
    expect(rec.getProperty('count', ['d', 'a'])).toEqual([7, 3]);
    expectCode(() => rec.setProperty('count', ['x'], ['d']), 'INVALID_ARGUMENT');
    expectCode(() => rec.setProperty('wrong', [1, 2, 3]), 'INVALID_ARGUMENT');
    rec.setProperty('count', null);
    expect(rec.getPropertyKeys()).not.toContain('count');
    expectCode(() => rec.deleteProperty('count'), 'INVALID_ARGUMENT');
  });

  it('keeps annotations apart from views and refuses silent overwrites', () => {
    const rec = twoSegments();
    rec.annotate({ session: { id: 4 } });
    const view = rec.selectChannels(['a']);
    (view.getAnnotation('session') as { id: number }).id = 99;
    expect(rec.getAnnotation('session')).toEqual({ id: 4 });
    expectCode(() => rec.setAnnotation('session', 1), 'INVALID_ARGUMENT');
    rec.setAnnotation('session', 1, true);
    expect(rec.getAnnotation('session')).toBe(1);
  });

  it('checks ids and array lengths when building', () => {
    expectCode(() => new NumpyRecording({ tracesList: [ramp(10, 2)], samplingFrequency: 10, channelIds: [1, 1] }), 'INVALID_ARGUMENT', /twice/);
    expectCode(() => new NumpyRecording({ tracesList: [new Int16Array(7)], samplingFrequency: 10, numChannels: 2 }), 'INVALID_ARGUMENT');
    expectCode(() => new NumpyRecording({ tracesList: [ramp(10, 2)], samplingFrequency: 10, channelIds: [1, 2, 3] }), 'INVALID_ARGUMENT');
    expectCode(() => new NumpyRecording({ tracesList: [ramp(10, 2), new Float32Array(20)], samplingFrequency: 10, numChannels: 2 }), 'INVALID_ARGUMENT');
    expectCode(() => new NumpyRecording({ tracesList: [ramp(10, 2)], samplingFrequency: -1, numChannels: 2 }), 'INVALID_ARGUMENT');
  });
});

describe('times', () => {
  it('handles t_starts, time vectors and conversions', async () => {
    const rec = new NumpyRecording({ tracesList: [seg0, seg1], samplingFrequency: 1000, numChannels: 5, tStarts: [10, null] });
    expect(rec.getStartTime(0)).toBe(10);
    expect(rec.getEndTime(0)).toBe(10.999);
    expect(rec.sampleIndexToTime(500, 0)).toBe(10.5);
    expect(rec.timeToSampleIndex(10.5, 0)).toBe(500);
    expect(rec.timeToSampleIndex(0.0025, 1)).toBe(2); // 2.5 rounds half to even
    const times = await rec.getTimes(0, 2, 5);
    expect(Array.from(times)).toEqual([2 / 1000 + 10, 3 / 1000 + 10, 4 / 1000 + 10]);
    const tv = Float64Array.from({ length: 700 }, (_, i) => 5 + i * i * 1e-6);
    rec.setTimes(tv, 1);
    expect(rec.hasTimeVector(1)).toBe(true);
    expect(rec.getEndTime(1)).toBe(tv[699]);
    expect(rec.timeToSampleIndex(5 + 100.5 * 100.5 * 1e-6, 1)).toBe(100);
    expectCode(() => rec.setTimes(new Float64Array(3), 1), 'INVALID_ARGUMENT');
    rec.shiftTimes(1, 0);
    expect(rec.getStartTime(0)).toBe(11);
    rec.resetTimes();
    expect(rec.getStartTime(1)).toBe(0);
  });
});
