// SpikeGLX recordings travel as SpikeInterface's dicts: load() of the fixture's dumps
// (dump_to_json(relative_to=<dataset folder>)) rebuilds the recording with the same samples, and
// load() of our own dict does too. Opening reads the .meta files and nothing of the .bin files.
import { describe, expect, it } from 'vitest';
import { load, loadFromDict, readSpikeglx } from '../../src/index.js';
import { openFolder } from '../../src/store/open-folder.js';
import { decodeArrayEntry, fixturePath, inBrowser, readFixtureJson, readFixtureText, sha256Hex } from '../helpers/fixtures.js';
import { bytesOf } from '../helpers/describe-recording.js';
import { pickedFiles, readFixtureFolder, spyFolder } from '../helpers/folders.js';
import { rangeServerUrl } from '../helpers/http.js';
import { MAIN_KIND, folderInput } from './spikeglx-source.js';

const DATASETS = ['np1_ap_lf', 'np2_4shank', 'np1_subset', 'nidq_2triggers'];

describe.each(DATASETS)('spikeglx/%s round trips', (dataset) => {
  const base = `acquisition/spikeglx/${dataset}`;

  it('loads the fixture dumps of every stream', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    // Node: the dataset folder on disk; browser: the same folder on the local HTTP server
    const baseFolder = inBrowser ? `${await rangeServerUrl()}/index/${base}` : await fixturePath(base);
    for (const [streamId, s] of Object.entries<any>(expected.streams)) {
      expect(s.reload_from_dump.ok).toBe(true);
      const text = await readFixtureText(`${base}/${s.dump_relative_file}`);
      const dict = JSON.parse(text);
      expect(dict.kwargs).toEqual(s.dump_relative_kwargs);
      const rec = await load(text, { baseFolder });
      try {
        expect(rec.className).toBe('SpikeGLXRecordingExtractor');
        expect(rec.toString()).toBe(s.reload_from_dump.repr);
        expect(rec.getChannelIds()).toEqual(decodeArrayEntry(s.recording.channel_ids).flat);
        expect(rec.hasProbe()).toBe(s.recording.has_probe);
        for (let i = 0; i < s.recording.segment_hashes.length; i++) {
          const raw = await rec.getTraces({ segmentIndex: i });
          expect(await sha256Hex(bytesOf(raw.data)), streamId).toBe(s.recording.segment_hashes[i].raw_sha256);
        }
      } finally {
        await rec.close();
      }
    }
  });

  it('rebuilds itself from its own dict', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const [streamId, s] = Object.entries<any>(expected.streams)[0];
    const input = (await folderInput(`${base}/${expected.folder_path}`, inBrowser ? 'http-index' : MAIN_KIND)) as string;
    const rec = await readSpikeglx(input, { streamId });
    const again = await loadFromDict(rec.toDict());
    try {
      expect(again.getChannelIds()).toEqual(rec.getChannelIds());
      expect(again.getPropertyKeys()).toEqual(rec.getPropertyKeys());
      const raw = await again.getTraces({ segmentIndex: 0 });
      expect(await sha256Hex(bytesOf(raw.data))).toBe(s.recording.segment_hashes[0].raw_sha256);
    } finally {
      await rec.close();
      await again.close();
    }
  });

  it('reads only the .meta files when opening, and only the frames asked for', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const files = await readFixtureFolder(`${base}/${expected.folder_path}`);
    const reader = spyFolder(openFolder(pickedFiles('run', files)));
    const streamId = Object.keys(expected.streams)[0];
    const rec = await readSpikeglx(reader, { streamId });
    const bins = () => reader.opened.filter((s) => s.name.endsWith('.bin'));
    const metas = reader.opened.filter((s) => s.name.endsWith('.meta'));
    try {
      // every .meta read once whole (the AP one again for the probe) and closed; no .bin byte read
      expect(metas.length).toBeGreaterThan(0);
      for (const m of metas) expect(m.reads).toEqual([[0, m.size]]);
      expect(bins().length).toBe([...files.keys()].filter((f) => f.endsWith('.bin')).length);
      expect(bins().every((s) => s.bytesRead === 0)).toBe(true);
      // the streams not read are closed at once
      expect(bins().filter((s) => s.closed === 0).length).toBe(rec.getNumSegments());
      await rec.getTraces({ segmentIndex: 0, startFrame: 1, endFrame: 3 });
      const numSaved = rec.getNumChannels() + (streamId.startsWith('imec') ? 1 : 0);
      expect(bins().reduce((n, s) => n + s.bytesRead, 0)).toBe(2 * numSaved * 2);
    } finally {
      await rec.close();
    }
    expect(reader.opened.every((s) => s.closed === 1)).toBe(true);
  });
});
