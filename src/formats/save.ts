import { SpikewireError, describe } from '../errors.js';
import { writeBinaryRecording, type WriteBinaryOptions } from '../extractors/write-binary.js';
import type { BaseRecording } from '../core/index.js';
import { numpyDTypeString, parseDTypeString } from '../dtype.js';
import { fileSystemFolderWriter, isSafeRelativePath, type FolderWriter } from '../store/folder-access.js';
import { MAIN_PROPERTIES, SPIKEINTERFACE_VERSION } from '../core/serialize.js';
import { columnToNpy, writeNpy } from './npy.js';
import { loadFolder } from './binary-folder.js';
import { dumpJsonText } from './dump.js';

/** Options of `recording.save()`: SpikeInterface's save kwargs and job kwargs. */
export interface SaveOptions extends Omit<WriteBinaryOptions, 'addFileExtension' | 'byteOffset'> {
  /** The folder to write (Node) — required for format 'binary'. */
  folder?: string;
  /** 'binary' (a SpikeInterface binary folder), 'zip' (that folder in one zip) or 'memory'. */
  format?: 'binary' | 'zip' | 'memory';
  /** Replace an existing folder (default false: an existing folder is an error). */
  overwrite?: boolean;
}

/**
 * Writes a SpikeInterface binary folder, as `recording.save(folder=..., format='binary')` does, and
 * returns it re-opened. Everything is written into a temporary folder beside the target and renamed
 * into place at the end: a save that fails or is aborted leaves no folder that claims to be complete,
 * and an existing folder is only replaced (with `overwrite`) once the new one is whole.
 */
export async function saveBinaryFolder(recording: BaseRecording, opts: SaveOptions): Promise<BaseRecording> {
  if (typeof opts.folder !== 'string' || opts.folder === '') {
    throw new SpikewireError('INVALID_ARGUMENT', `save: folder must be a path, got ${describe(opts.folder)}`);
  }
  const writer = await fileSystemFolderWriter(opts.folder, opts.overwrite ?? false);
  await writeAndCommit(recording, writer, opts);
  return loadFolder(writer.name);
}

/** Writes the folder and commits it; on any failure removes what was written and rethrows. */
export async function writeAndCommit(recording: BaseRecording, writer: FolderWriter, opts: SaveOptions): Promise<unknown> {
  try {
    await writeBinaryFolder(recording, writer, opts);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * The files of a SpikeInterface binary folder: traces_cached_seg{i}.raw, binary.json,
 * properties/*.npy, times_cached_seg{i}.npy, probegroup.json, provenance.json, si_folder.json.
 */
export async function writeBinaryFolder(recording: BaseRecording, writer: FolderWriter, opts: SaveOptions): Promise<void> {
  // Before any byte is written: every property becomes properties/<key>.npy.
  for (const key of recording.getPropertyKeys()) checkPropertyFileName(key);
  const n = recording.getNumSegments();
  const names = Array.from({ length: n }, (_, i) => `traces_cached_seg${i}.raw`);
  const dtype = opts.dtype ? parseDTypeString(opts.dtype).dtype : recording.getDtype();
  // Paths where the folder is on disk (the writer makes the same temporary-file sinks from them, and
  // nJobs > 1 can write into them from workers); sinks elsewhere.
  const targets = writer.filePath
    ? names.map((f) => writer.filePath!(f))
    : await Promise.all(names.map((f) => writer.createSink(f)));
  await writeBinaryRecording(recording, targets, { ...opts, dtype, addFileExtension: false, overwrite: true });

  // binary.json: the dict SpikeInterface writes for a fresh BinaryRecordingExtractor over the new
  // files: every annotation it has (is_filtered), its main properties, paths relative to the folder.
  const timeVectors = Array.from({ length: n }, (_, i) => recording.hasTimeVector(i));
  const tStarts = Array.from({ length: n }, (_, i) => (timeVectors[i] ? null : recording.getTimeInfo(i).tStart));
  const scaled = recording.hasScaleableTraces();
  const gains = scaled ? Array.from(recording.getProperty('gain_to_uV') as ArrayLike<number>) : null;
  const offsets = scaled ? Array.from(recording.getProperty('offset_to_uV') as ArrayLike<number>) : null;
  const binaryDict = {
    class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor',
    module: 'spikeinterface',
    version: SPIKEINTERFACE_VERSION,
    kwargs: {
      file_paths: names,
      sampling_frequency: recording.getSamplingFrequency(),
      t_starts: tStarts.every((t) => t === null) ? null : tStarts.map((t) => t ?? 0),
      num_channels: recording.getNumChannels(),
      dtype: numpyDTypeString(dtype),
      channel_ids: recording.getChannelIds(),
      time_axis: 0,
      file_offset: 0,
      gain_to_uV: gains,
      offset_to_uV: offsets,
      is_filtered: recording.isFiltered(),
    },
    annotations: { is_filtered: recording.isFiltered() },
    properties: { group: null, gain_to_uV: gains, offset_to_uV: offsets, gain_to_physical_unit: null, offset_to_physical_unit: null, physical_unit: null },
    relative_paths: true,
  };
  await writer.writeFile('binary.json', dumpJsonText(binaryDict));

  // properties/<key>.npy for every property; the folder exists even when there is none.
  await writer.mkdir('properties');
  for (const key of recording.getPropertyKeys()) {
    await writer.writeFile(`properties/${key}.npy`, columnToNpy(recording.getPropertyColumn(key)!));
  }
  for (let i = 0; i < n; i++) {
    if (!timeVectors[i]) continue;
    const times = await recording.getTimes(i);
    await writer.writeFile(`times_cached_seg${i}.npy`, writeNpy({ dtype: '<f8', shape: [times.length], values: times }));
  }
  const extras = recording.dictExtras();
  if (extras.probegroup) {
    const { ProbeGroup, writeProbeinterfaceText } = await import('../probe/index.js');
    await writer.writeFile('probegroup.json', writeProbeinterfaceText(ProbeGroup.fromDict(extras.probegroup as never)));
  }

  // provenance.json: how the saved recording was made, when it can be described by a dict.
  if (recording.isSerializable()) {
    const provenance = recording.toDict({ includeAnnotations: true, recursive: true, relativeTo: writer.name });
    await writer.writeFile('provenance.json', dumpJsonText(provenance));
  } else {
    console.warn(`spikewire: ${recording.className} cannot be described by a dict: the saved folder has no provenance.json`);
  }

  // si_folder.json: the saved folder as SpikeInterface reopens it, with every annotation and the main
  // properties of the recording that was saved.
  const folderDict = {
    class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording',
    module: 'spikeinterface',
    version: SPIKEINTERFACE_VERSION,
    kwargs: { folder_path: '.' },
    annotations: Object.fromEntries(recording.getAnnotationKeys().map((k) => [k, recording.getAnnotation(k)])),
    properties: Object.fromEntries(MAIN_PROPERTIES.map((k) => [k, recording.getProperty(k) ?? null])),
    relative_paths: true,
    ...extras,
  };
  await writer.writeFile('si_folder.json', dumpJsonText(folderDict));
}

// Most file systems cap a name at 255 bytes.
const MAX_FILE_NAME_BYTES = 255;

/**
 * `INVALID_ARGUMENT` naming a property key that cannot be the file name `<key>.npy`: it would write
 * elsewhere ('../x', 'a/b'), not at all (NUL) or not on every system (a backslash, a name too long). Keys are refused, never renamed: SpikeInterface reads the key back from the name.
 */
function checkPropertyFileName(key: string): void {
  const file = `${key}.npy`;
  if (key.includes('/') || !isSafeRelativePath(file) || new TextEncoder().encode(file).length > MAX_FILE_NAME_BYTES) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `save: property ${describe(key)} cannot be saved as the file ${describe(`properties/${file}`)}: a property key saved to a folder ` +
        `or zip must be a plain file name (no '/', '\\' or control characters, at most ${MAX_FILE_NAME_BYTES - 4} bytes); copy it to ` +
        'another key with setProperty and deleteProperty it first',
    );
  }
}

/**
 * `recording.save()`: format 'binary' (default) writes a SpikeInterface binary folder and reopens it;
 * 'memory' copies every sample into a NumpyRecording (SpikeInterface's save_to_memory); 'zip' writes
 * the binary folder as one zip.
 */
export async function saveRecording(recording: BaseRecording, opts: SaveOptions = {}): Promise<BaseRecording> {
  const format = opts.format ?? 'binary';
  if (format === 'binary') return saveBinaryFolder(recording, opts);
  if (format === 'memory') return saveToMemory(recording, opts);
  if (format === 'zip') {
    const { saveZip } = await import('./zip.js');
    return saveZip(recording, opts);
  }
  throw new SpikewireError('INVALID_ARGUMENT', `save: format ${describe(format)} must be 'binary', 'zip' or 'memory'`);
}

/** Every sample read into memory: a NumpyRecording with the same ids, metadata, times and probe. */
export async function saveToMemory(recording: BaseRecording, opts: SaveOptions = {}): Promise<BaseRecording> {
  const { NumpyRecording } = await import('../core/index.js');
  const tracesList = [];
  for (let i = 0; i < recording.getNumSegments(); i++) {
    tracesList.push((await recording.getTraces({ segmentIndex: i, signal: opts.signal })).data);
  }
  const copy = new NumpyRecording({
    tracesList,
    samplingFrequency: recording.getSamplingFrequency(),
    numChannels: recording.getNumChannels(),
    channelIds: recording.getChannelIds(),
    tStarts: Array.from({ length: recording.getNumSegments() }, (_, i) => recording.getTimeInfo(i).tStart),
  });
  recording.copyMetadataTo(copy);
  for (let i = 0; i < recording.getNumSegments(); i++) {
    if (recording.hasTimeVector(i)) copy.setTimes(await recording.getTimes(i), i);
  }
  return copy;
}
