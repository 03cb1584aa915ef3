// SpikeInterface's SpikeGLXRecordingExtractor (read_spikeglx): one stream of a SpikeGLX run folder
// as a lazy recording. Opening reads the .meta files only; samples are read by range from the .bin
// files, a stream being a set of their columns (the imec stream all but the last, its -SYNC stream
// the last).
import { SpikewireError, check, describe } from '../../errors.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../../core/index.js';
import type { BaseRecordingSegment } from '../../core/segment.js';
import type { FolderReader } from '../../store/folder-access.js';
import type { FolderInput } from '../../store/open-folder.js';
import type { ByteSource } from '../../store/source.js';
import { int16ColumnSegment, selectNeoStream, setNeoChannelProperties } from '../neo-base.js';
import { localSourcesProblem } from '../binary-recording.js';
import { readSpikeglxProbe } from '../../probe/neuropixels/lazy.js';
import { computeSaturationThresholdFromProbe, getNeuropixelsSampleShiftsFromProbe } from '../../probe/neuropixels/recording-values.js';
import { readMetaText, warnOnSizeMismatch } from './discovery.js';
import { openSpikeglxStreams, type SpikeglxSourceOptions } from './open.js';
import { streamList, type SpikeglxStream } from './streams.js';

/** Options of {@link readSpikeglx}: SpikeInterface's keyword arguments in camelCase, and the folder's. */
export interface ReadSpikeglxOptions extends SpikeglxSourceOptions {
  /** The stream to read (`imec0.ap`, `imec0.lf`, `imec0.ap-SYNC`, `nidq`): needed when the folder has several. */
  streamId?: string | null;
  /** The same, by name (names and ids are the same texts; `streamId` wins when both are given). */
  streamName?: string | null;
  /** Adds neo's stream annotations (stream_name, stream_id, file_origin) and the channel_names property. */
  allAnnotations?: boolean;
  /** Channel ids are the `~snsChanMap` names (`AP0`) instead of `<stream>#<name>` (`imec0.ap#AP0`). */
  useNamesAsIds?: boolean;
}

/**
 * A SpikeGLX stream as a recording (SpikeInterface's `SpikeGLXRecordingExtractor`): channel ids
 * `<stream>#<name>`, gains from the .meta as neo computes them, one segment per gate/trigger with its
 * `firstSample` start time, and for imec probe streams the probe of the AP .meta (group by shank,
 * `inter_sample_shift`, `saturation_threshold_uV`). Open with {@link readSpikeglx}.
 */
export class SpikeGLXRecordingExtractor extends BaseRecording {
  static override readonly className: string = 'SpikeGLXRecordingExtractor';
  static override readonly classPath: string = 'spikeinterface.extractors.neoextractors.spikeglx.SpikeGLXRecordingExtractor';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;

  /** The stream read: `imec0.ap`, `imec0.ap-SYNC`, `nidq`, ... */
  readonly streamId: string;
  /** The same text (SpikeGLX stream names are their ids). */
  readonly streamName: string;
  private readonly _sources: ByteSource[];

  private constructor(stream: SpikeglxStream, channelIds: string[], segments: BaseRecordingSegment[], sources: ByteSource[]) {
    super(stream.samplingRate, channelIds, 'int16');
    for (const s of segments) this.addRecordingSegment(s);
    this.streamId = stream.id;
    this.streamName = stream.id;
    this._sources = sources;
  }

  /**
   * Opens one stream of a SpikeGLX folder (any {@link FolderInput}: a path, an http(s) URL, picked
   * files, a directory handle). Errors: `NOT_FOUND` (no .meta/.bin pair), `FORMAT` (a .meta neo
   * cannot read, a .bin of an odd size, two pairs for the same stream and segment, a stream missing
   * in a segment), `INVALID_ARGUMENT` (no or unknown stream with several streams, bad options).
   */
  static async open(folder: FolderInput, opts: ReadSpikeglxOptions = {}): Promise<SpikeGLXRecordingExtractor> {
    check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `readSpikeglx options must be an object, got ${describe(opts)}`);
    // SpikeInterface 0.105 dropped load_sync_channel: SY0 is always the '<stream>-SYNC' stream.
    check(!Object.hasOwn(opts, 'loadSyncChannel'), 'INVALID_ARGUMENT',
      'readSpikeglx has no loadSyncChannel option: read the SY0 channel as its own stream, streamId "<stream>-SYNC" (e.g. "imec0.ap-SYNC")');
    const streamId = opts.streamId ?? null;
    const streamName = opts.streamName ?? null;
    for (const [k, v] of [['streamId', streamId], ['streamName', streamName]] as const) {
      check(v === null || (typeof v === 'string' && v !== ''), 'INVALID_ARGUMENT', () => `${k} must be a stream id such as "imec0.ap", got ${describe(v)}`);
    }
    const allAnnotations = opts.allAnnotations ?? false;
    const useNamesAsIds = opts.useNamesAsIds ?? false;
    check(typeof allAnnotations === 'boolean', 'INVALID_ARGUMENT', () => `allAnnotations must be true or false, got ${describe(allAnnotations)}`);
    check(typeof useNamesAsIds === 'boolean', 'INVALID_ARGUMENT', () => `useNamesAsIds must be true or false, got ${describe(useNamesAsIds)}`);

    const { reader, scan, streams } = await openSpikeglxStreams(folder, opts);
    const used = new Set<ByteSource>();
    try {
      const stream = streams[selectNeoStream(streamList(streams), streamId, streamName)];
      const names = [...stream.channelNames];
      if (useNamesAsIds && new Set(names).size !== names.length) {
        throw new SpikewireError('INVALID_ARGUMENT', `useNamesAsIds is not possible for stream ${stream.id}: its channel names are not unique`);
      }
      const channelIds = useNamesAsIds ? names : names.map((n) => `${stream.fileStream}#${n}`);
      const segments = stream.files.map((info) => {
        const source = scan.sources.get(info.binPath)!;
        used.add(source);
        warnOnSizeMismatch(info, reader.name);
        return int16ColumnSegment({
          source, numColumns: info.numChan, columns: stream.columns, numSamples: info.sampleLength,
          samplingFrequency: stream.samplingRate, tStart: info.tStart,
        });
      });
      const rec = new SpikeGLXRecordingExtractor(stream, channelIds, segments, [...used]);
      rec.setNeoProperties(stream, useNamesAsIds);
      if (allAnnotations) {
        rec.annotate({ stream_name: stream.id, stream_id: stream.id, file_origin: reader.name });
        rec.setProperty('channel_names', names); // numpy's <U{longest} array of neo's annotations
      }
      const kwargs: Record<string, unknown> = { all_annotations: allAnnotations };
      if (streamName !== null) kwargs.stream_name = streamName;
      if (streamId !== null) kwargs.stream_id = streamId;
      kwargs.use_names_as_ids = useNamesAsIds;
      kwargs.folder_path = reader.name;
      rec._kwargs = kwargs;
      if (!/nidq|obx|SYNC/.test(stream.id)) await rec.attachProbe(reader, stream);
      return rec;
    } catch (error) {
      await Promise.all([...used].map((s) => s.close().catch(() => {})));
      throw error;
    } finally {
      for (const source of scan.sources.values()) if (!used.has(source)) await source.close().catch(() => {});
    }
  }

  /** neo's gains and units as SpikeInterface's properties (see setNeoChannelProperties). */
  private setNeoProperties(stream: SpikeglxStream, useNamesAsIds: boolean): void {
    // SpikeInterface flips the sign of all-negative gains and of the samples: no SpikeGLX file has them.
    setNeoChannelProperties(this._properties, new Array<string>(stream.columns.length).fill(stream.units), Array.from(stream.gains),
      useNamesAsIds ? null : stream.channelNames, `every gain of stream ${stream.id} is negative: not a SpikeGLX recording spikewire reads`);
  }

  /**
   * The probe of the stream's AP .meta (for an LF stream, the path with ".lf" replaced by ".ap"
   * everywhere, as SpikeInterface does it), or a warning when that file is missing.
   */
  private async attachProbe(reader: FolderReader, stream: SpikeglxStream): Promise<void> {
    // SpikeInterface takes the last pair of the stream in discovery order.
    const metaPath = stream.files.reduce((a, b) => (a.metaPath > b.metaPath ? a : b)).metaPath;
    const full = `${reader.name}/${metaPath}`;
    const apFull = stream.id.includes('lf') ? full.replaceAll('.lf', '.ap') : full;
    const prefix = `${reader.name}/`;
    const apPath = apFull.startsWith(prefix) ? apFull.slice(prefix.length) : null;
    if (apPath === null || !(await reader.exists(apPath))) {
      console.warn(`spikewire: no AP .meta (${apFull}) for stream ${stream.id}: the probe information will not be loaded`);
      return;
    }
    const probe = await readSpikeglxProbe(await readMetaText(reader, apPath));
    this.setProbe(probe, probe.shankIds !== null ? { groupMode: 'by_shank' } : {});
    const shifts = getNeuropixelsSampleShiftsFromProbe(probe);
    if (shifts !== null) this.setProperty('inter_sample_shift', shifts);
    const saturation = computeSaturationThresholdFromProbe(probe, stream.id);
    if (saturation !== null) this.annotate({ saturation_threshold_uV: saturation });
  }

  /** The byte sources of the .bin files read (one per segment). */
  get sources(): ByteSource[] {
    return [...this._sources];
  }

  /** A worker reopens the folder by path: only local files travel. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    return localSourcesProblem(this.className, this._sources, isLocalFile);
  }
}

/**
 * Opens one stream of a SpikeGLX run folder as a lazy recording: SpikeInterface's `read_spikeglx`.
 * See {@link SpikeGLXRecordingExtractor.open}.
 */
export function readSpikeglx(folder: FolderInput, opts?: ReadSpikeglxOptions): Promise<SpikeGLXRecordingExtractor> {
  return SpikeGLXRecordingExtractor.open(folder, opts);
}
