// readOpenephys on folders on disk: toDict with the absolute folder_path, dump_to_json relative to
// the dataset folder (the fixture's dumps/), load() of those dumps, save() compared file by file with
// SpikeInterface's saved_<stream>/ folder, and dicts that still carry load_sync_channel.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { filesUnder } from '../helpers/saved-folders.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { load, readOpenephys } from '../../src/node.js';
import { parsePythonJson } from '../../src/python/pyjson.js';
import { bytesOf } from '../helpers/describe-recording.js';
import { fixturePath, readFixtureText, sha256Hex } from '../helpers/fixtures.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { DATASETS, GENERATED, expected, optsOf, streamsOf, withRec } from './openephys-shared.js';

const work = await mkdtemp(join(tmpdir(), 'spikewire-openephys-'));
afterAll(() => rm(work, { recursive: true, force: true }));

/** The files (not the folders) under `dir`. */
const fileNamesUnder = async (dir: string) => (await filesUnder(dir)).filter((f) => !f.endsWith('/'));

describe.each(DATASETS)('Open Ephys %s on disk', (ds) => {
  it.each(streamsOf(ds))('%s: kwargs, dump relative to the dataset folder, load of the fixture dump', { timeout: 60_000 }, async (_key, opts, s) => {
    const dataset = await fixturePath(`acquisition/openephys/${ds}`);
    await withRec(readOpenephys(`${dataset}/data`, opts), async (rec) => {
      expect(rec.getKwargs()).toEqual({ ...s.to_dict.kwargs, folder_path: `${dataset}/data` });
      expect(s.to_dict.kwargs.folder_path).toBe(`${GENERATED(ds)}/data`);
      const path = join(work, `${ds}-${s.dump_relative_file.split('/').pop()}`);
      await rec.dumpToJson(path, { relativeTo: dataset });
      const ours = JSON.parse(await readFile(path, 'utf8'));
      const theirs = JSON.parse(await readFixtureText(`acquisition/openephys/${ds}/${s.dump_relative_file}`));
      expect(ours).toEqual(theirs);
      expect(ours.kwargs).toEqual(s.dump_relative_kwargs);
      // load() of SpikeInterface's own dump, relative to the dataset folder
      const reloaded = await load(await fixturePath(`acquisition/openephys/${ds}/${s.dump_relative_file}`), { baseFolder: dataset });
      try {
        expect(s.reload_from_dump.ok).toBe(true);
        expect(reloaded.toString()).toBe(s.reload_from_dump.repr);
        expect(reloaded.getChannelIds()).toEqual(rec.getChannelIds());
        for (let i = 0; i < rec.getNumSegments(); i++) {
          expect(bytesOf((await reloaded.getTraces({ segmentIndex: i })).data)).toEqual(bytesOf((await rec.getTraces({ segmentIndex: i })).data));
        }
      } finally {
        await reloaded.close();
      }
    });
  });

  it('save() writes the folder SpikeInterface wrote', async () => {
    const save = expected[ds].save;
    const s = expected[ds].streams[save.stream];
    const fixture = await fixturePath(`acquisition/openephys/${ds}/${save.folder}`);
    await withRec(readOpenephys(await fixturePath(`acquisition/openephys/${ds}/data`), optsOf(s)), async (rec) => {
      const folder = join(work, save.folder);
      const saved = await rec.save({ folder });
      try {
        const theirs = await fileNamesUnder(fixture);
        expect(await fileNamesUnder(folder)).toEqual(theirs);
        expect(theirs).toEqual(save.files.map((f: any) => f.path).sort());
        for (const file of theirs) {
          const [a, b] = await Promise.all([readFile(join(folder, file)), readFile(join(fixture, file))]);
          if (file.endsWith('.json')) {
            // provenance.json holds the recording's folder_path: where the data lies differs
            const strip = (j: any) => (j.kwargs ? { ...j, kwargs: { ...j.kwargs, folder_path: null } } : j);
            expect(strip(parsePythonJson(a.toString('utf8'))), file).toEqual(strip(parsePythonJson(b.toString('utf8'))));
          } else {
            expect(await sha256Hex(a), file).toBe(await sha256Hex(b));
          }
        }
        expect(saved.toString()).toBe(save.loaded.repr);
        expect(saved.getChannelIds()).toEqual(save.loaded.channel_ids);
        for (let i = 0; i < saved.getNumSegments(); i++) {
          expect(bytesOf((await saved.getTraces({ segmentIndex: i })).data)).toEqual(bytesOf((await rec.getTraces({ segmentIndex: i })).data));
        }
      } finally {
        await saved.close();
      }
    });
  });

  it('save() with worker threads: each worker reopens the folder from the dict', { timeout: 60_000 }, async () => {
    const save = expected[ds].save;
    const s = expected[ds].streams[save.stream];
    await withRec(readOpenephys(await fixturePath(`acquisition/openephys/${ds}/data`), { ...optsOf(s), loadSyncTimestamps: ds === 'np1_pxi_nidaq' }), async (rec) => {
      expect(rec.isSerializable()).toBe(true);
      const saved = await rec.save({ folder: join(work, `${save.folder}-jobs`), nJobs: 2, chunkSize: 37 });
      try {
        for (let i = 0; i < saved.getNumSegments(); i++) {
          expect(bytesOf((await saved.getTraces({ segmentIndex: i })).data)).toEqual(bytesOf((await rec.getTraces({ segmentIndex: i })).data));
          expect(Array.from(await saved.getTimes(i))).toEqual(Array.from(await rec.getTimes(i)));
        }
      } finally {
        await saved.close();
      }
    });
  });

  it('loads a dict with load_sync_channel from an older version, refuses it from this one', async () => {
    const cases = expected[ds].load_sync_channel;
    const [, , s] = streamsOf(ds)[0];
    await withRec(readOpenephys(await fixturePath(`acquisition/openephys/${ds}/data`), optsOf(s)), async (rec) => {
      const dict: any = rec.toDict();
      dict.kwargs.load_sync_channel = false;
      const same = cases['load(to_dict with kwargs.load_sync_channel=False, version=same_version)'];
      expect(same.error.error).toBe('TypeError');
      await expectCodeAsync(load(dict), 'INVALID_ARGUMENT', /unexpected keyword argument "load_sync_channel"/);
      const old = cases['load(to_dict with kwargs.load_sync_channel=False, version=0.102.3)'];
      const reloaded = await load({ ...dict, version: '0.102.3' });
      try {
        expect(reloaded.toString()).toBe(old.repr);
        expect({ ...reloaded.getKwargs(), folder_path: `${GENERATED(ds)}/data` }).toEqual(old.kwargs_after_load);
      } finally {
        await reloaded.close();
      }
    });
  });
});

describe('Open Ephys folders given at any level', () => {
  it('reads the same stream from the root, the record node, the experiment and the recording folder', { timeout: 60_000 }, async () => {
    const s = expected.np1_pxi_nidaq.streams['Record Node 101#Neuropix-PXI-100.ProbeA-AP'];
    const root = await fixturePath('acquisition/openephys/np1_pxi_nidaq/data');
    const node = `${root}/Record Node 101`;
    for (const [folder, segments] of [[root, 2], [node, 2], [`${node}/experiment1`, 2], [`${node}/experiment1/recording2`, 1]] as const) {
      // the record node's name comes from the path on disk, whatever the level
      await withRec(readOpenephys(folder, { streamName: s.recording.stream_name, loadSyncTimestamps: true }), async (rec) => {
        expect(rec.getNumSegments(), folder).toBe(segments);
        expect(rec.getChannelIds()).toEqual(s.recording.channel_ids.data);
        const last = s.recording.segment_hashes[1];
        expect(await sha256Hex(bytesOf((await rec.getTraces({ segmentIndex: segments - 1 })).data))).toBe(last.raw_sha256);
        expect(rec.getStartTime(segments - 1)).toBe(s.load_sync_timestamps_true.segments[1].start_time);
        expect(rec.hasTimeVector(segments - 1)).toBe(true);
        // settings.xml lies in the record node folder: from a level below, it is outside the folder given
        expect(rec.hasProbe(), folder).toBe(folder === root || folder === node);
      });
    }
  });
});
