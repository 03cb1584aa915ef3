// Broken Open Ephys folders (acquisition/openephys/bad_inputs): each gives what SpikeInterface gave
// (the same recording) or a SpikewireError with a code and SpikeInterface's message in our names.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getOpenephysStreams, readOpenephys, type BaseRecording } from '../../src/index.js';
import { bytesOf } from '../helpers/describe-recording.js';
import { readFixtureJson, sha256Hex } from '../helpers/fixtures.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { withRec } from './openephys-shared.js';
import { openFolder } from '../../src/store/open-folder.js';
import type { FolderReader } from '../../src/store/folder-access.js';

const ROOT = 'acquisition/openephys/bad_inputs';
const GENERATED = '/home/user/si-fixtures/acquisition/openephys/bad_inputs';
const BOARD = 'Record Node 105#Acquisition_Board-100.Rhythm Data';
const expected = await readFixtureJson(`${ROOT}/expected.json`);
const cases = expected.cases as Record<string, any>;

/** A case's folder as picked files (the reader's name is the case's folder name). */
async function picked(name: string) {
  return pickedFiles(cases[name].folder, await readFixtureFolder(`${ROOT}/${cases[name].folder}`));
}

/** SpikeInterface's message with this folder's place for the generation root. */
const here = (message: string) => message.split(`${GENERATED}/`).join('');

async function expectSummary(rec: BaseRecording, summary: any) {
  expect(rec.toString()).toBe(summary.repr);
  expect(rec.getChannelIds()).toEqual(summary.channel_ids);
  expect(rec.getNumSegments()).toBe(summary.num_segments);
  expect(Array.from({ length: rec.getNumSegments() }, (_, i) => rec.getNumSamples(i))).toEqual(summary.num_samples_per_segment);
  expect(rec.getSamplingFrequency()).toBe(summary.sampling_frequency);
  expect(Array.from({ length: rec.getNumSegments() }, (_, i) => rec.getStartTime(i))).toEqual(summary.start_times);
  expect(rec.hasProbe()).toBe(summary.has_probe);
  expect(Object.fromEntries(rec.getAnnotationKeys().map((k) => [k, rec.getAnnotation(k)]))).toEqual(summary.annotations);
  expect(rec.getPropertyKeys()).toEqual(summary.property_keys);
}

async function rawHash(rec: BaseRecording, segmentIndex: number) {
  return sha256Hex(bytesOf((await rec.getTraces({ segmentIndex })).data));
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

describe('Open Ephys bad inputs', () => {
  it.each(['reference_ok', 'truncated_mid_frame_even', 'missing_oebin_recording2', 'missing_sample_numbers'])('%s: the recording SpikeInterface read', async (name) => {
    const c = cases[name].read_ab;
    expect(c.ok).toBe(true);
    await withRec(readOpenephys(await picked(name), { streamName: BOARD }), async (rec) => {
      await expectSummary(rec, c.summary);
      for (let i = 0; i < c.segment_hashes_raw.length; i++) expect(await rawHash(rec, i)).toBe(c.segment_hashes_raw[i]);
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it('reference_ok: the streams SpikeInterface lists', async () => {
    const e = cases.reference_ok.get_neo_streams;
    expect(await getOpenephysStreams(await picked('reference_ok'))).toEqual({ streamNames: e.stream_names, streamIds: e.stream_ids });
  });

  it('oebin_num_channels_mismatch: the same recording; the first segment keeps its own channels', async () => {
    const c = cases.oebin_num_channels_mismatch.read_ab;
    const files = await readFixtureFolder(`${ROOT}/oebin_num_channels_mismatch`);
    await withRec(readOpenephys(pickedFiles('oebin_num_channels_mismatch', files), { streamName: BOARD }), async (rec) => {
      await expectSummary(rec, c.summary);
      // Recording 1's oebin lists 9 channels (7 CH + 2 ADC), recording 2's 10 (8 + 2). neo takes the
      // neural columns from the last recording (0..7) and hands SpikeInterface 8 columns for 7
      // channels in both segments: their hashes are SpikeInterface's. spikewire gives the 7
      // channels' own columns, the first 7 of those 8.
      const dir = 'Record Node 105/experiment1/recording%d/continuous/Acquisition_Board-100.Rhythm Data/continuous.dat';
      for (const [segment, width] of [[0, 9], [1, 10]]) {
        const dat = files.get(dir.replace('%d', String(segment + 1)))!;
        const all = new Int16Array(dat.buffer.slice(dat.byteOffset, dat.byteOffset + dat.byteLength - (dat.byteLength % 2)));
        const n = Math.floor(all.length / width);
        const columns = (k: number) => Int16Array.from({ length: n * k }, (_, i) => all[Math.floor(i / k) * width + (i % k)]);
        expect(await sha256Hex(bytesOf(columns(8)))).toBe(c.segment_hashes_raw[segment]);
        const ours = await rec.getTraces({ segmentIndex: segment });
        expect(Array.from(ours.data)).toEqual(Array.from(columns(7)));
      }
    });
  });

  it('truncated_mid_frame_odd: FORMAT, as SpikeInterface refuses it', async () => {
    const c = cases.truncated_mid_frame_odd.read_ab;
    const err = await expectCodeAsync(readOpenephys(await picked('truncated_mid_frame_odd'), { streamName: BOARD }), 'FORMAT');
    expect(err.message).toContain(c.message.replace(/\.$/, ''));
  });

  it('no_oebin_at_all: NOT_FOUND with SpikeInterface\'s message', async () => {
    const c = cases.no_oebin_at_all.read_ab;
    const err = await expectCodeAsync(readOpenephys(await picked('no_oebin_at_all'), { streamName: BOARD }), 'NOT_FOUND');
    expect(err.message).toBe(here(c.message));
  });

  it('missing_stream_folder_recording2: the warning SpikeInterface gives, then FORMAT', async () => {
    const c = cases.missing_stream_folder_recording2.read_ab;
    const err = await expectCodeAsync(readOpenephys(await picked('missing_stream_folder_recording2'), { streamName: BOARD }), 'FORMAT');
    expect(err.message).toBe(c.message);
    const warned = warn.mock.calls.map((call: unknown[]) => String(call[0]));
    expect(warned).toEqual(c.warnings.map((w: string) => `spikewire: ${here(w.replace(/^UserWarning: /, ''))}`));
  });

  it('unknown_stream: INVALID_ARGUMENT with the streams it has', async () => {
    const c = cases.unknown_stream;
    const input = await picked('unknown_stream');
    const byName = await expectCodeAsync(readOpenephys(input, { streamName: 'Record Node 105#Neuropix-PXI-100.ProbeA-AP' }), 'INVALID_ARGUMENT');
    expect(byName.message).toBe(c.read_unknown_name.message.replace('stream_name', 'streamName'));
    const byId = await expectCodeAsync(readOpenephys(input, { streamId: '7' }), 'INVALID_ARGUMENT');
    expect(byId.message).toBe(c.read_unknown_id.message.replace('stream_id', 'streamId'));
    const none = await expectCodeAsync(readOpenephys(input), 'INVALID_ARGUMENT');
    expect(none.message).toBe(c.read_no_stream.message.replace("'stream_name' or 'stream_id'", "'streamName' or 'streamId'"));
  });

  it('refuses a structure.oebin too large to be one, without reading it', async () => {
    const reader = openFolder(await picked('reference_ok'));
    let read = 0;
    const huge: FolderReader = {
      ...reader,
      files: reader.files?.bind(reader),
      async openSource(rel) {
        if (!rel.endsWith('structure.oebin')) return reader.openSource(rel);
        return { name: rel, size: 2 ** 40, read: async () => { read++; }, close: async () => {} };
      },
    };
    await expectCodeAsync(readOpenephys(huge, { streamName: BOARD }), 'FORMAT', /bytes, more than the/);
    expect(read).toBe(0);
  });
});
