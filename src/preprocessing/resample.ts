import { numpyDTypeString, type DType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { BasePreprocessor, BasePreprocessorSegment, checkPreprocessorArgs, fixDtype } from './base.js';
import { cheby1LowpassSos } from './cheby1.js';
import { sosfiltfilt } from './filtering.js';
import { irfft, rfft } from '../kernel/dsp.js';

const FN = 'resample';

/** Options of {@link resample}: SpikeInterface's keyword arguments, camelCased. */
export interface ResampleOptions {
  /** Margin read on each side of a request, in ms of the parent (default 100), reflect-padded at the segment's ends. */
  marginMs?: number;
  /** Output sample type (default: the parent's; integers are truncated toward zero, as numpy's astype). */
  dtype?: DType | string | null;
  /** Kept in the dict; parents with time vectors (where it matters) are not supported. */
  gapToleranceMs?: number | null;
  /** Kept in the dict (SpikeInterface's Nyquist checks). */
  skipChecks?: boolean;
}

/**
 * SpikeInterface's ResampleRecording. For an integer ratio (parent rate a multiple of `resampleRate`),
 * the path where SpikeInterface calls scipy.signal.decimate, each request's parent frames are read
 * as float32 with a reflect-padded margin, filtered forward and backward (sosfiltfilt with odd
 * padding) by decimate's order-8 Chebyshev I lowpass at 0.8 / q of Nyquist, whose sections scipy
 * casts to float32, in float64 through the kernel's sosfilt; every q-th sample is kept, and the
 * margin cut. Other ratios take scipy.signal.resample's path (a cut spectrum, through the kernel's
 * FFTs in float64 where scipy works in float32: within float32 rounding of SpikeInterface's, not bit
 * for bit). Parents with time vectors are refused (`UNSUPPORTED`).
 */
export class ResampleRecording extends BasePreprocessor {
  static override readonly className: string = 'ResampleRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.resample.ResampleRecording';

  /** The margin in parent frames. */
  readonly margin: number;

  constructor(recording: BaseRecording, resampleRate: number, opts: ResampleOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    check(Number.isInteger(resampleRate) && resampleRate > 0, 'INVALID_ARGUMENT', () => `${FN}: resampleRate must be a positive integer number of Hz (non-integer rates give unexpected results), got ${describe(resampleRate)}`);
    const parentRate = recording.getSamplingFrequency();
    const marginMs = opts.marginMs ?? 100.0;
    check(typeof marginMs === 'number' && Number.isFinite(marginMs) && marginMs >= 0, 'INVALID_ARGUMENT', () => `${FN}: marginMs must be a non-negative number of ms, got ${describe(marginMs)}`);
    if (recording.segments.some((s) => s.getTimeInfo().timeVector !== null)) {
      throw new SpikewireError('UNSUPPORTED', `${FN}: the recording has time vectors, whose gaps SpikeInterface resamples section by section: not supported`);
    }
    const dtype = fixDtype(FN, recording, opts.dtype);
    const margin = Math.trunc((marginMs * parentRate) / 1000);
    super(recording, { samplingFrequency: resampleRate, dtype });
    this.margin = margin;
    // an integer ratio goes through scipy.signal.decimate, whose filter is cheby1(8, 0.05, 0.8 / q)
    // with its sections cast to the float32 input's type; other ratios through scipy.signal.resample
    const q = parentRate % resampleRate === 0 ? Math.trunc(parentRate / resampleRate) : 0;
    const sos = q > 0 ? Float64Array.from(cheby1LowpassSos(8, 0.05, 0.8 / q), Math.fround) : null;
    for (const segment of recording.segments) this.addRecordingSegment(new ResampleSegment(segment, dtype, resampleRate, parentRate, margin, q, sos));
    this._kwargs = {
      recording, resample_rate: resampleRate, gap_tolerance_ms: opts.gapToleranceMs ?? null, margin_ms: marginMs,
      dtype: numpyDTypeString(dtype),
      skip_checks: opts.skipChecks ?? false,
    };
  }
}

class ResampleSegment extends BasePreprocessorSegment {
  constructor(
    parentSegment: BaseRecordingSegment, dtype: DType, private readonly rate: number, private readonly parentRate: number,
    private readonly margin: number, private readonly q: number, private readonly sos: Float64Array | null,
  ) {
    super(parentSegment, dtype);
    // this segment runs at the new rate (the base took the parent's)
    (this as { samplingFrequency: number }).samplingFrequency = rate;
  }

  override getNumSamples(): number {
    return Math.trunc((this.parentSegment.getNumSamples() / this.parentRate) * this.rate);
  }

  /** SpikeInterface's frame conversions, in its float arithmetic. */
  private toParent(frame: number): number {
    return Math.trunc((frame / this.rate) * this.parentRate);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const k = channelIndices.length;
    const frames = endFrame - startFrame;
    const parentStart = this.toParent(startFrame);
    const parentEnd = Math.min(this.toParent(endFrame), this.parentSegment.getNumSamples());
    const chunk = await this.readParentChunk({ ...request, startFrame: parentStart, endFrame: parentEnd }, this.margin, { addReflectPadding: true, dtype: 'float32' });
    let x: Float32Array;
    try {
      x = Float32Array.from(kernel.view('float32', chunk.address, chunk.numFrames * k) as Float32Array);
    } finally {
      kernel.free(chunk.address);
    }
    const marginOut = Math.trunc((chunk.leftMargin / this.parentRate) * this.rate);
    const rightOut = Math.trunc((chunk.rightMargin / this.parentRate) * this.rate);
    const num = endFrame + rightOut - (startFrame - marginOut);
    if (this.sos === null) {
      const y = await fourierResample(x, k, num);
      if (num - rightOut - marginOut !== frames) {
        throw new SpikewireError('OUT_OF_RANGE', `${FN}: frames [${startFrame}, ${endFrame}) map to ${num - rightOut - marginOut} resampled frames of parent frames [${parentStart}, ${parentEnd})`);
      }
      // the view after the transforms, which may have grown memory
      const rows = kernel.view('float64', out, frames * k) as Float64Array;
      rows.set(y.subarray(marginOut * k, (marginOut + frames) * k));
      return;
    }
    const y = await sosfiltfilt(this.sos, x, k, { kernel });
    const kept = Math.ceil(chunk.numFrames / this.q);
    const stop = Math.min(num - rightOut, kept);
    if (stop - marginOut !== frames) {
      throw new SpikewireError('OUT_OF_RANGE', `${FN}: frames [${startFrame}, ${endFrame}) map to ${stop - marginOut} resampled frames of parent frames [${parentStart}, ${parentEnd})`);
    }
    const rows = kernel.view('float64', out, frames * k) as Float64Array;
    for (let t = 0; t < frames; t++) {
      const row = (marginOut + t) * this.q * k;
      for (let c = 0; c < k; c++) rows[t * k + c] = y[row + c];
    }
  }
}

/**
 * scipy.signal.resample(x, num, axis=0) of a time-major chunk (`numChannels` channels): each
 * channel's rFFT cut (or zero-padded) to the new length's bins, the unpaired bin at m/2 doubled
 * (down) or halved (up), divided by n/num, and transformed back at length num; through the kernel's
 * FFTs in float64 (scipy works in the input's float32).
 */
async function fourierResample(x: Float32Array, numChannels: number, num: number): Promise<Float64Array> {
  const n = x.length / numChannels;
  const m = Math.min(num, n);
  const m2 = (m >> 1) + 1;
  const factor = n / num;
  const spectra = await rfft(x, { numChannels });
  const bins = (n >> 1) + 1;
  const outBins = (num >> 1) + 1;
  const cut = new Float64Array(outBins * 2 * numChannels);
  for (let c = 0; c < numChannels; c++) {
    for (let b = 0; b < Math.min(m2, outBins); b++) {
      // scipy: the unpaired bin scaled first, then everything divided by n / num
      const unpaired = m % 2 === 0 && num !== n && b === m >> 1 ? (num < n ? 2 : 0.5) : 1;
      cut[(c * outBins + b) * 2] = (spectra[(c * bins + b) * 2] * unpaired) / factor;
      cut[(c * outBins + b) * 2 + 1] = (spectra[(c * bins + b) * 2 + 1] * unpaired) / factor;
    }
  }
  return irfft(cut, num, { numChannels });
}

/**
 * SpikeInterface's `resample`: a lazy {@link ResampleRecording} of `recording` at `resampleRate` Hz
 * (an integer divisor of the parent's rate).
 */
export function resample(recording: BaseRecording, resampleRate: number, opts: ResampleOptions = {}): ResampleRecording {
  return new ResampleRecording(recording, resampleRate, opts);
}
