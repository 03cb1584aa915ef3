// whiten / computeWhiteningMatrix against SpikeInterface's stats_based/whiten_* fixtures: M bit for
// bit, W to float32 precision (numpy works in float32 with LAPACK's SVD; the covariance and its
// eigendecomposition here are float64 rounded to float32), every window and the full segment
// within 1e-5 of the signal's RMS, and with SpikeInterface's own W given, to_dict equal.
import { describe, expect, it } from 'vitest';
import { NumpyRecording, WhitenRecording, computeWhiteningMatrix, whiten } from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { DIR, camelOptions, openSource, quietly, withData, withoutNested } from './helpers.js';
import { buildCase, buildParent } from './stats-cases.js';
import { expectWindowsClose, fullSegmentRelative, numericOffsets, relativeToMax } from './stats-tolerance.js';

const CASES = ['whiten_global_apply_mean', 'whiten_local'];
const values = (entry: any): number[] => (withData(entry).data as unknown[]).flat(2) as number[];
/** np.round: half to even. */
const roundHalfEven = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));

describe.each(CASES)('stats_based/%s', (c) => {
  it('computes W and M as SpikeInterface and whitens every window', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${c}/expected.json`);
    const rec = (await quietly(() => buildCase(e))) as WhitenRecording;
    expect(rec).toBeInstanceOf(WhitenRecording);
    const st = e.statistics;
    expect(relativeToMax(rec.W, values(st.W_from_kwargs))).toBeLessThan(1e-6);
    if (st.M_from_kwargs) expect(Array.from(rec.M!)).toEqual(values(st.M_from_kwargs));
    else expect(rec.M).toBeNull();
    await expectDescription(rec, numericOffsets({ ...e.recording, windows: [], segment_hashes: [] }));
    // measured: W within 1.1e-7 of max |W|, windows and full segment within 5.9e-6 of the RMS
    await expectWindowsClose(rec, e.recording.windows, 1e-5);
    expect(await fullSegmentRelative(rec, `stats_based/${c}`)).toBeLessThan(1e-5);
    const dict = withoutNested(rec.toDict({ recursive: true })) as any;
    const want = withoutNested(e.to_dict) as any;
    expect({ ...dict, kwargs: { ...dict.kwargs, W: null } }).toEqual({ ...want, kwargs: { ...want.kwargs, W: null } });
  });

  it('with SpikeInterface\'s W (float32, as in memory) reproduces every window and the full segment', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${c}/expected.json`);
    const parent = await buildParent(e);
    const st = e.statistics;
    const opts = camelOptions<any>(e.chain[e.chain.length - 1].kwargs);
    const W = Float32Array.from(values(st.W_from_kwargs));
    const M = st.M_from_kwargs ? Float32Array.from(values(st.M_from_kwargs)) : null;
    const rec = await whiten(parent, { ...opts, W, M });
    expect(rec.float32).toBe(true);
    expect(withoutNested(rec.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
    await expectWindowsClose(rec, e.recording.windows, 1e-5);
    expect(await fullSegmentRelative(rec, `stats_based/${c}`)).toBeLessThan(1e-5);
  });
});

describe('computeWhiteningMatrix', () => {
  it('whitens: the covariance of whitened random data is the identity', async () => {
    // three correlated channels of pseudo-random data
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const frames = 4000;
    const data = new Float32Array(frames * 3);
    for (let t = 0; t < frames; t++) {
      const a = rnd() * 40;
      const b = rnd() * 40;
      data.set([a, a * 0.5 + b, b - a * 0.2 + rnd() * 10], t * 3);
    }
    const rec = new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels: 3 });
    const opts = { numChunksPerSegment: 4, chunkSize: 1000, seed: 3, applyMean: true };
    const { W, M } = await computeWhiteningMatrix(rec, opts);
    expect(M).not.toBeNull();
    const white = await whiten(rec, opts);
    const out = (await white.getTraces()).data as Float32Array;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let t = 0; t < frames; t++) s += out[t * 3 + i] * out[t * 3 + j];
        expect(Math.abs(s / frames - (i === j ? 1 : 0))).toBeLessThan(0.05);
      }
    }
    expect(W.length).toBe(9);
  });

  it('refuses what SpikeInterface refuses', async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const byName = Object.fromEntries(errors.map((x: any) => [x.name, x]));
    expect(byName.whiten_int_without_scale.error.error).toBe('AssertionError');
    const s16 = await openSource('s16');
    await expectCodeAsync(whiten(s16), 'INVALID_ARGUMENT', /whiten: the output dtype "int16" is an integer type: give intScale/);
    await expectCodeAsync(whiten(s16, { dtype: 'float32', regularize: true }), 'INVALID_ARGUMENT', /applyMean must be true to regularize/);
    await expectCodeAsync(whiten(s16, { dtype: 'float32', regularize: true, applyMean: true }), 'UNSUPPORTED', /scikit-learn/);
    await expectCodeAsync(whiten(s16, { dtype: 'float32', mode: 'near' as never }), 'INVALID_ARGUMENT', /mode "near" must be 'global' or 'local'/);
    await expectCodeAsync(whiten(s16, { dtype: 'float32', W: [[1, 2]] }), 'INVALID_ARGUMENT', /W must have 16 × 16 numbers/);
    expectCode(() => new WhitenRecording(s16, { dtype: 'float32' }), 'INVALID_ARGUMENT', /W must be given/);
  });

  it('int16 output with intScale: rounded (x - M) @ W × intScale', async () => {
    const s16 = await openSource('s16');
    const W = new Float64Array(256);
    for (let i = 0; i < 16; i++) W[i * 16 + i] = 0.5;
    const rec = await whiten(s16, { W, M: new Array(16).fill(1), intScale: 3, dtype: 'int16' });
    const raw = await s16.getTraces({ segmentIndex: 1, endFrame: 5, channelIds: [3, 1] });
    const got = await rec.getTraces({ segmentIndex: 1, endFrame: 5, channelIds: [3, 1] });
    expect(Array.from(got.data)).toEqual(Array.from(raw.data, (x) => roundHalfEven((x - 1) * 0.5 * 3)));
  });
});
