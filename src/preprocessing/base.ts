import type { DType } from '../dtype.js';
import { isFloat, itemSize, parseDTypeString } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { alignUp } from '../kernel/memory.js';
import { copyRowsAt } from '../kernel/dsp.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../core/index.js';
import type { ChannelId } from '../core/ids.js';
import { BaseRecordingSegment, type TraceRequest } from '../core/segment.js';
import { readChunkWithMargin, type ChunkWithMargin, type ChunkWithMarginOptions } from './margins.js';

/** What a {@link BasePreprocessor} may change of its parent (SpikeInterface's BasePreprocessor arguments). */
export interface BasePreprocessorOptions {
  /** Sample type of the output (default: the parent's). */
  dtype?: DType;
  /** Sampling frequency of the output (default: the parent's). */
  samplingFrequency?: number;
  /** Channel ids of the output (default: the parent's). */
  channelIds?: readonly ChannelId[];
}

/**
 * The arguments every preprocessor function takes: the recording first, then one options object.
 * Checked before anything is computed from them, with `fn` (our function's name) in the message.
 */
export function checkPreprocessorArgs(fn: string, recording: unknown, opts: unknown): asserts recording is BaseRecording {
  check(recording instanceof BaseRecording, 'INVALID_ARGUMENT', () => `${fn}: recording must be a recording, got ${describe(recording)}`);
  check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `${fn}: options must be an object, got ${describe(opts)}`);
}

/**
 * SpikeInterface's BasePreprocessor: a lazy recording computed from a parent. It has the parent's
 * ids and sampling frequency unless told otherwise, its own dtype, and a copy of the parent's
 * metadata as `copy_metadata(only_main=False)` makes it: every property (gains and offsets
 * included), every annotation, and the probe.
 */
export abstract class BasePreprocessor extends BaseRecording {
  /**
   * Preprocessors travel every way: a worker rebuilds the chain from its dict with its own kernel
   * (a class whose dict may not rebuild the same samples says so in {@link workerProblem}).
   */
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;

  /** The recording this one is computed from. */
  readonly parent: BaseRecording;

  protected constructor(parent: BaseRecording, opts: BasePreprocessorOptions = {}, name = 'recording') {
    if (!(parent instanceof BaseRecording)) {
      throw new SpikewireError('INVALID_ARGUMENT', `${name} must be a recording, got ${describe(parent)}`);
    }
    super(opts.samplingFrequency ?? parent.getSamplingFrequency(), opts.channelIds ?? parent.getChannelIds(), opts.dtype ?? parent.getDtype());
    this.parent = parent;
    parent.copyMetadataTo(this);
  }
}

/**
 * SpikeInterface's `fix_dtype` of preprocessors: the parent's dtype when none is given, any numpy
 * spelling accepted, unsigned types refused (`INVALID_ARGUMENT`, naming `fn`).
 */
export function fixDtype(fn: string, parent: BaseRecording, dtype: unknown): DType {
  const resolved = dtype === undefined || dtype === null ? parent.getDtype() : parseDTypeString(dtype).dtype;
  if (resolved.startsWith('u')) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `${fn}: dtype ${describe(resolved)} is unsigned: unsigned types are not supported by preprocessing (convert the recording with unsignedToSigned first)`,
    );
  }
  return resolved;
}

/**
 * SpikeInterface's BasePreprocessorSegment: the parent segment's length and times (taken at
 * construction, as SpikeInterface copies `get_times_kwargs()`).
 *
 * Contract for subclasses: implement {@link compute}, which writes the request's frames of the
 * request's channels as float64 rows (frames × channels, output order) at a block the base
 * allocated. The base then converts them to the recording's dtype (truncation toward zero for
 * integers: round in `compute` where SpikeInterface rounds) and from there to the request's target
 * (its dtype, stride, and gains/offsets for µV), with the kernel's convert. Read the parent with
 * {@link readParentChunk} (margins, zero / reflect padding, a float64 block per call); an op that
 * works in the chunk in place (a filter) hands its rows over with {@link copyChunkRows}.
 */
export abstract class BasePreprocessorSegment extends BaseRecordingSegment {
  constructor(readonly parentSegment: BaseRecordingSegment, readonly dtype: DType) {
    const { samplingFrequency, tStart, timeVector } = parentSegment.getTimeInfo();
    super(samplingFrequency, tStart, timeVector);
  }

  getNumSamples(): number {
    return this.parentSegment.getNumSamples();
  }

  /**
   * Computes frames [request.startFrame, request.endFrame) of the request's channels as float64
   * rows of `request.channelIndices.length` values at `out` (already allocated, not zeroed).
   */
  protected abstract compute(request: TraceRequest, out: number): Promise<void>;

  async readTraces(request: TraceRequest): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices, target, gains, offsets } = request;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    if (frames <= 0 || k === 0) return;
    const own = this.dtype;
    // float64 values → the recording's dtype → the target: straight when the first step changes nothing
    const direct = own === 'float64' || (target.dtype === own && gains === null && offsets === null) || (own === 'float32' && target.dtype === 'float32');
    const workBytes = alignUp(frames * k * 8);
    const middleBytes = direct ? 0 : alignUp(frames * k * itemSize(own));
    const block = await kernel.alloc(workBytes + middleBytes + kernel.paramBytes(k));
    const scratch = block + workBytes + middleBytes;
    try {
      await this.compute(request, block);
      const middle = direct ? block : block + workBytes;
      if (!direct) {
        kernel.convert({ src: block, srcDtype: 'float64', srcChannels: k, numFrames: frames, dst: middle, dstDtype: own, scratch });
      }
      kernel.convert({
        src: middle, srcDtype: direct ? 'float64' : own, srcChannels: k, numFrames: frames,
        dst: target.address, dstDtype: target.dtype, dstStride: target.stride, gains, offsets, scratch,
      });
    } finally {
      kernel.free(block);
    }
  }

  /**
   * The request's frames of the parent with `margin` frames on each side (see
   * {@link readChunkWithMargin}), channels `channelIndices` (default: the request's), as float64
   * unless `dtype` says otherwise. The caller frees `chunk.address`.
   */
  protected readParentChunk(request: TraceRequest, margin: number, opts: ParentChunkOptions = {}): Promise<ChunkWithMargin> {
    return readChunkWithMargin(request.kernel, this.parentSegment, {
      ...opts, startFrame: request.startFrame, endFrame: request.endFrame, margin,
      channelIndices: opts.channelIndices ?? request.channelIndices, signal: request.signal,
    });
  }

  /**
   * Copies the request's rows out of a float64 chunk read with {@link readParentChunk} (those after
   * its left margin) to `out`, when the op computed its result in the chunk in place (filters),
   * rounded half to even on request (np.round), in the kernel.
   */
  protected copyChunkRows(request: TraceRequest, chunk: ChunkWithMargin, out: number, round = false): void {
    const frames = request.endFrame - request.startFrame;
    check(chunk.dtype === 'float64' && chunk.numChannels === request.channelIndices.length && chunk.leftMargin + frames <= chunk.numFrames,
      'INVALID_ARGUMENT', () => `copyChunkRows: the chunk (${chunk.numFrames} × ${chunk.numChannels} ${chunk.dtype}) does not hold the request's ${frames} × ${request.channelIndices.length} float64 values`);
    const k = chunk.numChannels;
    copyRowsAt(request.kernel, chunk.address + chunk.leftMargin * k * 8, out, frames * k, round);
  }

  override preferredReadBytes(): number {
    return this.parentSegment.preferredReadBytes();
  }

  override close(): Promise<void> {
    return this.parentSegment.close();
  }
}

/** Options of {@link BasePreprocessorSegment.readParentChunk}: those of {@link readChunkWithMargin} but the frames. */
export type ParentChunkOptions = Partial<Pick<ChunkWithMarginOptions, 'channelIndices' | 'addZeros' | 'addReflectPadding' | 'windowOnMargin' | 'dtype'>>;

/** True for the integer dtypes, whose outputs SpikeInterface rounds (or truncates) into. */
export const isIntegerDtype = (dtype: DType): boolean => !isFloat(dtype);

/** Checks a preprocessing option is one of `allowed`, naming the function and the option. */
export function checkChoice<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  check(typeof value === 'string' && (allowed as readonly string[]).includes(value), 'INVALID_ARGUMENT', () =>
    `${fn}: ${name} ${describe(value)} must be ${allowed.slice(0, -1).map((a) => `'${a}'`).join(', ')} or '${allowed[allowed.length - 1]}'`);
  return value as T;
}
