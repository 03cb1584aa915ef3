// The fixtures' dump.json files of the detect-and-… recordings reload with their stored bad
// channels (no detection runs), into the same samples; removal drops the stored labels, as
// SpikeInterface's reload does; what we dump relative to the case folder is the fixture's dump
// (but those labels).
import { describe, expect, it } from 'vitest';
import { DetectAndInterpolateBadChannelsRecording, DetectAndRemoveBadChannelsRecording, dumpJsonText, type BaseRecording } from '../../src/index.js';
import { load } from '../../src/node.js';
import { fixturePath, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { expectCase, numericKwargsText } from './case-check.js';
import { DIR, quietly } from './helpers.js';

const CASES: [string, abstract new (...args: never[]) => BaseRecording, string[]][] = [
  ['detect_and_remove_bad_channels_mad', DetectAndRemoveBadChannelsRecording, ['channel_labels']],
  ['detect_and_interpolate_bad_channels_cpsd', DetectAndInterpolateBadChannelsRecording, []],
];

describe.each(CASES)('stats_based/%s dump.json', (c, cls, dropped) => {
  it('reloads with its stored bad channels into the same recording', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${c}/expected.json`);
    const path = await fixturePath(`${DIR}/stats_based/${c}/dump.json`);
    const rec: BaseRecording = await quietly(() => load(path));
    try {
      expect(rec).toBeInstanceOf(cls);
      expect(e.dump_reload.ok).toBe(true);
      expect(rec.toString()).toBe(e.dump_reload.repr);
      await expectCase(rec, 'stats_based', c, { exact: true, missingKwargs: dropped });
      const dump = await readFixtureJson(`${DIR}/stats_based/${c}/dump.json`);
      for (const key of dropped) delete dump.kwargs[key];
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: path.slice(0, path.lastIndexOf('/')) }));
      expect(JSON.parse(text)).toEqual(dump);
      expect(numericKwargsText(text)).toEqual(numericKwargsText(await readFixtureText(`${DIR}/stats_based/${c}/dump.json`)));
    } finally {
      await rec.close();
    }
  });
});
