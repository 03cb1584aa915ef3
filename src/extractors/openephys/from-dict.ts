// Rebuilding an OpenEphysBinaryRecordingExtractor from SpikeInterface's kwargs (load of a dict, a
// JSON or pickle dump, a provenance.json).
import { SpikewireError, describe } from '../../errors.js';
import { SPIKEINTERFACE_VERSION } from '../../core/serialize.js';
import { readOpenephys, type OpenEphysBinaryRecordingExtractor } from './recording.js';

const KWARGS = new Set(['folder_path', 'stream_id', 'stream_name', 'block_index', 'all_annotations', 'experiment_name', 'experiment_names', 'load_sync_timestamps']);

/** 'major.minor' of a version string ('0.102.3' → '0.102'). */
const minorOf = (version: unknown) => (typeof version === 'string' ? version.split('.').slice(0, 2).join('.') : null);

/**
 * The recording of SpikeInterface's kwargs. A dict written by another minor version may still carry
 * `load_sync_channel` (removed in 0.102), which SpikeInterface drops for such dicts and refuses in
 * its own version's; so does this. `INVALID_ARGUMENT` for any other unknown kwarg.
 *
 * A recording read with `experiment_name` records `block_index: 0` beside it, and SpikeInterface
 * then refuses its own dict (both given): a bug of SpikeInterface 0.105 that this copies, so that a
 * dict loads here exactly when it loads there.
 */
export function openephysFromKwargs(kwargs: Record<string, any>, opts: { version?: unknown; signal?: AbortSignal } = {}): Promise<OpenEphysBinaryRecordingExtractor> {
  const k = { ...kwargs };
  if ('load_sync_channel' in k && minorOf(opts.version) !== minorOf(SPIKEINTERFACE_VERSION)) delete k.load_sync_channel;
  for (const key of Object.keys(k)) {
    if (!KWARGS.has(key)) throw new SpikewireError('INVALID_ARGUMENT', `OpenEphysBinaryRecordingExtractor got an unexpected keyword argument ${describe(key)}`);
  }
  if (typeof k.folder_path !== 'string' || k.folder_path === '') {
    throw new SpikewireError('FORMAT', `loadFromDict: kwargs.folder_path of an OpenEphysBinaryRecordingExtractor must be a path, got ${describe(k.folder_path)}`);
  }
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
