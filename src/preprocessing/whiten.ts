import type { DType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { alignUp } from '../kernel/memory.js';
import { whitenAt, whitenScratchBytes } from '../kernel/whiten.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';
import type { RandomChunkReadOptions } from './normalize-scale.js';
import { columnMajorTraces } from './numpy-layout.js';
import { mean, median } from './numpy-stats.js';
import { getRandomDataChunks, randomChunkKwargs } from './random-chunks.js';
import { symmetricEigen } from './symmetric-eigen.js';

const MODES = ['global', 'local'] as const;

/** Options of {@link computeWhiteningMatrix}: SpikeInterface's `compute_whitening_matrix` arguments. */
export interface WhiteningMatrixOptions extends RandomChunkReadOptions {
  /** 'global' (default): the whole covariance; 'local': per channel, the covariance of its neighbours within radiusUm. */
  mode?: 'global' | 'local';
  /** Subtract the channel means (M) before the covariance (default false). */
  applyMean?: boolean;
  /** The neighbourhood radius of mode 'local', in µm (default 100). */
  radiusUm?: number;
  /** Added to the covariance's singular values (default: 1e-16, or 1e-3 × the median of the squared samples when that is in (0, 1)). */
  eps?: number | null;
  /** Regularized covariance (scikit-learn in SpikeInterface): not supported. */
  regularize?: boolean;
}

/** A whitening matrix and the means subtracted first, as SpikeInterface computes them (float32). */
export interface WhiteningMatrix {
  /** `numChannels × numChannels`, row-major: output channel j is Σ_i (x_i - M_i)·W[i][j]. */
  W: Float32Array;
  /** The channel means, or null without applyMean. */
  M: Float32Array | null;
}

function whiteningPlan(fn: string, recording: BaseRecording, opts: WhiteningMatrixOptions) {
  checkPreprocessorArgs(fn, recording, opts);
  const mode = checkChoice(fn, 'mode', opts.mode ?? 'global', MODES);
  const applyMean = opts.applyMean ?? false;
  check(typeof applyMean === 'boolean', 'INVALID_ARGUMENT', () => `${fn}: applyMean must be true or false, got ${describe(applyMean)}`);
  const radiusUm = opts.radiusUm ?? 100.0;
  check(typeof radiusUm === 'number' && radiusUm >= 0, 'INVALID_ARGUMENT', () => `${fn}: radiusUm must be a non-negative number, got ${describe(radiusUm)}`);
  const eps = opts.eps ?? null;
  check(eps === null || (typeof eps === 'number' && eps >= 0), 'INVALID_ARGUMENT', () => `${fn}: eps must be a non-negative number or null, got ${describe(eps)}`);
  if (opts.regularize) {
    if (!applyMean) throw new SpikewireError('INVALID_ARGUMENT', `${fn}: applyMean must be true to regularize (the covariance is assumed centred)`);
    throw new SpikewireError('UNSUPPORTED', `${fn}: regularize needs scikit-learn's covariance estimators, which are not available: use regularize false`);
  }
  return { mode, applyMean, radiusUm, eps };
}

/** ZCA whitening of a covariance (float64 values of a float32 matrix): U diag(1/sqrt(S + eps)) Uᵀ. */
function whiteningFromCovariance(cov: Float64Array, n: number, eps: number): Float64Array {
  const { values, vectors } = symmetricEigen(cov, n);
  // the SVD of a symmetric matrix: singular values |λ|, the sign of λ moved into Vᵀ
  const scale = Array.from(values, (l) => Math.sign(l || 1) / Math.sqrt(Math.fround(Math.abs(l) + eps)));
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k] * scale[k] * vectors[j * n + k];
      w[i * n + j] = s;
      w[j * n + i] = s;
    }
  }
  return w;
}

/**
 * SpikeInterface's `compute_whitening_matrix`: from seeded random chunks as float32, the means (with
 * applyMean), the covariance `dataᵀ·data / n`, and its ZCA whitening matrix (global, or per channel
 * from its neighbours within radiusUm: column c of the neighbourhood's matrix). The covariance and
 * its eigendecomposition are computed in float64 and the result rounded to float32, where numpy
 * works in float32 throughout: the two agree to float32 precision, not bit for bit.
 */
export async function computeWhiteningMatrix(recording: BaseRecording, opts: WhiteningMatrixOptions = {}): Promise<WhiteningMatrix> {
  const p = whiteningPlan('computeWhiteningMatrix', recording, opts);
  const { method, numChunksPerSegment, chunkDuration, chunkSize, marginFrames, seed, signal } = opts;
  const chunks = await getRandomDataChunks(recording, { method, numChunksPerSegment, chunkDuration, chunkSize, marginFrames, seed, signal });
  const [frames, n] = chunks.shape;
  const data = Float32Array.from(chunks.data as ArrayLike<number>);
  let M: Float32Array | null = null;
  if (p.applyMean) {
    M = new Float32Array(n);
    const pairwise = columnMajorTraces(recording);
    const col = new Float64Array(frames);
    for (let c = 0; c < n; c++) {
      for (let t = 0; t < frames; t++) col[t] = data[t * n + c];
      M[c] = mean(col, Math.fround, pairwise);
    }
    for (let t = 0; t < frames; t++) for (let c = 0; c < n; c++) data[t * n + c] = data[t * n + c] - M[c];
  }
  const cov = new Float64Array(n * n);
  for (let t = 0; t < frames; t++) {
    const row = t * n;
    for (let i = 0; i < n; i++) {
      const x = data[row + i];
      if (x === 0) continue;
      for (let j = i; j < n; j++) cov[i * n + j] += x * data[row + j];
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = Math.fround(Math.fround(cov[i * n + j]) / frames);
      cov[i * n + j] = v;
      cov[j * n + i] = v;
    }
  }
  let eps = p.eps;
  if (eps === null) {
    const squares = Float64Array.from(data, (x) => Math.fround(x * x));
    const med = median(squares, Math.fround);
    eps = med < 1 && med > 0 ? Math.max(1e-16, med * 1e-3) : 1e-16;
  }
  const W = new Float32Array(n * n);
  if (p.mode === 'global') {
    W.set(whiteningFromCovariance(cov, n, eps));
  } else {
    const locations = recording.getChannelLocations();
    const dims = locations.length / n;
    for (let c = 0; c < n; c++) {
      const inds: number[] = [];
      for (let j = 0; j < n; j++) {
        let d2 = 0;
        for (let a = 0; a < dims; a++) d2 += (locations[c * dims + a] - locations[j * dims + a]) ** 2;
        if (Math.sqrt(d2) <= p.radiusUm) inds.push(j);
      }
      const m = inds.length;
      const local = new Float64Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) local[a * m + b] = cov[inds[a] * n + inds[b]];
      const wl = whiteningFromCovariance(local, m, eps);
      const self = inds.indexOf(c);
      for (let a = 0; a < m; a++) W[inds[a] * n + c] = wl[self * m + a];
    }
  }
  return { W, M };
}

/** Options of {@link whiten}: SpikeInterface's `whiten` keyword arguments. */
export interface WhitenOptions extends WhiteningMatrixOptions {
  /** Output sample type (default: the parent's; an integer type needs intScale). */
  dtype?: DType | string | null;
  /** Multiplies the whitened samples (their standard deviation becomes about intScale), for integer outputs. */
  intScale?: number | null;
  /** A precomputed whitening matrix (numChannels × numChannels: rows of numbers, or flat row-major): no random chunks are read. */
  W?: ArrayLike<number> | readonly (readonly number[])[] | null;
  /** Precomputed means (with W), or null. */
  M?: ArrayLike<number> | readonly (readonly number[])[] | null;
}

/** A matrix given as rows or flat, as float64 (or float32 when given as a Float32Array), with `size` values. */
function flatMatrix(fn: string, name: string, value: unknown, size: number, what: string): Float32Array | Float64Array {
  let flatValues: unknown = value;
  if (Array.isArray(value) && value.every(Array.isArray)) flatValues = (value as number[][]).flat();
  if (flatValues instanceof Float32Array) {
    check(flatValues.length === size, 'INVALID_ARGUMENT', () => `${fn}: ${name} must have ${what}, got ${describe(value)}`);
    return flatValues;
  }
  const arr = ArrayBuffer.isView(flatValues) ? Array.from(flatValues as unknown as ArrayLike<number>) : flatValues;
  check(Array.isArray(arr) && arr.length === size && arr.every((x) => typeof x === 'number' && Number.isFinite(x)), 'INVALID_ARGUMENT',
    () => `${fn}: ${name} must have ${what}, got ${describe(value)}`);
  return Float64Array.from(arr as number[]);
}

/** The output dtype and intScale of whiten: an integer dtype needs intScale, as SpikeInterface asserts. */
function whitenOutput(recording: BaseRecording, opts: WhitenOptions): { dtype: DType; intScale: number | null } {
  const fn = 'whiten';
  const dtype = fixDtype(fn, recording, opts.dtype);
  const intScale = opts.intScale ?? null;
  check(intScale === null || (typeof intScale === 'number' && Number.isFinite(intScale)), 'INVALID_ARGUMENT',
    () => `${fn}: intScale must be a number or null, got ${describe(intScale)}`);
  if (isIntegerDtype(dtype) && intScale === null) {
    throw new SpikewireError('INVALID_ARGUMENT', `${fn}: the output dtype ${describe(dtype)} is an integer type: give intScale or a float dtype`);
  }
  return { dtype, intScale };
}

/** The whitening of one segment: the parent's frames of every channel through the kernel. */
class WhitenSegment extends BasePreprocessorSegment {
  constructor(parentSegment: BaseRecordingSegment, dtype: DType, private readonly rec: WhitenRecording) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const { W, M, intScale } = this.rec;
    const n = this.rec.getNumChannels();
    const k = channelIndices.length;
    const chunk = await this.readParentChunk(request, 0, { channelIndices: Int32Array.from({ length: n }, (_, i) => i) });
    let params = -1;
    try {
      const wBytes = alignUp(n * k * 8);
      const mBytes = alignUp(n * 8);
      params = await kernel.alloc(wBytes + mBytes + whitenScratchBytes(n));
      const w = kernel.view('float64', params, n * k);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) w[i * k + j] = W[i * n + channelIndices[j]];
      if (M !== null) kernel.view('float64', params + wBytes, n).set(M);
      whitenAt(kernel, {
        src: chunk.address, numFrames: endFrame - startFrame, numChannels: n, mean: M === null ? null : params + wBytes, w: params, numOut: k,
        dst: out, scale: intScale ?? 1, float32: this.rec.float32, round: isIntegerDtype(this.dtype), scratch: params + wBytes + mBytes,
      });
    } finally {
      if (params >= 0) kernel.free(params);
      kernel.free(chunk.address);
    }
  }
}

/**
 * SpikeInterface's WhitenRecording: `(x - M) @ W` across all channels (then the requested ones),
 * times intScale, rounded for integer outputs. With W and M computed here (float32, as
 * SpikeInterface keeps them) the arithmetic is numpy's float32; with W given as numbers (a reloaded
 * dict) it is float64, as SpikeInterface's reload does it.
 */
export class WhitenRecording extends BasePreprocessor {
  static override readonly className: string = 'WhitenRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.whiten.WhitenRecording';

  /** The whitening matrix, `numChannels × numChannels` row-major. */
  readonly W: Float32Array | Float64Array;
  /** The means subtracted first, or null. */
  readonly M: Float32Array | Float64Array | null;
  /** The scale of the output, or null. */
  readonly intScale: number | null;
  /** Whether the arithmetic is numpy's float32 (W in float32). */
  readonly float32: boolean;

  /** Built by {@link whiten}: with `opts.W` (and `opts.M`) given, or from the matrix it computed. */
  constructor(recording: BaseRecording, opts: WhitenOptions = {}, computed?: WhiteningMatrix) {
    const fn = 'whiten';
    const p = whiteningPlan(fn, recording, opts);
    const { dtype, intScale } = whitenOutput(recording, opts);
    const n = recording.getNumChannels();
    let W: Float32Array | Float64Array;
    let M: Float32Array | Float64Array | null;
    if (opts.W !== undefined && opts.W !== null) {
      W = flatMatrix(fn, 'W', opts.W, n * n, `${n} × ${n} numbers`);
      M = opts.M === undefined || opts.M === null ? null : flatMatrix(fn, 'M', opts.M, n, `${n} numbers`);
    } else {
      check(computed !== undefined, 'INVALID_ARGUMENT', () => `${fn}: W must be given (or computed by whiten())`);
      ({ W, M } = computed);
    }
    super(recording, { dtype });
    this.W = W;
    this.M = M;
    this.intScale = intScale;
    this.float32 = W instanceof Float32Array && (M === null || M instanceof Float32Array);
    for (const segment of recording.segments) this.addRecordingSegment(new WhitenSegment(segment, dtype, this));
    const rows = (a: ArrayLike<number>, width: number) => Array.from({ length: a.length / width }, (_, i) => Array.from(a).slice(i * width, (i + 1) * width));
    this._kwargs = {
      recording, dtype: opts.dtype ?? null, mode: p.mode, radius_um: p.radiusUm, apply_mean: p.applyMean, regularize: false, regularize_kwargs: null,
      int_scale: intScale, M: M === null ? null : rows(M, n), W: rows(W, n), ...randomChunkKwargs(opts),
    };
  }
}

/** SpikeInterface's `whiten`: computes the whitening matrix from random chunks unless W is given, then a lazy {@link WhitenRecording}. */
export async function whiten(recording: BaseRecording, opts: WhitenOptions = {}): Promise<WhitenRecording> {
  whiteningPlan('whiten', recording, opts);
  whitenOutput(recording, opts); // a bad dtype is refused before anything is read
  if (opts.W !== undefined && opts.W !== null) return new WhitenRecording(recording, opts);
  return new WhitenRecording(recording, opts, await computeWhiteningMatrix(recording, opts));
}
