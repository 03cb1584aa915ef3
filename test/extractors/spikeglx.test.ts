// readSpikeglx against what SpikeInterface 0.105 / neo 0.15 / ProbeInterface returned for every
// dataset and stream of the SpikeGLX acquisition fixtures: ids, gains, offsets, properties,
// annotations, times, every window raw and in µV, segment hashes, the probe, toDict, and the stream
// list; from a path (Node), picked files, a directory handle and over HTTP.
import { describe, expect, it } from 'vitest';
import { getNeoNumBlocks, getNeoStreams, getSpikeglxStreams, loadFromDict, readSpikeglx, SpikeGLXRecordingExtractor, type BaseRecording } from '../../src/index.js';
import { decodeArrayEntry, inBrowser, readFixtureJson, readFixtureText, sha256Hex } from '../helpers/fixtures.js';
import { bytesOf, expectDescription } from '../helpers/describe-recording.js';
import { MAIN_KIND, SOURCE_KINDS, folderInput } from './spikeglx-source.js';

const DATASETS = ['np1_ap_lf', 'np2_4shank', 'np1_subset', 'nidq_2triggers'];
const GENERATED_ROOT = '/home/user/si-fixtures/acquisition';

/** A value with typed arrays as plain arrays, as JSON shows it. */
const plain = (v: unknown): any => JSON.parse(JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x)));

/** Opens a dataset's folder as `kind` (an HTTP folder with a listing passes it as the `files` option). */
async function open(dataset: string, kind: string, opts: Record<string, unknown> = {}): Promise<SpikeGLXRecordingExtractor> {
  const expected = await readFixtureJson(`acquisition/spikeglx/${dataset}/expected.json`);
  const input = (await folderInput(`acquisition/spikeglx/${dataset}/${expected.folder_path}`, kind as never)) as any;
  if (input && typeof input === 'object' && 'url' in input) return readSpikeglx(input.url, { ...opts, files: input.files });
  return readSpikeglx(input, opts);
}

/** The probe part of a fixture description: has_probe, locations, the probe file, the global wiring. */
async function expectProbe(rec: BaseRecording, d: any, base: string) {
  expect(rec.hasProbe()).toBe(d.has_probe);
  if (!d.has_probe) return;
  expect(Array.from(rec.getChannelLocations())).toEqual(Array.from(decodeArrayEntry(d.channel_locations).values as Float64Array));
  const file = JSON.parse(await readFixtureText(`${base}/${d.probegroup.file}`));
  expect(d.probegroup.to_dict_equals_file_probes).toBe(true);
  expect(JSON.parse(JSON.stringify(rec.getProbegroup().toDict().probes))).toEqual(file.probes);
  expect(rec.getProbegroup().getGlobalDeviceChannelIndices().deviceChannelIndices).toEqual(d.probegroup_global_device_channel_indices);
}

describe.each(DATASETS)('readSpikeglx spikeglx/%s', (dataset) => {
  const base = `acquisition/spikeglx/${dataset}`;

  it('lists the streams as get_neo_streams', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    for (const kind of SOURCE_KINDS) {
      const input = (await folderInput(`${base}/${expected.folder_path}`, kind)) as any;
      const got = input && typeof input === 'object' && 'url' in input ? await getSpikeglxStreams(input.url, { files: input.files }) : await getSpikeglxStreams(input);
      expect(got, kind).toEqual({ streamNames: expected.get_neo_streams.stream_names, streamIds: expected.get_neo_streams.stream_ids });
    }
    // the same through getNeoStreams('spikeglx', ...) and one neo block
    const input = (await folderInput(`${base}/${expected.folder_path}`, MAIN_KIND)) as any;
    expect(await getNeoStreams('spikeglx', input)).toEqual({ streamNames: expected.get_neo_streams.stream_names, streamIds: expected.get_neo_streams.stream_ids });
    expect(await getNeoNumBlocks('spikeglx', await folderInput(`${base}/${expected.folder_path}`, MAIN_KIND) as any)).toBe(expected.get_neo_num_blocks);
    await expect(getNeoStreams('blackrock' as never, input)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses to choose among several streams', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    if (expected.read_without_stream_id.error === null) return;
    const error = await open(dataset, MAIN_KIND).then(() => null, (e: Error) => e);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    // SpikeInterface's message, in our option names
    expect(error!.message).toBe(expected.read_without_stream_id.error.message.replace("'stream_name' or 'stream_id'", "'streamName' or 'streamId'"));
  });

  it('reads every stream as SpikeInterface did', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    for (const [streamId, s] of Object.entries<any>(expected.streams)) {
      const rec = await open(dataset, MAIN_KIND, { streamId });
      try {
        expect(rec.streamId).toBe(streamId);
        expect(s.recording.stream_id).toBe(streamId);
        await expectDescription(rec, s.recording, { probe: false });
        await expectProbe(rec, s.recording, base);
        expect(s.warnings).toEqual([]);
      } finally {
        await rec.close();
      }
    }
  });

  it('gives SpikeInterface\'s dict (toDict) for every stream', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    for (const [streamId, s] of Object.entries<any>(expected.streams)) {
      const rec = await open(dataset, MAIN_KIND, { streamId });
      try {
        const dict = rec.toDict() as any;
        const want = structuredClone(s.to_dict);
        expect(want.kwargs.folder_path).toBe(expected.folder_path_abs);
        want.kwargs.folder_path = dict.kwargs.folder_path;
        expect(dict.kwargs.folder_path.endsWith(expected.folder_path.split('/').pop())).toBe(true);
        const probeFile = want.probegroup?.$see_probe_file;
        delete want.probegroup;
        const probegroup = dict.probegroup;
        delete dict.probegroup;
        expect(plain(dict)).toEqual(want);
        if (probeFile) expect(JSON.parse(JSON.stringify(probegroup.probes))).toEqual(JSON.parse(await readFixtureText(`${base}/${probeFile}`)).probes);
        else expect(probegroup).toBeUndefined();
      } finally {
        await rec.close();
      }
    }
  });

  it('adds neo\'s annotations with allAnnotations and takes names as ids with useNamesAsIds', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    for (const [streamId, s] of Object.entries<any>(expected.streams)) {
      const rec = await open(dataset, MAIN_KIND, { streamId, allAnnotations: true });
      try {
        const want = structuredClone(s.all_annotations_true.annotations);
        const annotations = Object.fromEntries(rec.getAnnotationKeys().map((k) => [k, rec.getAnnotation(k)]));
        expect(want.file_origin).toBe(expected.folder_path_abs);
        want.file_origin = annotations.file_origin;
        expect(annotations).toEqual(want);
        for (const key of s.all_annotations_true.extra_property_keys) {
          const entry = s.all_annotations_true.extra_properties[key];
          expect(rec.getPropertyColumn(key)!.dtype).toBe(entry.dtype);
          expect(rec.getProperty(key)).toEqual(entry.data);
        }
        expect((rec.toDict() as any).kwargs.all_annotations).toBe(true);
      } finally {
        await rec.close();
      }
      const named = await open(dataset, MAIN_KIND, { streamId, useNamesAsIds: true });
      try {
        expect(named.getChannelIds()).toEqual(s.use_names_as_ids_true.channel_ids);
        expect(named.getPropertyKeys()).not.toContain('channel_name');
      } finally {
        await named.close();
      }
      const byName = await open(dataset, MAIN_KIND, { streamName: streamId });
      try {
        expect(s.read_by_stream_name_same_ids).toBe(true);
        expect(byName.getChannelIds()).toEqual(decodeArrayEntry(s.recording.channel_ids).flat);
        expect((byName.toDict() as any).kwargs).toEqual({ all_annotations: false, stream_name: streamId, use_names_as_ids: false, folder_path: byName.getKwargs().folder_path });
      } finally {
        await byName.close();
      }
    }
  });

  it.each(SOURCE_KINDS)('reads the same samples from a %s folder', async (kind) => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    for (const [streamId, s] of Object.entries<any>(expected.streams)) {
      const rec = await open(dataset, kind, { streamId });
      try {
        expect(rec.getChannelIds()).toEqual(decodeArrayEntry(s.recording.channel_ids).flat);
        for (let i = 0; i < s.recording.segment_hashes.length; i++) {
          const raw = await rec.getTraces({ segmentIndex: i });
          expect(await sha256Hex(bytesOf(raw.data)), `${streamId} segment ${i}`).toBe(s.recording.segment_hashes[i].raw_sha256);
        }
        expect(rec.hasProbe()).toBe(s.recording.has_probe);
      } finally {
        await rec.close();
      }
    }
  });
});

describe('readSpikeglx options', () => {
  it('refuses unknown streams and bad options with INVALID_ARGUMENT', async () => {
    await expect(open('np2_4shank', MAIN_KIND, { streamId: 'imec1.ap' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('imec1.ap') });
    await expect(open('np2_4shank', MAIN_KIND, { streamName: 'nidq' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(open('np2_4shank', MAIN_KIND, { streamId: 'imec0.ap', allAnnotations: 'yes' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(open('np2_4shank', MAIN_KIND, { streamId: 42 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readSpikeglx(42 as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // the keyword SpikeInterface 0.105 removed (TypeError there)
    await expect(open('np2_4shank', MAIN_KIND, { streamId: 'imec0.ap', loadSyncChannel: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('-SYNC') });
  });

  it('takes the stream id over a stream name given with it, as SpikeInterface', async () => {
    const rec = await open('np2_4shank', MAIN_KIND, { streamId: 'imec0.ap-SYNC', streamName: 'no such stream' });
    expect(rec.streamId).toBe('imec0.ap-SYNC');
    await rec.close();
  });

  it('refuses a huge .meta without reading it', async () => {
    let reads = 0;
    const reader = {
      name: 'hostile',
      files: async () => ['run_g0_t0.imec0.ap.bin', 'run_g0_t0.imec0.ap.meta'],
      list: async () => [],
      exists: async () => true,
      readFile: async () => {
        reads++;
        return new Uint8Array(0);
      },
      openSource: async (rel: string) => ({
        name: rel, size: 2 ** 40, close: async () => {},
        read: async () => {
          reads++;
        },
      }),
    };
    await expect(readSpikeglx(reader, { streamId: 'imec0.ap' })).rejects.toMatchObject({ code: 'FORMAT', message: expect.stringContaining('1099511627776 bytes') });
    expect(reads).toBe(0);
  });

  it('loads a dict of an older SpikeInterface that still carries load_sync_channel', async () => {
    const expected = await readFixtureJson('acquisition/spikeglx/np1_ap_lf/expected.json');
    const old = expected.load_sync_channel['load(to_dict with kwargs.load_sync_channel=True, version=0.102.3)'];
    expect(old.error).toBeNull();
    // a dict reopens a path or a URL (picked files have no place to reopen from)
    const rec = await open('np1_ap_lf', inBrowser ? 'http-index' : MAIN_KIND, { streamId: 'imec0.ap' });
    const dict = { ...rec.toDict(), version: '0.102.3' } as any;
    dict.kwargs = { ...dict.kwargs, load_sync_channel: true };
    const again = await loadFromDict(dict);
    try {
      expect(again.toString()).toBe(old.repr);
      expect(old.channel_ids_equal_to_stream).toBe(true);
      expect(again.getChannelIds()).toEqual(rec.getChannelIds());
      expect(Object.keys(again.getKwargs()).sort()).toEqual(Object.keys(old.kwargs_after_load).sort());
      // a dict of this version with the removed keyword is refused (SpikeInterface: TypeError)
      const same = expected.load_sync_channel['load(to_dict with kwargs.load_sync_channel=True, version=same_version)'];
      expect(same.error.error).toBe('TypeError');
      await expect(loadFromDict({ ...dict, version: '0.105.0' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/unexpected keyword argument .load_sync_channel./) });
    } finally {
      await rec.close();
      await again.close();
    }
  });
});

it('uses the generation root only in the fixture\'s absolute paths', async () => {
  const expected = await readFixtureJson('acquisition/spikeglx/np1_ap_lf/expected.json');
  expect(expected.folder_path_abs.startsWith(GENERATED_ROOT)).toBe(true);
});
