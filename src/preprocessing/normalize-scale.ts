import type { DType } from '../dtype.js';
import { numpyDTypeString } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { BaseRecording } from '../core/index.js';
import { checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';
import { ScaleRecording, scale } from './elementwise.js';
import { columnMajorTraces } from './numpy-layout.js';
import { columns, flat, mean, median, quantiles, roundingFor, std } from './numpy-stats.js';
import { getRandomDataChunks, randomChunkKwargs, unseededProblem, type RandomChunkOptions } from './random-chunks.js';

// SpikeInterface's normalize_scale preprocessors that estimate a gain and an offset per channel from
// seeded random chunks, then scale as ScaleRecording does (float32 samples, float64 operands). Their
// functions are asynchronous: the chunks are read before the recording exists.

/** Options every statistics-based preprocessor takes besides its own: the random chunks and a way to stop the reads. */
export interface RandomChunkReadOptions extends RandomChunkOptions {
  /** Stops the reads of the random chunks with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** The random chunk options of `opts` (without the preprocessor's own options). */
function chunkOptions(opts: RandomChunkReadOptions): RandomChunkReadOptions {
  const { method, numChunksPerSegment, chunkDuration, chunkSize, marginFrames, seed, signal } = opts;
  return { method, numChunksPerSegment, chunkDuration, chunkSize, marginFrames, seed, signal };
}

/** A per-channel row given as numbers, [numbers] or [[numbers]] (SpikeInterface's (1, channels) lists). */
function row(fn: string, name: string, value: unknown, numChannels: number): number[] {
  let r: unknown = value;
  if (Array.isArray(value) && value.length === 1 && Array.isArray(value[0])) r = value[0];
  else if (ArrayBuffer.isView(value)) r = Array.from(value as unknown as ArrayLike<number>);
  check(Array.isArray(r) && r.length === numChannels && r.every((v) => typeof v === 'number'), 'INVALID_ARGUMENT',
    () => `${fn}: ${name} must be ${numChannels} numbers (one per channel), got ${describe(value)}`);
  return [...(r as number[])];
}

// ------------------------------------------------------------------------------------------ center

/** Options of {@link center}: SpikeInterface's `center` keyword arguments. */
export interface CenterOptions extends RandomChunkReadOptions {
  /** What is removed from each channel: its median (default) or its mean over the random chunks. */
  mode?: 'median' | 'mean';
  /** Output sample type (default float32). */
  dtype?: DType | string | null;
}

/** SpikeInterface's CenterRecording: each channel minus its median (or mean) over seeded random chunks. */
export class CenterRecording extends ScaleRecording {
  static override readonly className: string = 'CenterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.normalize_scale.CenterRecording';

  /** The offset added to each channel (minus its median or mean). */
  readonly offset: readonly number[];

  /** Built by {@link center} from the statistics it estimated (`offset`: one per channel). */
  constructor(recording: BaseRecording, opts: CenterOptions, statistics: { offset: readonly number[] }) {
    const fn = 'center';
    checkPreprocessorArgs(fn, recording, opts);
    const mode = checkChoice(fn, 'mode', opts.mode ?? 'median', ['median', 'mean'] as const);
    const offset = row(fn, 'offset', statistics?.offset, recording.getNumChannels());
    const dtype = fixDtype(fn, recording, opts.dtype === undefined ? 'float32' : opts.dtype);
    super(recording, { gain: 1.0, offset, dtype });
    this.offset = offset;
    this._kwargs = { recording, mode, dtype: numpyDTypeString(dtype), ...randomChunkKwargs(opts) };
  }

  /** Its statistics are drawn again from random chunks when rebuilt from its dict: the same only with a seed. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    return unseededProblem(this.className, this._kwargs.seed) ?? super.workerProblem(isLocalFile);
  }
}

/** SpikeInterface's `center`: reads the random chunks, then a lazy {@link CenterRecording}. */
export async function center(recording: BaseRecording, opts: CenterOptions = {}): Promise<CenterRecording> {
  checkPreprocessorArgs('center', recording, opts);
  const mode = checkChoice('center', 'mode', opts.mode ?? 'median', ['median', 'mean'] as const);
  const data = await getRandomDataChunks(recording, chunkOptions(opts));
  const r = roundingFor(data.dtype);
  const pairwise = columnMajorTraces(recording);
  const offset = columns(data).map((v) => -(mode === 'mean' ? mean(v, r, pairwise) : median(v, r)));
  return new CenterRecording(recording, opts, { offset });
}

// ------------------------------------------------------------------------------------------ zscore

/** Options of {@link zscore}: SpikeInterface's `zscore` keyword arguments. */
export interface ZScoreOptions extends RandomChunkReadOptions {
  /** 'median+mad' (default): (x - median) / MAD·1.4826; 'mean+std': (x - mean) / std. */
  mode?: 'median+mad' | 'mean+std';
  /** Precomputed gain per channel (with `offset`: no random chunks are read). */
  gain?: readonly number[] | readonly (readonly number[])[] | null;
  /** Precomputed offset per channel. */
  offset?: readonly number[] | readonly (readonly number[])[] | null;
  /** Multiplies gain and offset, so that integer outputs keep resolution (needed for integer dtypes). */
  intScale?: number | null;
  /** Output sample type (default float32; null: the parent's). */
  dtype?: DType | string | null;
}

/** The dtype and checks of zscore, shared by the function and the class. */
function zscorePlan(recording: BaseRecording, opts: ZScoreOptions) {
  const fn = 'zscore';
  checkPreprocessorArgs(fn, recording, opts);
  const mode = checkChoice(fn, 'mode', opts.mode ?? 'median+mad', ['median+mad', 'mean+std'] as const);
  const dtype = fixDtype(fn, recording, opts.dtype === undefined ? 'float32' : opts.dtype);
  const intScale = opts.intScale ?? null;
  check(intScale === null || (typeof intScale === 'number' && Number.isFinite(intScale)), 'INVALID_ARGUMENT',
    () => `${fn}: intScale must be a number or null, got ${describe(intScale)}`);
  if (isIntegerDtype(dtype) && intScale === null) {
    throw new SpikewireError('INVALID_ARGUMENT', `${fn}: dtype ${describe(dtype)} is an integer type: give intScale (the output's scale) or a float dtype`);
  }
  const given = opts.gain !== undefined && opts.gain !== null;
  check(!given || (opts.offset !== undefined && opts.offset !== null), 'INVALID_ARGUMENT', () => `${fn}: gain is given, so offset must be given too`);
  return { fn, mode, dtype, intScale, given };
}

/**
 * SpikeInterface's ZScoreRecording: `x * gain + offset` with gain = 1/MAD, offset = -median/MAD
 * (or 1/std, -mean/std) per channel from seeded random chunks, times intScale; its samples are in
 * z units, so its gains are 1 and offsets 0.
 */
export class ZScoreRecording extends ScaleRecording {
  static override readonly className: string = 'ZScoreRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.normalize_scale.ZScoreRecording';

  /** The gain of each channel (intScale included). */
  readonly gain: readonly number[];
  /** The offset of each channel (intScale included). */
  readonly offset: readonly number[];

  /**
   * Built by {@link zscore}: with `opts.gain` / `opts.offset` given, or from the `statistics` it
   * estimated (gain and offset before intScale).
   */
  constructor(recording: BaseRecording, opts: ZScoreOptions, statistics?: { gain: readonly number[]; offset: readonly number[] }) {
    const { fn, mode, dtype, intScale, given } = zscorePlan(recording, opts);
    const n = recording.getNumChannels();
    const source = given ? { gain: opts.gain, offset: opts.offset } : statistics;
    check(source !== undefined, 'INVALID_ARGUMENT', () => `${fn}: gain and offset must be given (or estimated by zscore())`);
    let gain = row(fn, 'gain', source.gain, n);
    let offset = row(fn, 'offset', source.offset, n);
    if (intScale !== null) {
      gain = gain.map((g) => g * intScale);
      offset = offset.map((o) => o * intScale);
    }
    super(recording, { gain, offset, dtype });
    this.gain = gain;
    this.offset = offset;
    this.setProperty('gain_to_uV', new Float32Array(n).fill(1));
    this.setProperty('offset_to_uV', new Float32Array(n));
    this._kwargs = { recording, dtype: numpyDTypeString(dtype), mode, gain: [gain], offset: [offset], ...randomChunkKwargs(opts) };
  }
}

/** SpikeInterface's `zscore`: reads the random chunks (unless gain and offset are given), then a lazy {@link ZScoreRecording}. */
export async function zscore(recording: BaseRecording, opts: ZScoreOptions = {}): Promise<ZScoreRecording> {
  const { mode, given } = zscorePlan(recording, opts);
  if (given) return new ZScoreRecording(recording, opts);
  const data = await getRandomDataChunks(recording, chunkOptions(opts));
  const r = roundingFor(data.dtype);
  const pairwise = columnMajorTraces(recording);
  const gain: number[] = [];
  const offset: number[] = [];
  for (const v of columns(data)) {
    if (mode === 'median+mad') {
      const med = median(v, r);
      const mad = r(median(v.map((x) => Math.abs(r(x - med))), r) / 0.6744897501960817);
      gain.push(r(1 / mad));
      offset.push(r(-med / mad));
    } else {
      const m = mean(v, r, pairwise);
      const s = std(v, r, pairwise);
      gain.push(r(1.0 / s));
      offset.push(r(-m / s));
    }
  }
  return new ZScoreRecording(recording, opts, { gain, offset });
}

// --------------------------------------------------------------------------- normalize_by_quantile

/** Options of {@link normalizeByQuantile}: SpikeInterface's `normalize_by_quantile` keyword arguments. */
export interface NormalizeByQuantileOptions extends RandomChunkReadOptions {
  /** Distance between the two quantiles after scaling (default 1). */
  scale?: number;
  /** The median after scaling (default 0). */
  median?: number;
  /** Lower quantile (default 0.01). */
  q1?: number;
  /** Upper quantile (default 0.99). */
  q2?: number;
  /** 'by_channel' (default): quantiles of each channel; 'pool_channel': of every sample together. */
  mode?: 'by_channel' | 'pool_channel';
  /** Output sample type (default float32). */
  dtype?: DType | string | null;
}

function normalizePlan(recording: BaseRecording, opts: NormalizeByQuantileOptions) {
  const fn = 'normalizeByQuantile';
  checkPreprocessorArgs(fn, recording, opts);
  const mode = checkChoice(fn, 'mode', opts.mode ?? 'by_channel', ['by_channel', 'pool_channel'] as const);
  const num = (name: 'scale' | 'median' | 'q1' | 'q2', dflt: number, quantile: boolean): number => {
    const v = opts[name] ?? dflt;
    check(typeof v === 'number' && Number.isFinite(v) && (!quantile || (v >= 0 && v <= 1)), 'INVALID_ARGUMENT',
      () => `${fn}: ${name} must be a ${quantile ? 'quantile in [0, 1]' : 'number'}, got ${describe(v)}`);
    return v;
  };
  return { fn, mode, scale: num('scale', 1.0, false), median: num('median', 0.0, false), q1: num('q1', 0.01, true), q2: num('q2', 0.99, true) };
}

/**
 * SpikeInterface's NormalizeByQuantileRecording: scaled so that the q1–q2 quantile range of the
 * random chunks becomes `scale` and their median becomes `median` (per channel or pooled).
 */
export class NormalizeByQuantileRecording extends ScaleRecording {
  static override readonly className: string = 'NormalizeByQuantileRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.normalize_scale.NormalizeByQuantileRecording';

  /** The gain of each channel. */
  readonly gain: readonly number[];
  /** The offset of each channel. */
  readonly offset: readonly number[];

  /** Built by {@link normalizeByQuantile} from the gain and offset it estimated. */
  constructor(recording: BaseRecording, opts: NormalizeByQuantileOptions, statistics: { gain: readonly number[]; offset: readonly number[] }) {
    const p = normalizePlan(recording, opts);
    const n = recording.getNumChannels();
    const gain = row(p.fn, 'gain', statistics?.gain, n);
    const offset = row(p.fn, 'offset', statistics?.offset, n);
    const dtype = fixDtype(p.fn, recording, opts.dtype === undefined ? 'float32' : opts.dtype);
    super(recording, { gain, offset, dtype });
    this.gain = gain;
    this.offset = offset;
    this._kwargs = {
      recording, scale: p.scale, median: p.median, q1: p.q1, q2: p.q2, mode: p.mode, dtype: numpyDTypeString(dtype), ...randomChunkKwargs(opts),
    };
  }

  /** Its statistics are drawn again from random chunks when rebuilt from its dict: the same only with a seed. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    return unseededProblem(this.className, this._kwargs.seed) ?? super.workerProblem(isLocalFile);
  }
}

/** SpikeInterface's `normalize_by_quantile`: reads the random chunks, then a lazy {@link NormalizeByQuantileRecording}. */
export async function normalizeByQuantile(recording: BaseRecording, opts: NormalizeByQuantileOptions = {}): Promise<NormalizeByQuantileRecording> {
  const p = normalizePlan(recording, opts);
  const data = await getRandomDataChunks(recording, chunkOptions(opts));
  const fit = (values: Float64Array) => {
    const [lo, med, hi] = quantiles(values, [p.q1, 0.5, p.q2]);
    const gain = p.scale / Math.abs(hi - lo);
    return { gain, offset: p.median - med * gain };
  };
  const n = recording.getNumChannels();
  const fits = p.mode === 'pool_channel' ? new Array(n).fill(fit(flat(data))) : columns(data).map(fit);
  return new NormalizeByQuantileRecording(recording, opts, { gain: fits.map((f) => f.gain), offset: fits.map((f) => f.offset) });
}

// ------------------------------------------------------------------------------------- correct_lsb

/** Options of {@link correctLsb}: SpikeInterface's `correct_lsb` keyword arguments (its defaults: 20 chunks of 10000 frames). */
export interface CorrectLsbOptions extends RandomChunkReadOptions {
  /** Logs the estimated LSB. */
  verbose?: boolean;
}

/**
 * The LSB of integer samples as SpikeInterface estimates it: per channel the smallest step between
 * its distinct values, then the most frequent of those steps (the smallest on a tie); -1 when no
 * channel has two distinct values.
 */
export function estimateLsb(columnsOfData: readonly ArrayLike<number>[]): number {
  const steps: number[] = [];
  for (const v of columnsOfData) {
    const unique = [...new Set(Array.from(v, Math.trunc))].sort((a, b) => a - b);
    if (unique.length < 2) continue;
    let step = Infinity;
    for (let i = 1; i < unique.length; i++) step = Math.min(step, unique[i] - unique[i - 1]);
    steps.push(step);
  }
  if (steps.length === 0) return -1;
  const counts = new Map<number, number>();
  for (const s of steps) counts.set(s, (counts.get(s) ?? 0) + 1);
  let best = -1;
  let bestCount = 0;
  for (const [s, c] of [...counts].sort((a, b) => a[0] - b[0])) if (c > bestCount) [best, bestCount] = [s, c];
  return best;
}

/**
 * SpikeInterface's `correct_lsb`: estimates the LSB from seeded random chunks, then returns
 * `scale(scale(recording, gain 1, offset -medians), gain 1/lsb)` in the recording's dtype with gains
 * multiplied by the LSB; the recording itself (with a warning) when the LSB is 1 or unknown.
 */
export async function correctLsb(recording: BaseRecording, opts: CorrectLsbOptions = {}): Promise<BaseRecording> {
  checkPreprocessorArgs('correctLsb', recording, opts);
  const chunks = chunkOptions(opts);
  // correct_lsb's own defaults (not get_random_data_chunks' ones)
  chunks.numChunksPerSegment ??= 20;
  chunks.chunkSize ??= 10000;
  const data = await getRandomDataChunks(recording, chunks);
  const perChannel = columns(data);
  const r = roundingFor(data.dtype);
  const medians = perChannel.map((v) => median(v, r));
  const lsb = estimateLsb(perChannel);
  if (opts.verbose) console.log(`Estimated LSB value: ${lsb}`);
  if (lsb === -1 || lsb === 1) {
    console.warn(lsb === -1 ? 'spikewire: LSB could not be estimated. No operation is applied' : 'spikewire: Estimated LSB=1. No operation is applied');
    return recording;
  }
  const dtype = recording.getDtype();
  const centered = scale(recording, { gain: 1.0, offset: medians.map((m) => -m), dtype });
  const out = scale(centered, { gain: 1.0 / lsb, dtype });
  if (recording.hasScaleableTraces()) out.setChannelGains(Array.from(out.getProperty('gain_to_uV') as ArrayLike<number>, (g) => Number(g) * lsb));
  return out;
}

// ------------------------------------------------------------------------- scale_to_physical_units

/**
 * SpikeInterface's ScaleToPhysicalUnits: float32 samples in the recording's physical unit, from its
 * `gain_to_physical_unit` / `offset_to_physical_unit` properties (then 1 and 0, as the gains and
 * offsets to µV). `INVALID_ARGUMENT` when either property is missing.
 */
export class ScaleToPhysicalUnits extends ScaleRecording {
  static override readonly className: string = 'ScaleToPhysicalUnits';
  static override readonly classPath: string = 'spikeinterface.preprocessing.scale.ScaleToPhysicalUnits';

  constructor(recording: BaseRecording) {
    checkPreprocessorArgs('scaleToPhysicalUnits', recording, {});
    const property = (key: string, name: string) => {
      const values = recording.getPropertyKeys().includes(key) ? recording.getProperty(key) : undefined;
      if (values === undefined || Array.from(values as ArrayLike<unknown>).some((v) => typeof v !== 'number')) {
        throw new SpikewireError('INVALID_ARGUMENT',
          `scaleToPhysicalUnits: the recording must have a '${key}' property (numbers) to convert to physical units; set it with recording.setProperty('${key}', values) (${name})`);
      }
      return Array.from(values as ArrayLike<number>, Number);
    };
    const gain = property('gain_to_physical_unit', 'the gains');
    const offset = property('offset_to_physical_unit', 'the offsets');
    super(recording, { gain, offset, dtype: 'float32' });
    const n = recording.getNumChannels();
    this.setProperty('gain_to_physical_unit', new Float32Array(n).fill(1));
    this.setProperty('offset_to_physical_unit', new Float32Array(n));
    this.setChannelGains(1.0);
    this.setChannelOffsets(0.0);
  }
}

/** SpikeInterface's `scale_to_physical_units`: a lazy {@link ScaleToPhysicalUnits} of `recording`. */
export function scaleToPhysicalUnits(recording: BaseRecording): ScaleToPhysicalUnits {
  return new ScaleToPhysicalUnits(recording);
}
