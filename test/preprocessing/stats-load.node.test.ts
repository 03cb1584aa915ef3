// The fixtures' dump.json files of the statistics-based preprocessors load into the same recording
// (class, repr, dtype, kwargs; statistics recomputed from the same seeded chunks, or taken from the
// kwargs where SpikeInterface stores them), read the same full segment, and dump back to the
// fixture's dump.
import { describe, expect, it } from 'vitest';
import { BaseRecording, dumpJsonText } from '../../src/index.js';
import { load } from '../../src/node.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { fixturePath, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, compareFullSegment, loadCaseDump } from './helpers.js';
import { fullSegmentRelative } from './stats-tolerance.js';

const CASES = [
  'center_median', 'zscore_default', 'zscore_int', 'normalize_by_quantile_by_channel', 'normalize_by_quantile_pool',
  'blank_saturation_quantile', 'correct_lsb', 'whiten_global_apply_mean', 'whiten_local', 'highpass_spatial_filter',
];

/** Reloaded whitening multiplies by W as float64 numbers (SpikeInterface's too: not bit-identical to the float32 original). */
const FLOAT_RELOAD = new Set(['whiten_global_apply_mean', 'whiten_local']);
/** Compared within float32 precision of the signal (numpy's FFT convolution against a running sum). */
const CLOSE = new Set(['highpass_spatial_filter']);

describe.each(CASES)('stats_based/%s dump.json', (c) => {
  it('loads as SpikeInterface reloads it and dumps back to the fixture', async () => {
    const expected = await readFixtureJson(`${DIR}/stats_based/${c}/expected.json`);
    if (!expected.dump_reload.ok) {
      // zscore_int: the kwargs keep gain and offset (intScale applied) but not int_scale, so the
      // integer dtype is refused on reload, as SpikeInterface refuses it
      expect(expected.dump_reload.error.error).toBe('AssertionError');
      await expectCodeAsync(load(await fixturePath(`${DIR}/stats_based/${c}/dump.json`)), 'INVALID_ARGUMENT', /give intScale/);
      return;
    }
    const { e, rec, folder } = await loadCaseDump(load, 'stats_based', c, BaseRecording);
    try {
      expect(rec.className).toBe(e.dump_reload.class);
      if (FLOAT_RELOAD.has(c)) {
        expect(e.dump_reload.full_segments_vs_original[1].max_abs_diff).toBeGreaterThan(0);
        expect(await fullSegmentRelative(rec, `stats_based/${c}`)).toBeLessThan(1e-5);
      } else if (CLOSE.has(c)) {
        expect(e.dump_reload.full_segments_vs_original[1].equal).toBe(true);
        expect(await fullSegmentRelative(rec, `stats_based/${c}`)).toBeLessThan(1e-5);
      } else {
        const full = await compareFullSegment(rec, `stats_based/${c}`);
        expect(e.dump_reload.full_segments_vs_original[1].equal).toBe(true);
        expect(full.maxAbs).toBe(0);
      }
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: folder }));
      expect(JSON.parse(text)).toEqual(await readFixtureJson(`${DIR}/stats_based/${c}/dump.json`));
    } finally {
      await rec.close();
    }
  });
});
