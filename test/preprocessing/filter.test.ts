// The filter preprocessors against SpikeInterface's fixtures (filters/*): the recording's description
// (repr, dtype, properties with the zeroed offsets, every window raw and in µV), the full segment 1
// against traces_seg1.npy, to_dict, and the calls SpikeInterface refuses.
import { describe, expect, it, vi } from 'vitest';
import {
  BandpassFilterRecording, FilterRecording, HighpassFilterRecording, NotchFilterRecording, NumpyRecording, SpikewireError, bandpassFilter, causalFilter, filter,
  highpassFilter, notchFilter,
} from '../../src/index.js';
import { bytesOf, expectDescription } from '../helpers/describe-recording.js';
import { expectCode } from '../helpers/expect-error.js';
import { base64ToBytes, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, compareFullSegment, openSource, withoutNested } from './helpers.js';
import { FILTER_CASES, buildCase } from './filter-cases.js';

const CLASSES: Record<string, unknown> = { FilterRecording, BandpassFilterRecording, HighpassFilterRecording, NotchFilterRecording };

describe.each(FILTER_CASES)('filters/%s', (c) => {
  it('builds as SpikeInterface: description, windows, full segment, to_dict', async () => {
    const e = await readFixtureJson(`${DIR}/filters/${c}/expected.json`);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let rec: FilterRecording;
    try {
      rec = await buildCase(e);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    expect(rec).toBeInstanceOf(CLASSES[e.recording.class] as any);
    expect(e.declared_dtype).toBe(e.returned_dtype);
    const level = e.filter_levels[0];
    expect(rec.marginSamples).toBe(level.margin_samples);
    // every window raw and in µV, bit for bit
    // SpikeInterface's offsets become an int64 column of zeros (compared as numbers here)
    const offsets = e.recording.channel_offsets;
    expect(offsets.dtype).toBe('<i8');
    expect(rec.getPropertyColumn('offset_to_uV')!.dtype).toBe('<i8');
    await expectDescription(rec, numericOffsets(e.recording));
    const full = await compareFullSegment(rec, `filters/${c}`);
    expect(full.dtype).toBe(e.full_segment.dtype);
    expect(full.maxAbs).toBe(0);
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
  });
});

describe('the filters refuse what SpikeInterface refuses', () => {
  it('errors.json: ripple families, rp, a lowpass btype, no margin, unsigned input, a low freqMin', async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const names = errors.filter((x: any) => /^(bandpass_filter|filter|notch_filter|highpass_filter)\(/.test(x.call)).map((x: any) => x.name).sort();
    expect(names).toEqual([
      'bandpass_cheby1_no_rp', 'bandpass_low_freq', 'bandpass_low_freq_ignored', 'bandpass_rp_kwarg', 'bandpass_small_margin_warning',
      'bandpass_uint16', 'filter_lowpass_btype', 'filter_no_margin', 'notch_uint16',
    ]);
    const s = await openSource('s16');
    expectCode(() => bandpassFilter(s, { ftype: 'cheby1' }), 'UNSUPPORTED', /ftype "cheby1" needs ripple parameters/);
    expectCode(() => bandpassFilter(s, { ftype: 'cheby1', rp: 1.0 } as never), 'INVALID_ARGUMENT', /bandpassFilter: unknown option "rp"/);
    expectCode(() => filter(s, { band: 3000.0, btype: 'lowpass' as never, marginMs: 5.0 }), 'INVALID_ARGUMENT', /filter: btype "lowpass" must be 'bandpass' or 'highpass'/);
    expectCode(() => filter(s, { band: 300.0, btype: 'highpass' }), 'INVALID_ARGUMENT', /filter: marginMs must be given/);
    // unsigned input: a uint16 view of the source (SpikeInterface's fix_dtype refuses it)
    const u16 = await openUnsigned();
    expectCode(() => bandpassFilter(u16), 'INVALID_ARGUMENT', /bandpassFilter: dtype "uint16" is unsigned.*unsignedToSigned/);
    expectCode(() => notchFilter(u16), 'INVALID_ARGUMENT', /notchFilter: dtype "uint16" is unsigned/);
    expectCode(() => bandpassFilter(s, { freqMin: 50.0 }), 'INVALID_ARGUMENT', /bandpassFilter: freqMin 50 Hz is too low.*ignoreLowFreqError: true/);
    // ignored: it builds, with the auto margin (5 periods of 50 Hz) and no warning
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(bandpassFilter(s, { freqMin: 50.0, ignoreLowFreqError: true }).marginSamples).toBe(3000);
      expect(warn).not.toHaveBeenCalled();
      // a margin below 5 periods of freqMin: SpikeInterface's UserWarning, in this API's names
      bandpassFilter(s, { marginMs: 2.0 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/The provided marginMs \(2 ms\) is smaller than the recommended margin for the given freqMin \(300 Hz\)/);
    } finally {
      warn.mockRestore();
    }
  });

  it('other bad values are coded errors naming the option', async () => {
    const s = await openSource('s16');
    expectCode(() => bandpassFilter(s, { freqMax: 20000.0 }), 'INVALID_ARGUMENT', /bandpassFilter: freqMax 20000 Hz must be below the Nyquist frequency \(15000 Hz\)/);
    expectCode(() => bandpassFilter(s, { freqMin: 7000.0 }), 'INVALID_ARGUMENT', /freqMin \(7000 Hz\) must be below freqMax \(6000 Hz\)/);
    expectCode(() => highpassFilter(s, { freqMin: 16000.0 }), 'INVALID_ARGUMENT', /highpassFilter: freqMin 16000 Hz must be below the Nyquist/);
    expectCode(() => filter(s, { band: [300.0], marginMs: 5 }), 'INVALID_ARGUMENT', /filter: a bandpass filter needs band \[low, high\]/);
    expectCode(() => bandpassFilter(s, { ftype: 'foo' }), 'INVALID_ARGUMENT', /bandpassFilter: ftype "foo" must be 'butter' or 'bessel'/);
    expectCode(() => bandpassFilter(s, { btype: 'bandstop' as never }), 'INVALID_ARGUMENT', /btype "bandstop"/);
    expectCode(() => bandpassFilter(s, { filterMode: 'zpk' as never }), 'INVALID_ARGUMENT', /filterMode "zpk" must be 'sos' or 'ba'/);
    expectCode(() => bandpassFilter(s, { direction: 'both' as never }), 'INVALID_ARGUMENT', /direction "both" must be 'forward-backward', 'forward' or 'backward'/);
    expectCode(() => bandpassFilter(s, { filterOrder: 0 }), 'INVALID_ARGUMENT', /filterOrder must be a positive integer, got 0/);
    expectCode(() => bandpassFilter(s, { dtype: 'uint16' }), 'INVALID_ARGUMENT', /unsigned/);
    expectCode(() => bandpassFilter(s, { marginMs: -1 }), 'INVALID_ARGUMENT', /marginMs must be a non-negative number of ms, got -1/);
    expectCode(() => causalFilter(s, { direction: 'forward-backward' as never }), 'INVALID_ARGUMENT', /causalFilter: direction "forward-backward" must be 'forward' or 'backward'/);
    expectCode(() => filter(s, { coeff: [[1, 2, 3]], marginMs: 5 }), 'INVALID_ARGUMENT', /filter: with filterMode 'sos', coeff must be rows of 6/);
    expectCode(() => filter(s, { coeff: [[1, 2]], filterMode: 'ba', marginMs: 5 }), 'INVALID_ARGUMENT', /filter: with filterMode 'ba', coeff must be \[b, a\]/);
    expectCode(() => notchFilter(s, { freq: 20000 }), 'INVALID_ARGUMENT', /notchFilter: freq must be a frequency in Hz between 0 and the Nyquist frequency \(15000 Hz\), got 20000/);
    expectCode(() => notchFilter(s, { q: 0 }), 'INVALID_ARGUMENT', /notchFilter: q must be a positive quality factor, got 0/);
    expectCode(() => highpassFilter(s, { btype: 'bandpass' } as never), 'INVALID_ARGUMENT', /highpassFilter: unknown option "btype"/);
    expectCode(() => filter({} as never, { marginMs: 5 }), 'INVALID_ARGUMENT', /filter: recording must be a recording/);
    expect(() => bandpassFilter(s, { freqMin: Number.NaN })).toThrow(SpikewireError);
  });
});

describe('filter reads', () => {
  it('a window is close to the same frames of a longer read; concurrent reads are independent', async () => {
    const rec = bandpassFilter(await openSource('s16'), { dtype: 'float64' });
    const long = (await rec.getTraces({ segmentIndex: 0, startFrame: 1000, endFrame: 3000 })).data;
    const short = (await rec.getTraces({ segmentIndex: 0, startFrame: 2000, endFrame: 2010 })).data;
    // the same 500-frame margins but other chunk edges: the values depend on the window (each chunk
    // is padded and filtered on its own), close but not equal
    let maxDiff = 0;
    for (let i = 0; i < short.length; i++) maxDiff = Math.max(maxDiff, Math.abs(short[i] - long[1000 * 16 + i]));
    expect(maxDiff).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThan(0.5);
    // concurrent reads share no memory
    const [a, b] = await Promise.all([
      rec.getTraces({ segmentIndex: 0, startFrame: 37, endFrame: 45 }), rec.getTraces({ segmentIndex: 1, startFrame: 0, endFrame: 1000 }),
    ]);
    expect(Array.from(a.data)).toEqual(Array.from((await rec.getTraces({ segmentIndex: 0, startFrame: 37, endFrame: 45 })).data));
    expect(Array.from(b.data)).toEqual(Array.from((await rec.getTraces({ segmentIndex: 1 })).data));
  });
});

/** A small uint16 recording (the refusals of unsigned input). */
async function openUnsigned() {
  return new NumpyRecording({ tracesList: [new Uint16Array(8 * 100)], samplingFrequency: 30000.0, numChannels: 8 });
}

describe('filters/unsigned_to_signed_bandpass (the filter part)', () => {
  it('bandpassFilter of the uint16 source shifted by 2**15 into int16 gives SpikeInterface\'s windows and full segment', async () => {
    const e = await readFixtureJson(`${DIR}/filters/unsigned_to_signed_bandpass/expected.json`);
    // unsigned_to_signed's samples (x - 32768 as int16) as a NumpyRecording: the filter only sees them
    const dir = `${DIR}/sources/u16`;
    const segments = await Promise.all([0, 1].map(async (s) => {
      const bytes = await readFixtureBytes(`${dir}/traces_seg${s}.raw`);
      const u = new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      return Int16Array.from(u, (v) => v - 32768);
    }));
    const signed = new NumpyRecording({ tracesList: segments, samplingFrequency: 30000.0, numChannels: 8 });
    signed.setChannelGains(0.195);
    const rec = bandpassFilter(signed);
    expect(rec.getDtype()).toBe('int16');
    for (const w of e.recording.windows) {
      if (w.return_in_uV) continue;
      const got = await rec.getTraces({ segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids ?? undefined });
      expect(got.shape).toEqual(w.traces.shape);
      expect(bytesOf(got.data)).toEqual(base64ToBytes(w.traces.b64));
    }
    expect((await compareFullSegment(rec, 'filters/unsigned_to_signed_bandpass')).maxAbs).toBe(0);
  });
});

describe('filters/bandpass_default slice views', () => {
  it('a frame slice of the filter reads margins outside the slice; filtering a frame slice does not', async () => {
    const e = await readFixtureJson(`${DIR}/filters/bandpass_default/expected.json`);
    const source = await openSource('s16');
    const [after, before] = e.slice_views;
    const sliced = bandpassFilter(source).selectSegments([1]).frameSlice(200, 900);
    await expectDescription(sliced, numericOffsets(after.recording));
    expect(withoutNested(sliced.toDict({ recursive: true }), 'parent_recording')).toEqual(withoutNested(after.to_dict, 'parent_recording'));
    const other = bandpassFilter(source.selectSegments([1]).frameSlice(200, 900));
    await expectDescription(other, numericOffsets(before.recording));
  });
});

/** A description with its int64 zero offsets as float64 entries (the helper compares offsets as numbers). */
function numericOffsets(d: any) {
  return { ...d, segment_hashes: [], channel_offsets: { ...d.channel_offsets, dtype: '<f8', dtype_name: 'float64', b64: undefined } };
}
