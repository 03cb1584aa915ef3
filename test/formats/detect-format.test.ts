// detectRecordingFormat / inspectRecordingFolder: the fixture runs (SpikeGLX, Open Ephys) and a folder
// SpikeInterface saved, as picked files, a directory handle and over HTTP from index pages; the streams and blocks are
// those neo listed (expected.json's get_neo_streams / get_neo_num_blocks).
import { describe, expect, it } from 'vitest';
import { detectFormatOfFiles, detectRecordingFormat, inspectRecordingFolder } from '../../src/index.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { folderInput } from '../extractors/spikeglx-source.js';
import { expectCodeAsync } from '../helpers/expect-error.js';

const DATASETS: ['spikeglx' | 'openephys', string][] = [
  ['spikeglx', 'np1_ap_lf'], ['spikeglx', 'nidq_2triggers'], ['openephys', 'np1_pxi_nidaq'], ['openephys', 'acq_board_2exp'],
];

describe.each(DATASETS)('inspectRecordingFolder of %s %s', (format, dataset) => {
  it.each(['picked', 'handle', 'http-index'] as const)('as %s: the format, and the streams and blocks neo listed', async (kind) => {
    const base = `acquisition/${format}/${dataset}`;
    const expected = await readFixtureJson(`${base}/expected.json`);
    const folder = (await folderInput(`${base}/${expected.folder_path}`, kind)) as never;
    expect(await detectRecordingFormat(folder)).toBe(format);
    expect(await inspectRecordingFolder(folder)).toEqual({
      format,
      streamNames: expected.get_neo_streams.stream_names,
      streamIds: expected.get_neo_streams.stream_ids,
      numBlocks: expected.get_neo_num_blocks,
      experimentNames: expected.get_available_experiments ?? [],
    });
  });
});

it.each(['picked', 'http-index'] as const)('an Open Ephys Record Node folder itself (as %s) lists the streams neo listed from its parent', async (kind) => {
  const base = 'acquisition/openephys/np1_pxi_nidaq';
  const expected = await readFixtureJson(`${base}/expected.json`);
  // over HTTP the folder is named by its URL: 'Record%20Node%20101' must still name the node 'Record Node 101'
  const folder = (await folderInput(`${base}/data/Record Node 101`, kind)) as never;
  expect(await inspectRecordingFolder(folder)).toEqual({
    format: 'openephys', streamNames: expected.get_neo_streams.stream_names, streamIds: expected.get_neo_streams.stream_ids, numBlocks: 1,
    experimentNames: expected.get_available_experiments,
  });
});

it('a folder SpikeInterface saved is a SpikeInterface folder, with no streams to choose', async () => {
  const folder = (await folderInput('recordings/multi_columns_probe/saved', 'picked')) as never;
  expect(await inspectRecordingFolder(folder)).toEqual({ format: 'spikeinterface', streamNames: [], streamIds: [], numBlocks: 1, experimentNames: [] });
});

describe('detectFormatOfFiles', () => {
  it('tells the formats from names alone', () => {
    expect(detectFormatOfFiles(['binary.json', 'traces_cached_seg0.raw'])).toBe('spikeinterface');
    expect(detectFormatOfFiles(['si_folder.json', 'binary.json'])).toBe('spikeinterface');
    expect(detectFormatOfFiles(['Record Node 101/experiment1/recording1/structure.oebin'])).toBe('openephys');
    expect(detectFormatOfFiles(['structure.oebin'])).toBe('openephys');
    expect(detectFormatOfFiles(['run_g0/run_g0_t0.imec0.ap.meta', 'run_g0/run_g0_t0.imec0.ap.bin'])).toBe('spikeglx');
  });

  it('is null for what no reader opens', () => {
    expect(detectFormatOfFiles([])).toBeNull();
    // a .meta without its .bin (or the other way round) is not a SpikeGLX pair
    expect(detectFormatOfFiles(['run_g0_t0.imec0.ap.meta', 'run_g0_t0.imec0.lf.bin'])).toBeNull();
    expect(detectFormatOfFiles(['run_g0_t0.imec0.ap.bin'])).toBeNull();
    // SpikeInterface's files count at the root only; a structure.oebin must be that name
    expect(detectFormatOfFiles(['sub/binary.json', 'notstructure.oebin.txt', 'xstructure.oebin'])).toBeNull();
  });
});

describe('detectRecordingFormat refuses', () => {
  it('what is no folder, and a tree larger than maxFiles', async () => {
    await expectCodeAsync(detectRecordingFormat(42 as never), 'INVALID_ARGUMENT', /folder of detectRecordingFormat/);
    await expectCodeAsync(inspectRecordingFolder({} as never), 'INVALID_ARGUMENT', /folder of inspectRecordingFolder/);
    const folder = (await folderInput('acquisition/openephys/np1_pxi_nidaq/data', 'picked')) as never;
    await expectCodeAsync(detectRecordingFormat(folder, { maxFiles: 3 }), 'UNSUPPORTED', /maxFiles/);
    // too shallow a look finds nothing to read (structure.oebin lies 3 folders down)
    expect(await detectRecordingFormat(folder, { maxDepth: 2 })).toBeNull();
  });
});
