// getNeoStreams / getNeoNumBlocks: SpikeInterface's get_neo_streams and get_neo_num_blocks of every
// acquisition dataset of the fixtures, SpikeGLX and Open Ephys, from picked files.
import { describe, expect, it } from 'vitest';
import { getNeoNumBlocks, getNeoStreams } from '../../src/index.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';

const DATASETS: ['spikeglx' | 'openephys', string][] = [
  ['spikeglx', 'np1_ap_lf'], ['spikeglx', 'np2_4shank'], ['spikeglx', 'np1_subset'], ['spikeglx', 'nidq_2triggers'],
  ['openephys', 'np1_pxi_nidaq'], ['openephys', 'acq_board_2exp'],
];

describe.each(DATASETS)('getNeoStreams(%s) of %s', (format, dataset) => {
  it('lists the streams and blocks neo listed', async () => {
    const base = `acquisition/${format}/${dataset}`;
    const expected = await readFixtureJson(`${base}/expected.json`);
    const files = await readFixtureFolder(`${base}/${expected.folder_path}`);
    const folder = () => pickedFiles(expected.folder_path.split('/').pop(), files);
    expect(await getNeoStreams(format, folder())).toEqual({ streamNames: expected.get_neo_streams.stream_names, streamIds: expected.get_neo_streams.stream_ids });
    expect(await getNeoNumBlocks(format, folder())).toBe(expected.get_neo_num_blocks);
  });
});
