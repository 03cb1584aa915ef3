// One check for a preprocessing case whose samples are compared within the exactness the arithmetic
// allows (FFTs, float sums): the description without samples bit for bit, every window raw and in
// µV (windows SpikeInterface refused are refused here, coded), the full segment 1 against
// traces_seg1.npy, and to_dict without the nested source. Returns the measured closeness.
import { expect } from 'vitest';
import { SpikewireError, readNpy, type BaseRecording } from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { decodeArrayEntry, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, closeness, expectClose, resolveRefs, withData, withoutNested } from './helpers.js';

const NUMPY: Record<string, string> = { int16: '<i2', int32: '<i4', float32: '<f4', float64: '<f8' };

/** A case's expected.json with omitted data and $refs filled in. */
export async function readCase(group: string, name: string): Promise<any> {
  return withData(await resolveRefs(await readFixtureJson(`${DIR}/${group}/${name}/expected.json`), `${DIR}/${group}/${name}`));
}

/** Checks `rec` against case `group/name` (see the file's comment); `exact`: windows and the full segment bit for bit. */
export async function expectCase(rec: BaseRecording, group: string, name: string, opts: { exact?: boolean; probe?: boolean; closeKwargs?: string[]; missingKwargs?: string[] } = {}) {
  const e = await readCase(group, name);
  await expectDescription(rec, { ...e.recording, windows: [], segment_hashes: [] }, { probe: opts.probe });
  const worst = { identical: 1, maxAbs: 0, relRms: 0 };
  for (const w of e.recording.windows) {
    const call = rec.getTraces({
      segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids ?? undefined, returnInUV: w.return_in_uV,
    });
    const what = `window ${JSON.stringify([w.segment_index, w.start_frame, w.end_frame, w.channel_ids, w.return_in_uV])}`;
    if (w.error) {
      await expect(call, what).rejects.toBeInstanceOf(SpikewireError);
      continue;
    }
    const traces = await call;
    expect(traces.shape, what).toEqual(w.traces.shape);
    expect(NUMPY[traces.dtype], what).toBe(w.traces.dtype);
    const close = closeness(traces.data, decodeArrayEntry(w.traces).values as ArrayLike<number>);
    worst.identical = Math.min(worst.identical, close.identical);
    worst.maxAbs = Math.max(worst.maxAbs, close.maxAbs);
    worst.relRms = Math.max(worst.relRms, close.relRms);
    if (opts.exact) expect(close.maxAbs, what).toBe(0);
    else expectClose(close, w.traces.dtype, what);
  }
  const npy = readNpy(await readFixtureBytes(`${DIR}/${group}/${name}/traces_seg1.npy`));
  expect(npy.dtype).toBe(e.full_segment.dtype);
  const full = await rec.getTraces({ segmentIndex: 1 });
  expect(full.shape).toEqual(npy.shape);
  expect(NUMPY[full.dtype]).toBe(e.full_segment.dtype);
  const closeFull = closeness(full.data, npy.values as ArrayLike<number>);
  if (opts.exact) expect(closeFull.maxAbs, 'full segment 1').toBe(0);
  else expectClose(closeFull, e.full_segment.dtype, 'full segment 1');
  const nested = 'parent_recording' in e.to_dict.kwargs ? 'parent_recording' : 'recording';
  const got = withoutNested(rec.toDict({ recursive: true }), nested) as any;
  const want = withoutNested(e.to_dict, nested) as any;
  // float kwargs computed with exp/pow, which JavaScript's Math does not always round as C's libm does
  for (const key of (opts.closeKwargs ?? []).filter((k) => k in want.kwargs)) {
    const [a, b] = [[got.kwargs[key]].flat(3) as number[], [want.kwargs[key]].flat(3) as number[]];
    expect(a.length).toBe(b.length);
    a.forEach((x, i) => expect(Math.abs(x - b[i]), `${key}[${i}]`).toBeLessThanOrEqual(Math.abs(b[i]) * 1e-15));
    delete got.kwargs[key];
    delete want.kwargs[key];
  }
  // kwargs SpikeInterface drops when it rebuilds from a dict
  for (const key of opts.missingKwargs ?? []) {
    expect(key in got.kwargs, key).toBe(false);
    delete want.kwargs[key];
  }
  expect(got).toEqual(want);
  return { e, windows: worst, full: closeFull };
}

const FLOAT_KWARGS = [
  'sigma_um', 'p', 'weights', 'ms_before', 'ms_after', 'fit_sample_spacing', 'psd_hf_threshold', 'dead_channel_threshold', 'noisy_channel_threshold',
  'outside_channel_threshold', 'nyquist_threshold', 'chunk_duration_s', 'welch_window_ms', 'neighborhood_r2_threshold', 'neighborhood_r2_radius_um',
  'std_mad_threshold', 'highpass_filter_cutoff', 'margin_ms', 'freq_min', 'freq_max', 'resample_rate',
];

/** The `"key": value` texts of these numeric kwargs in a JSON dump, whitespace removed and sorted (Python floats keep their '.0'). */
export function numericKwargsText(text: string): string[] {
  const pattern = new RegExp(`"(${FLOAT_KWARGS.join('|')})":(\\[\\[.*?\\]\\]|[^,}]*)`, 'g');
  return [...text.replace(/\s+/g, '').matchAll(pattern)].map((m) => m[0]).sort();
}
