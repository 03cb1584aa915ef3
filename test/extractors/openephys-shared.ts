// What the Open Ephys tests share: the fixture datasets, their expected.json, and how a stream of
// expected.json is read.
import type { BaseRecording, ReadOpenephysOptions } from '../../src/index.js';
import { readFixtureJson } from '../helpers/fixtures.js';

export const DATASETS = ['np1_pxi_nidaq', 'acq_board_2exp'] as const;

/** Where SpikeInterface generated a dataset: absolute paths in its messages and dicts start here. */
export const GENERATED = (ds: string) => `/home/user/si-fixtures/acquisition/openephys/${ds}`;

/** Each dataset's expected.json. */
export const expected: Record<string, any> = {};
for (const ds of DATASETS) expected[ds] = await readFixtureJson(`acquisition/openephys/${ds}/expected.json`);

/** The read options of one stream entry of expected.json (its stream_name and block_index). */
export function optsOf(s: any): ReadOpenephysOptions {
  return { streamName: s.kwargs.stream_name, ...(s.kwargs.block_index === undefined ? {} : { blockIndex: s.kwargs.block_index }) };
}

/** Every stream of a dataset: key, read options, entry. */
export function streamsOf(ds: string): [string, ReadOpenephysOptions, any][] {
  return Object.entries(expected[ds].streams).map(([key, s]) => [key, optsOf(s), s]);
}

/** Runs `fn` on the opened recording, then closes it. */
export async function withRec<T>(promise: Promise<BaseRecording>, fn: (rec: BaseRecording) => Promise<T>): Promise<T> {
  const rec = await promise;
  try {
    return await fn(rec);
  } finally {
    await rec.close();
  }
}
