// save() of a SpikeGLX stream writes what SpikeInterface's rec.save() wrote (saved_<stream>/ of
// each dataset): the same files, the same JSON values (paths aside), byte-identical .raw and .npy.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSpikeglx } from '../../src/node.js';
import { parsePythonJson } from '../../src/python/pyjson.js';
import { filesUnder, withoutPaths } from '../helpers/saved-folders.js';
import { fixturePath, readFixtureJson, sha256Hex } from '../helpers/fixtures.js';

const DATASETS = ['np1_ap_lf', 'np2_4shank', 'np1_subset', 'nidq_2triggers'];
const work = await mkdtemp(join(tmpdir(), 'spikewire-spikeglx-save-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe.each(DATASETS)('save() of spikeglx/%s', (dataset) => {
  it('writes the folder SpikeInterface wrote', async () => {
    const base = `acquisition/spikeglx/${dataset}`;
    const expected = await readFixtureJson(`${base}/expected.json`);
    const rec = await readSpikeglx(await fixturePath(`${base}/${expected.folder_path}`), { streamId: expected.save.stream_id });
    const folder = join(work, dataset);
    const saved = await rec.save({ folder });
    try {
      const fixture = await fixturePath(`${base}/${expected.save.folder}`);
      const ours = (await filesUnder(folder)).filter((f) => !f.endsWith('/'));
      const theirs = (await filesUnder(fixture)).filter((f) => !f.endsWith('/'));
      expect(ours).toEqual(theirs);
      expect(theirs).toEqual(expected.save.files.map((f: any) => f.path).sort());
      for (const file of theirs) {
        const [a, b] = await Promise.all([readFile(join(folder, file)), readFile(join(fixture, file))]);
        if (file.endsWith('.json')) {
          expect(withoutPaths(parsePythonJson(a.toString('utf8'))), file).toEqual(withoutPaths(parsePythonJson(b.toString('utf8'))));
        } else {
          expect(await sha256Hex(a), file).toBe(await sha256Hex(b));
        }
      }
      expect(saved.toString()).toBe(expected.save.save_return.repr);
    } finally {
      await saved.close();
      await rec.close();
    }
  });

  it('saves with worker threads, which reopen the folder from the dict', async () => {
    const base = `acquisition/spikeglx/${dataset}`;
    const expected = await readFixtureJson(`${base}/expected.json`);
    const rec = await readSpikeglx(await fixturePath(`${base}/${expected.folder_path}`), { streamId: expected.save.stream_id });
    const folder = join(work, `${dataset}-jobs`);
    const saved = await rec.save({ folder, nJobs: 2, chunkSize: 7 });
    try {
      const fixture = await fixturePath(`${base}/${expected.save.folder}`);
      for (let i = 0; i < rec.getNumSegments(); i++) {
        const [a, b] = await Promise.all([readFile(join(folder, `traces_cached_seg${i}.raw`)), readFile(join(fixture, `traces_cached_seg${i}.raw`))]);
        expect(await sha256Hex(a)).toBe(await sha256Hex(b));
      }
    } finally {
      await saved.close();
      await rec.close();
    }
  });
});
