// The fixtures' dump.json files (a CommonReferenceRecording over a BinaryRecordingExtractor of
// ../../sources/s16, paths relative to the case folder) load into the same recording: repr, kwargs,
// every window; and what we dump loads back into an equal dict.
import { describe, expect, it } from 'vitest';
import { CommonReferenceRecording, dumpJsonText } from '../../src/index.js';
import { load } from '../../src/node.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { fixturePath, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { COMMON_REFERENCE_CASES, DIR, loadCaseDump, quietly, withoutNested } from './helpers.js';

describe.each(COMMON_REFERENCE_CASES)('common_reference/%s dump.json', (c) => {
  it('loads with the same repr, kwargs and windows; its own dump loads back equal', async () => {
    const { e, rec, dict, folder } = await loadCaseDump(load, 'common_reference', c, CommonReferenceRecording);
    try {
      await expectDescription(rec, { ...e.recording, segment_hashes: [] });
      // dumped relative to the case folder, it is the fixture's dump.json (floats written as Python floats)
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: folder }));
      expect(JSON.parse(text)).toEqual(await readFixtureJson(`${DIR}/common_reference/${c}/dump.json`));
      const raw = (await readFixtureText(`${DIR}/common_reference/${c}/dump.json`)).match(/"local_radius":\[([^\]]*)\]/)![1];
      expect(text.match(/"local_radius": \[([^\]]*)\]/)![1].replace(/\s+/g, '')).toBe(raw);
      const again = await quietly(() => load(JSON.parse(dumpJsonText(dict))));
      try {
        expect(withoutNested(again.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
      } finally {
        await again.close();
      }
    } finally {
      await rec.close();
    }
  });
});

describe('a saved commonReference', () => {
  it('save() writes its traces chunk by chunk; the folder reloads with the same samples and its provenance rebuilds it', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'spikewire-cmr-'));
    const rec = await load(await fixturePath(`${DIR}/common_reference/cmr_global_median/dump.json`));
    try {
      const saved = await rec.save({ folder: join(dir, 'saved'), chunkSize: 3000 });
      try {
        for (let s = 0; s < 2; s++) {
          // no margins: chunked reads equal one read of the whole segment
          expect(Array.from((await saved.getTraces({ segmentIndex: s })).data)).toEqual(Array.from((await rec.getTraces({ segmentIndex: s })).data));
        }
        const provenance = JSON.parse(await readFile(join(dir, 'saved', 'provenance.json'), 'utf8'));
        expect(provenance.class).toBe('spikeinterface.preprocessing.common_reference.CommonReferenceRecording');
        const rebuilt = await load(provenance, { baseFolder: join(dir, 'saved') });
        try {
          expect(rebuilt.toString()).toBe(rec.toString());
        } finally {
          await rebuilt.close();
        }
      } finally {
        await saved.close();
      }
    } finally {
      await rec.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
