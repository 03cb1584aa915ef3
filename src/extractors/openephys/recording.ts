// SpikeInterface's OpenEphysBinaryRecordingExtractor (read_openephys for the binary format): the
// choice of experiment and stream SpikeInterface makes, neo's channels and start times, the probe
// from settings.xml, the synchronized timestamps, and the kwargs SpikeInterface records.
import { SpikewireError, check, describe } from '../../errors.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../../core/index.js';
import type { BaseRecordingSegment } from '../../core/segment.js';
import { openFolder, type FolderInput, type OpenFolderOptions } from '../../store/open-folder.js';
import type { FolderReader } from '../../store/folder-access.js';
import { int16ColumnSegment, pyStrList, selectNeoStream, setNeoChannelProperties } from '../neo-base.js';
import { localSourcesProblem } from '../binary-recording.js';
import type { ByteSource } from '../../store/source.js';
import { discoverOpenephys, sortedExperiments, sortedRecordings, type OpenephysFolder } from './discover.js';
import { buildHeader, neoStreams, sliceColumns, streamAt, tStartBuffer, type NeoHeader, type NeoSignalStream } from './header.js';
import { readNpyStart, readNpyNumbers } from './npy-files.js';
import { attachOpenephysProbe } from './probe.js';

/**
 * Options of {@link readOpenephys}: SpikeInterface's `read_openephys` keyword arguments in camelCase,
 * plus those of an HTTP folder (`files`, `timeoutMs`, …) and an abort signal.
 */
export interface ReadOpenephysOptions extends OpenFolderOptions {
  /** The stream id ('0', '1', or a SYNC stream's name), as {@link getOpenephysStreams} lists them. */
  streamId?: string | null;
  /** The stream name ('Record Node 101#Neuropix-PXI-100.ProbeA-AP'). */
  streamName?: string | null;
  /** Which experiment (neo block) by position; not with `experimentName`. */
  blockIndex?: number | null;
  /** Which experiment by folder name ('experiment2'); not with `blockIndex`. */
  experimentName?: string | null;
  /** Deprecated in SpikeInterface (use `experimentName`): the experiments neo keeps. */
  experimentNames?: string | readonly string[] | null;
  /** Times from each segment's timestamps.npy (the GUI's synchronized clock) instead of t_start + i / rate. */
  loadSyncTimestamps?: boolean;
  /** Adds neo's stream annotations and the oebin's per-channel fields as properties. */
  allAnnotations?: boolean;
}

const OPTION_NAMES = new Set([
  'streamId', 'streamName', 'blockIndex', 'experimentName', 'experimentNames', 'loadSyncTimestamps', 'allAnnotations',
  'signal', 'fetch', 'timeoutMs', 'allowedOrigins', 'files',
]);

const optionalString = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === 'string';

function checkOptions(opts: ReadOpenephysOptions): void {
  check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `readOpenephys options must be an object, got ${describe(opts)}`);
  for (const key of Object.keys(opts)) {
    // SpikeInterface answers an unknown keyword (load_sync_channel, removed in 0.102) with a TypeError.
    check(OPTION_NAMES.has(key), 'INVALID_ARGUMENT', () => `readOpenephys got an unexpected option ${describe(key)}`);
  }
  for (const key of ['streamId', 'streamName', 'experimentName'] as const) {
    check(optionalString(opts[key]), 'INVALID_ARGUMENT', () => `${key} ${describe(opts[key])} must be a string`);
  }
  const b = opts.blockIndex;
  check(b === undefined || b === null || (Number.isSafeInteger(b) && b >= 0), 'INVALID_ARGUMENT', () => `blockIndex ${describe(b)} must be a non-negative integer`);
  const names = opts.experimentNames;
  check(names === undefined || names === null || typeof names === 'string' || (Array.isArray(names) && names.every((n) => typeof n === 'string')),
    'INVALID_ARGUMENT', () => `experimentNames ${describe(names)} must be a string or a list of strings`);
  for (const key of ['loadSyncTimestamps', 'allAnnotations'] as const) {
    check(opts[key] === undefined || typeof opts[key] === 'boolean', 'INVALID_ARGUMENT', () => `${key} ${describe(opts[key])} must be true or false`);
  }
}

/** neo's reading of the folder for the chosen experiments: what SpikeInterface's get_streams parses. */
async function parse(reader: FolderReader, experimentNames: readonly string[] | null, signal?: AbortSignal): Promise<NeoHeader> {
  return buildHeader(await discoverOpenephys(reader, { experimentNames, signal }));
}

/** The experiment names of the folder (SpikeInterface's `get_available_experiments`). */
async function availableExperiments(reader: FolderReader, signal?: AbortSignal): Promise<OpenephysFolder['experimentNames']> {
  // the read walks the folder again (parse): its warnings come from that walk
  return (await discoverOpenephys(reader, { signal, ownWarnings: false })).experimentNames;
}

/**
 * An Open Ephys binary recording (GUI 0.5+: Record Node / experiment / recording folders with
 * structure.oebin and continuous.dat): SpikeInterface's OpenEphysBinaryRecordingExtractor over neo's
 * OpenEphysBinaryRawIO. One stream of one experiment; each recording is a segment. Samples are read
 * lazily from continuous.dat (opening reads only the oebin, the first sample number of each stream and,
 * for Neuropixels streams, settings.xml).
 */
export class OpenEphysBinaryRecordingExtractor extends BaseRecording {
  static override readonly className: string = 'OpenEphysBinaryRecordingExtractor';
  static override readonly classPath: string = 'spikeinterface.extractors.neoextractors.openephys.OpenEphysBinaryRecordingExtractor';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;

  /** neo's id of the stream read ('0', '1', or the SYNC stream's name). */
  readonly streamId: string;
  /** neo's name of the stream read. */
  readonly streamName: string;
  /** The neo block (experiment position) read. */
  readonly blockIndex: number;
  /** The folder it was read from. */
  readonly folder: FolderReader;
  /** Each segment's stream folder (relative to the folder; empty for SYNC streams, as SpikeInterface keeps none). */
  readonly streamFolders: readonly string[];
  /** Each segment's continuous.dat. */
  private readonly sources: readonly ByteSource[];

  private constructor(init: {
    header: NeoHeader;
    stream: NeoSignalStream;
    blockIndex: number;
    segments: BaseRecordingSegment[];
    sources: ByteSource[];
    streamFolders: string[];
  }) {
    const { stream } = init;
    super(stream.samplingFrequency, stream.channels.map((c) => c.name), 'int16');
    for (const s of init.segments) this.addRecordingSegment(s);
    this.streamId = stream.id;
    this.streamName = stream.name;
    this.blockIndex = init.blockIndex;
    this.folder = init.header.folder.reader;
    this.streamFolders = init.streamFolders;
    this.sources = init.sources;
    setNeoChannelProperties(this._properties, stream.channels.map((c) => c.units), stream.channels.map((c) => c.gain),
      stream.channels.map((c) => c.name), `every channel of ${stream.name} has a negative bit_volts: spikewire does not read such streams`);
  }

  /**
   * Opens one stream of an Open Ephys binary folder (any level: the root with Record Nodes, a Record
   * Node, an experiment or a recording folder), as SpikeInterface's `read_openephys`. Errors:
   * `INVALID_ARGUMENT` (several experiments and none chosen, both `experimentName` and `blockIndex`,
   * an unknown experiment, several streams and none chosen, an unknown stream id or name, an unknown
   * option), `NOT_FOUND` (no structure.oebin, a missing continuous.dat or sample_numbers.npy),
   * `FORMAT` (a broken oebin, recordings that disagree on their streams, a continuous.dat whose size
   * is not a whole number of int16 values), `IO`, `ABORTED`.
   */
  static async open(input: FolderInput, opts: ReadOpenephysOptions = {}): Promise<OpenEphysBinaryRecordingExtractor> {
    checkOptions(opts);
    const { signal } = opts;
    const experimentName = opts.experimentName ?? null;
    let blockIndex = opts.blockIndex ?? null;
    const CLASS = 'OpenEphysBinaryRecordingExtractor';
    if (experimentName !== null && blockIndex !== null) {
      throw new SpikewireError('INVALID_ARGUMENT', `${CLASS}: Cannot specify both 'experimentName' and 'blockIndex'. Please use either 'experimentName' or 'blockIndex', but not both.`);
    }
    const reader = openFolder(input, opts, 'folderPath of readOpenephys');
    let forNeo: readonly string[] | null = null;
    if (opts.experimentNames !== undefined && opts.experimentNames !== null) {
      console.warn(`spikewire: ${CLASS}: 'experimentNames' is deprecated (as in SpikeInterface); use 'experimentName' to select a single experiment (e.g., experimentName: 'experiment2').`);
      forNeo = typeof opts.experimentNames === 'string' ? [opts.experimentNames] : [...opts.experimentNames];
    }
    if (experimentName !== null) {
      const available = await availableExperiments(reader, signal);
      if (!available.includes(experimentName)) {
        throw new SpikewireError('INVALID_ARGUMENT', `${CLASS}: experimentName '${experimentName}' not found. Available experiments: ${pyStrList(available)}`);
      }
      forNeo = [experimentName];
      // The one experiment kept is neo's block 0; SpikeInterface then records block_index 0 in its
      // kwargs beside experiment_name, so that its own dict does not load again (a SpikeInterface bug,
      // copied: see from-dict.ts).
      blockIndex = 0;
    } else if (blockIndex === null && forNeo === null) {
      const available = await availableExperiments(reader, signal);
      if (available.length > 1) {
        throw new SpikewireError(
          'INVALID_ARGUMENT',
          `${CLASS}: Multiple experiments found: ${pyStrList(available)}. Please specify which experiment to load using the 'experimentName' option. ` +
            `Example: experimentName: '${available[0]}'`,
        );
      }
    }
    const header = await parse(reader, forNeo, signal);
    const streams = neoStreams(header);
    const streamId = opts.streamId ?? null;
    let streamName = opts.streamName ?? null;
    if (streamId === null && streamName === null && streams.streamNames.length === 2 && streams.streamNames.some((n) => n.includes('SYNC'))) {
      // A neural stream and its SYNC stream: SpikeInterface picks the neural one (and records its name).
      streamName = streams.streamNames.find((n) => !n.includes('SYNC'))!;
    }
    const numBlocks = header.blocks.length;
    if (blockIndex === null && numBlocks > 1) {
      throw new SpikewireError('INVALID_ARGUMENT', "This dataset is multi-block. spikewire loads one block at a time: use 'blockIndex' to select the block to be loaded.");
    }
    const block = blockIndex ?? 0;
    if (block >= numBlocks) throw new SpikewireError('INVALID_ARGUMENT', `blockIndex ${block} is out of range: the folder has ${numBlocks} experiment(s) (blocks 0..${numBlocks - 1})`);
    const index = selectNeoStream(streams, streamId, streamName);
    const stream = header.streams[index];

    const segments: BaseRecordingSegment[] = [];
    const sources: ByteSource[] = [];
    try {
      const numSegments = header.blocks[block].length;
      const timesFrom = header.signalStreamNames[tStartBuffer(header, index)];
      for (let s = 0; s < numSegments; s++) {
        const buffer = streamAt(header, block, s, header.signalStreamNames[stream.buffer]);
        const source = await reader.openSource(`${buffer.dir}/continuous.dat`);
        try {
          const width = buffer.oebin.channels.length;
          if (source.size % 2 !== 0) {
            throw new SpikewireError('FORMAT', `${source.name}: Size of available data is not a multiple of the data-type size (${source.size} bytes of int16 values).`);
          }
          if (width === 0) throw new SpikewireError('FORMAT', `${reader.name}/${buffer.dir}: the structure.oebin lists no channel for this stream`);
          const numSamples = Math.floor(source.size / 2 / width);
          const numbered = await sampleIndex(reader, buffer, signal);
          checkChannelCount(source, width, numbered.length);
          const columns = sliceColumns(stream.slice, width);
          const n = stream.channels.length;
          if (columns.length < n) {
            throw new SpikewireError('FORMAT', `${reader.name}/${buffer.dir}: its structure.oebin lists ${width} channels, too few for the ${n} channels of ${stream.name} in the first recording`);
          }
          // When a later recording lists more channels than the first, neo hands SpikeInterface more
          // columns than the stream has channels; spikewire keeps the stream's own first columns.
          const timed = streamAt(header, block, s, timesFrom);
          const { first } = timed.dir === buffer.dir ? numbered : await sampleIndex(reader, timed, signal);
          const tStart = first === null ? 0 : first / timed.oebin.sample_rate;
          if (first !== null && !timed.has.sampleNumbers) warnTimestampStart(`${reader.name}/${timed.dir}`, first, tStart, s);
          sources.push(source);
          segments.push(int16ColumnSegment({ source, numColumns: width, columns: columns.slice(0, n), numSamples, samplingFrequency: stream.samplingFrequency, tStart }));
        } catch (error) {
          await source.close().catch(() => {});
          throw error;
        }
      }
      const isSync = stream.name.includes('SYNC');
      const streamFolders: string[] = [];
      const rec = new OpenEphysBinaryRecordingExtractor({ header, stream, blockIndex: block, segments, sources, streamFolders });
      if (opts.allAnnotations) rec.addAllAnnotations(header, index, block);
      if (!isSync) {
        const [recordNode, oeStream] = splitStreamName(stream.name);
        const node = header.folder.nodes.get(recordNode);
        if (!node) throw new SpikewireError('FORMAT', `stream ${describe(stream.name)} names record node ${describe(recordNode)}, which the folder does not have`);
        const experiments = sortedExperiments(node);
        const experiment = experiments[block];
        if (!experiment) throw new SpikewireError('FORMAT', `record node ${describe(recordNode)} has ${experiments.length} experiment(s), no block ${block}`);
        // No probe for NI-DAQ streams (SpikeInterface's rule, by name).
        if (!stream.name.includes('NI-DAQmx') && experiment.settingsFile !== null) {
          await attachOpenephysProbe(rec, reader, experiment.settingsFile, oeStream);
        }
        const recordings = sortedRecordings(experiment);
        for (const r of recordings) streamFolders.push(canonicalStreamFolder(r.dir, experiment.id, r.id, oeStream));
        if (opts.loadSyncTimestamps) await rec.loadSyncTimes(header, stream.name);
        rec.annotate({ experiment_name: `experiment${experiment.id}` });
      }
      const kwargs: Record<string, unknown> = { all_annotations: opts.allAnnotations ?? false };
      if (blockIndex !== null) kwargs.block_index = blockIndex;
      if (streamName !== null) kwargs.stream_name = streamName;
      if (streamId !== null) kwargs.stream_id = streamId;
      kwargs.folder_path = reader.name;
      kwargs.experiment_name = experimentName;
      kwargs.load_sync_timestamps = opts.loadSyncTimestamps ?? false;
      rec._kwargs = kwargs;
      return rec;
    } catch (error) {
      await Promise.all(segments.map((s) => s.close().catch(() => {})));
      throw error;
    }
  }

  /** neo's annotations of the stream and the oebin's per-channel fields (all_annotations=True). */
  private addAllAnnotations(header: NeoHeader, streamIndex: number, block: number): void {
    const stream = header.streams[streamIndex];
    this.annotate({ stream_name: stream.name, stream_id: stream.id, file_origin: header.folder.reader.name });
    this.setProperty('channel_names', stream.channels.map((c) => c.name));
    const nSig = header.signalStreamNames.length;
    const neural = streamIndex < nSig;
    const infoName = header.signalStreamNames[neural ? streamIndex : streamIndex - nSig];
    const info = infoName === undefined ? undefined : streamAt(header, block, 0, infoName).oebin;
    if (!info || info.channels.length === 0) return;
    const hasSync = info.channels.some((c) => c.channel_name.includes('SYNC'));
    for (const key of ['identifier', 'history', 'source_processor_index', 'recorded_processor_index']) {
      if (!Object.hasOwn(info.channels[0], key)) continue;
      // neo's slicing, as it is: for a SYNC stream it takes the values of another stream's channels,
      // which leaves none, and SpikeInterface's set_property fails; so does this.
      let values = info.channels.map((c) => c[key]);
      if (hasSync) values = values.slice(0, -1);
      if (stream.name.includes('SYNC')) values = values.slice(-1);
      if (!info.channels.length || !infoName.includes('OneBox')) {
        const numNeural = info.channels.filter((c) => !c.channel_name.includes('ADC')).length;
        values = neural ? values.slice(0, numNeural) : values.slice(numNeural);
      }
      if (values.length !== this.getNumChannels()) {
        throw new SpikewireError('UNSUPPORTED', `allAnnotations: Values must have the same size as the main ids: ${this.getNumChannels()} but got array of size ${values.length} (neo's ${key} of ${stream.name})`);
      }
      this.setProperty(key, values);
    }
  }

  /** SpikeInterface's load_sync_timestamps: each segment's times from its stream folder's timestamps.npy. */
  private async loadSyncTimes(header: NeoHeader, streamName: string): Promise<void> {
    for (let s = 0; s < this.streamFolders.length; s++) {
      const dir = this.streamFolders[s];
      const reader = header.folder.reader;
      let rel: string | null = null;
      if (await reader.exists(`${dir}/sample_numbers.npy`)) rel = `${dir}/timestamps.npy`; // GUI 0.6+
      else if (await reader.exists(`${dir}/synchronized_timestamps.npy`)) rel = `${dir}/synchronized_timestamps.npy`;
      try {
        if (rel === null) throw new SpikewireError('NOT_FOUND', `no timestamps in ${dir}`);
        this.setTimes(await readNpyNumbers(reader, rel), s);
      } catch (error) {
        if (error instanceof SpikewireError && error.code === 'ABORTED') throw error;
        // SpikeInterface catches every failure here and warns.
        console.warn(`spikewire: Could not load synchronized timestamps for ${streamName}`);
      }
    }
  }

  /** A worker reopens the folder by path: only folders on this machine's disk travel. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    return localSourcesProblem(this.className, this.sources, isLocalFile);
  }

  /** The experiment names of an Open Ephys folder (SpikeInterface's `get_available_experiments`). */
  static async getAvailableExperiments(input: FolderInput, opts: OpenFolderOptions = {}): Promise<string[]> {
    return availableExperiments(openFolder(input, opts, 'folderPath of getAvailableExperiments'), opts.signal);
  }
}

/**
 * The stream folder SpikeInterface rebuilds from the numbers (experiment<N>/recording<M>/continuous/
 * <stream>, so 'experiment01' becomes 'experiment1'), relative to the reader: the recording's own
 * folder with the experiment and recording names that lie inside the reader renamed.
 */
function canonicalStreamFolder(recordingDir: string, experimentId: number, recordingId: number, oeStream: string): string {
  const parts = recordingDir === '' ? [] : recordingDir.split('/');
  if (parts.length >= 1) parts[parts.length - 1] = `recording${recordingId}`;
  if (parts.length >= 2) parts[parts.length - 2] = `experiment${experimentId}`;
  return [...parts, 'continuous', oeStream].join('/');
}

/** 'Record Node 101#Neuropix-PXI-100.ProbeA-AP' → ['Record Node 101', 'Neuropix-PXI-100.ProbeA-AP']. */
function splitStreamName(name: string): [string, string] {
  if (!name.includes('#')) return ['', name];
  const parts = name.split('#');
  // Python's `a, b = name.split("#")` fails on a second '#'.
  if (parts.length !== 2) throw new SpikewireError('FORMAT', `stream name ${describe(name)} has more than one '#'`);
  return [parts[0], parts[1]];
}

/**
 * The first sample number of a stream in a recording (neo's t_start is it divided by the rate) and
 * how many samples the file numbers. neo falls back to timestamps.npy (seconds) without
 * sample_numbers.npy and still divides by the rate; both files hold one value per sample.
 */
async function sampleIndex(reader: FolderReader, stream: ReturnType<typeof streamAt>, signal?: AbortSignal): Promise<{ first: number | null; length: number }> {
  const file = stream.has.sampleNumbers ? 'sample_numbers.npy' : 'timestamps.npy';
  if (!stream.has.sampleNumbers && !stream.has.timestamps) {
    throw new SpikewireError('NOT_FOUND', `${reader.name}/${stream.dir} has neither sample_numbers.npy nor timestamps.npy`);
  }
  return readNpyStart(reader, `${stream.dir}/${file}`, signal);
}

/**
 * Without sample_numbers.npy neo takes t_start from timestamps.npy, which holds seconds, and still
 * divides it by the sampling rate: a start at 3.1 s becomes 0.0001 s. spikewire keeps neo's value
 * (dicts and saved folders must match SpikeInterface's) and says so.
 */
function warnTimestampStart(dir: string, first: number, tStart: number, segment: number): void {
  console.warn(
    `spikewire: ${dir} has no sample_numbers.npy: segment ${segment} starts at ${tStart} s, timestamps.npy's first value (${first} s) ` +
      'divided by the sampling rate, as SpikeInterface computes it (setTimes with the values of timestamps.npy gives the recorded times)',
  );
}

/**
 * Refuses a continuous.dat whose structure.oebin declares the wrong number of channels, which neo
 * does not detect: it reads floor(size / 2 / channels) frames of the declared width, every frame
 * then taking samples of the next one, channels drifting through each other. The evidence is the
 * sample count beside it: a .dat of exactly `samples` frames of another width (`FORMAT`), or more
 * bytes than `samples` frames of the declared width hold (a warning: the numbering or the count is
 * off). A .dat shorter than its sample numbers (a recording cut short) is read as neo reads it.
 */
function checkChannelCount(source: ByteSource, width: number, samples: number): void {
  if (samples <= 0) return;
  const frames = source.size / 2 / samples;
  if (Number.isInteger(frames) && frames !== width) {
    throw new SpikewireError(
      'FORMAT',
      `${source.name} holds ${samples} frames of ${frames} channels (one per sample number), but its structure.oebin lists ${width} channels: ` +
        `read as ${width} channels (as SpikeInterface does) every frame would mix samples of neighbouring frames`,
    );
  }
  if (source.size > samples * width * 2) {
    console.warn(
      `spikewire: ${source.name} has ${source.size} bytes, more than the ${samples} frames of ${width} channels its sample numbers and ` +
        `structure.oebin describe (${samples * width * 2} bytes): reading ${Math.floor(source.size / 2 / width)} frames; check the channel count of structure.oebin`,
    );
  }
}

/**
 * Reads one stream of an Open Ephys binary folder as a lazy recording: SpikeInterface's
 * `read_openephys` (binary format). See {@link OpenEphysBinaryRecordingExtractor.open}.
 */
export function readOpenephys(folder: FolderInput, opts: ReadOpenephysOptions = {}): Promise<OpenEphysBinaryRecordingExtractor> {
  return OpenEphysBinaryRecordingExtractor.open(folder, opts);
}

/** Options of {@link getOpenephysStreams}. */
export interface OpenephysStreamsOptions extends OpenFolderOptions {
  /** The experiments neo keeps (default all). */
  experimentNames?: string | readonly string[] | null;
}

/** The stream names and ids of an Open Ephys binary folder (SpikeInterface's `get_neo_streams('openephys', folder)`). */
export async function getOpenephysStreams(folder: FolderInput, opts: OpenephysStreamsOptions = {}): Promise<{ streamNames: string[]; streamIds: string[] }> {
  const names = opts.experimentNames;
  const list = names === undefined || names === null ? null : typeof names === 'string' ? [names] : [...names];
  return neoStreams(await parse(openFolder(folder, opts, 'folderPath of getOpenephysStreams'), list, opts.signal));
}

/** The number of neo blocks (experiments) of an Open Ephys binary folder (`get_neo_num_blocks`). */
export async function getOpenephysNumBlocks(folder: FolderInput, opts: OpenFolderOptions = {}): Promise<number> {
  return (await parse(openFolder(folder, opts, 'folderPath of getOpenephysNumBlocks'), null, opts.signal)).blocks.length;
}
