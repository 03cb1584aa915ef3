import { abortedError, throwIfAborted } from '../abort.js';
import { SpikewireError, describe } from '../errors.js';
import { BinaryRecordingExtractor } from '../extractors/binary-recording.js';
import type { ByteSource } from '../store/source.js';
import { itemSize, parseDTypeString, type ParsedDType } from '../dtype.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../core/index.js';
import { isExtractorDict, type ExtractorDict } from '../core/serialize.js';
import { parsePythonJson } from '../python/pyjson.js';
import { fileSystemFolder, type FolderReader } from '../store/folder-access.js';
import { isHttpUrl } from '../store/http-source.js';
import { npyToColumn, readNpy } from './npy.js';
import { loadFromDict, type LoadOptions } from './load.js';

/**
 * A folder written by SpikeInterface's `save(format='binary')` (SpikeInterface's
 * BinaryFolderRecording): `binary.json` describes the raw files `traces_cached_seg{i}.raw`;
 * properties come from `properties/*.npy`, times from `times_cached_seg{i}.npy`, the probe from
 * `probegroup.json` (or `probe.json` in folders of SpikeInterface ≤ 0.104). The folder may be a
 * directory, a zip, files picked in a browser or a URL: see {@link FolderReader}.
 */
export class BinaryFolderRecording extends BaseRecording {
  static override readonly className: string = 'BinaryFolderRecording';
  static override readonly classPath: string = 'spikeinterface.core.binaryfolder.BinaryFolderRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  /** The extractor over the folder's raw files. */
  readonly binary: BinaryRecordingExtractor;
  /** Where the folder is. */
  readonly folder: FolderReader;
  /** The zip this folder was read from (its path, URL or Blob), when it came from one. */
  archive: Blob | string | URL | null = null;

  private constructor(folder: FolderReader, binary: BinaryRecordingExtractor) {
    super(binary.getSamplingFrequency(), binary.getChannelIds(), binary.getDtype());
    this.folder = folder;
    this.binary = binary;
    for (const s of binary.segments) this.addRecordingSegment(s);
    binary.copyMetadataTo(this);
    this._kwargs = { folder_path: folder.name };
  }

  /** Opens a binary folder: a path (with a file system), or any {@link FolderReader}. */
  static async open(folder: string | FolderReader, opts: { signal?: AbortSignal } = {}): Promise<BinaryFolderRecording> {
    const reader = readerOf(folder, 'BinaryFolderRecording.open');
    const dict = await readJson(reader, 'binary.json');
    if (!isExtractorDict(dict) || !dict.class.endsWith('.BinaryRecordingExtractor')) {
      throw new SpikewireError('FORMAT', `${reader.name}/binary.json does not describe a BinaryRecordingExtractor (class ${describe((dict as ExtractorDict)?.class)})`);
    }
    const files = dict.kwargs.file_paths;
    if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string')) {
      throw new SpikewireError('FORMAT', `${reader.name}/binary.json: kwargs.file_paths must list the traces files, got ${describe(files)}`);
    }
    // The traces files are the folder's own, whatever absolute paths an old binary.json recorded.
    const sources: ByteSource[] = [];
    try {
      for (const file of files as string[]) {
        throwIfAborted(opts.signal, `opening ${reader.name}`);
        sources.push(await reader.openSource(dict.relative_paths ? file : baseName(file)));
      }
      const { file_paths: _omit, ...kwargs } = dict.kwargs;
      void _omit;
      checkTracesFiles(reader, sources, kwargs);
      const binary = await BinaryRecordingExtractor.open({
        sources,
        samplingFrequency: kwargs.sampling_frequency as number,
        numChannels: (kwargs.num_channels ?? kwargs.num_chan) as number,
        dtype: kwargs.dtype as string,
        timeAxis: (kwargs.time_axis ?? 0) as 0 | 1,
        fileOffset: (kwargs.file_offset ?? 0) as number,
        channelIds: (kwargs.channel_ids ?? null) as (number | string)[] | null,
        tStarts: (kwargs.t_starts ?? null) as (number | null)[] | null,
        gainToUV: (kwargs.gain_to_uV ?? null) as number[] | null,
        offsetToUV: (kwargs.offset_to_uV ?? null) as number[] | null,
        isFiltered: (kwargs.is_filtered ?? null) as boolean | null,
        signal: opts.signal,
      }).catch((error: unknown) => {
        // A bad option here is a bad binary.json: say which file.
        if (error instanceof SpikewireError && error.code === 'INVALID_ARGUMENT') {
          throw new SpikewireError('FORMAT', `${reader.name}/binary.json: ${error.message}`, { cause: error });
        }
        throw error;
      });
      const recording = new BinaryFolderRecording(reader, binary);
      await recording.loadMetadata();
      throwIfAborted(opts.signal, `opening ${reader.name}`);
      return recording;
    } catch (error) {
      await Promise.all(sources.map((s) => s.close().catch(() => {})));
      if (opts.signal?.aborted) throw abortedError(`opening ${reader.name}`, opts.signal);
      throw error;
    }
  }

  /** Reads times, properties and probe, as SpikeInterface's load_metadata_from_folder. */
  private async loadMetadata(): Promise<void> {
    const names = await this.folder.list();
    for (let i = 0; i < this.getNumSegments(); i++) {
      const name = `times_cached_seg${i}.npy`;
      if (!names.includes(name)) continue;
      const npy = readNpy(await this.folder.readFile(name), { name: `${this.folder.name}/${name}` });
      if (!(npy.values instanceof Float64Array) || npy.values.length !== this.getNumSamples(i)) {
        throw new SpikewireError('FORMAT', `${this.folder.name}/${name}: expected ${this.getNumSamples(i)} float64 times, got ${npy.dtype} ${JSON.stringify(npy.shape)}`);
      }
      this.setTimes(npy.values, i);
    }
    if (names.includes('properties')) {
      // Directory order, as SpikeInterface's iterdir().
      for (const file of await this.folder.list('properties')) {
        if (!file.endsWith('.npy')) continue;
        const key = file.slice(0, -4);
        const where = `${this.folder.name}/properties/${file}`;
        let column;
        try {
          column = npyToColumn(readNpy(await this.folder.readFile(`properties/${file}`), { name: where }));
        } catch (error) {
          if (error instanceof SpikewireError && error.code === 'UNSUPPORTED') {
            console.warn(`spikewire: skipping property ${JSON.stringify(key)} of ${this.folder.name}: ${error.message}`);
            continue;
          }
          throw error;
        }
        if (column.shape[0] !== this.getNumChannels()) {
          throw new SpikewireError('FORMAT', `${where} holds ${column.shape[0]} values; the recording has ${this.getNumChannels()} channels`);
        }
        this._properties.setColumn(key, column);
      }
    }
    await this.loadProbe(names);
  }

  /** probegroup.json (SpikeInterface main) or probe.json (≤ 0.104): attached as saved, already in channel order. */
  private async loadProbe(names: string[]): Promise<void> {
    const file = names.includes('probegroup.json') ? 'probegroup.json' : names.includes('probe.json') ? 'probe.json' : null;
    if (!file) return;
    const { readProbeinterface } = await import('./probe-files.js');
    const text = new TextDecoder().decode(await this.folder.readFile(file));
    let group;
    try {
      group = await readProbeinterface(text);
    } catch (error) {
      throw new SpikewireError('FORMAT', `${this.folder.name}/${file} is not a ProbeInterface file: ${(error as Error).message}`, { cause: error });
    }
    const attach = (this as unknown as { setProbegroup?: (g: unknown, o?: unknown) => unknown }).setProbegroup;
    // The saved probe is already sorted to channel order with device indices 0..n-1; the group
    // property was saved too, so it is kept as loaded.
    try {
      if (attach) attach.call(this, group, { groupMode: 'keep' });
    } catch (error) {
      if (!(error instanceof SpikewireError) || error.code !== 'INVALID_ARGUMENT') throw error;
      throw new SpikewireError('FORMAT', `${this.folder.name}/${file} does not fit the recording: ${error.message}`, { cause: error });
    }
  }

  /** A worker reopens the folder by path: its files, or a zip, on this machine's disk. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    const onDisk = this.archive === null
      ? this.binary.sources.every(isLocalFile)
      : typeof this.archive === 'string' && !isHttpUrl(this.archive) && /\.zip$/i.test(this.folder.name);
    return onDisk ? null : `${this.className} ${describe(this.folder.name)} is not a folder or a zip on the local disk, which a worker cannot reopen`;
  }

  override async close(): Promise<void> {
    await this.binary.close();
    await this.folder.close?.();
  }
}

/**
 * The traces files against binary.json: each must hold `file_offset` bytes and then whole frames of
 * `num_channels` samples. SpikeInterface's reader would silently drop a partial frame; in a saved
 * folder one means a truncated copy (an interrupted upload or download) or a binary.json for other
 * files, so it is a FORMAT error naming the file. Options that make no sense are left to
 * BinaryRecordingExtractor.open, which names them.
 */
function checkTracesFiles(reader: FolderReader, sources: ByteSource[], kwargs: Record<string, unknown>): void {
  const numChannels = kwargs.num_channels ?? kwargs.num_chan;
  const fileOffset = kwargs.file_offset ?? 0;
  let dtype: ParsedDType;
  try {
    dtype = parseDTypeString(kwargs.dtype);
  } catch {
    return;
  }
  if (typeof numChannels !== 'number' || !Number.isSafeInteger(numChannels) || numChannels <= 0) return;
  if (typeof fileOffset !== 'number' || !Number.isSafeInteger(fileOffset) || fileOffset < 0) return;
  const frameBytes = numChannels * itemSize(dtype.dtype);
  for (const source of sources) {
    if (source.size < fileOffset) {
      throw new SpikewireError('FORMAT', `${source.name} holds ${source.size} bytes, fewer than the file_offset ${fileOffset} of ${reader.name}/binary.json`);
    }
    const rest = (source.size - fileOffset) % frameBytes;
    if (rest !== 0) {
      throw new SpikewireError(
        'FORMAT',
        `${source.name} holds ${source.size} bytes: after file_offset ${fileOffset} that is not a whole number of frames of ` +
          `${numChannels} channels × ${itemSize(dtype.dtype)} bytes (${dtype.dtype}) as ${reader.name}/binary.json says ` +
          `(${rest} bytes of a partial frame at the end): the file is truncated, or binary.json describes other files`,
      );
    }
  }
}

/** A folder path (with a file system) or a {@link FolderReader}; `INVALID_ARGUMENT` naming `what` for anything else. */
function readerOf(folder: unknown, what: string): FolderReader {
  if (typeof folder === 'string' && folder !== '') return fileSystemFolder(folder);
  const reader = folder as FolderReader;
  if (reader && typeof reader === 'object' && typeof reader.list === 'function' && typeof reader.readFile === 'function'
    && typeof reader.exists === 'function' && typeof reader.openSource === 'function') return reader;
  throw new SpikewireError('INVALID_ARGUMENT', `${what} expects a folder path or a folder reader, got ${describe(folder)}`);
}

function baseName(p: string): string {
  return p.slice(p.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

async function readJson(reader: FolderReader, rel: string): Promise<unknown> {
  // a file the folder lists needs no check of its own (over HTTP the listing is kept: one request fewer)
  const listed = (await reader.list()).includes(rel);
  if (!listed && !(await reader.exists(rel))) throw new SpikewireError('NOT_FOUND', `${reader.name}/${rel} is missing: not a SpikeInterface binary folder`);
  return parsePythonJson(new TextDecoder().decode(await reader.readFile(rel)), `${reader.name}/${rel}`);
}

/**
 * Loads a folder saved by SpikeInterface's `save()` (or by spikewire): `si_folder.json` when there is
 * one (the saved recording's dict: the folder, then its annotations and main properties), else a bare
 * binary folder. `folder` is a path (with a file system) or any {@link FolderReader}.
 */
export async function loadFolder(folder: string | FolderReader, opts: LoadOptions = {}): Promise<BaseRecording> {
  const reader = readerOf(folder, 'loadFolder');
  try {
    return await loadFolderFrom(reader, opts);
  } catch (error) {
    // An abort may surface as whatever the wait it ended threw: say ABORTED whatever it was.
    if (opts.signal?.aborted) throw abortedError(`loading ${reader.name}`, opts.signal);
    throw error;
  }
}

async function loadFolderFrom(reader: FolderReader, opts: LoadOptions): Promise<BaseRecording> {
  throwIfAborted(opts.signal, `loading ${reader.name}`);
  const names = await reader.list();
  if (names.includes('si_folder.json')) {
    const dict = await readJson(reader, 'si_folder.json');
    if (!isExtractorDict(dict)) throw new SpikewireError('FORMAT', `${reader.name}/si_folder.json is not a SpikeInterface extractor dict`);
    if (!dict.class.endsWith('.BinaryFolderRecording')) {
      throw new SpikewireError('UNSUPPORTED', `${reader.name} holds a ${dict.class}: spikewire reads binary folders`);
    }
    // The folder itself, then what si_folder.json says on top (annotations, main properties).
    const recording = await BinaryFolderRecording.open(reader, opts);
    try {
      return await loadFromDict({ ...dict, kwargs: {}, relative_paths: false }, { ...opts, existing: recording });
    } catch (error) {
      // Nothing half-built escapes: release the traces files the folder opened (not the reader,
      // which belongs to the caller), and name the file that did not fit.
      await recording.binary.close().catch(() => {});
      if (error instanceof SpikewireError && error.code === 'INVALID_ARGUMENT') {
        throw new SpikewireError('FORMAT', `${reader.name}/si_folder.json: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  if (names.includes('binary.json')) return BinaryFolderRecording.open(reader, opts);
  throw new SpikewireError('FORMAT', `${reader.name} is not a SpikeInterface folder: it has neither si_folder.json nor binary.json`);
}
