import { allocate, isFloat, itemSize, type DType, type TypedArray, type TypedArrayOf } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { throwIfAborted } from '../abort.js';
import { getKernel } from '../kernel/index.js';
import { resolveChunkSize, type ChunkOptions } from './chunking.js';
import { allIndices, type ChannelId } from './ids.js';
import { ChannelSliceRecordingSegment } from './views/channel-slice.js';
import { FrameSliceRecordingSegment } from './views/frame-slice.js';
import type { PropertyValue } from './properties.js';
import { BaseRecordingSnippets } from './recording-snippets.js';
import { formatRecordingRepr } from './repr.js';
import { MAIN_ANNOTATIONS, MAIN_PROPERTIES, SPIKEINTERFACE_VERSION, canMakePathsRelative, makePathsRelative, type ExtractorDict, type ToDictOptions } from './serialize.js';
import type { BaseRecordingSegment } from './segment.js';
import type { SaveOptions } from '../formats/save.js';
import type { NumpyRecording } from './numpy.js';
import type { DumpOptions } from '../formats/dump.js';

/**
 * Samples read from a recording: time-major (C order) `[numSamples, numChannels]`, of dtype `D` (the
 * array type follows it: `Traces<'int16'>` holds an `Int16Array`).
 */
export interface Traces<D extends DType = DType> {
  data: TypedArrayOf<D>;
  shape: [numSamples: number, numChannels: number];
  dtype: D;
}

/**
 * The dtype of traces in µV from a recording of dtype `D`: float32, except that float64 samples
 * without gains pass through unchanged (as SpikeInterface returns them).
 */
export type ScaledDType<D extends DType> = D extends 'float64' ? 'float32' | 'float64' : 'float32';

/** What `recording.save({ format: 'zip' })` returns: the saved recording and its zip (a path, or a Blob without a folder). */
export type SavedZipRecording = BaseRecording & { readonly archive: string | Blob };

/** A chunk yielded by {@link BaseRecording.chunks}: a view into the kernel's memory plus where it sits. */
export interface TracesChunk<D extends DType = DType> extends Traces<D> {
  segmentIndex: number;
  startFrame: number;
}

/** Options of {@link BaseRecording.getTraces}. */
export interface GetTracesOptions {
  /** Which segment; may be left out only for one-segment recordings. */
  segmentIndex?: number;
  /** First frame (default 0). */
  startFrame?: number;
  /** End frame, exclusive (default: the segment's end; past the end is clipped). */
  endFrame?: number;
  /** Channels to read, in any order and any subset (default: all). */
  channelIds?: readonly ChannelId[];
  /** float32 `x * gain + offset` in µV (bit-exact with numpy) instead of raw samples. */
  returnInUV?: boolean;
  /** Output buffer of the output dtype with room for every sample; returned filled. */
  out?: TypedArray;
  /** Stops the read with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** Options of {@link BaseRecording.chunks}. */
export interface ChunksOptions extends ChunkOptions {
  /** One segment only (default: every segment in turn). */
  segmentIndex?: number;
  channelIds?: readonly ChannelId[];
  returnInUV?: boolean;
  signal?: AbortSignal;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** How a recording class travels: see {@link BaseRecording.serializability}. */
export interface Serializability {
  memory: boolean;
  json: boolean;
  pickle: boolean;
  worker: boolean;
}

/** Recordings whose samples come from files or from the recordings they wrap: every way. */
export const TRAVELS_EVERY_WAY: Readonly<Serializability> = Object.freeze({ memory: true, json: true, pickle: true, worker: true });

/**
 * A multi-segment extracellular recording: channel ids, sampling frequency, dtype, properties,
 * annotations and times. Its segments read samples; the recording checks requests and turns them
 * into reads through the WebAssembly kernel. Views (channel / frame / segment slices) are lazy.
 */
export abstract class BaseRecording<D extends DType = DType> extends BaseRecordingSnippets {
  /** SpikeInterface's class name, used by the repr and by dicts. */
  static readonly className: string = 'BaseRecording';
  /** SpikeInterface's full class string in dicts (`module.path.ClassName`). */
  static readonly classPath: string = 'spikeinterface.core.baserecording.BaseRecording';
  /**
   * How instances travel (SpikeInterface's `_serializability`): `memory` (copied in this process),
   * `json` and `pickle` (described by a dict: toDict, dumps), `worker` (rebuilt from that dict by a
   * worker thread of the parallel writer, with the same samples). Readers of files set `worker` and
   * say per instance whether their files can be reopened ({@link workerProblem}).
   */
  static readonly serializability: Readonly<Serializability> = { memory: true, json: true, pickle: true, worker: false };

  protected readonly _segments: BaseRecordingSegment[] = [];
  protected constructor(
    samplingFrequency: number,
    channelIds: ArrayLike<ChannelId>,
    protected readonly _dtype: DType,
  ) {
    check(
      typeof samplingFrequency === 'number' && samplingFrequency > 0 && Number.isFinite(samplingFrequency),
      'INVALID_ARGUMENT',
      () => `samplingFrequency ${describe(samplingFrequency)} must be a positive number of Hz`,
    );
    itemSize(_dtype); // throws for an unknown dtype
    super(samplingFrequency, channelIds); // then the channel ids
  }

  /** Adds a segment (subclasses build their segments with this). */
  protected addRecordingSegment(segment: BaseRecordingSegment): void {
    this._segments.push(segment);
  }

  /** The segment objects, for views that wrap them. */
  get segments(): readonly BaseRecordingSegment[] {
    return this._segments;
  }

  /** SpikeInterface's class name of this recording. */
  get className(): string {
    return (this.constructor as typeof BaseRecording).className;
  }

  // ---------------------------------------------------------------- ids, sizes
  /** Number of segments. */
  getNumSegments(): number {
    return this._segments.length;
  }
  /** Sample type of the raw traces. */
  getDtype(): D {
    return this._dtype as D;
  }
  /** The segment index to use: `segmentIndex`, or 0 for a one-segment recording. */
  protected checkSegmentIndex(segmentIndex?: number | null): number {
    const n = this._segments.length;
    if (segmentIndex === undefined || segmentIndex === null) {
      if (n === 1) return 0;
      throw new SpikewireError(
        'SEGMENT_INDEX_REQUIRED',
        `this recording has ${n} segments: pass segmentIndex (0..${n - 1})`,
      );
    }
    if (!Number.isInteger(segmentIndex) || segmentIndex < 0 || segmentIndex >= n) {
      throw new SpikewireError('OUT_OF_RANGE', `segmentIndex ${describe(segmentIndex)} is out of range: this recording has ${n} segment${n === 1 ? '' : 's'}`);
    }
    return segmentIndex;
  }

  /** Number of samples of a segment. */
  getNumSamples(segmentIndex?: number): number {
    return this._segments[this.checkSegmentIndex(segmentIndex)].getNumSamples();
  }
  /** Alias of {@link getNumSamples}. */
  getNumFrames(segmentIndex?: number): number {
    return this.getNumSamples(segmentIndex);
  }
  /** Samples over all segments. */
  getTotalSamples(): number {
    return this._segments.reduce((sum, s) => sum + s.getNumSamples(), 0);
  }
  /** Duration of a segment in seconds: end time − start time + one sample. */
  getDuration(segmentIndex?: number): number {
    const s = this._segments[this.checkSegmentIndex(segmentIndex)];
    return s.getEndTime() - s.getStartTime() + 1 / this._samplingFrequency;
  }
  /** Sum of the segment durations. */
  getTotalDuration(): number {
    let total = 0;
    for (let i = 0; i < this._segments.length; i++) total += this.getDuration(i);
    return total;
  }
  /** Bytes of a segment's raw traces. */
  getMemorySize(segmentIndex?: number): number {
    return this.getNumSamples(segmentIndex) * this.getNumChannels() * itemSize(this._dtype);
  }
  /** Bytes of every segment's raw traces. */
  getTotalMemorySize(): number {
    return this.getTotalSamples() * this.getNumChannels() * itemSize(this._dtype);
  }

  // ---------------------------------------------------------------- traces
  /**
   * Reads samples (see {@link GetTracesOptions}); the returned array belongs to the caller. Raw
   * traces have the recording's dtype; in µV they are float32 (see {@link ScaledDType}).
   */
  getTraces(opts: GetTracesOptions & { returnInUV: true }): Promise<Traces<ScaledDType<D>>>;
  getTraces(opts?: GetTracesOptions & { returnInUV?: false }): Promise<Traces<D>>;
  getTraces(opts?: GetTracesOptions): Promise<Traces<D | ScaledDType<D>>>;
  async getTraces(opts: GetTracesOptions = {}): Promise<Traces> {
    const plan = this.planRead(opts.segmentIndex, opts.channelIds, opts.returnInUV);
    const n = plan.segment.getNumSamples();
    const start = opts.startFrame ?? 0;
    const requestedEnd = opts.endFrame ?? n;
    check(Number.isInteger(start) && start >= 0 && start <= n, 'OUT_OF_RANGE', () => `startFrame ${describe(opts.startFrame)} is outside 0..${n} of segment ${plan.segmentIndex}`);
    check(Number.isInteger(requestedEnd) && requestedEnd >= start, 'OUT_OF_RANGE', () => `endFrame ${describe(opts.endFrame)} must be an integer at or after startFrame ${start}`);
    const end = Math.min(requestedEnd, n); // SpikeInterface clips an end past the segment
    const frames = end - start;
    const k = plan.indices.length;
    const length = frames * k;
    let out: TypedArray;
    if (opts.out !== undefined) {
      const want = allocate(plan.dtype, 0).constructor;
      check(opts.out instanceof want, 'INVALID_ARGUMENT', () => `out is a ${describe(opts.out)}; expected a ${want.name} for ${plan.dtype} traces`);
      check(opts.out.length >= length, 'INVALID_ARGUMENT', () => `out has ${opts.out!.length} elements; ${frames} frames × ${k} channels need ${length}`);
      out = opts.out.length === length ? opts.out : opts.out.subarray(0, length);
    } else {
      out = allocate(plan.dtype, length);
    }
    if (length > 0) {
      throwIfAborted(opts.signal, 'read');
      const kernel = await getKernel();
      // Read in tiles the segment's source likes: for samples already in memory, small tiles keep the
      // kernel's input and output in cache between the copy in and the copy out.
      const rowBytes = k * itemSize(plan.dtype);
      const tileFrames = Math.max(1, Math.min(frames, Math.floor(plan.segment.preferredReadBytes() / rowBytes)));
      const address = await kernel.alloc(tileFrames * rowBytes);
      try {
        for (let from = start; from < end; from += tileFrames) {
          const to = Math.min(end, from + tileFrames);
          await plan.segment.readTraces({
            kernel, startFrame: from, endFrame: to, channelIndices: plan.indices,
            target: { address, stride: k, dtype: plan.dtype }, gains: plan.gains, offsets: plan.offsets, signal: opts.signal,
          });
          throwIfAborted(opts.signal, 'read');
          out.set(kernel.view(plan.dtype, address, (to - from) * k) as never, (from - start) * k);
        }
      } finally {
        kernel.free(address);
      }
    }
    return { data: out, shape: [frames, k], dtype: plan.dtype } as Traces;
  }

  /**
   * Reads a segment (or every segment) chunk by chunk. Each chunk is a view into the kernel's memory,
   * with no copy: valid until the next iteration (read `data` again after other reads ran).
   */
  chunks(opts: ChunksOptions & { returnInUV: true }): AsyncGenerator<TracesChunk<ScaledDType<D>>, void, undefined>;
  chunks(opts?: ChunksOptions & { returnInUV?: false }): AsyncGenerator<TracesChunk<D>, void, undefined>;
  chunks(opts?: ChunksOptions): AsyncGenerator<TracesChunk<D | ScaledDType<D>>, void, undefined>;
  async *chunks(opts: ChunksOptions = {}): AsyncGenerator<TracesChunk, void, undefined> {
    const segmentIndices = opts.segmentIndex === undefined || opts.segmentIndex === null
      ? this._segments.map((_, i) => i)
      : [this.checkSegmentIndex(opts.segmentIndex)];
    const first = this.planRead(segmentIndices[0] ?? 0, opts.channelIds, opts.returnInUV, segmentIndices.length === 0);
    const k = first.indices.length;
    const chunkSize = resolveChunkSize(opts, this._samplingFrequency, k * itemSize(this._dtype));
    const longest = Math.max(0, ...segmentIndices.map((i) => this._segments[i].getNumSamples()));
    const capacity = Math.min(chunkSize, longest);
    if (capacity === 0 || k === 0) return;
    const kernel = await getKernel();
    const address = await kernel.alloc(capacity * k * itemSize(first.dtype));
    try {
      for (const segmentIndex of segmentIndices) {
        const plan = segmentIndex === first.segmentIndex ? first : this.planRead(segmentIndex, opts.channelIds, opts.returnInUV);
        const n = plan.segment.getNumSamples();
        for (let start = 0; start < n; start += chunkSize) {
          throwIfAborted(opts.signal, 'read');
          const end = Math.min(n, start + chunkSize);
          await plan.segment.readTraces({
            kernel, startFrame: start, endFrame: end, channelIndices: plan.indices,
            target: { address, stride: k, dtype: plan.dtype }, gains: plan.gains, offsets: plan.offsets, signal: opts.signal,
          });
          const length = (end - start) * k;
          const dtype = plan.dtype;
          yield {
            // re-derived on each access: a view taken before memory grew would be detached
            get data() { return kernel.view(dtype, address, length); },
            shape: [end - start, k], dtype, segmentIndex, startFrame: start,
          };
        }
      }
    } finally {
      kernel.free(address);
    }
  }

  /** Resolves segment, channels and scaling of a read. */
  private planRead(segmentIndex: number | undefined, channelIds: readonly ChannelId[] | undefined, returnInUV: boolean | undefined, noSegment = false) {
    const index = noSegment ? 0 : this.checkSegmentIndex(segmentIndex);
    const segment = this._segments[index];
    const indices = channelIds === undefined || channelIds === null ? allIndices(this.getNumChannels()) : this.idsToIndices(channelIds);
    let dtype: DType = this._dtype;
    let gains: Float32Array | null = null;
    let offsets: Float32Array | null = null;
    if (returnInUV) {
      if (this.hasScaleableTraces()) {
        const allGains = this.getChannelGains();
        const allOffsets = this.getChannelOffsets();
        gains = Float32Array.from(indices, (i) => allGains[i]);
        offsets = Float32Array.from(indices, (i) => allOffsets[i]);
        dtype = 'float32';
      } else if (!isFloat(this._dtype)) {
        throw new SpikewireError(
          'NOT_SCALEABLE',
          `this recording has ${this._dtype} samples and no gain_to_uV / offset_to_uV: it cannot return traces in µV (set gains with setChannelGains, or read raw)`,
        );
      }
    }
    return { segmentIndex: index, segment, indices, dtype, gains, offsets };
  }

  // ---------------------------------------------------------------- times
  /** Times in seconds of frames [startFrame, endFrame) of a segment. */
  async getTimes(segmentIndex?: number, startFrame?: number, endFrame?: number): Promise<Float64Array> {
    const s = this._segments[this.checkSegmentIndex(segmentIndex)];
    const n = s.getNumSamples();
    const start = startFrame ?? 0;
    const end = Math.min(endFrame ?? n, n);
    check(Number.isInteger(start) && start >= 0 && start <= n, 'OUT_OF_RANGE', () => `startFrame ${describe(startFrame)} is outside 0..${n}`);
    check(Number.isInteger(end) && end >= start, 'OUT_OF_RANGE', () => `endFrame ${describe(endFrame)} must be at or after startFrame ${start}`);
    return s.getTimes(start, end);
  }
  /** `{samplingFrequency, tStart, timeVector}` of a segment. */
  getTimeInfo(segmentIndex?: number) {
    return this._segments[this.checkSegmentIndex(segmentIndex)].getTimeInfo();
  }
  /** Time of the first sample of a segment. */
  getStartTime(segmentIndex?: number): number {
    return this._segments[this.checkSegmentIndex(segmentIndex)].getStartTime();
  }
  /** Time of the last sample of a segment. */
  getEndTime(segmentIndex?: number): number {
    return this._segments[this.checkSegmentIndex(segmentIndex)].getEndTime();
  }
  /** True when a segment has a time vector (set by setTimes or loaded). */
  hasTimeVector(segmentIndex?: number): boolean {
    return this._segments[this.checkSegmentIndex(segmentIndex)].getTimeInfo().timeVector !== null;
  }
  /** Gives a segment one time per sample (float64), replacing its start time. */
  setTimes(times: ArrayLike<number>, segmentIndex?: number): void {
    const index = this.checkSegmentIndex(segmentIndex);
    const s = this._segments[index];
    check(times && typeof times.length === 'number', 'INVALID_ARGUMENT', () => `times must be an array of numbers, got ${describe(times)}`);
    check(times.length === s.getNumSamples(), 'INVALID_ARGUMENT', () => `times has ${times.length} values; segment ${index} has ${s.getNumSamples()} samples`);
    s.timeVector = Float64Array.from(times);
    s.tStart = null;
  }
  /** Removes time vectors and start times: every segment starts at 0 again. */
  resetTimes(): void {
    for (const s of this._segments) {
      s.timeVector = null;
      s.tStart = null;
    }
  }
  /** Moves the times of one segment (or all) by `shift` seconds. */
  shiftTimes(shift: number, segmentIndex?: number): void {
    const indices = segmentIndex === undefined ? this._segments.map((_, i) => i) : [this.checkSegmentIndex(segmentIndex)];
    for (const i of indices) {
      const s = this._segments[i];
      if (s.timeVector) s.timeVector = s.timeVector.map((t) => t + shift);
      else s.tStart = (s.tStart ?? 0) + shift;
    }
  }
  /** Time in seconds of sample `index` of a segment. */
  sampleIndexToTime(index: number, segmentIndex?: number): number {
    return this._segments[this.checkSegmentIndex(segmentIndex)].sampleIndexToTime(index);
  }
  /** Sample index at time `t` (seconds) of a segment. */
  timeToSampleIndex(t: number, segmentIndex?: number): number {
    return this._segments[this.checkSegmentIndex(segmentIndex)].timeToSampleIndex(t);
  }

  // ---------------------------------------------------------------- views
  /** A lazy view of `ids` (any order), optionally renamed. */
  channelSlice(ids: readonly ChannelId[], renamedIds?: readonly ChannelId[]): ChannelSliceRecording {
    return new ChannelSliceRecording(this, ids, renamedIds);
  }
  /** A lazy view of the channels `ids`. */
  selectChannels(ids: readonly ChannelId[]): ChannelSliceRecording {
    return new ChannelSliceRecording(this, ids);
  }
  /** A lazy view without the channels `ids`. */
  removeChannels(ids: readonly ChannelId[]): ChannelSliceRecording {
    const gone = new Set(this.idsToIndices(ids));
    return new ChannelSliceRecording(this, this._channelIds.filter((_, i) => !gone.has(i)));
  }
  /** A lazy view with every channel renamed to `newIds` (same order). */
  renameChannels(newIds: readonly ChannelId[]): ChannelSliceRecording {
    check(Array.isArray(newIds) && newIds.length === this.getNumChannels(), 'INVALID_ARGUMENT',
      () => `renameChannels needs ${this.getNumChannels()} new ids, got ${describe(newIds)}`);
    return new ChannelSliceRecording(this, this._channelIds, newIds);
  }
  /** A lazy view of frames [startFrame, endFrame) of a one-segment recording. */
  frameSlice(startFrame?: number | null, endFrame?: number | null): FrameSliceRecording {
    return new FrameSliceRecording(this, startFrame, endFrame);
  }
  /** A lazy view between two times (seconds) of a one-segment recording. */
  timeSlice(startTime?: number | null, endTime?: number | null): FrameSliceRecording {
    check(this.getNumSegments() === 1, 'INVALID_ARGUMENT', () => `timeSlice works on one segment; this recording has ${this.getNumSegments()} (use selectSegments first)`);
    const startFrame = startTime === undefined || startTime === null ? null : Math.max(0, this.timeToSampleIndex(startTime));
    const endFrame = endTime === undefined || endTime === null ? null : Math.min(this.getNumSamples(), this.timeToSampleIndex(endTime));
    return new FrameSliceRecording(this, startFrame, endFrame);
  }
  /** A lazy view of some segments, in the order given. */
  selectSegments(indices: number | readonly number[]): SelectSegmentRecording {
    return new SelectSegmentRecording(this, indices);
  }
  /**
   * Splits channels by the values of a property (default 'group'): a Map from value (sorted) to a
   * channel view, or the views as a list.
   */
  splitBy(property?: string, outputs?: 'dict'): Map<PropertyValue, ChannelSliceRecording>;
  splitBy(property: string, outputs: 'list'): ChannelSliceRecording[];
  splitBy(property = 'group', outputs: 'dict' | 'list' = 'dict'): Map<PropertyValue, ChannelSliceRecording> | ChannelSliceRecording[] {
    check(outputs === 'dict' || outputs === 'list', 'INVALID_ARGUMENT', () => `outputs ${describe(outputs)} must be 'dict' or 'list'`);
    const values = this.getProperty(property);
    if (values === undefined) {
      throw new SpikewireError('INVALID_ARGUMENT', `property ${describe(property)} is not set: cannot split by it (keys are ${describe(this.getPropertyKeys())})`);
    }
    const list = Array.from(values as ArrayLike<unknown>);
    const keys = [...new Set(list.map(keyOf))].sort(compareKeys);
    const result = new Map<PropertyValue, ChannelSliceRecording>();
    for (const key of keys) {
      const ids = this._channelIds.filter((_, i) => keyOf(list[i]) === key);
      const sub = this.selectChannels(ids);
      sub.annotate({ split_by_property: property });
      result.set(key, sub);
    }
    return outputs === 'list' ? [...result.values()] : result;
  }

  // ---------------------------------------------------------------- dicts
  /** True when this recording and every recording it wraps can be described by a dict. */
  isSerializable(): boolean {
    if (!(this.constructor as typeof BaseRecording).serializability.json) return false;
    for (const parent of nestedRecordings(this._kwargs)) if (!parent.isSerializable()) return false;
    return true;
  }

  /**
   * Why a worker thread cannot rebuild this recording from its dict with the same samples, or null.
   * `isLocalFile` tells whether a byte source is a file on this machine's disk, which a worker
   * reopens by path. Readers of files override this; views ask the recordings they wrap.
   */
  workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    if (!(this.constructor as typeof BaseRecording).serializability.worker) return `${this.className} is not a class that a worker rebuilds from its dict`;
    for (const parent of nestedRecordings(this._kwargs)) {
      const problem = parent.workerProblem(isLocalFile);
      if (problem !== null) return problem;
    }
    return null;
  }

  /** SpikeInterface's constructor arguments of this recording (snake_case names), as given. */
  getKwargs(): Record<string, unknown> {
    return { ...this._kwargs };
  }

  /**
   * SpikeInterface's dict of this recording (`to_dict`): class, module, version, kwargs,
   * annotations, properties, relative_paths, and the probegroup when a probe is attached.
   */
  toDict(opts: ToDictOptions = {}): ExtractorDict {
    const { includeAnnotations = false, includeProperties = false, relativeTo = null, recursive = false, propertyValue } = opts;
    if (relativeTo && !recursive) {
      throw new SpikewireError('INVALID_ARGUMENT', 'toDict: relativeTo is only possible with recursive: true (as in SpikeInterface)');
    }
    if (!this.isSerializable()) {
      throw new SpikewireError('UNSUPPORTED', `${this.className} cannot be described by a dict (its samples live in memory): save it to a folder instead`);
    }
    // nested recordings as dicts (recursive) or as they are; maps as objects, typed arrays as lists
    const kwargs = walkKwargs(this._kwargs, (v) => (recursive ? v.toDict({ includeAnnotations, includeProperties, recursive, propertyValue }) : v), {
      map: (entries) => Object.fromEntries(entries.map(([k, x]) => [String(k), x])),
      leaf: (v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : v),
    });
    const annotations = includeAnnotations
      ? structuredClone(this._annotations)
      : Object.fromEntries(MAIN_ANNOTATIONS.map((k) => [k, this._annotations[k] ?? null]));
    const keys = includeProperties ? this.getPropertyKeys() : MAIN_PROPERTIES;
    const value = (k: string) => {
      const column = this.getPropertyColumn(k);
      return column === undefined ? null : propertyValue ? propertyValue(column) : this.getProperty(k);
    };
    const properties = Object.fromEntries(keys.map((k) => [k, value(k)]));
    let dict: ExtractorDict = {
      class: (this.constructor as typeof BaseRecording).classPath,
      module: 'spikeinterface',
      version: SPIKEINTERFACE_VERSION,
      kwargs,
      annotations,
      properties,
      relative_paths: false,
    };
    Object.assign(dict, this.dictExtras());
    // As SpikeInterface: when some path cannot be made relative (a URL), the dict stays absolute.
    if (relativeTo && canMakePathsRelative(dict)) dict = { ...makePathsRelative(dict, relativeTo), relative_paths: true };
    return dict;
  }

  /** Entries a dict carries beside the standard ones (the probegroup, for recordings with a probe). */
  dictExtras(): Record<string, unknown> {
    // probes: ProbeInterface's dict of the attached group (SpikeInterface main's top-level "probegroup")
    return this._probegroup === null ? {} : { probegroup: this._probegroup.toDict() };
  }

  // ---------------------------------------------------------------- saving and dumps
  // The writers live in formats/ and are loaded on first use, as SpikeInterface imports them lazily:
  // reading recordings never pulls them in.

  /**
   * SpikeInterface's `save()`: `{folder, format: 'binary'}` writes a binary folder and returns it
   * reopened; `format: 'memory'` copies the samples into memory; `format: 'zip'` writes one zip.
   */
  save(opts: SaveOptions & { format: 'zip' }): Promise<SavedZipRecording>;
  save(opts: SaveOptions & { format: 'memory' }): Promise<NumpyRecording<TypedArrayOf<D>>>;
  save(opts?: SaveOptions): Promise<BaseRecording>;
  async save(opts: SaveOptions = {}): Promise<BaseRecording> {
    const { saveRecording } = await import('../formats/save.js');
    return saveRecording(this, opts);
  }
  /** Writes SpikeInterface's JSON dump (`dump_to_json`); `relativeTo: true` = the file's folder. */
  async dumpToJson(path: string, opts: DumpOptions = {}): Promise<void> {
    const { dumpToJson } = await import('../formats/dump.js');
    return dumpToJson(this, path, opts);
  }
  /** Writes SpikeInterface's pickle dump (`dump_to_pickle`), which Python SpikeInterface loads. */
  async dumpToPickle(path: string, opts: DumpOptions = {}): Promise<void> {
    const { dumpToPickle } = await import('../formats/dump.js');
    return dumpToPickle(this, path, opts);
  }
  /** JSON or pickle dump, by the file's extension. */
  async dump(path: string, opts: DumpOptions = {}): Promise<void> {
    const { dump } = await import('../formats/dump.js');
    return dump(this, path, opts);
  }

  // ---------------------------------------------------------------- text
  /** File paths shown in the repr (extractors that read files). */
  protected reprFilePaths(): string[] | null {
    return null;
  }
  /** SpikeInterface's repr, character for character. */
  toString(): string {
    const name = this._annotations.name;
    return formatRecordingRepr({
      className: this.className,
      name: typeof name === 'string' ? name : null,
      numChannels: this.getNumChannels(),
      samplingFrequency: this._samplingFrequency,
      numSamples: this._segments.map((s) => s.getNumSamples()),
      durations: this._segments.map((_, i) => this.getDuration(i)),
      itemSize: itemSize(this._dtype),
      dtype: this._dtype,
      filePaths: this.reprFilePaths(),
    });
  }
  [INSPECT](): string {
    return this.toString();
  }

  /** Releases the file handles and connections of this recording's sources. */
  async close(): Promise<void> {
    await Promise.all(this._segments.map((s) => s.close()));
  }
}

/** How {@link walkKwargs} rebuilds maps and the other values it passes; by default as they were. */
export interface KwargsRebuild {
  /** A map, from its entries (values already walked). */
  map?(entries: [unknown, unknown][]): unknown;
  /** A value that is neither a recording, a list nor a map. */
  leaf?(value: unknown): unknown;
}

/**
 * The one walk over the recordings a recording wraps: its constructor arguments (`kwargs` values,
 * lists and maps of them, at any depth), rebuilt with each recording replaced by
 * `onRecording(recording)`, in order; maps and other values as `rebuild` makes them.
 */
export function walkKwargs(kwargs: Record<string, unknown>, onRecording: (recording: BaseRecording) => unknown, rebuild: KwargsRebuild = {}): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (v instanceof BaseRecording) return onRecording(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) {
      const entries: [unknown, unknown][] = [...v].map(([k, x]) => [k, walk(x)]);
      return rebuild.map ? rebuild.map(entries) : new Map(entries);
    }
    return rebuild.leaf ? rebuild.leaf(v) : v;
  };
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, walk(v)]));
}

/** The recordings inside constructor arguments (see {@link walkKwargs}), in order. */
export function* nestedRecordings(kwargs: Record<string, unknown> | readonly unknown[]): Generator<BaseRecording, void, undefined> {
  const found: BaseRecording[] = [];
  walkKwargs(Array.isArray(kwargs) ? { ...kwargs } : (kwargs as Record<string, unknown>), (recording) => found.push(recording));
  yield* found;
}

// Property values become Map keys: numbers and strings as they are, others (NaN, bigint) normalised.
function keyOf(v: unknown): PropertyValue {
  if (typeof v === 'bigint') return Number(v);
  return v as PropertyValue;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}


// ================================================================ the views BaseRecording's methods make
// They extend BaseRecording and its methods construct them, so they live in its module: a module of
// their own would import this one and be imported by it (a cycle). The other views (append,
// concatenate, aggregate) are made by functions and live in views/.

/**
 * A lazy view of some channels of a recording, in any order, optionally renamed
 * (SpikeInterface's ChannelSliceRecording). Properties and annotations are copied for those channels.
 */
export class ChannelSliceRecording extends BaseRecording {
  static override readonly className: string = 'ChannelSliceRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  static override readonly classPath: string = 'spikeinterface.core.channelslice.ChannelSliceRecording';
  /** The recording this view reads from. */
  readonly parent: BaseRecording;
  /** Positions of this view's channels in the parent. */
  readonly parentIndices: Int32Array;

  constructor(parent: BaseRecording, channelIds: readonly ChannelId[], renamedChannelIds?: readonly ChannelId[] | null) {
    check(parent instanceof BaseRecording, 'INVALID_ARGUMENT', () => `ChannelSliceRecording needs a recording, got ${describe(parent)}`);
    check(Array.isArray(channelIds), 'INVALID_ARGUMENT', () => `channelIds must be an array of channel ids, got ${describe(channelIds)}`);
    const parentIndices = parent.idsToIndices(channelIds);
    if (new Set(parentIndices).size !== parentIndices.length) {
      throw new SpikewireError('INVALID_ARGUMENT', `channel ids ${describe(channelIds as ChannelId[])} repeat an id: each channel can appear once`);
    }
    if (renamedChannelIds !== undefined && renamedChannelIds !== null) {
      check(renamedChannelIds.length === channelIds.length, 'INVALID_ARGUMENT',
        () => `renamedChannelIds has ${renamedChannelIds.length} ids for ${channelIds.length} channels`);
    }
    super(parent.getSamplingFrequency(), renamedChannelIds ?? channelIds, parent.getDtype());
    this.parent = parent;
    this.parentIndices = parentIndices;
    for (const segment of parent.segments) this.addRecordingSegment(new ChannelSliceRecordingSegment(segment, parentIndices));
    // also the probe: the contacts of the kept channels, wired 0..n-1, 'group' re-derived from them (SpikeInterface main)
    parent.copyMetadataTo(this, parentIndices);
    this._kwargs = { parent_recording: parent, channel_ids: [...channelIds], renamed_channel_ids: [...(renamedChannelIds ?? channelIds)] };
  }
}

/** A lazy view of frames [startFrame, endFrame) of a one-segment recording (SpikeInterface's FrameSliceRecording). */
export class FrameSliceRecording extends BaseRecording {
  static override readonly className: string = 'FrameSliceRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  static override readonly classPath: string = 'spikeinterface.core.frameslicerecording.FrameSliceRecording';
  readonly parent: BaseRecording;
  readonly startFrame: number;
  readonly endFrame: number;

  constructor(parent: BaseRecording, startFrame?: number | null, endFrame?: number | null) {
    check(parent instanceof BaseRecording, 'INVALID_ARGUMENT', () => `FrameSliceRecording needs a recording, got ${describe(parent)}`);
    if (parent.getNumSegments() !== 1) {
      throw new SpikewireError('INVALID_ARGUMENT', `FrameSliceRecording only works with one segment but found ${parent.getNumSegments()} (use selectSegments first)`);
    }
    const n = parent.getNumSamples(0);
    const start = startFrame ?? 0;
    const end = endFrame ?? n;
    check(Number.isInteger(start) && start >= 0 && start < n, 'OUT_OF_RANGE', () => `startFrame ${describe(startFrame)} is outside 0..${n - 1}`);
    check(Number.isInteger(end) && end <= n, 'OUT_OF_RANGE', () => `endFrame ${describe(endFrame)} is past the end (${n} samples)`);
    check(end > start, 'OUT_OF_RANGE', () => `startFrame ${start} must be smaller than endFrame ${end}`);
    super(parent.getSamplingFrequency(), parent.getChannelIds(), parent.getDtype());
    this.parent = parent;
    this.startFrame = start;
    this.endFrame = end;
    this.addRecordingSegment(new FrameSliceRecordingSegment(parent.segments[0], start, end));
    parent.copyMetadataTo(this); // with a copy of the probegroup
    this._kwargs = { parent_recording: parent, start_frame: start, end_frame: end };
  }
}


/** A lazy view of some segments of a recording, in the order given (SpikeInterface's SelectSegmentRecording). */
export class SelectSegmentRecording extends BaseRecording {
  static override readonly className: string = 'SelectSegmentRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  static override readonly classPath: string = 'spikeinterface.core.segmentutils.SelectSegmentRecording';
  readonly parent: BaseRecording;
  readonly segmentIndices: number[];

  constructor(parent: BaseRecording, segmentIndices: number | readonly number[]) {
    check(parent instanceof BaseRecording, 'INVALID_ARGUMENT', () => `SelectSegmentRecording needs a recording, got ${describe(parent)}`);
    const indices = typeof segmentIndices === 'number' ? [segmentIndices] : Array.isArray(segmentIndices) ? [...segmentIndices] : null;
    check(indices !== null, 'INVALID_ARGUMENT', () => `segment indices must be a number or an array of numbers, got ${describe(segmentIndices)}`);
    const n = parent.getNumSegments();
    for (const i of indices) {
      check(Number.isInteger(i) && i >= 0 && i < n, 'OUT_OF_RANGE', () => `segment index ${describe(i)} is out of range: the recording has ${n} segments`);
    }
    super(parent.getSamplingFrequency(), parent.getChannelIds(), parent.getDtype());
    this.parent = parent;
    this.segmentIndices = indices;
    // SpikeInterface shares the parent's segment objects: nothing is copied.
    for (const i of indices) this.addRecordingSegment(parent.segments[i]);
    parent.copyMetadataTo(this); // with a copy of the probegroup
    this._kwargs = { recording: parent, segment_indices: indices };
  }
}
