// The elementwise preprocessors (scale, scaleToUV, unsignedToSigned, astype, clip, blankSaturation,
// rectify, decimate) against SpikeInterface's preprocessing fixtures (misc/*): the description (repr,
// dtype, gains/offsets, every window raw and in µV, bit for bit; windows SpikeInterface could not
// read fail here too), the full segment 1 against traces_seg1.npy, to_dict, and refused calls.
import { describe, expect, it } from 'vitest';
import { BinaryRecordingExtractor, BlankSaturationRecording, astype, blankSaturation, clip, decimate, rectify, scale, scaleToUV, unsignedToSigned, SpikewireError } from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { ELEMENTWISE_CASES, buildCase, open } from './elementwise-cases.js';
import { DIR, compareFullSegment, openSource, plain, withoutNested } from './helpers.js';

describe.each(ELEMENTWISE_CASES)('misc/%s', (c) => {
  it('builds as SpikeInterface: description, windows, full segment, to_dict', async () => {
    const e = await readFixtureJson(`${DIR}/misc/${c}/expected.json`);
    const rec = await buildCase(e);
    expect(rec.className).toBe(e.recording.class);
    expect(e.declared_dtype).toBe(e.returned_dtype);
    const failing = e.recording.windows.filter((w: any) => w.error);
    await expectDescription(rec, { ...e.recording, windows: e.recording.windows.filter((w: any) => !w.error) });
    // the windows SpikeInterface could not read (the parent asked for frames past its end)
    for (const w of failing) {
      expect(w.error).toBe('ValueError');
      await expectCodeAsync(rec.getTraces({
        segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids ?? undefined, returnInUV: w.return_in_uV,
      }), 'OUT_OF_RANGE', /past the parent segment/);
    }
    expect(failing.length).toBe(c === 'decimate_offset_past_end' ? 4 : 0);
    if (e.full_segment) {
      const full = await compareFullSegment(rec, `misc/${c}`);
      expect(full.dtype).toBe(e.full_segment.dtype);
      expect(full.maxAbs).toBe(0);
      expect(full.identical).toBe(1);
    } else {
      await expectCodeAsync(rec.getTraces({ segmentIndex: 0 }), 'OUT_OF_RANGE');
    }
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
    const nested = (d: any): any => (d.kwargs.recording ? nested(plain(d.kwargs.recording)) : d);
    const got = { ...nested(plain(dict)).kwargs };
    const want = { ...nested(e.to_dict).kwargs };
    delete got.file_paths;
    delete want.file_paths;
    expect(got).toEqual(want);
  });
});

describe('elementwise preprocessors refuse what SpikeInterface refuses', () => {
  it('errors.json: unsigned_to_signed on int16, a decimation offset past the factor, a full read past the end', async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const byName = Object.fromEntries(errors.map((x: any) => [x.name, x]));
    expect(byName.unsigned_to_signed_on_signed.error.message).toBe('Recording is not unsigned!');
    const s16 = await openSource('s16');
    expectCode(() => unsignedToSigned(s16), 'INVALID_ARGUMENT', /dtype "int16" is not unsigned/);
    expect(byName.decimate_bad_offset.raised).toBe(true);
    expectCode(() => decimate(s16, 3, { decimationOffset: 3 }), 'INVALID_ARGUMENT', /decimationOffset 3 must be smaller than decimationFactor \(3\)/);
    expect(byName.decimate_full_read_past_end.error.message).toBe('mmap length is greater than file size');
    await expectCodeAsync(decimate(s16, 3).getTraces({ segmentIndex: 1 }), 'OUT_OF_RANGE', /decimationFactor 3 does not divide 1000/);
    expect((await decimate(s16, 3).getTraces({ segmentIndex: 0, startFrame: 0, endFrame: 2666 })).shape).toEqual([2666, 16]);
  });

  it('other bad values are coded errors naming the option', async () => {
    const s16 = await openSource('s16');
    expectCode(() => scale(s16, { gain: [1, 2] }), 'INVALID_ARGUMENT', /scale: gain must be a number or 16 numbers/);
    expectCode(() => scale(s16, { offset: 'x' as never }), 'INVALID_ARGUMENT', /offset must be/);
    expectCode(() => scale(s16, { dtype: 'uint16' }), 'INVALID_ARGUMENT', /unsigned/);
    expectCode(() => astype(s16, { dtype: 'uint8' }), 'INVALID_ARGUMENT', /unsigned/);
    expectCode(() => astype(s16, { round: 'yes' as never }), 'INVALID_ARGUMENT', /round must be/);
    expectCode(() => clip(s16, { aMin: 'low' as never }), 'INVALID_ARGUMENT', /clip: aMin must be a number or null, got "low"/);
    await expectCodeAsync(blankSaturation(s16, { absThreshold: 5, direction: 'up' as never }), 'INVALID_ARGUMENT', /direction "up" must be/);
    await expectCodeAsync(blankSaturation(s16, {}), 'INVALID_ARGUMENT', /absThreshold or quantileThreshold must be given/);
    await expectCodeAsync(blankSaturation(s16, { quantileThreshold: 2 }), 'INVALID_ARGUMENT', /quantileThreshold must be in \[0, 1\], got 2/);
    // the estimated values come from blankSaturation() (random chunks); the class alone needs them given
    expectCode(() => new BlankSaturationRecording(s16, { quantileThreshold: 0.01, fillValue: 0 }), 'UNSUPPORTED', /quantileThreshold 0.01/);
    expectCode(() => new BlankSaturationRecording(s16, { absThreshold: 100 }), 'UNSUPPORTED', /fillValue null/);
    expectCode(() => decimate(s16, 0), 'INVALID_ARGUMENT', /decimationFactor must be a strictly positive integer, got 0/);
    expectCode(() => decimate(s16, 2, { decimationOffset: -1 }), 'INVALID_ARGUMENT', /decimationOffset must be a non-negative integer, got -1/);
    expectCode(() => rectify({} as never), 'INVALID_ARGUMENT', /rectify: recording must be a recording/);
    const u16 = await open('u16');
    expectCode(() => unsignedToSigned(u16, { bitDepth: 17 }), 'INVALID_ARGUMENT', /bitDepth must be an integer from 1 to 16, got 17/);
    expect(() => scaleToUV(null as never)).toThrow(SpikewireError);
    const bare = await BinaryRecordingExtractor.open({ sources: [new Blob([new Int16Array(32)])], samplingFrequency: 1000, numChannels: 2, dtype: 'int16' });
    expect(bare.hasScaleableTraces()).toBe(false);
    expectCode(() => scaleToUV(bare), 'NOT_SCALEABLE', /scaleToUV: the recording must have gains and offsets/);
    // a float32 parent compares with float32 thresholds (numpy's weak Python float): float32(0.100000002)
    // is float32(0.1), so the samples (float32(0.1)) reach the threshold, though 0.100000002 > float32(0.1)
    const f32 = scale(bare, { gain: 0, offset: 0.1 });
    expect(Math.fround(0.100000002)).toBe(Math.fround(0.1));
    expect(Array.from((await (await blankSaturation(f32, { absThreshold: 0.100000002, fillValue: 7 })).getTraces({ segmentIndex: 0, endFrame: 1 })).data)).toEqual([7, 7]);
  });
});
