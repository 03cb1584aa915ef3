// The filter preprocessors against SpikeInterface's fixtures (filters/*): the recording's description
// (repr, dtype, properties with the zeroed offsets, every window raw and in µV), the full segment 1
// against traces_seg1.npy, to_dict, and the calls SpikeInterface refuses.
import { describe, expect, it, vi } from 'vitest';
import {
  BandpassFilterRecording, FilterRecording, HighpassFilterRecording, NotchFilterRecording, SpikewireError, bandpassFilter, causalFilter, filter,
  highpassFilter, notchFilter, type BaseRecording,
} from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCode } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { DIR, camelOptions, compareFullSegment, openSource, withoutNested } from './helpers.js';

/** Every filters/ case built from s16 (gaussian is another preprocessor; unsigned_to_signed_bandpass needs unsignedToSigned). */
export const FILTER_CASES = [
  'bandpass_ba', 'bandpass_bessel', 'bandpass_custom', 'bandpass_default', 'bandpass_float32', 'bandpass_float64', 'bandpass_forward',
  'bandpass_reflect_padding', 'causal_backward_ba', 'causal_default', 'filter_highpass_band', 'filter_lowpass_coeff', 'highpass_custom_direction',
  'highpass_default', 'notch',
];

const BUILD: Record<string, (rec: BaseRecording, opts: any) => FilterRecording> = {
  filter, bandpass_filter: bandpassFilter, highpass_filter: highpassFilter, notch_filter: notchFilter, causal_filter: causalFilter,
};

/** The case's recording built from its source as the fixture's chain says. */
export async function buildCase(e: any): Promise<FilterRecording> {
  const source = await openSource(e.source);
  const step = e.chain[0];
  return BUILD[step.function](source, camelOptions(step.kwargs));
}

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
    await expectDescription(rec, {
      ...e.recording, segment_hashes: [], channel_offsets: { ...offsets, dtype: '<f8', dtype_name: 'float64', b64: undefined },
    });
    const full = await compareFullSegment(rec, `filters/${c}`);
    expect(full.dtype).toBe(e.full_segment.dtype);
    expect(full.maxAbs).toBe(0);
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
  });
});
