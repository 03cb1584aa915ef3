// The fixtures' dump.json files of the elementwise preprocessors (over BinaryRecordingExtractors of
// ../../sources/*, paths relative to the case folder) load into the same recording: repr, kwargs,
// gains/offsets, every window; and what we dump relative to the case folder is the fixture's dump.
import { describe, expect, it } from 'vitest';
import { dumpJsonText, type BaseRecording } from '../../src/index.js';
import { load } from '../../src/node.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { fixturePath, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { DIR, withoutNested } from './helpers.js';
import { ELEMENTWISE_CASES } from './elementwise-cases.js';

describe.each(ELEMENTWISE_CASES)('misc/%s dump.json', (c) => {
  it('loads with the same repr, kwargs and windows; its own dump is the fixture\'s', async () => {
    const e = await readFixtureJson(`${DIR}/misc/${c}/expected.json`);
    const path = await fixturePath(`${DIR}/misc/${c}/dump.json`);
    const rec: BaseRecording = await load(path);
    try {
      expect(rec.className).toBe(e.dump_reload.class);
      expect(rec.toString()).toBe(e.dump_reload.repr);
      expect(withoutNested(rec.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
      await expectDescription(rec, { ...e.recording, windows: e.recording.windows.filter((w: any) => !w.error), segment_hashes: [] });
      const folder = path.slice(0, path.lastIndexOf('/'));
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: folder }));
      expect(JSON.parse(text)).toEqual(await readFixtureJson(`${DIR}/misc/${c}/dump.json`));
      // Python floats stay floats: the float kwargs' text is the fixture's (compact there, indented here)
      const floatsText = (t: string) => [...t.replace(/\s+/g, '').matchAll(/"(gain|offset|a_min|a_max|abs_threshold|quantile_threshold|fill_value)":(\[\[[^\]]*\]\]|[^,}]*)/g)].map((m) => m[0]);
      const want = floatsText(await readFixtureText(`${DIR}/misc/${c}/dump.json`));
      expect(floatsText(text)).toEqual(want);
      if (/^(scale|clip|blank)/.test(c)) expect(want.length).toBeGreaterThan(1);
    } finally {
      await rec.close();
    }
  });
});
