// readOpenephys against what SpikeInterface 0.105 / neo 0.15 returned for the Open Ephys fixtures
// (acquisition/openephys/<dataset>/expected.json): every stream of every experiment, read from picked
// files, a directory handle and an HTTP folder (with a file listing, and from index pages), compared
// with the recording descriptions (ids, properties, gains, times, every window raw and in µV,
// segment hashes), plus stream discovery, the options SpikeInterface refuses, all_annotations and
// load_sync_timestamps.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OpenEphysBinaryRecordingExtractor,
  getOpenephysNumBlocks,
  getOpenephysStreams,
  load,
  readOpenephys,
  type BaseRecording,
  type ReadOpenephysOptions,
} from '../../src/index.js';
import type { FolderInput } from '../../src/store/open-folder.js';
import { bytesOf, expectDescription } from '../helpers/describe-recording.js';
import { decodeArrayEntry, readFixtureJson, readFixtureText, sha256Hex } from '../helpers/fixtures.js';
import { memoryDirectoryHandle, pickedFiles, readFixtureFolder, spyFolder, type FolderFiles } from '../helpers/folders.js';
import { openFolder } from '../../src/store/open-folder.js';
import { rangeServerUrl } from '../helpers/http.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { DATASETS, GENERATED, expected, streamsOf, withRec } from './openephys-shared.js';

const dataRel = (ds: string) => `acquisition/openephys/${ds}/data`;
const GENERATED_DATA = (ds: string) => `${GENERATED(ds)}/data`;

const files: Record<string, FolderFiles> = {};
for (const ds of DATASETS) files[ds] = await readFixtureFolder(dataRel(ds));
let server = '';
beforeAll(async () => {
  server = await rangeServerUrl();
});

const urlOf = (mode: 'range' | 'index', ds: string) => `${server}/${mode}/${dataRel(ds).split('/').map(encodeURIComponent).join('/')}/`;

/** The folder given four ways; `folderName` is what the reader reports as folder_path / file_origin. */
function inputs(ds: string): { label: string; input: FolderInput; opts?: ReadOpenephysOptions }[] {
  const f = files[ds];
  return [
    { label: 'picked files', input: pickedFiles('data', f) },
    { label: 'directory handle', input: memoryDirectoryHandle('data', f) as never },
    { label: 'HTTP folder with a file listing', input: urlOf('range', ds), opts: { files: [...f.keys()] } },
    { label: 'HTTP folder with index pages', input: urlOf('index', ds) },
  ];
}

/** A dict with typed arrays as plain lists (as its JSON would have them). */
function plain(value: unknown): any {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** The full segment hashes of a description, raw. */
async function expectHashes(rec: BaseRecording, hashes: any[]) {
  for (let i = 0; i < hashes.length; i++) {
    const raw = await rec.getTraces({ segmentIndex: i });
    expect(raw.shape).toEqual(hashes[i].raw_shape);
    expect(await sha256Hex(bytesOf(raw.data))).toBe(hashes[i].raw_sha256);
  }
}

describe.each(DATASETS)('readOpenephys(%s)', (ds) => {
  it('lists the streams, experiments and blocks SpikeInterface lists', async () => {
    const e = expected[ds];
    const input = pickedFiles('data', files[ds]);
    expect(await getOpenephysStreams(input)).toEqual({ streamNames: e.get_neo_streams.stream_names, streamIds: e.get_neo_streams.stream_ids });
    expect(await OpenEphysBinaryRecordingExtractor.getAvailableExperiments(input)).toEqual(e.get_available_experiments);
    expect(await getOpenephysNumBlocks(input)).toBe(e.get_neo_num_blocks);
  });

  it('refuses to guess a stream or an experiment, as SpikeInterface', async () => {
    const e = expected[ds];
    const input = pickedFiles('data', files[ds]);
    const err = await expectCodeAsync(readOpenephys(input), 'INVALID_ARGUMENT');
    // SpikeInterface's message, with our option names and plain strings for numpy's np.str_(...)
    const theirs = e.read_without_stream.error.message
      .replace(/np\.str_\(('[^']*')\)/g, '$1')
      .replace("'experiment_name' parameter", "'experimentName' option")
      .replace("experiment_name='", "experimentName: '")
      .replace("'stream_name' or 'stream_id' arguments", "'streamName' or 'streamId' arguments");
    expect(err.message).toBe(theirs);
    const both = await expectCodeAsync(readOpenephys(input, { experimentName: 'experiment1', blockIndex: 0 }), 'INVALID_ARGUMENT');
    expect(both.message).toMatch(/Cannot specify both 'experimentName' and 'blockIndex'/);
    await expectCodeAsync(readOpenephys(input, { loadSyncChannel: true } as never), 'INVALID_ARGUMENT', /unexpected option "loadSyncChannel"/);
  });

  it.each(streamsOf(ds))('%s: the recording SpikeInterface describes', { timeout: 60_000 }, async (_key, opts, s) => {
    await withRec(readOpenephys(pickedFiles('data', files[ds]), opts), async (rec) => {
      expect(s.warnings).toEqual([]);
      expect(rec).toBeInstanceOf(OpenEphysBinaryRecordingExtractor);
      const oe = rec as OpenEphysBinaryRecordingExtractor;
      expect([oe.streamId, oe.streamName, oe.blockIndex]).toEqual([s.recording.stream_id, s.recording.stream_name, s.recording.block_index]);
      // The stored probegroup is a file of the dataset (written once per distinct probe)
      const description = { ...s.recording };
      if (description.probegroup?.file) {
        expect(description.probegroup.to_dict_equals_file_probes).toBe(true);
        description.probegroup = { probes: (await readFixtureJson(`acquisition/openephys/${ds}/${description.probegroup.file}`)).probes };
      }
      await expectDescription(rec, description);
      // toDict: SpikeInterface's class and kwargs (folder_path is where the folder is here)
      const dict = rec.toDict();
      const want = structuredClone(s.to_dict);
      expect(want.kwargs.folder_path).toBe(GENERATED_DATA(ds));
      want.kwargs.folder_path = 'data';
      if (want.probegroup) {
        const probeFile = await readFixtureJson(`acquisition/openephys/${ds}/${want.probegroup.$see_probe_file}`);
        want.probegroup = { probes: probeFile.probes };
      }
      const got = plain(dict);
      if (got.probegroup) got.probegroup = { probes: got.probegroup.probes };
      expect(got).toEqual(JSON.parse(JSON.stringify(want)));
    });
  });

  it.each(streamsOf(ds))('%s: the same stream by id; from a directory handle and over HTTP', async (_key, opts, s) => {
    const byId = { ...opts, streamName: undefined, streamId: s.read_by_stream_id.stream_id };
    await withRec(readOpenephys(pickedFiles('data', files[ds]), byId), async (rec) => {
      expect(rec.getChannelIds()).toEqual(s.recording.channel_ids.data);
      expect(rec.getKwargs().stream_id).toBe(s.read_by_stream_id.stream_id);
    });
    for (const { label, input, opts: more } of inputs(ds).slice(1)) {
      await withRec(readOpenephys(input, { ...opts, ...more }), async (rec) => {
        expect(rec.getChannelIds(), label).toEqual(s.recording.channel_ids.data);
        expect(rec.getNumSamples(0), label).toBe(s.recording.segments[0].num_samples);
        expect(rec.getStartTime(0), label).toBe(s.recording.segments[0].start_time);
        await expectHashes(rec, s.recording.segment_hashes);
      });
    }
  });

  it.each(streamsOf(ds))('%s: load() of the fixture dump, its folder on an HTTP server', { timeout: 60_000 }, async (_key, _opts, s) => {
    const dict = JSON.parse(await readFixtureText(`acquisition/openephys/${ds}/${s.dump_relative_file}`));
    expect(dict.relative_paths).toBe(true);
    expect(dict.kwargs.folder_path).toBe('data');
    // the dataset folder on the range server is the base: 'data' relative to it is the served data folder
    const datasetUrl = urlOf('index', ds).replace(/data\/$/, '');
    await withRec(load(dict, { baseFolder: datasetUrl }), async (rec) => {
      expect(rec.toString()).toBe(s.reload_from_dump.repr);
      expect(rec.getChannelIds()).toEqual(s.recording.channel_ids.data);
      await expectHashes(rec, s.recording.segment_hashes);
    });
  });

  it.each(streamsOf(ds))('%s: allAnnotations', async (_key, opts, s) => {
    const a = s.all_annotations_true;
    const call = readOpenephys(pickedFiles('data', files[ds]), { ...opts, allAnnotations: true });
    if (a.error) {
      const err = await expectCodeAsync(call, 'UNSUPPORTED');
      expect(err.message).toContain(a.error.message);
      return;
    }
    await withRec(call, async (rec) => {
      const annotations = Object.fromEntries(rec.getAnnotationKeys().map((k) => [k, rec.getAnnotation(k)]));
      expect(annotations).toEqual({ ...a.annotations, file_origin: 'data' });
      expect(a.annotations.file_origin).toBe(GENERATED_DATA(ds));
      for (const key of a.extra_property_keys) {
        const entry = a.extra_properties[key];
        expect(rec.getPropertyColumn(key)!.dtype, key).toBe(entry.dtype);
        expect(rec.getProperty(key), key).toEqual(decodeArrayEntry(entry).flat);
      }
      expect(rec.getKwargs().all_annotations).toBe(true);
    });
  });

  it.each(streamsOf(ds).filter(([, , s]) => s.load_sync_timestamps_true))('%s: loadSyncTimestamps', async (_key, opts, s) => {
    const l = s.load_sync_timestamps_true;
    await withRec(readOpenephys(pickedFiles('data', files[ds]), { ...opts, loadSyncTimestamps: true }), async (rec) => {
      l.segments.forEach((seg: any, i: number) => {
        expect(rec.hasTimeVector(i)).toBe(seg.has_time_vector);
        expect(rec.getStartTime(i)).toBe(seg.start_time);
        expect(rec.getEndTime(i)).toBe(seg.end_time);
      });
      for (let i = 0; i < l.segments.length; i++) {
        const times = await rec.getTimes(i);
        expect(Array.from(times.subarray(0, 5))).toEqual(decodeArrayEntry(l.segments[i].times_head).flat);
        expect(await sha256Hex(bytesOf(times))).toBe(l.segments[i].times_sha256);
      }
      expect({ ...rec.getKwargs(), folder_path: GENERATED_DATA(ds) }).toEqual(l.to_dict_kwargs);
    });
  });
});

describe('readOpenephys: experiments (acq_board_2exp)', () => {
  const ds = 'acq_board_2exp';

  it('reads experiment2 by name as SpikeInterface does (block 1)', async () => {
    const e = expected[ds].read_experiment_name_experiment2;
    const streamName = 'Record Node 102#Acquisition_Board-100.Rhythm Data';
    await withRec(readOpenephys(pickedFiles('data', files[ds]), { experimentName: 'experiment2', streamName }), async (rec) => {
      expect(rec.toString()).toBe(e.summary.repr);
      expect(rec.getChannelIds()).toEqual(e.summary.channel_ids);
      expect(Array.from({ length: rec.getNumSegments() }, (_, i) => rec.getStartTime(i))).toEqual(e.summary.start_times);
      expect(Object.fromEntries(rec.getAnnotationKeys().map((k) => [k, rec.getAnnotation(k)]))).toEqual(e.summary.annotations);
      expect(rec.getPropertyKeys()).toEqual(e.summary.property_keys);
      // SpikeInterface records block_index 0 beside experiment_name (the one experiment kept is block
      // 0), and then refuses that dict, as both are given: so does spikewire
      expect(rec.getKwargs()).toMatchObject({ block_index: 0, experiment_name: 'experiment2' });
      await expectCodeAsync(load(rec.toDict()), 'INVALID_ARGUMENT', /Cannot specify both/);
      await withRec(readOpenephys(pickedFiles('data', files[ds]), { blockIndex: 1, streamName }), async (block1) => {
        expect(e.same_traces_as_block1).toBe(true);
        for (let i = 0; i < rec.getNumSegments(); i++) {
          expect(bytesOf((await rec.getTraces({ segmentIndex: i })).data)).toEqual(bytesOf((await block1.getTraces({ segmentIndex: i })).data));
        }
      });
    });
  });

  it('refuses an unknown experiment with the names it has', async () => {
    const e = expected[ds].read_unknown_experiment_name.error;
    const err = await expectCodeAsync(readOpenephys(pickedFiles('data', files[ds]), { experimentName: 'experiment9' }), 'INVALID_ARGUMENT');
    expect(err.message).toBe(e.message.replace(/np\.str_\(('[^']*')\)/g, '$1').replace('experiment_name', 'experimentName'));
    await expectCodeAsync(readOpenephys(pickedFiles('data', files[ds]), { blockIndex: 2, streamId: '0' }), 'INVALID_ARGUMENT', /blockIndex 2 is out of range/);
  });
});

describe('readOpenephys: lazy reads', () => {
  it('opens without reading continuous.dat, then reads only the frames a window needs', async () => {
    const reader = spyFolder(openFolder(pickedFiles('data', files.np1_pxi_nidaq)));
    const streamName = 'Record Node 101#Neuropix-PXI-100.ProbeA-APSYNC';
    await withRec(readOpenephys(reader, { streamName }), async (rec) => {
      const dats = reader.opened.filter((s) => s.name.endsWith('continuous.dat'));
      expect(dats.length).toBe(2);
      expect(dats.map((d) => d.bytesRead)).toEqual([0, 0]);
      // the SYNC stream is the last of the 385 interleaved int16 columns
      await rec.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 106 });
      expect(dats[0].bytesRead).toBe(0);
      expect(dats[1].bytesRead).toBe(6 * 385 * 2);
      expect(dats[1].reads[0][0]).toBe(100 * 385 * 2);
    });
    expect(reader.opened.filter((s) => s.name.endsWith('continuous.dat')).every((s) => s.closed > 0)).toBe(true);
  });
});
