import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs } from './base.js';

const FN = 'silencePeriods';

/** A period to silence: segment index, first frame, one past the last frame. */
export type Period = readonly [segmentIndex: number, startSampleIndex: number, endSampleIndex: number];

/** Options of {@link silencePeriods}: SpikeInterface's keyword arguments, camelCased. */
export interface SilencePeriodsOptions {
  /** The periods, as rows of SpikeInterface's `base_period_dtype` (segment, start, end). */
  periods?: readonly Period[] | null;
  /** The older form: per segment, `[start, end]` pairs (one segment may give its pairs directly). */
  listPeriods?: readonly (readonly (readonly [number, number])[])[] | readonly (readonly [number, number])[] | null;
  /**
   * 'zeros' (default): periods read as zeros; 'apodization': samples multiplied by
   * max(0, 1 - mask ∗ cosine window) around the periods. SpikeInterface's 'noise' (numpy's PCG64
   * noise) is refused (`UNSUPPORTED`).
   */
  mode?: 'zeros' | 'noise' | 'apodization';
  /** Width of the cosine taper of 'apodization', in frames (default 7); also its margin. */
  apodizationSamples?: number;
  /** Kept in the dict; only 'noise' uses it. */
  noiseLevels?: ArrayLike<number> | null;
  /** Kept in the dict; only 'noise' uses it. */
  seed?: number | null;
}

const isFrame = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The periods of either form, checked, sorted by segment then start (SpikeInterface's lexsort), as SpikeInterface checks them. */
function resolvePeriods(opts: SilencePeriodsOptions, numSegments: number): Period[] {
  let periods: Period[];
  if (opts.listPeriods !== undefined && opts.listPeriods !== null) {
    check(opts.periods === undefined || opts.periods === null, 'INVALID_ARGUMENT', () => `${FN}: give periods or listPeriods, not both`);
    let list = opts.listPeriods as readonly unknown[];
    // one segment: its pairs may come without the per-segment list
    if (numSegments === 1 && Array.isArray(list[0]) && !Array.isArray((list[0] as unknown[])[0])) list = [list];
    check(Array.isArray(list) && list.length === numSegments, 'INVALID_ARGUMENT',
      () => `${FN}: listPeriods must hold one list of [start, end] pairs per segment (${numSegments}), got ${describe(opts.listPeriods)}`);
    periods = list.flatMap((pairs, s) => {
      check(Array.isArray(pairs), 'INVALID_ARGUMENT', () => `${FN}: listPeriods[${s}] must be a list of [start, end] pairs, got ${describe(pairs)}`);
      return (pairs as unknown[]).map((p): Period => {
        check(Array.isArray(p) && p.length === 2, 'INVALID_ARGUMENT', () => `${FN}: listPeriods[${s}] holds ${describe(p)}, not a [start, end] pair`);
        return [s, p[0], p[1]];
      });
    });
  } else {
    check(Array.isArray(opts.periods), 'INVALID_ARGUMENT', () => `${FN}: periods must be a list of [segmentIndex, start, end] rows, got ${describe(opts.periods)}`);
    periods = (opts.periods as readonly unknown[]).map((p) => {
      check(Array.isArray(p) && p.length === 3, 'INVALID_ARGUMENT', () => `${FN}: a period must be [segmentIndex, start, end], got ${describe(p)}`);
      return [p[0], p[1], p[2]] as Period;
    });
  }
  for (const p of periods) {
    check(p.every(isFrame) && p[0] < numSegments, 'INVALID_ARGUMENT',
      () => `${FN}: period ${describe(p)} must be non-negative integers with a segment index below ${numSegments}`);
  }
  periods.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 0; i < periods.length; i++) {
    const [s, start, end] = periods[i];
    check(start <= end, 'INVALID_ARGUMENT', () => `${FN}: period ${describe(periods[i])} ends before it starts (end_sample_index should be larger than start_sample_index)`);
    check(i === 0 || periods[i - 1][0] !== s || periods[i - 1][2] <= start, 'INVALID_ARGUMENT',
      () => `${FN}: periods ${describe(periods[i - 1])} and ${describe(periods[i])} overlap (intervals should not overlap)`);
  }
  return periods;
}

/**
 * SpikeInterface's SilencedPeriodsRecording (modes 'zeros' and 'apodization'): the frames of the
 * given periods read as zeros, or tapered to zero with a cosine window, everything else as the parent. Its periods are a structured numpy array in SpikeInterface,
 * whose dict does not go to JSON: {@link dumpToJson} refuses as SpikeInterface does (its dict, and
 * pickle dumps, work).
 */
export class SilencedPeriodsRecording extends BasePreprocessor {
  static override readonly className: string = 'SilencedPeriodsRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.silence_periods.SilencedPeriodsRecording';

  /** The periods, sorted by segment and start. */
  readonly periods: readonly Period[];

  constructor(recording: BaseRecording, opts: SilencePeriodsOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    const mode = checkChoice(FN, 'mode', opts.mode ?? 'zeros', ['zeros', 'noise', 'apodization'] as const);
    if (mode === 'noise') {
      throw new SpikewireError('UNSUPPORTED',
        `${FN}: mode 'noise' fills periods with SpikeInterface's generated noise (numpy's PCG64 stream and noise levels of random chunks), which is not reproduced here: use mode 'zeros' or 'apodization'`);
    }
    const apodizationSamples = opts.apodizationSamples ?? 7;
    check(Number.isInteger(apodizationSamples) && apodizationSamples >= 1 && apodizationSamples <= 1e6, 'INVALID_ARGUMENT',
      () => `${FN}: apodizationSamples must be an integer from 1 to 1e6, got ${describe(apodizationSamples)}`);
    const periods = resolvePeriods(opts, recording.getNumSegments());
    super(recording);
    this.periods = periods;
    recording.segments.forEach((segment, s) => {
      this.addRecordingSegment(new SilencedPeriodsSegment(segment, this.getDtype(), periods.filter((p) => p[0] === s), mode === 'apodization' ? apodizationSamples : 0));
    });
    this._kwargs = {
      recording, periods: periods.map((p) => [...p]), mode, seed: opts.seed ?? null,
      noise_levels: opts.noiseLevels === undefined || opts.noiseLevels === null ? null : Array.from(opts.noiseLevels), apodization_samples: apodizationSamples,
    };
  }

  /** Refused, as SpikeInterface refuses it ('The extractor is not json serializable'): dump to pickle. */
  override dumpToJson(path: string): Promise<void> {
    return Promise.reject(new SpikewireError('UNSUPPORTED',
      `${this.className} is not JSON serializable (SpikeInterface keeps its periods in a structured numpy array): dump ${describe(path)} to pickle instead`));
  }
}

class SilencedPeriodsSegment extends BasePreprocessorSegment {
  /** `apodization`: the taper's width in frames (0 for zeros). */
  constructor(
    parentSegment: BaseRecordingSegment, dtype: BasePreprocessorSegment['dtype'], private readonly periods: readonly Period[],
    private readonly apodization: number,
  ) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const k = channelIndices.length;
    const margin = this.apodization;
    // SpikeInterface's searchsorted: periods ending at or after the start, starting before the end (margins included)
    const touching = this.periods.filter(([, start, end]) => end >= startFrame - margin && start < endFrame + margin);
    const chunk = await this.readParentChunk(request, margin);
    try {
      if (margin > 0 && touching.length > 0) this.mute(kernel.view('float64', chunk.address, chunk.numFrames * k) as Float64Array, chunk.numFrames, k, touching, startFrame, endFrame);
      this.copyChunkRows(request, chunk, out);
    } finally {
      kernel.free(chunk.address);
    }
    if (margin > 0) return;
    const rows = kernel.view('float64', out, (endFrame - startFrame) * k);
    for (const [, start, end] of touching) {
      const from = Math.max(start, startFrame);
      const to = Math.min(end, endFrame);
      if (to > from) rows.fill(0, (from - startFrame) * k, (to - startFrame) * k);
    }
  }

  /**
   * 'apodization' on the chunk with its margins, as SpikeInterface computes it: a float32 mask of the
   * periods, placed as its code places them (from `margin` frames before the chunk's start position
   * of each period; numpy clips the ends), convolved ('same') with scipy's cosine window, the samples
   * (as float32) multiplied by max(0, 1 - that).
   */
  private mute(rows: Float64Array, numFrames: number, k: number, periods: readonly Period[], startFrame: number, endFrame: number): void {
    const m = this.apodization;
    const mask = new Float64Array(numFrames);
    for (const [, start, end] of periods) {
      const onset = Math.max(0, start - startFrame - m);
      const offset = Math.min(end - startFrame + m, endFrame + m, numFrames);
      for (let i = onset; i < offset; i++) mask[i] = 1;
    }
    const window = Float64Array.from({ length: m }, (_, i) => Math.sin((Math.PI / m) * (i + 0.5)));
    const shift = (m - 1) >> 1;
    for (let t = 0; t < numFrames; t++) {
      // full convolution at t + shift: sum over j of mask[t + shift - j] * window[j]
      let conv = 0;
      for (let j = 0; j < m; j++) {
        const i = t + shift - j;
        if (i >= 0 && i < numFrames) conv += mask[i] * window[j];
      }
      const mute = Math.max(0, 1 - conv);
      if (mute === 1) continue;
      for (let c = 0; c < k; c++) rows[t * k + c] = Math.fround(rows[t * k + c]) * mute;
    }
  }
}

/** SpikeInterface's `silence_periods`: a lazy {@link SilencedPeriodsRecording} of `recording`. */
export function silencePeriods(recording: BaseRecording, opts: SilencePeriodsOptions = {}): SilencedPeriodsRecording {
  return new SilencedPeriodsRecording(recording, opts);
}
