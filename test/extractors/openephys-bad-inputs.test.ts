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
    // where SpikeInterface drops a recording folder without a word (no structure.oebin), spikewire warns
    const c = cases[name].read_ab;
    expect(c.ok).toBe(true);
    await withRec(readOpenephys(await picked(name), { streamName: BOARD }), async (rec) => {
      await expectSummary(rec, c.summary);
      for (let i = 0; i < c.segment_hashes_raw.length; i++) expect(await rawHash(rec, i)).toBe(c.segment_hashes_raw[i]);
    });
    const warned = warn.mock.calls.map((call: unknown[]) => String(call[0]));
    if (name === 'missing_oebin_recording2') {
      expect(warned).toEqual(['spikewire: missing_oebin_recording2/Record Node 105/experiment1/recording2 has no structure.oebin: its samples are skipped, as SpikeInterface skips them (the recording has a segment fewer)']);
    } else if (name === 'missing_sample_numbers') {
      // SpikeInterface's start of segment 1: timestamps.npy's 3.1 s divided by the rate
      expect(c.summary.start_times[1]).toBe(3.1 / 30000);
      expect(warned).toEqual([
        'spikewire: missing_sample_numbers/Record Node 105/experiment1/recording2/continuous/Acquisition_Board-100.Rhythm Data has no sample_numbers.npy: ' +
          "segment 1 starts at 0.00010333333333333334 s, timestamps.npy's first value (3.1 s) divided by the sampling rate, as SpikeInterface computes it " +
          '(setTimes with the values of timestamps.npy gives the recorded times)',
      ]);
    } else expect(warned).toEqual([]);
  });

  it('reference_ok: the streams SpikeInterface lists', async () => {
    const e = cases.reference_ok.get_neo_streams;
    expect(await getOpenephysStreams(await picked('reference_ok'))).toEqual({ streamNames: e.stream_names, streamIds: e.stream_ids });
  });

  it('oebin_num_channels_mismatch: FORMAT, where SpikeInterface reads the 10-channel .dat as 9 channels', async () => {
    // SpikeInterface accepts it (66 frames of 9 columns out of 60 frames of 10, channels drifting
    // through each other); the 60 sample numbers beside it show the .dat holds 10 channels.
    const c = cases.oebin_num_channels_mismatch.read_ab;
    expect(c.ok).toBe(true);
    expect(c.summary.num_samples_per_segment[0]).toBe(66);
    const err = await expectCodeAsync(readOpenephys(await picked('oebin_num_channels_mismatch'), { streamName: BOARD }), 'FORMAT');
    expect(err.message).toMatch(/recording1\/continuous\/Acquisition_Board-100\.Rhythm Data\/continuous\.dat holds 60 frames of 10 channels .* structure\.oebin lists 9 channels/);
  });

  it('a continuous.dat longer than its sample numbers: read as SpikeInterface reads it, with a warning', async () => {
    const files = new Map(await readFixtureFolder(`${ROOT}/reference_ok`));
    const dat = 'Record Node 105/experiment1/recording1/continuous/Acquisition_Board-100.Rhythm Data/continuous.dat';
    const longer = new Uint8Array(files.get(dat)!.byteLength + 6);
    longer.set(files.get(dat)!);
    files.set(dat, longer);
    const c = cases.reference_ok.read_ab;
    await withRec(readOpenephys(pickedFiles('reference_ok', files), { streamName: BOARD }), async (rec) => {
      await expectSummary(rec, c.summary);
      for (let i = 0; i < c.segment_hashes_raw.length; i++) expect(await rawHash(rec, i)).toBe(c.segment_hashes_raw[i]);
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^spikewire: .*recording1.*continuous\.dat has \d+ bytes, more than the \d+ frames of \d+ channels .*check the channel count of structure\.oebin$/);
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
