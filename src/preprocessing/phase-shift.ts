import type { DType } from '../dtype.js';
import { parseDTypeString } from '../dtype.js';
import { check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { alignUp } from '../kernel/memory.js';
import { copyRowsAt, fftPrepareAt, fftWorkBytes, irfftAt, rfftAt, rotateSpectrumAt, transposeAt } from '../kernel/dsp.js';
import { BasePreprocessor, BasePreprocessorSegment, checkPreprocessorArgs, isIntegerDtype } from './base.js';

const FN = 'phaseShift';
const PROPERTY = 'inter_sample_shift';

/** Options of {@link phaseShift}: SpikeInterface's `phase_shift` keyword arguments, camelCased. */
export interface PhaseShiftOptions {
  /**
   * Margin read on each side of every request, in ms (default 40): zero-padded at the segment's
   * ends and tapered with a raised cosine before the FFT.
   */
  marginMs?: number;
  /**
   * Delay of each channel in samples (one value per channel). Default: the recording's
   * 'inter_sample_shift' property (set by Neuropixels readers).
   */
  interSampleShift?: ArrayLike<number> | null;
  /**
   * Output sample type (default: the parent's). Integer outputs are rounded half to even. Like
   * SpikeInterface, the dtype is not stored in the kwargs: a reloaded dict has the parent's dtype.
   * 'float64' always computes in float64 (SpikeInterface then keeps the parent's dtype for the chunk:
   * its taper fails on an integer parent, and a float32 parent goes through a float32 FFT).
   */
  dtype?: DType | string | null;
}

/**
 * SpikeInterface's PhaseShiftRecording: cancels the sub-sample delays between channels (Neuropixels
 * ADCs sample channels one after the other) by rotating each channel's phase in the frequency
 * domain. Each request is read with a margin (zeros past the segment's ends, a raised-cosine taper
 * on both margins), transformed with a real FFT along time in float64, multiplied bin by bin by
 * exp(-2πi f shift), transformed back, and cut to the requested frames; integer outputs are rounded.
 */
export class PhaseShiftRecording extends BasePreprocessor {
  static override readonly className: string = 'PhaseShiftRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.phase_shift.PhaseShiftRecording';

  /** The delay of each channel in samples, as used. */
  readonly sampleShifts: Float64Array;
  /** The margin in frames: `int(marginMs * samplingFrequency / 1000)`. */
  readonly margin: number;

  constructor(recording: BaseRecording, opts: PhaseShiftOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    const marginMs = opts.marginMs ?? 40.0;
    check(typeof marginMs === 'number' && Number.isFinite(marginMs) && marginMs >= 0, 'INVALID_ARGUMENT',
      () => `${FN}: marginMs must be a non-negative number of milliseconds, got ${describe(marginMs)}`);
    const margin = Math.trunc((marginMs * recording.getSamplingFrequency()) / 1000.0);
    // SpikeInterface fails in get_traces with an empty margin (its taper and its slicing need one frame)
    check(margin >= 1, 'INVALID_ARGUMENT',
      () => `${FN}: marginMs ${describe(marginMs)} is less than one sample at ${recording.getSamplingFrequency()} Hz: the margin must hold at least one frame`);
    const given = opts.interSampleShift ?? null;
    const numChannels = recording.getNumChannels();
    let shifts: Float64Array;
    if (given === null) {
      check(recording.getPropertyKeys().includes(PROPERTY), 'INVALID_ARGUMENT',
        () => `${FN}: the recording has no '${PROPERTY}' property: pass interSampleShift`);
      shifts = Float64Array.from(recording.getProperty(PROPERTY) as ArrayLike<number>, Number);
    } else {
      check(typeof given === 'object' && typeof (given as ArrayLike<number>).length === 'number', 'INVALID_ARGUMENT',
        () => `${FN}: interSampleShift must be a list of numbers (one per channel), got ${describe(given)}`);
      check(given.length === numChannels, 'INVALID_ARGUMENT',
        () => `${FN}: interSampleShift has ${given.length} values but the recording has ${numChannels} channels`);
      shifts = Float64Array.from(given, Number);
    }
    const bad = shifts.findIndex((s) => !Number.isFinite(s));
    check(bad < 0, 'INVALID_ARGUMENT', () => `${FN}: the shift of channel ${describe(recording.getChannelIds()[bad])} is ${describe(shifts[bad])}, not a finite number of samples`);
    const dtype = opts.dtype === undefined || opts.dtype === null ? recording.getDtype() : parseDTypeString(opts.dtype).dtype;
    super(recording, { dtype });
    this.sampleShifts = shifts;
    this.margin = margin;
    for (const segment of recording.segments) this.addRecordingSegment(new PhaseShiftRecordingSegment(segment, dtype, shifts, margin));
    this._kwargs = {
      recording,
      margin_ms: marginMs,
      inter_sample_shift: given === null ? null : Array.from(shifts),
    };
  }

  /** As SpikeInterface's dict, ours has no dtype: a worker would rebuild a phaseShift of another dtype with the parent's. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    if (this.getDtype() !== this.parent.getDtype()) {
      return `${this.className} of dtype ${describe(this.getDtype())} rebuilds from its dict as ${describe(this.parent.getDtype())} (dtype is not in its dict)`;
    }
    return super.workerProblem(isLocalFile);
  }
}

/** Channels transformed together from contiguous copies (eight float64: one cache line of a row). */
const CHANNEL_GROUP = 8;

/** Distinct shifts whose rotation tables are kept for a whole chunk; more are computed per channel. */
const MAX_ROTATION_TABLES = 32;

/** The per-bin rotations exp(-i·2π·f·shift) of one shift for an rFFT of length n, as numpy computes them. */
function rotations(n: number, shift: number): Float64Array {
  const bins = Math.floor(n / 2) + 1;
  const out = new Float64Array(2 * bins);
  const step = 1.0 / n; // numpy.fft.rfftfreq: arange(bins) * (1 / n)
  const twoPi = 2 * Math.PI;
  for (let b = 0; b < bins; b++) {
    const angle = twoPi * (b * step) * shift;
    out[2 * b] = Math.cos(angle);
    out[2 * b + 1] = -Math.sin(angle);
  }
  return out;
}

/** Shifts one segment's channels: margin, taper, rFFT, rotation, irFFT, per request. */
class PhaseShiftRecordingSegment extends BasePreprocessorSegment {
  constructor(parentSegment: BaseRecordingSegment, dtype: DType, private readonly shifts: Float64Array, private readonly margin: number) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    const chunk = await this.readParentChunk(request, this.margin, { addZeros: true, windowOnMargin: true });
    let region = -1;
    try {
      const n = chunk.numFrames;
      const bins = Math.floor(n / 2) + 1;
      const workBytes = alignUp(fftWorkBytes(kernel, n));
      // one rotation table per distinct shift (a probe has a few ADC phases), or one rewritten per channel
      const distinct = [...new Set(Array.from(channelIndices, (c) => this.shifts[c]))];
      const shared = distinct.length > MAX_ROTATION_TABLES;
      const group = Math.min(k, CHANNEL_GROUP);
      const columnBytes = alignUp(group * n * 8);
      region = await kernel.alloc(workBytes + columnBytes + bins * 16 * (1 + (shared ? 1 : distinct.length)));
      const work = region;
      const columns = work + workBytes;
      const spectrum = columns + columnBytes;
      const rotationsAt = spectrum + bins * 16;
      fftPrepareAt(kernel, n, work);
      const tables = new Map(shared ? [] : distinct.map((shift, i) => [shift, rotationsAt + i * bins * 16]));
      for (const [shift, address] of tables) kernel.view('float64', address, 2 * bins).set(rotations(n, shift));
      for (let g = 0; g < k; g += group) {
        // a few channels at a time as contiguous runs: the transforms then read and write whole cache lines
        const count = Math.min(group, k - g);
        transposeAt(kernel, chunk.address + g * 8, k, n, count, columns, n);
        for (let c = 0; c < count; c++) {
          const column = columns + c * n * 8;
          const shift = this.shifts[channelIndices[g + c]];
          if (shared) kernel.view('float64', rotationsAt, 2 * bins).set(rotations(n, shift));
          rfftAt(kernel, column, 1, n, spectrum, work);
          rotateSpectrumAt(kernel, spectrum, shared ? rotationsAt : tables.get(shift)!, bins);
          irfftAt(kernel, spectrum, n, column, 1, work);
        }
        // the request's rows (after the left margin) straight into the output
        transposeAt(kernel, columns + chunk.leftMargin * 8, n, count, frames, out + g * 8, k);
      }
      if (isIntegerDtype(this.dtype)) copyRowsAt(kernel, out, out, frames * k, true);
    } finally {
      if (region >= 0) kernel.free(region);
      kernel.free(chunk.address);
    }
  }
}

/**
 * SpikeInterface's `phase_shift`: a lazy {@link PhaseShiftRecording} of `recording`, which must have
 * an 'inter_sample_shift' property unless `interSampleShift` is given. Bad options are
 * `INVALID_ARGUMENT` errors naming them in this API's names.
 */
export function phaseShift(recording: BaseRecording, opts: PhaseShiftOptions = {}): PhaseShiftRecording {
  return new PhaseShiftRecording(recording, opts);
}
