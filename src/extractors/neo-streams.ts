// SpikeInterface's get_neo_streams(format, folder) and get_neo_num_blocks for the neo-backed readers
// spikewire has: each reader's module is loaded only when its format is asked for.
import { SpikewireError, describe } from '../errors.js';
import type { FolderInput } from '../store/open-folder.js';
import type { NeoStreams } from './neo-base.js';
import type { OpenephysStreamsOptions } from './openephys/recording.js';

/** The formats {@link getNeoStreams} reads. */
export type NeoFormat = 'spikeglx' | 'openephys';

/**
 * The stream names and ids neo lists for a folder (SpikeInterface's `get_neo_streams`): 'spikeglx'
 * (see getSpikeglxStreams) or 'openephys' (see getOpenephysStreams). `INVALID_ARGUMENT` for another format.
 */
export async function getNeoStreams(format: NeoFormat, folder: FolderInput, opts: OpenephysStreamsOptions = {}): Promise<NeoStreams> {
  if (format === 'spikeglx') return (await import('./spikeglx/open.js')).getSpikeglxStreams(folder, opts);
  if (format === 'openephys') return (await import('./openephys/recording.js')).getOpenephysStreams(folder, opts);
  throw new SpikewireError('INVALID_ARGUMENT', `getNeoStreams: format ${describe(format)} is not one spikewire reads: expected 'spikeglx' or 'openephys'`);
}

/** The number of neo blocks of a folder (SpikeInterface's `get_neo_num_blocks`): 1 for SpikeGLX, the experiments for Open Ephys. */
export async function getNeoNumBlocks(format: NeoFormat, folder: FolderInput, opts: OpenephysStreamsOptions = {}): Promise<number> {
  if (format === 'spikeglx') {
    await (await import('./spikeglx/open.js')).getSpikeglxStreams(folder, opts); // the folder must read
    return 1;
  }
  if (format === 'openephys') return (await import('./openephys/recording.js')).getOpenephysNumBlocks(folder, opts);
  throw new SpikewireError('INVALID_ARGUMENT', `getNeoNumBlocks: format ${describe(format)} is not one spikewire reads: expected 'spikeglx' or 'openephys'`);
}
