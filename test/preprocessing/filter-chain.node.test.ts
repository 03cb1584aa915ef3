// chains/bandpass_cmr_saved: bandpassFilter → commonReference → save(chunkSize 2000). The chain's
// windows and full segment, the saved traces byte for byte (each chunk with its own margins), and
// the fixture's provenance.json / dump.json rebuilding the chain.
import { describe, expect, it } from 'vitest';
import { BandpassFilterRecording, CommonReferenceRecording, bandpassFilter, commonReference } from '../../src/index.js';
import { load } from '../../src/node.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { fixturePath, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, compareFullSegment, loadCaseDump, openSource, quietly, withoutNested } from './helpers.js';

const CASE = 'chains/bandpass_cmr_saved';

/** The fixture's description with its int64 offsets (zeros) as float64 entries, which the helper compares as numbers. */
function numericOffsets(d: any, loaded = false) {
  const asFloat = (entry: any) => ({ ...entry, dtype: '<f8', dtype_name: 'float64', b64: undefined });
  return {
    ...d, segment_hashes: [], channel_offsets: asFloat(d.channel_offsets),
    properties: loaded ? { ...d.properties, offset_to_uV: asFloat(d.properties.offset_to_uV) } : d.properties,
  };
}

describe('chains/bandpass_cmr_saved', () => {
  it('the chain reads as SpikeInterface: windows, full segment, to_dict', async () => {
    const e = await readFixtureJson(`${DIR}/${CASE}/expected.json`);
    const rec = commonReference(bandpassFilter(await openSource('s16')), { reference: 'global', operator: 'median' });
    await expectDescription(rec, numericOffsets(e.recording));
    const full = await compareFullSegment(rec, CASE);
    expect(full.maxAbs).toBe(0);
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
    expect(withoutNested(dict.kwargs.recording as any)).toEqual(withoutNested(e.to_dict.kwargs.recording));
  });

  it('save() writes chunk by chunk with margins: the saved traces are the fixture\'s bytes', async () => {
    const e = await readFixtureJson(`${DIR}/${CASE}/expected.json`);
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'spikewire-filter-'));
    const rec = commonReference(bandpassFilter(await openSource('s16')));
    try {
      const saved = await rec.save({ folder: join(dir, 'saved'), chunkSize: e.save.save_kwargs.chunk_size });
      try {
        for (const s of [0, 1]) {
          const got = new Uint8Array(await readFile(join(dir, 'saved', `traces_cached_seg${s}.raw`)));
          const want = await readFixtureBytes(`${DIR}/${CASE}/saved/traces_cached_seg${s}.raw`);
          expect(got.length).toBe(want.length);
          expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
        }
        expect(saved.toString()).toBe(e.save.loaded.repr);
      } finally {
        await saved.close();
      }
    } finally {
      await rec.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the fixture\'s provenance.json and dump.json rebuild the chain', async () => {
    const e = await readFixtureJson(`${DIR}/${CASE}/expected.json`);
    const { rec } = await loadCaseDump(load, 'chains', 'bandpass_cmr_saved', CommonReferenceRecording);
    try {
      expect((rec as CommonReferenceRecording).parent).toBeInstanceOf(BandpassFilterRecording);
      await expectDescription(rec, numericOffsets(e.recording, true));
    } finally {
      await rec.close();
    }
    const provenance = await readFixtureJson(`${DIR}/${CASE}/saved/provenance.json`);
    const path = await fixturePath(`${DIR}/${CASE}/saved/provenance.json`);
    const rebuilt = await quietly(() => load(provenance, { baseFolder: path.slice(0, path.lastIndexOf('/')) }));
    try {
      expect(rebuilt.toString()).toBe(e.recording.repr);
    } finally {
      await rebuilt.close();
    }
  });
});
