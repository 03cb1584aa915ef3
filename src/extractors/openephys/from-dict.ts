// Rebuilding an OpenEphysBinaryRecordingExtractor from SpikeInterface's kwargs (load of a dict, a
// JSON or pickle dump, a provenance.json).
import { neoKwargs } from '../neo-base.js';
import { readOpenephys, type OpenEphysBinaryRecordingExtractor } from './recording.js';

const KWARGS = new Set(['folder_path', 'stream_id', 'stream_name', 'block_index', 'all_annotations', 'experiment_name', 'experiment_names', 'load_sync_timestamps']);

/**
 * The recording of SpikeInterface's kwargs (checked by neoKwargs: load_sync_channel of older dicts
 * dropped, `INVALID_ARGUMENT` for any other unknown kwarg).
 *
 * A recording read with `experiment_name` records `block_index: 0` beside it, and SpikeInterface
 * then refuses its own dict (both given): a bug of SpikeInterface 0.105 that this copies, so that a
 * dict loads here exactly when it loads there.
 */
export function openephysFromKwargs(kwargs: Record<string, any>, opts: { version?: unknown; signal?: AbortSignal } = {}): Promise<OpenEphysBinaryRecordingExtractor> {
  const k = neoKwargs('OpenEphysBinaryRecordingExtractor', kwargs, KWARGS, opts.version);
  return readOpenephys(k.folder_path, {
    streamId: k.stream_id ?? null,
    streamName: k.stream_name ?? null,
    blockIndex: k.block_index ?? null,
    experimentName: k.experiment_name ?? null,
    experimentNames: k.experiment_names ?? null,
    allAnnotations: k.all_annotations ?? false,
    loadSyncTimestamps: k.load_sync_timestamps ?? false,
    signal: opts.signal,
  });
}
