// phaseShift against SpikeInterface's preprocessing fixtures (phase_shift/*): the recording's
// description (repr, ids, dtype, properties, probe), every window raw and in µV and the full segment 1
// against traces_seg1.npy within the FFT's rounding (our FFT is not numpy's pocketfft bit for bit:
// integer outputs may differ by one at rounding ties), to_dict, the shifts and margin used, and the
// calls SpikeInterface refuses. phase_shift/np_highpass_phase_shift needs highpass_filter first.
import { describe, expect, it } from 'vitest';
import { PhaseShiftRecording, phaseShift, readNpy, type BaseRecording, type PhaseShiftOptions } from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCode } from '../helpers/expect-error.js';
import { decodeArrayEntry, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, camelOptions, closeness, expectClose, openSource, resolveRefs, withData, withoutNested } from './helpers.js';

const CASES = ['np_phase_shift', 'phase_shift_kwarg_float32'];

/** A source as the fixtures built it, with the Neuropixels 'inter_sample_shift' property where it has one. */
async function openShiftSource(name: string): Promise<BaseRecording> {
  const rec = await openSource(name);
  const full = await readFixtureJson(`${DIR}/sources/${name}/source.to_dict_full.json`);
  const shifts = full.properties.inter_sample_shift;
  if (shifts) rec.setProperty('inter_sample_shift', Float64Array.from(shifts));
  return rec;
}

describe.each(CASES)('phase_shift/%s', (c) => {
  it('builds as SpikeInterface: description, windows and full segment within the FFT rounding, to_dict', async () => {
    const e = withData(await resolveRefs(await readFixtureJson(`${DIR}/phase_shift/${c}/expected.json`), `${DIR}/phase_shift/${c}`));
    const source = await openShiftSource(e.source);
    const rec = phaseShift(source, camelOptions<PhaseShiftOptions>(e.chain[0].kwargs));
    expect(rec).toBeInstanceOf(PhaseShiftRecording);
    expect(e.declared_dtype).toBe(e.returned_dtype);
    await expectDescription(rec, { ...e.recording, windows: [], segment_hashes: [] });

    // the margin and shifts SpikeInterface used
    const info = e.level_info[0];
    expect(rec.margin).toBe(info.margin_samples);
    expect(Array.from(rec.sampleShifts)).toEqual(Array.from(decodeArrayEntry(info.inter_sample_shift_used).values as Float64Array));

    // every window, raw and in µV
    const worst = { identical: 1, maxAbs: 0, relRms: 0 };
    for (const w of e.recording.windows) {
      const traces = await rec.getTraces({
        segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame,
        channelIds: w.channel_ids ?? undefined, returnInUV: w.return_in_uV,
      });
      const want = decodeArrayEntry(w.traces);
      expect(traces.shape).toEqual(w.traces.shape);
      const close = closeness(traces.data, want.values as ArrayLike<number>);
      worst.identical = Math.min(worst.identical, close.identical);
      worst.maxAbs = Math.max(worst.maxAbs, close.maxAbs);
      worst.relRms = Math.max(worst.relRms, close.relRms);
      expectClose(close, w.traces.dtype, `window ${JSON.stringify([w.segment_index, w.start_frame, w.end_frame, w.return_in_uV])}`);
    }

    // the whole segment 1 in one call
    const npy = readNpy(await readFixtureBytes(`${DIR}/phase_shift/${c}/traces_seg1.npy`));
    expect(npy.dtype).toBe(e.full_segment.dtype);
    const full = await rec.getTraces({ segmentIndex: 1 });
    expect(full.shape).toEqual(npy.shape);
    const closeFull = closeness(full.data, npy.values as ArrayLike<number>);
    expectClose(closeFull, e.full_segment.dtype, 'full segment 1');
    console.log(`${c}: windows worst ${JSON.stringify(worst)}; full segment 1 ${JSON.stringify(closeFull)}`);
    if (c === 'np_phase_shift') {
      // int16 here comes out bit for bit: both one-call segment hashes, raw and in µV
      expect(closeFull).toEqual({ identical: 1, maxAbs: 0, relRms: 0 });
      await expectDescription(rec, { ...e.recording, windows: [] });
    }
    else expect(closeFull.relRms).toBeLessThan(1e-7);

    // to_dict: everything but the nested source's file paths (dtype is not a kwarg)
    expect(withoutNested(rec.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
  }, 60_000);
});

describe('phaseShift of a channel subset', () => {
  it('each channel is shifted on its own: a subset request equals the same columns of the full request', async () => {
    const rec = phaseShift(await openShiftSource('np384'));
    const all = await rec.getTraces({ segmentIndex: 0, startFrame: 100, endFrame: 140 });
    const ids = [300, 7, 12];
    const some = await rec.getTraces({ segmentIndex: 0, startFrame: 100, endFrame: 140, channelIds: ids });
    for (let t = 0; t < 40; t++) ids.forEach((id, j) => expect(some.data[t * 3 + j]).toBe(all.data[t * 384 + id]));
  });
});

describe('phaseShift to float64', () => {
  it('computes in float64 (SpikeInterface fails on an integer parent): the float32 fixture is its float32 rounding', async () => {
    const e = await readFixtureJson(`${DIR}/phase_shift/phase_shift_kwarg_float32/expected.json`);
    const rec = phaseShift(await openSource('s16'), { ...camelOptions<PhaseShiftOptions>(e.chain[0].kwargs), dtype: 'float64' });
    expect(rec.getDtype()).toBe('float64');
    const traces = await rec.getTraces({ segmentIndex: 1 });
    const npy = readNpy(await readFixtureBytes(`${DIR}/phase_shift/phase_shift_kwarg_float32/traces_seg1.npy`));
    const close = closeness(Float32Array.from(traces.data as Float64Array), npy.values as ArrayLike<number>);
    expect(close.relRms).toBeLessThan(1e-7);
    expect(close.identical).toBeGreaterThan(0.999);
  });
});

describe('phaseShift refuses what SpikeInterface refuses', () => {
  it("errors.json: no 'inter_sample_shift' property and no interSampleShift", async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const entry = errors.find((x: any) => x.name === 'phase_shift_no_property');
    expect(entry.error.message).toBe("'inter_sample_shift' is not a property!");
    const source = await openSource('s16');
    expectCode(() => phaseShift(source), 'INVALID_ARGUMENT', /phaseShift: the recording has no 'inter_sample_shift' property: pass interSampleShift/);
  });

  it('other bad values are coded errors naming the option', async () => {
    const source = await openSource('s16');
    expectCode(() => phaseShift(source, { interSampleShift: [0, 1] }), 'INVALID_ARGUMENT', /interSampleShift has 2 values but the recording has 16 channels/);
    expectCode(() => phaseShift(source, { interSampleShift: 3 as never }), 'INVALID_ARGUMENT', /interSampleShift must be a list of numbers/);
    const nan = new Array(16).fill(0);
    nan[3] = Number.NaN;
    expectCode(() => phaseShift(source, { interSampleShift: nan }), 'INVALID_ARGUMENT', /the shift of channel 3 is NaN/);
    const zeros = new Array(16).fill(0);
    expectCode(() => phaseShift(source, { interSampleShift: zeros, marginMs: -1 }), 'INVALID_ARGUMENT', /marginMs must be a non-negative number of milliseconds, got -1/);
    expectCode(() => phaseShift(source, { interSampleShift: zeros, marginMs: 0.01 }), 'INVALID_ARGUMENT', /marginMs 0.01 is less than one sample/);
    expectCode(() => phaseShift(source, { interSampleShift: zeros, dtype: 'complex' }), 'INVALID_ARGUMENT');
    expectCode(() => phaseShift({} as never), 'INVALID_ARGUMENT', /recording must be a recording/);
  });
});
