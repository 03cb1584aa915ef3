// The statistics-based scalings (center, zscore, normalizeByQuantile, blankSaturation with a
// quantile threshold, correctLsb, scaleToPhysicalUnits) against SpikeInterface's stats_based
// fixtures: the description with every window bit for bit, the full segment 1, the statistics
// SpikeInterface used, to_dict, and refused calls.
import { describe, expect, it, vi } from 'vitest';
import {
  CenterRecording, NormalizeByQuantileRecording, ScaleToPhysicalUnits, ZScoreRecording, center, correctLsb, estimateLsb, normalizeByQuantile,
  scale, scaleToPhysicalUnits, zscore, type BaseRecording,
} from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { decodeArrayEntry, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, compareFullSegment, openSource, quietly, withoutNested } from './helpers.js';
import { buildCase } from './stats-cases.js';

const CASES = [
  'center_median', 'zscore_default', 'zscore_int', 'normalize_by_quantile_by_channel', 'normalize_by_quantile_pool',
  'blank_saturation_quantile', 'correct_lsb',
];

const values = (entry: any): number[] => Array.from(decodeArrayEntry(entry).values as ArrayLike<number>, Number);

/** Relative difference of two vectors of statistics (0 when equal). */
function relDiff(got: readonly number[], want: readonly number[]): number {
  expect(got.length).toBe(want.length);
  return Math.max(...got.map((g, i) => Math.abs(g - want[i]) / Math.max(Math.abs(want[i]), 1e-300)));
}

describe.each(CASES)('stats_based/%s', (c) => {
  it('builds as SpikeInterface: description, windows, full segment, statistics, to_dict', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${c}/expected.json`);
    const rec: BaseRecording = await quietly(() => buildCase(e));
    expect(rec.className).toBe(e.recording.class);
    await expectDescription(rec, e.recording);
    const full = await compareFullSegment(rec, `stats_based/${c}`);
    expect(full.dtype).toBe(e.full_segment.dtype);
    expect(full.maxAbs).toBe(0);
    expect(withoutNested(rec.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
    const st = e.statistics;
    if (rec instanceof CenterRecording) expect(rec.offset).toEqual(values(st.offset));
    if (rec instanceof ZScoreRecording) {
      // numpy's std / MAD: the same numbers up to the order of float64 additions
      expect(relDiff(rec.gain, values(st.gain_from_kwargs))).toBeLessThan(1e-12);
      expect(relDiff(rec.offset, values(st.offset_from_kwargs))).toBeLessThan(1e-12);
    }
    if (rec instanceof NormalizeByQuantileRecording) {
      expect(rec.gain).toEqual(values(st.gain));
      expect(rec.offset).toEqual(values(st.offset));
    }
    if (c === 'blank_saturation_quantile') expect(rec.toDict().kwargs.fill_value).toBe(st.fill_value_from_kwargs);
  });
});

describe('statistics-based scalings refuse what SpikeInterface refuses', () => {
  it('errors.json: zscore to int16 without intScale, scaleToPhysicalUnits without its properties', async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const byName = Object.fromEntries(errors.map((x: any) => [x.name, x]));
    const s16 = await openSource('s16');
    expect(byName.zscore_int_without_scale.error.error).toBe('AssertionError');
    await expectCodeAsync(zscore(s16, { dtype: 'int16' }), 'INVALID_ARGUMENT', /zscore: dtype "int16" is an integer type: give intScale/);
    expect(byName.scale_to_physical_units_missing.error.message).toMatch(/must have 'gain_to_physical_unit' property/);
    expectCode(() => scaleToPhysicalUnits(s16), 'INVALID_ARGUMENT', /must have a 'gain_to_physical_unit' property/);
  });

  it('other bad values are coded errors naming the option', async () => {
    const s16 = await openSource('s16');
    await expectCodeAsync(center(s16, { mode: 'mode' as never }), 'INVALID_ARGUMENT', /center: mode "mode" must be 'median' or 'mean'/);
    await expectCodeAsync(center(null as never), 'INVALID_ARGUMENT', /center: recording must be a recording/);
    await expectCodeAsync(zscore(s16, { gain: [1] }), 'INVALID_ARGUMENT', /gain is given, so offset must be given too/);
    await expectCodeAsync(zscore(s16, { gain: [1], offset: [0] }), 'INVALID_ARGUMENT', /gain must be 16 numbers/);
    await expectCodeAsync(normalizeByQuantile(s16, { q1: 2 }), 'INVALID_ARGUMENT', /q1 must be a quantile in \[0, 1\], got 2/);
    await expectCodeAsync(normalizeByQuantile(s16, { mode: 'pool' as never }), 'INVALID_ARGUMENT', /mode "pool" must be/);
    await expectCodeAsync(quietly(() => center(s16, { seed: -3 })), 'INVALID_ARGUMENT', /seed must be a non-negative integer/);
    expectCode(() => new CenterRecording(s16, {}, undefined as never), 'INVALID_ARGUMENT', /center: offset must be 16 numbers/);
  });

  it('zscore with a given gain and offset reads nothing; scaleToPhysicalUnits uses the properties', async () => {
    const s16 = await openSource('s16');
    const z = await zscore(s16, { gain: new Array(16).fill(2), offset: [new Array(16).fill(1)], intScale: 3 });
    expect(z.gain[0]).toBe(6);
    const raw = await s16.getTraces({ segmentIndex: 1, endFrame: 4 });
    const got = await z.getTraces({ segmentIndex: 1, endFrame: 4 });
    expect(Array.from(got.data)).toEqual(Array.from(raw.data, (x) => Math.fround(Math.fround(x * 6) + 3)));
    s16.setProperty('gain_to_physical_unit', new Array(16).fill(0.5));
    s16.setProperty('offset_to_physical_unit', new Array(16).fill(-1));
    const p = scaleToPhysicalUnits(s16);
    expect(p).toBeInstanceOf(ScaleToPhysicalUnits);
    expect(Array.from((await p.getTraces({ segmentIndex: 1, endFrame: 4 })).data)).toEqual(Array.from(raw.data, (x) => Math.fround(x * 0.5 - 1)));
    expect(Array.from(p.getChannelGains())).toEqual(new Array(16).fill(1));
    expect(estimateLsb([[4, 8, 0], [1, 1], [12, 0, 4]])).toBe(4);
    // correct_lsb's defaults: 20 chunks of 10000 frames (shortened to fit the segments, with a warning)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const lsb = await correctLsb(scale(s16, { gain: 8, dtype: 'int16' }), { seed: 0 });
      expect(lsb.getChannelGains()[0]).toBe(Math.fround(0.195 * 8));
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        'spikewire: chunkSize is greater than the number of samples for segment index 0. Using 7999.',
        'spikewire: chunkSize is greater than the number of samples for segment index 1. Using 999.',
      ]);
    } finally {
      warn.mockRestore();
    }
    expect(estimateLsb([[3, 3]])).toBe(-1);
  });

  it('workers rebuild them from their dicts only when that gives the same statistics (a seed)', async () => {
    const s16 = await openSource('s16');
    const anyFile = () => true;
    const seeded = await center(s16, { numChunksPerSegment: 2, chunkSize: 100, seed: 5 });
    expect(seeded.workerProblem(anyFile)).toBeNull();
    const unseeded = await center(s16, { numChunksPerSegment: 2, chunkSize: 100 });
    expect(unseeded.workerProblem(anyFile)).toMatch(/CenterRecording estimates its statistics from random chunks without a seed/);
    // zscore keeps its gain and offset in its dict: no seed needed
    expect((await zscore(s16, { numChunksPerSegment: 2, chunkSize: 100 })).workerProblem(anyFile)).toBeNull();
  });
});
