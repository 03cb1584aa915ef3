// The chains of SpikeInterface's preprocessing fixtures not covered elsewhere:
// phase_shift/np_highpass_phase_shift (highpassFilter → phaseShift), chains/np_highpass_phase_shift_cmr_local
// (highpassFilter → phaseShift → commonReference local median) and filters/unsigned_to_signed_bandpass
// (unsignedToSigned → bandpassFilter). Integer outputs after phaseShift may differ by one at rounding ties
// (our FFT is not numpy's pocketfft bit for bit): ≥ 99.99% identical and never off by more than 1.
import { describe, expect, it } from 'vitest';
import {
  BandpassFilterRecording, CommonReferenceRecording, HighpassFilterRecording, PhaseShiftRecording, UnsignedToSignedRecording,
  bandpassFilter, commonReference, highpassFilter, phaseShift, type BaseRecording, type CommonReferenceOptions,
} from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { decodeArrayEntry, readFixtureJson } from '../helpers/fixtures.js';
import { buildCase as buildElementwise } from './elementwise-cases.js';
import { DIR, camelOptions, compareFullSegment, openSource, quietly, resolveRefs, withData, withoutNested } from './helpers.js';

/** A description whose int64 zero offsets compare as numbers. */
const numericOffsets = (d: any) => ({ ...d, channel_offsets: { ...d.channel_offsets, dtype: '<f8', dtype_name: 'float64', b64: undefined } });

/** np384 with its Neuropixels 'inter_sample_shift' property. */
async function openNp384(): Promise<BaseRecording> {
  const rec = await openSource('np384');
  const full = await readFixtureJson(`${DIR}/sources/np384/source.to_dict_full.json`);
  rec.setProperty('inter_sample_shift', Float64Array.from(full.properties.inter_sample_shift));
  return rec;
}

/** Every window of the description within the FFT's rounding; the worst share identical and max |diff| of the int16 ones. */
async function windowsWithinRounding(rec: BaseRecording, windows: any[]) {
  const worst = { identical: 1, maxAbs: 0, maxRelF32: 0 };
  for (const w of windows) {
    const got = await rec.getTraces({
      segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids ?? undefined, returnInUV: w.return_in_uV,
    });
    const want = decodeArrayEntry(w.traces).values as ArrayLike<number>;
    expect(got.shape).toEqual(w.traces.shape);
    let same = 0;
    let maxAbs = 0;
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(got.data[i] - want[i]);
      if (d === 0) same++;
      maxAbs = Math.max(maxAbs, d);
    }
    if (w.traces.dtype === '<i2') {
      worst.identical = Math.min(worst.identical, want.length ? same / want.length : 1);
      worst.maxAbs = Math.max(worst.maxAbs, maxAbs);
    } else {
      // µV: the raw int16 (within one) times the gain
      expect(maxAbs).toBeLessThanOrEqual(2.34375 * 1.0001);
      worst.maxRelF32 = Math.max(worst.maxRelF32, maxAbs);
    }
  }
  expect(worst.maxAbs).toBeLessThanOrEqual(1);
  expect(worst.identical).toBeGreaterThanOrEqual(0.9999);
  return worst;
}

describe('phase_shift/np_highpass_phase_shift', () => {
  it('highpassFilter → phaseShift reads as SpikeInterface within the FFT rounding: description, windows, full segment, to_dict', async () => {
    const e = withData(await resolveRefs(await readFixtureJson(`${DIR}/phase_shift/np_highpass_phase_shift/expected.json`), `${DIR}/phase_shift/np_highpass_phase_shift`));
    expect(e.chain.map((s: any) => s.function)).toEqual(['highpass_filter', 'phase_shift']);
    const rec = phaseShift(highpassFilter(await openNp384(), camelOptions(e.chain[0].kwargs)), camelOptions(e.chain[1].kwargs));
    expect(rec).toBeInstanceOf(PhaseShiftRecording);
    expect((rec as PhaseShiftRecording).parent).toBeInstanceOf(HighpassFilterRecording);
    await expectDescription(rec, { ...numericOffsets(e.recording), windows: [], segment_hashes: [] });
    const windows = await windowsWithinRounding(rec, e.recording.windows);
    const full = await compareFullSegment(rec, 'phase_shift/np_highpass_phase_shift');
    expect(full.dtype).toBe('<i2');
    expect(full.maxAbs).toBeLessThanOrEqual(1);
    expect(full.identical).toBeGreaterThanOrEqual(0.9999);
    console.log(`np_highpass_phase_shift: windows ${JSON.stringify(windows)}; full segment 1 ${JSON.stringify(full)}`);
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
    expect(withoutNested(dict.kwargs.recording as any)).toEqual(withoutNested(e.to_dict.kwargs.recording));
  }, 60_000);
});

describe('chains/np_highpass_phase_shift_cmr_local', () => {
  it('highpassFilter → phaseShift → commonReference local median within the FFT rounding', async () => {
    const e = withData(await resolveRefs(await readFixtureJson(`${DIR}/chains/np_highpass_phase_shift_cmr_local/expected.json`), `${DIR}/chains/np_highpass_phase_shift_cmr_local`));
    expect(e.chain.map((s: any) => s.function)).toEqual(['highpass_filter', 'phase_shift', 'common_reference']);
    const shifted = phaseShift(highpassFilter(await openNp384(), camelOptions(e.chain[0].kwargs)), camelOptions(e.chain[1].kwargs));
    const rec = await quietly(async () => commonReference(shifted, camelOptions<CommonReferenceOptions>(e.chain[2].kwargs)));
    expect(rec).toBeInstanceOf(CommonReferenceRecording);
    await expectDescription(rec, { ...numericOffsets(e.recording), windows: [], segment_hashes: [] });
    const windows = await windowsWithinRounding(rec, e.recording.windows);
    const full = await compareFullSegment(rec, 'chains/np_highpass_phase_shift_cmr_local');
    expect(full.dtype).toBe('<i2');
    expect(full.maxAbs).toBeLessThanOrEqual(1);
    expect(full.identical).toBeGreaterThanOrEqual(0.9999);
    console.log(`np_highpass_phase_shift_cmr_local: windows ${JSON.stringify(windows)}; full segment 1 ${JSON.stringify(full)}`);
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
    const ps = dict.kwargs.recording as any;
    expect(withoutNested(ps)).toEqual(withoutNested(e.to_dict.kwargs.recording));
    expect(withoutNested(ps.kwargs.recording)).toEqual(withoutNested(e.to_dict.kwargs.recording.kwargs.recording));
  }, 60_000);
});

describe('filters/unsigned_to_signed_bandpass (the full chain)', () => {
  it('unsignedToSigned → bandpassFilter on u16: description, windows and full segment bit for bit, to_dict', async () => {
    const e = await readFixtureJson(`${DIR}/filters/unsigned_to_signed_bandpass/expected.json`);
    expect(e.chain.map((s: any) => s.function)).toEqual(['unsigned_to_signed', 'bandpass_filter']);
    const signed = await buildElementwise({ ...e, chain: [e.chain[0]] });
    expect(signed).toBeInstanceOf(UnsignedToSignedRecording);
    const rec = bandpassFilter(signed, camelOptions(e.chain[1].kwargs));
    expect(rec).toBeInstanceOf(BandpassFilterRecording);
    expect(rec.toString()).toBe(e.recording.repr);
    await expectDescription(rec, numericOffsets(e.recording), { probe: false });
    const full = await compareFullSegment(rec, 'filters/unsigned_to_signed_bandpass');
    expect(full).toMatchObject({ maxAbs: 0, identical: 1, dtype: '<i2' });
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
    expect(withoutNested(dict.kwargs.recording as any)).toEqual(withoutNested(e.to_dict.kwargs.recording));
  }, 60_000);
});
