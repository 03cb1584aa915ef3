import type { DType } from '../dtype.js';
import { isFloat, itemSize, numpyDTypeString, parseDTypeString } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { formatRecordingRepr } from '../core/repr.js';
import { elementwiseAt, elementwiseParamBytes, type ElementwiseOp } from '../kernel/kernel.js';
import { alignUp } from '../kernel/memory.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';
import { flat, median, quantiles, roundingFor } from './numpy-stats.js';
import { getRandomDataChunks, unseededProblem } from './random-chunks.js';

/** The kernel step of a segment for the request's channels (parent channel indices, output order). */
type StepFor = (channelIndices: Int32Array) => ElementwiseOp | null;

/**
 * A segment that reads the parent's frames as float64 and runs one elementwise kernel pass over
 * them; the base converts the result to the recording's dtype and to the request's target.
 */
class ElementwiseSegment extends BasePreprocessorSegment {
  constructor(parentSegment: BaseRecordingSegment, dtype: DType, private readonly step: StepFor) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    const step = this.step(channelIndices);
    const chunk = await this.readParentChunk(request, 0);
    let scratch = -1;
    try {
      if (step !== null) {
        scratch = await kernel.alloc(alignUp(elementwiseParamBytes(k)));
        elementwiseAt(kernel, { ...step, data: chunk.address, numFrames: frames, numChannels: k, scratch });
      }
      this.copyChunkRows(request, chunk, out);
    } finally {
      if (scratch >= 0) kernel.free(scratch);
      kernel.free(chunk.address);
    }
  }
}

/** A finite number or null, naming the option. */
function optionalNumber(fn: string, name: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  check(typeof value === 'number' && !Number.isNaN(value), 'INVALID_ARGUMENT', () => `${fn}: ${name} must be a number or null, got ${describe(value)}`);
  return value;
}

// ------------------------------------------------------------------------------------------- scale

/** Options of {@link scale}: SpikeInterface's `scale` keyword arguments. */
export interface ScaleOptions {
  /** One gain for every channel, or one per channel (a list, or SpikeInterface's 1 × channels list of lists); default 1. */
  gain?: number | readonly number[] | readonly (readonly number[])[];
  /** One offset for every channel, or one per channel; default 0. */
  offset?: number | readonly number[] | readonly (readonly number[])[];
  /** Output sample type (default float32; null: the parent's). Integer outputs are rounded half to even. */
  dtype?: DType | string | null;
}

/** A scalar or per-channel parameter as SpikeInterface's (1, channels) float64 row. */
function channelRow(fn: string, name: string, value: unknown, numChannels: number): number[] {
  if (typeof value === 'number') return new Array<number>(numChannels).fill(value);
  let row: unknown = value;
  if (Array.isArray(value) && value.length === 1 && Array.isArray(value[0])) row = value[0];
  else if (ArrayBuffer.isView(value)) row = Array.from(value as unknown as ArrayLike<number>);
  check(Array.isArray(row) && row.length === numChannels && row.every((v) => typeof v === 'number' && !Number.isNaN(v)), 'INVALID_ARGUMENT',
    () => `${fn}: ${name} must be a number or ${numChannels} numbers (one per channel), got ${describe(value)}`);
  return [...(row as number[])];
}

/**
 * SpikeInterface's ScaleRecording: `traces * gain + offset` per channel, computed as numpy does it
 * (the parent's samples as float32, multiplied and offset with float64 operands into float32), then
 * rounded half to even for integer outputs.
 */
export class ScaleRecording extends BasePreprocessor {
  static override readonly className: string = 'ScaleRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.normalize_scale.ScaleRecording';

  constructor(recording: BaseRecording, opts: ScaleOptions = {}) {
    const fn = 'scale';
    checkPreprocessorArgs(fn, recording, opts);
    const n = recording.getNumChannels();
    const gain = channelRow(fn, 'gain', opts.gain ?? 1.0, n);
    const offset = channelRow(fn, 'offset', opts.offset ?? 0.0, n);
    const dtype = fixDtype(fn, recording, opts.dtype === undefined ? 'float32' : opts.dtype);
    super(recording, { dtype });
    const round = isIntegerDtype(dtype);
    const step: StepFor = (ch) => ({ op: 'scale', gains: Array.from(ch, (c) => gain[c]), offsets: Array.from(ch, (c) => offset[c]), round });
    for (const segment of recording.segments) this.addRecordingSegment(new ElementwiseSegment(segment, dtype, step));
    this._kwargs = { recording, gain: [gain], offset: [offset], dtype: numpyDTypeString(dtype) };
  }
}

/** SpikeInterface's `scale`: a lazy {@link ScaleRecording} of `recording`. */
export function scale(recording: BaseRecording, opts: ScaleOptions = {}): ScaleRecording {
  return new ScaleRecording(recording, opts);
}

/**
 * SpikeInterface's `scale_to_uV`: a float32 {@link ScaleRecording} with the recording's own gains
 * and offsets, whose gains are then 1 and offsets 0 (so µV reads return the same values).
 * `NOT_SCALEABLE` when the recording has no gains and offsets.
 */
export function scaleToUV(recording: BaseRecording): ScaleRecording {
  checkPreprocessorArgs('scaleToUV', recording, {});
  if (!recording.hasScaleableTraces()) {
    throw new SpikewireError('NOT_SCALEABLE', 'scaleToUV: the recording must have gains and offsets set to be scaled to µV');
  }
  // the properties as stored (float64), as SpikeInterface's get_channel_gains returns them
  const gain = Array.from(recording.getProperty('gain_to_uV') as ArrayLike<number>, Number);
  const offset = Array.from(recording.getProperty('offset_to_uV') as ArrayLike<number>, Number);
  const rec = new ScaleRecording(recording, { gain, offset, dtype: 'float32' });
  rec.setChannelGains(1.0);
  rec.setChannelOffsets(0.0);
  return rec;
}

// ------------------------------------------------------------------------------ unsigned_to_signed

/** Options of {@link unsignedToSigned}. */
export interface UnsignedToSignedOptions {
  /** Bits of the ADC when narrower than the sample type: the offset is 2 ** (bitDepth - 1) (default: the type's bits). */
  bitDepth?: number | null;
}

/**
 * SpikeInterface's UnsignedToSignedRecording: an unsigned recording minus 2 ** (bits - 1) in the
 * signed type of the same size (integer arithmetic: values outside it wrap around, as numpy's cast).
 * Gains and offsets are the parent's.
 */
export class UnsignedToSignedRecording extends BasePreprocessor {
  static override readonly className: string = 'UnsignedToSignedRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.unsigned_to_signed.UnsignedToSignedRecording';

  constructor(recording: BaseRecording, opts: UnsignedToSignedOptions = {}) {
    const fn = 'unsignedToSigned';
    checkPreprocessorArgs(fn, recording, opts);
    const parentDtype = recording.getDtype();
    check(parentDtype.startsWith('u'), 'INVALID_ARGUMENT', () => `${fn}: the recording's dtype ${describe(parentDtype)} is not unsigned`);
    const bitDepth = opts.bitDepth ?? null;
    const bits = itemSize(parentDtype) * 8;
    check(bitDepth === null || (Number.isInteger(bitDepth) && bitDepth >= 1 && bitDepth <= bits), 'INVALID_ARGUMENT',
      () => `${fn}: bitDepth must be an integer from 1 to ${bits}, got ${describe(bitDepth)}`);
    const dtype = parentDtype.slice(1) as DType;
    super(recording, { dtype });
    const step: StepFor = () => ({ op: 'shiftWrap', shift: 2 ** ((bitDepth ?? bits) - 1), bits });
    for (const segment of recording.segments) this.addRecordingSegment(new ElementwiseSegment(segment, dtype, step));
    this._kwargs = { recording, bit_depth: bitDepth };
  }
}

/** SpikeInterface's `unsigned_to_signed`: a lazy {@link UnsignedToSignedRecording} of `recording`. */
export function unsignedToSigned(recording: BaseRecording, opts: UnsignedToSignedOptions = {}): UnsignedToSignedRecording {
  return new UnsignedToSignedRecording(recording, opts);
}

// ------------------------------------------------------------------------------------------ astype

/** Options of {@link astype}. */
export interface AstypeOptions {
  /** Output sample type (default: the parent's); unsigned types are refused. */
  dtype?: DType | string | null;
  /** np.round before the cast (default: when `dtype` is given and is an integer type). */
  round?: boolean | null;
}

/**
 * SpikeInterface's AstypeRecording: the parent's samples cast to another dtype (rounded half to even
 * first when `round`). Its repr starts with `astype (AstypeRecording)`: the class sets `name`.
 */
export class AstypeRecording extends BasePreprocessor {
  static override readonly className: string = 'AstypeRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.astype.AstypeRecording';

  constructor(recording: BaseRecording, opts: AstypeOptions = {}) {
    const fn = 'astype';
    checkPreprocessorArgs(fn, recording, opts);
    const dtype = fixDtype(fn, recording, opts.dtype);
    const given = opts.dtype === undefined || opts.dtype === null ? null : parseDTypeString(opts.dtype).dtype;
    const round = opts.round ?? (given !== null && !isFloat(given));
    check(typeof round === 'boolean', 'INVALID_ARGUMENT', () => `${fn}: round must be true, false or null, got ${describe(opts.round)}`);
    super(recording, { dtype });
    const step: StepFor = () => (round ? { op: 'round' } : null);
    for (const segment of recording.segments) this.addRecordingSegment(new ElementwiseSegment(segment, dtype, step));
    this._kwargs = { recording, dtype: numpyDTypeString(dtype), round };
  }

  /** SpikeInterface's repr with the class's `name` ('astype'). */
  override toString(): string {
    const name = this.getAnnotation('name');
    return formatRecordingRepr({
      className: this.className,
      name: typeof name === 'string' ? name : 'astype',
      numChannels: this.getNumChannels(),
      samplingFrequency: this.getSamplingFrequency(),
      numSamples: this.segments.map((s) => s.getNumSamples()),
      durations: this.segments.map((_, i) => this.getDuration(i)),
      itemSize: itemSize(this.getDtype()),
      dtype: this.getDtype(),
      filePaths: null,
    });
  }
}

/** SpikeInterface's `astype`: a lazy {@link AstypeRecording} of `recording`. */
export function astype(recording: BaseRecording, opts: AstypeOptions = {}): AstypeRecording {
  return new AstypeRecording(recording, opts);
}

// ---------------------------------------------------------------------------- clip, blank_saturation

/** The thresholds of SpikeInterface's ClipRecordingSegment. */
interface ClipPlan {
  aMin: number | null;
  valueMin: number | null;
  aMax: number | null;
  valueMax: number | null;
}

/**
 * The clip step: numpy compares a float32 array with a Python float in float32 (`weak`), with a
 * numpy float64 scalar (an estimated threshold) in float64.
 */
function clipStep(recording: BaseRecording, plan: ClipPlan, weak = true): StepFor {
  const f32 = weak && recording.getDtype() === 'float32';
  const t = (v: number | null) => (v === null ? null : f32 ? Math.fround(v) : v);
  const step: ElementwiseOp = { op: 'clip', aMin: t(plan.aMin), valueMin: plan.valueMin ?? 0, aMax: t(plan.aMax), valueMax: plan.valueMax ?? 0 };
  return () => step;
}

/** Options of {@link clip}. */
export interface ClipOptions {
  /** Values at or below it become it (null: no lower bound). */
  aMin?: number | null;
  /** Values at or above it become it (null: no upper bound). */
  aMax?: number | null;
}

/** SpikeInterface's ClipRecording: values ≤ aMin set to aMin, values ≥ aMax set to aMax, in the parent's dtype. */
export class ClipRecording extends BasePreprocessor {
  static override readonly className: string = 'ClipRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.clip.ClipRecording';

  constructor(recording: BaseRecording, opts: ClipOptions = {}) {
    const fn = 'clip';
    checkPreprocessorArgs(fn, recording, opts);
    const aMin = optionalNumber(fn, 'aMin', opts.aMin);
    const aMax = optionalNumber(fn, 'aMax', opts.aMax);
    super(recording);
    const step = clipStep(recording, { aMin, valueMin: aMin, aMax, valueMax: aMax });
    for (const segment of recording.segments) this.addRecordingSegment(new ElementwiseSegment(segment, this.getDtype(), step));
    this._kwargs = { recording, a_min: aMin, a_max: aMax };
  }
}

/** SpikeInterface's `clip`: a lazy {@link ClipRecording} of `recording`. */
export function clip(recording: BaseRecording, opts: ClipOptions = {}): ClipRecording {
  return new ClipRecording(recording, opts);
}

const DIRECTIONS = ['upper', 'lower', 'both'] as const;

/** Options of {@link blankSaturation}: SpikeInterface's `blank_saturation` keyword arguments. */
export interface BlankSaturationOptions {
  /** The saturation threshold: 'upper': values ≥ it; 'lower': values ≤ it; 'both': |values| ≥ it. */
  absThreshold?: number | null;
  /** Thresholds at the q and 1 - q quantiles of the random chunks (every sample pooled), when absThreshold is null. */
  quantileThreshold?: number | null;
  /** Which side is blanked (default 'upper'). */
  direction?: 'upper' | 'lower' | 'both';
  /** The value written instead (null: the median of the random chunks). */
  fillValue?: number | null;
  /** Random chunks per segment for the estimates (default 50). */
  numChunksPerSegment?: number;
  /** Frames per random chunk (default 500). */
  chunkSize?: number;
  /** Seed of the random chunks (default 0). */
  seed?: number | null;
  /** Stops the reads of the random chunks with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** What {@link blankSaturation} estimates from the random chunks when the options leave it open. */
export interface BlankSaturationEstimates {
  /** The median of every sample of the random chunks. */
  fillValue?: number;
  /** The quantileThreshold and 1 - quantileThreshold quantiles of every sample of the random chunks. */
  thresholds?: readonly [number, number];
}

/** The options of blank_saturation checked, with what must be estimated from random chunks. */
function blankSaturationPlan(recording: BaseRecording, opts: BlankSaturationOptions) {
  const fn = 'blankSaturation';
  checkPreprocessorArgs(fn, recording, opts);
  const direction = checkChoice(fn, 'direction', opts.direction ?? 'upper', DIRECTIONS);
  const absThreshold = optionalNumber(fn, 'absThreshold', opts.absThreshold);
  const quantileThreshold = optionalNumber(fn, 'quantileThreshold', opts.quantileThreshold);
  const fillValue = optionalNumber(fn, 'fillValue', opts.fillValue);
  const numChunksPerSegment = opts.numChunksPerSegment ?? 50;
  const chunkSize = opts.chunkSize ?? 500;
  const seed = opts.seed === undefined ? 0 : opts.seed;
  check(Number.isInteger(numChunksPerSegment) && numChunksPerSegment > 0, 'INVALID_ARGUMENT', () => `${fn}: numChunksPerSegment must be a positive integer, got ${describe(numChunksPerSegment)}`);
  check(Number.isInteger(chunkSize) && chunkSize > 0, 'INVALID_ARGUMENT', () => `${fn}: chunkSize must be a positive integer, got ${describe(chunkSize)}`);
  check(seed === null || Number.isInteger(seed), 'INVALID_ARGUMENT', () => `${fn}: seed must be an integer or null, got ${describe(seed)}`);
  if (absThreshold === null) {
    check(quantileThreshold !== null, 'INVALID_ARGUMENT', () => `${fn}: absThreshold or quantileThreshold must be given`);
    check(quantileThreshold >= 0 && quantileThreshold <= 1, 'INVALID_ARGUMENT', () => `${fn}: quantileThreshold must be in [0, 1], got ${describe(quantileThreshold)}`);
  }
  return {
    fn, direction, absThreshold, quantileThreshold, fillValue, numChunksPerSegment, chunkSize, seed,
    needsData: fillValue === null || quantileThreshold !== null,
  };
}

/**
 * SpikeInterface's BlankSaturationRecording: saturated samples (beyond the threshold on the chosen
 * side) replaced by the fill value, in the parent's dtype. The constructor takes an absolute
 * threshold and a fill value, or the `estimates` {@link blankSaturation} made from random chunks.
 */
export class BlankSaturationRecording extends BasePreprocessor {
  static override readonly className: string = 'BlankSaturationRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.clip.BlankSaturationRecording';

  constructor(recording: BaseRecording, opts: BlankSaturationOptions = {}, estimates: BlankSaturationEstimates = {}) {
    const p = blankSaturationPlan(recording, opts);
    const fillValue = p.fillValue ?? estimates.fillValue ?? null;
    if (fillValue === null) {
      throw new SpikewireError('UNSUPPORTED', `${p.fn}: fillValue null is the median of random chunks: build with blankSaturation(), which estimates it, or give fillValue`);
    }
    const plan: ClipPlan = { aMin: null, valueMin: null, aMax: null, valueMax: null };
    let weak = true;
    if (p.absThreshold === null) {
      const q = estimates.thresholds;
      if (q === undefined) {
        throw new SpikewireError('UNSUPPORTED', `${p.fn}: quantileThreshold ${describe(p.quantileThreshold)} needs thresholds estimated from random chunks: build with blankSaturation(), or give absThreshold`);
      }
      weak = false;
      if (p.direction !== 'upper') Object.assign(plan, { aMin: q[0], valueMin: fillValue });
      if (p.direction !== 'lower') Object.assign(plan, { aMax: q[1], valueMax: fillValue });
    } else {
      const t = p.absThreshold;
      if (p.direction !== 'upper') Object.assign(plan, { aMin: p.direction === 'both' ? -t : t, valueMin: fillValue });
      if (p.direction !== 'lower') Object.assign(plan, { aMax: t, valueMax: fillValue });
    }
    super(recording);
    const step = clipStep(recording, plan, weak);
    for (const segment of recording.segments) this.addRecordingSegment(new ElementwiseSegment(segment, this.getDtype(), step));
    this._kwargs = {
      recording, abs_threshold: p.absThreshold, quantile_threshold: p.quantileThreshold, direction: p.direction, fill_value: fillValue,
      num_chunks_per_segment: p.numChunksPerSegment, chunk_size: p.chunkSize, seed: p.seed,
    };
  }

  /** Estimated thresholds are drawn again from random chunks when rebuilt from its dict: the same only with a seed. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    const estimated = this._kwargs.quantile_threshold !== null;
    return (estimated ? unseededProblem(this.className, this._kwargs.seed) : null) ?? super.workerProblem(isLocalFile);
  }
}

/**
 * SpikeInterface's `blank_saturation`: reads random chunks when the fill value or the thresholds
 * must be estimated (median / quantiles of every sample), then a lazy {@link BlankSaturationRecording}.
 */
export async function blankSaturation(recording: BaseRecording, opts: BlankSaturationOptions = {}): Promise<BlankSaturationRecording> {
  const p = blankSaturationPlan(recording, opts);
  if (!p.needsData) return new BlankSaturationRecording(recording, opts);
  const data = await getRandomDataChunks(recording, { numChunksPerSegment: p.numChunksPerSegment, chunkSize: p.chunkSize, seed: p.seed, signal: opts.signal });
  const values = flat(data);
  const estimates: BlankSaturationEstimates = { fillValue: median(values, roundingFor(data.dtype)) };
  if (p.quantileThreshold !== null) {
    const [lo, hi] = quantiles(values, [p.quantileThreshold, 1 - p.quantileThreshold]);
    estimates.thresholds = [lo, hi];
  }
  return new BlankSaturationRecording(recording, opts, estimates);
}

// ----------------------------------------------------------------------------------------- rectify

/**
 * SpikeInterface's RectifyRecording: np.abs in the parent's dtype (for signed integers the most
 * negative value stays itself: abs(int16 -32768) is -32768).
 */
export class RectifyRecording extends BasePreprocessor {
  static override readonly className: string = 'RectifyRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.rectify.RectifyRecording';

  constructor(recording: BaseRecording) {
    checkPreprocessorArgs('rectify', recording, {});
    super(recording);
    const dtype = this.getDtype();
    const bits = isFloat(dtype) || dtype.startsWith('u') ? 0 : itemSize(dtype) * 8;
    const step: StepFor = () => ({ op: 'abs', bits });
    for (const segment of recording.segments) this.addRecordingSegment(new ElementwiseSegment(segment, dtype, step));
    this._kwargs = { recording };
  }
}

/** SpikeInterface's `rectify`: a lazy {@link RectifyRecording} of `recording`. */
export function rectify(recording: BaseRecording): RectifyRecording {
  return new RectifyRecording(recording);
}
