import type { DType } from '../dtype.js';
import { check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import type { Kernel } from '../kernel/index.js';
import { BasePreprocessor, BasePreprocessorSegment, checkPreprocessorArgs, isIntegerDtype } from './base.js';
import { fftMagnitude, roundInPlace, scaleSpectraInPlace } from './spectral.js';

const FN = 'gaussianFilter';

/** Options of {@link gaussianFilter}: SpikeInterface's keyword arguments, camelCased. */
export interface GaussianFilterOptions {
  /** Lower cutoff in Hz (default 300); null: a lowpass. */
  freqMin?: number | null;
  /** Upper cutoff in Hz (default 5000); null: a highpass. */
  freqMax?: number | null;
  /** Margin in standard deviations of the widest Gaussian (default 5); not stored in the dict, as in SpikeInterface. */
  marginSd?: number;
}

/** SpikeInterface's `normal_pdf(x)` (mu 0, sigma 1) as it writes it. */
const normalPdf = (x: number) => (1 / Math.sqrt(2 * Math.PI)) * Math.exp(-(x ** 2) / 2);

/** numpy.fft.fftfreq(n, d=1/fs) at bins 0..n/2 (non-negative frequencies). */
function fftfreq(n: number, fs: number): Float64Array {
  const val = 1.0 / (n * (1 / fs));
  return Float64Array.from({ length: Math.floor(n / 2) + 1 }, (_, b) => (b < Math.floor((n - 1) / 2) + 1 ? b : -(n >> 1) + (b - (n - (n >> 1)))) * val);
}

/**
 * SpikeInterface's `_create_gaussian(N, cutoff)` at bins 0..N/2: a Gaussian in frequency, or above
 * fs/8 the magnitude of the FFT of a sampled Gaussian (whose transform is no longer Gaussian).
 */
async function gaussianGain(kernel: Kernel, n: number, cutoff: number, fs: number): Promise<Float64Array> {
  if (cutoff > fs / 8) {
    const sigma = fs / (2 * Math.PI * cutoff);
    const limit = Math.round(5 * sigma) + 1; // Python's round: halves to even, never reached by a non-integer 5σ
    const taps = Float64Array.from({ length: 2 * limit + 1 }, (_, i) => normalPdf((i - limit) / sigma) / sigma);
    return fftMagnitude(kernel, taps, n);
  }
  return Float64Array.from(fftfreq(n, fs), (f) => normalPdf(f / cutoff) * Math.sqrt(2 * Math.PI));
}

/**
 * SpikeInterface's GaussianFilterRecording: a band-pass (or low / high-pass) made of Gaussians in
 * the frequency domain: each request is read with a margin of `1 + int(marginSd · σ)` frames
 * (σ = fs / (2π · the lower cutoff), reflect-padded at the segment's ends), transformed with the
 * kernel's FFT, multiplied by G(freqMax) · (1 - G(freqMin)), transformed back, and cut; integer
 * outputs are rounded half to even. The output keeps the parent's dtype.
 */
export class GaussianFilterRecording extends BasePreprocessor {
  static override readonly className: string = 'GaussianFilterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.filter_gaussian.GaussianFilterRecording';

  /** The margin in frames. */
  readonly margin: number;

  constructor(recording: BaseRecording, opts: GaussianFilterOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    const freqMin = opts.freqMin === undefined ? 300.0 : opts.freqMin;
    const freqMax = opts.freqMax === undefined ? 5000.0 : opts.freqMax;
    const marginSd = opts.marginSd ?? 5.0;
    for (const [name, f] of [['freqMin', freqMin], ['freqMax', freqMax]] as const) {
      check(f === null || (typeof f === 'number' && Number.isFinite(f) && f > 0), 'INVALID_ARGUMENT', () => `${FN}: ${name} must be a positive frequency in Hz or null, got ${describe(f)}`);
    }
    check(freqMin !== null || freqMax !== null, 'INVALID_ARGUMENT', () => `${FN}: at least one of freqMin and freqMax must be given`);
    check(typeof marginSd === 'number' && Number.isFinite(marginSd) && marginSd >= 0, 'INVALID_ARGUMENT', () => `${FN}: marginSd must be a non-negative number, got ${describe(marginSd)}`);
    const fs = recording.getSamplingFrequency();
    const sigmas = [freqMin, freqMax].filter((f): f is number => f !== null).map((f) => fs / (2 * Math.PI * f));
    const margin = 1 + Math.trunc(Math.max(...sigmas) * marginSd);
    check(margin <= 1e8, 'INVALID_ARGUMENT', () => `${FN}: a margin of ${margin} frames is too large (freqMin ${describe(freqMin)} Hz is too low)`);
    super(recording);
    this.margin = margin;
    this._annotations.is_filtered = true;
    for (const segment of recording.segments) this.addRecordingSegment(new GaussianFilterSegment(segment, this.getDtype(), freqMin, freqMax, margin, fs));
    this._kwargs = { recording, freq_min: freqMin, freq_max: freqMax };
  }
}

class GaussianFilterSegment extends BasePreprocessorSegment {
  private readonly gains = new Map<number, Promise<Float64Array>>();

  constructor(
    parentSegment: BaseRecordingSegment, dtype: DType, private readonly freqMin: number | null, private readonly freqMax: number | null,
    private readonly margin: number, private readonly fs: number,
  ) {
    super(parentSegment, dtype);
  }

  /** pos(freqMax) · (1 - neg(freqMin)) for transforms of length n, cached per length as SpikeInterface caches its Gaussians. */
  private gainFor(kernel: Kernel, n: number): Promise<Float64Array> {
    let gain = this.gains.get(n);
    if (gain === undefined) {
      gain = (async () => {
        const bins = Math.floor(n / 2) + 1;
        const pos = this.freqMax === null ? new Float64Array(bins).fill(1) : await gaussianGain(kernel, n, this.freqMax, this.fs);
        const neg = this.freqMin === null ? new Float64Array(bins) : await gaussianGain(kernel, n, this.freqMin, this.fs);
        return Float64Array.from(pos, (p, b) => p * (1 - neg[b]));
      })();
      if (this.gains.size > 16) this.gains.clear();
      this.gains.set(n, gain);
    }
    return gain;
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const chunk = await this.readParentChunk(request, this.margin, { addReflectPadding: true });
    try {
      await scaleSpectraInPlace(kernel, chunk, await this.gainFor(kernel, chunk.numFrames));
      this.copyChunkRows(request, chunk, out);
    } finally {
      kernel.free(chunk.address);
    }
    if (isIntegerDtype(this.dtype)) await roundInPlace(kernel, out, endFrame - startFrame, channelIndices.length);
  }
}

/** SpikeInterface's `gaussian_filter`: a lazy {@link GaussianFilterRecording} of `recording`. */
export function gaussianFilter(recording: BaseRecording, opts: GaussianFilterOptions = {}): GaussianFilterRecording {
  return new GaussianFilterRecording(recording, opts);
}
