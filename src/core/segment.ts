import type { DType } from '../dtype.js';
import { itemSize } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import type { Kernel } from '../kernel/index.js';

/** Where a segment writes the samples it reads: rows of `stride` elements of `dtype` in linear memory. */
export interface TraceTarget {
  /** Byte address of row 0, column 0 of the block to fill. */
  readonly address: number;
  /** Elements from one row to the next (at least the number of channels asked). */
  readonly stride: number;
  readonly dtype: DType;
}

/**
 * One read: frames [startFrame, endFrame) of the channels at `channelIndices` (segment-local, output
 * order) into `target`, scaled with `gains`/`offsets` (one per asked channel) when they are given.
 * The recording has checked every bound before a segment sees the request.
 */
export interface TraceRequest {
  readonly kernel: Kernel;
  readonly startFrame: number;
  readonly endFrame: number;
  readonly channelIndices: Int32Array;
  readonly target: TraceTarget;
  readonly gains: Float32Array | null;
  readonly offsets: Float32Array | null;
  readonly signal?: AbortSignal;
}

/** The same request moved to another block of rows / columns of the target. */
export function shiftTarget(target: TraceTarget, rows: number, columns: number): TraceTarget {
  return { ...target, address: target.address + (rows * target.stride + columns) * itemSize(target.dtype) };
}

/** Time information of a segment, as SpikeInterface's `get_times_kwargs()`. */
export interface TimeInfo {
  readonly samplingFrequency: number;
  readonly tStart: number | null;
  readonly timeVector: Float64Array | null;
}

/**
 * A segment of a recording: a contiguous piece of samples. It knows its length, its times, and how to
 * read samples; everything else (ids, properties, gains) lives on the recording.
 */
export abstract class BaseRecordingSegment {
  /** Start time in seconds (null = 0, as SpikeInterface keeps `t_start=None`). */
  tStart: number | null;
  /** One time per sample, when the segment has irregular or explicit times. */
  timeVector: Float64Array | null;

  constructor(readonly samplingFrequency: number, tStart: number | null = null, timeVector: Float64Array | null = null) {
    this.tStart = tStart;
    this.timeVector = timeVector;
  }

  /** Number of samples of the segment. */
  abstract getNumSamples(): number;

  /** Reads the request's samples into its target. */
  abstract readTraces(request: TraceRequest): Promise<void>;

  /**
   * How many bytes of output one read should produce at most: getTraces splits longer requests into
   * reads of this size. Sources in memory prefer small reads (the data stays in cache between the
   * kernel and the copy out); files and URLs prefer large ones (fewer round trips).
   */
  preferredReadBytes(): number {
    return 1024 * 1024;
  }

  /** Releases sources this segment holds open (files, connections). */
  async close(): Promise<void> {}

  /** `{samplingFrequency, tStart, timeVector}` of this segment. */
  getTimeInfo(): TimeInfo {
    return { samplingFrequency: this.samplingFrequency, tStart: this.tStart, timeVector: this.timeVector };
  }

  /** Times in seconds of frames [start, end): the time vector's, or `i / fs + tStart`. */
  getTimes(startFrame = 0, endFrame = this.getNumSamples()): Float64Array {
    const { timeVector, tStart } = this.getTimeInfo();
    if (timeVector) return timeVector.slice(startFrame, endFrame);
    const n = Math.max(0, endFrame - startFrame);
    const out = new Float64Array(n);
    const fs = this.samplingFrequency;
    // numpy: arange(start, end, dtype=float64) / fs (+ t_start) — the same two roundings
    if (tStart === null) for (let i = 0; i < n; i++) out[i] = (startFrame + i) / fs;
    else for (let i = 0; i < n; i++) out[i] = (startFrame + i) / fs + tStart;
    return out;
  }

  /** Time of the first sample. */
  getStartTime(): number {
    return this.sampleIndexToTime(0);
  }

  /** Time of the last sample. */
  getEndTime(): number {
    return this.sampleIndexToTime(this.getNumSamples() - 1);
  }

  /** Time in seconds of sample `index`. */
  sampleIndexToTime(index: number): number {
    const { timeVector, tStart } = this.getTimeInfo();
    if (timeVector) {
      if (!(index >= 0 && index < timeVector.length)) {
        throw new SpikewireError('OUT_OF_RANGE', `sample index ${describe(index)} is outside 0..${timeVector.length - 1}`);
      }
      return timeVector[index];
    }
    const t = index / this.samplingFrequency;
    return tStart === null ? t : t + tStart;
  }

  /** The sample at time `t`: the last sample at or before `t` with a time vector, else round((t - tStart) * fs). */
  timeToSampleIndex(t: number): number {
    const { timeVector, tStart } = this.getTimeInfo();
    if (timeVector) return searchSortedRight(timeVector, t) - 1;
    const x = (tStart === null ? t : t - tStart) * this.samplingFrequency;
    return roundHalfEven(x);
  }
}

/** numpy's `searchsorted(a, v, side='right')` on a sorted array. */
export function searchSortedRight(a: Float64Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy's `round` (half to even). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
