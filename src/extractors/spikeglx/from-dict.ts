// Rebuilding a SpikeGLXRecordingExtractor from SpikeInterface's kwargs (load of a dict, a JSON or
// pickle dump, a provenance.json).
import { neoKwargs } from '../neo-base.js';
import { readSpikeglx, type SpikeGLXRecordingExtractor } from './recording.js';

const KWARGS = new Set(['folder_path', 'stream_id', 'stream_name', 'all_annotations', 'use_names_as_ids']);

/**
 * The recording of SpikeInterface's kwargs (checked by neoKwargs: load_sync_channel of dicts of
 * other versions dropped, refused in 0.105's own; `INVALID_ARGUMENT` for any other unknown kwarg).
 */
export function spikeglxFromKwargs(kwargs: Record<string, any>, opts: { version?: unknown; signal?: AbortSignal } = {}): Promise<SpikeGLXRecordingExtractor> {
  const k = neoKwargs('SpikeGLXRecordingExtractor', kwargs, KWARGS, opts.version);
  return readSpikeglx(k.folder_path, {
    streamId: k.stream_id ?? null,
    streamName: k.stream_name ?? null,
    allAnnotations: k.all_annotations ?? false,
    useNamesAsIds: k.use_names_as_ids ?? false,
    signal: opts.signal,
  });
}
