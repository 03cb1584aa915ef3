// highpassSpatialFilter (and getNoiseLevels) against SpikeInterface's
// stats_based/highpass_spatial_filter fixture: the RMS of each channel bit for bit (and cached on
// the parent as SpikeInterface caches it), every window and the full segment within 1e-5 of the
// signal's RMS (numpy's AGC is an FFT convolution, ours a running sum), to_dict, refused calls.
import { describe, expect, it } from 'vitest';
import { HighpassSpatialFilterRecording, getNoiseLevels, highpassSpatialFilter } from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { DIR, openSource, quietly, withData, withoutNested } from './helpers.js';
import { buildCase, buildParent } from './stats-cases.js';
import { expectWindowsClose, fullSegmentRelative, numericOffsets } from './stats-tolerance.js';

const CASE = 'highpass_spatial_filter';
const values = (entry: any): number[] => (withData(entry).data as unknown[]).flat(2) as number[];

describe(`stats_based/${CASE}`, () => {
  it('estimates the RMS as SpikeInterface and filters every window', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${CASE}/expected.json`);
    const rec = (await quietly(() => buildCase(e))) as HighpassSpatialFilterRecording;
    expect(rec).toBeInstanceOf(HighpassSpatialFilterRecording);
    const st = e.statistics;
    expect(Array.from(rec.rmsValues)).toEqual(values(st.rms_values_from_kwargs));
    // get_noise_levels caches the RMS on the parent
    expect(rec.parent.getPropertyKeys()).toEqual(st.parent_property_keys_after);
    await expectDescription(rec, numericOffsets({ ...e.recording, windows: [], segment_hashes: [] }));
    // measured: windows within 6.2e-7 of their RMS, the full segment within 1.3e-6
    await expectWindowsClose(rec, e.recording.windows, 1e-5);
    expect(await fullSegmentRelative(rec, `stats_based/${CASE}`)).toBeLessThan(1e-5);
    expect(withoutNested(rec.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
  });

  it('takes rmsValues as given, or the cached noise levels', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${CASE}/expected.json`);
    const parent = await buildParent(e);
    const opts = { nChannelPad: 4, nChannelTaper: 0 };
    const given = await highpassSpatialFilter(parent, { ...opts, rmsValues: values(e.statistics.rms_values_from_kwargs) });
    expect(await expectWindowsClose(given, e.recording.windows, 1e-5)).toBeLessThan(1e-5);
    const levels = await getNoiseLevels(parent, { method: 'rms', returnInUV: false, randomSliceKwargs: { numChunksPerSegment: 4, chunkSize: 400, seed: 1234 } });
    expect(Array.from(levels)).toEqual(values(e.statistics.rms_values_from_kwargs));
    const cached = await highpassSpatialFilter(parent, opts);
    expect(Array.from(cached.rmsValues)).toEqual(Array.from(levels));
  });

  it('refuses what SpikeInterface refuses', async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const byName = Object.fromEntries(errors.map((x: any) => [x.name, x]));
    expect(byName.hsf_default_pad_too_large.error.message).toBe("'n_channel_pad' must be less than the number of channels in recording.");
    const s16 = await openSource('s16');
    await expectCodeAsync(highpassSpatialFilter(s16), 'INVALID_ARGUMENT', /nChannelPad 60 must be at most the number of channels \(16\)/);
    await expectCodeAsync(highpassSpatialFilter(s16, { nChannelPad: 2, direction: 'z' }), 'INVALID_ARGUMENT', /direction "z" is wrong/);
    await expectCodeAsync(highpassSpatialFilter(s16, { nChannelPad: 2, rmsValues: [1, 2] }), 'INVALID_ARGUMENT', /rmsValues must be 16 numbers/);
    await expectCodeAsync(getNoiseLevels(s16, { method: 'max' as never }), 'INVALID_ARGUMENT', /method "max" must be/);
    // scipy's sosfiltfilt needs more channels than its padding (12 for order 3)
    const few = await highpassSpatialFilter(s16.selectChannels([0, 1, 2]), { nChannelPad: 3, rmsValues: [1, 1, 1] });
    await expectCodeAsync(few.getTraces({ segmentIndex: 1, endFrame: 10 }), 'INVALID_ARGUMENT', /9 channels .* must be more than the spatial filter's padding \(12\)/);
  });

  it('int16 output is rounded; a taper and no AGC take their own paths', async () => {
    const s16 = await openSource('s16');
    const rmsValues = new Array(16).fill(50);
    const asInt = await highpassSpatialFilter(s16, { nChannelPad: 4, nChannelTaper: 3, rmsValues });
    const asFloat = await highpassSpatialFilter(s16, { nChannelPad: 4, nChannelTaper: 3, rmsValues, dtype: 'float64' });
    const i16 = await asInt.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 300 });
    const f64 = await asFloat.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 300 });
    expect(i16.dtype).toBe('int16');
    const roundHalfEven = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
    expect(Array.from(i16.data)).toEqual(Array.from(f64.data, (v) => roundHalfEven(v) + 0));
    const plain = await highpassSpatialFilter(s16, { nChannelPad: 4, applyAgc: false, rmsValues, dtype: 'float32' });
    expect(plain.toDict().kwargs.agc_window_length_s).toBeNull();
    // without AGC there is no time margin: a window equals the same frames of a longer read
    const a = await plain.getTraces({ segmentIndex: 0, startFrame: 10, endFrame: 20 });
    const b = await plain.getTraces({ segmentIndex: 0, startFrame: 0, endFrame: 40 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data.subarray(10 * 16, 20 * 16)));
  });
});
