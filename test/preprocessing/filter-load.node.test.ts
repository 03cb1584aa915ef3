// The filters fixtures' dump.json files (a filter over a BinaryRecordingExtractor of ../../sources/s16,
// paths relative to the case folder) load into the same recording: repr, kwargs, every window; and
// what we dump is the fixture's dump, floats written as Python floats.
import { describe, expect, it } from 'vitest';
import { FilterRecording, HighpassFilterRecording, bandpassFilter, dumpJsonText, filter } from '../../src/index.js';
import { load } from '../../src/node.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { fixturePath, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { DIR, loadCaseDump, openSource } from './helpers.js';
import { FILTER_CASES } from './filter-cases.js';

/** The JSON text of the value of the last `"key":` in `text` (nested lists included), whitespace removed. */
function lastValueText(text: string, key: string): string | null {
  const at = text.lastIndexOf(`"${key}":`);
  if (at < 0) return null;
  let i = at + key.length + 3;
  while (/\s/.test(text[i])) i++;
  const start = i;
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    if (depth === 0 && (ch === ',' || ch === '}' || ch === '\n' || ch === ']')) break;
  }
  return text.slice(start, text[i] === ']' ? i + 1 : i).replace(/\s+/g, '');
}

describe.each(FILTER_CASES)('filters/%s dump.json', (c) => {
  it('loads with the same repr, kwargs and windows; its own dump is the fixture', async () => {
    const { e, rec, folder } = await loadCaseDump(load, 'filters', c, FilterRecording);
    try {
      // JSON cannot tell SpikeInterface's int64 offsets (0) from floats: a loaded offset_to_uV is float64
      const offsets = e.recording.properties.offset_to_uV;
      await expectDescription(rec, {
        ...e.recording, segment_hashes: [],
        properties: { ...e.recording.properties, offset_to_uV: { ...offsets, dtype: '<f8', dtype_name: 'float64', b64: undefined } },
        channel_offsets: { ...e.recording.channel_offsets, dtype: '<f8', dtype_name: 'float64', b64: undefined },
      });
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: folder }));
      expect(JSON.parse(text)).toEqual(await readFixtureJson(`${DIR}/filters/${c}/dump.json`));
      const raw = await readFixtureText(`${DIR}/filters/${c}/dump.json`);
      for (const key of ['freq_min', 'freq_max', 'margin_ms', 'band', 'freq', 'q', 'coeff', 'filter_order']) {
        expect(lastValueText(text, key), key).toBe(lastValueText(raw, key));
      }
    } finally {
      await rec.close();
    }
  });
});

describe('filter dicts', () => {
  it('a dict written before ignore_low_freq_error existed loads with a low freq_min, as SpikeInterface does', async () => {
    const dump = await readFixtureJson(`${DIR}/filters/highpass_default/dump.json`);
    const path = await fixturePath(`${DIR}/filters/highpass_default/dump.json`);
    const { ignore_low_freq_error: _, ...kwargs } = dump.kwargs;
    const old = { ...dump, kwargs: { ...kwargs, freq_min: 50.0, margin_ms: 100.0 } };
    const rec = await load(old, { baseFolder: path.slice(0, path.lastIndexOf('/')) });
    try {
      expect(rec).toBeInstanceOf(HighpassFilterRecording);
      expect(rec.toDict().kwargs.ignore_low_freq_error).toBe(true);
      expect((rec as HighpassFilterRecording).marginSamples).toBe(3000);
    } finally {
      await rec.close();
    }
  });

  it('user coefficients are kept as nested lists in the kwargs, however they were given', async () => {
    const e = await readFixtureJson(`${DIR}/filters/filter_lowpass_coeff/expected.json`);
    const sos = e.chain[0].kwargs.coeff as number[][];
    const source = await openSource('s16');
    const rec = bandpassFilter(source, { coeff: Float64Array.from(sos.flat()), dtype: 'float32' });
    expect(rec.toDict().kwargs.coeff).toEqual(sos);
    const same = filter(source, { coeff: sos, marginMs: 5.0, dtype: 'float32' });
    const a = await rec.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 200 });
    const b = await same.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 200 });
    // the same sections: equal up to the margins (16.7 ms vs 5 ms)
    let maxDiff = 0;
    for (let i = 0; i < a.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - b.data[i]));
    expect(maxDiff).toBeLessThan(1e-3);
  });
});
