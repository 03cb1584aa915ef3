import type { DType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { agcGains } from './agc.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';
import { iirfilter } from './filter-design.js';
import { sosfiltfilt } from './filtering.js';
import { getNoiseLevels } from './noise-levels.js';
import type { RandomChunkOptions } from './random-chunks.js';

const AXES = ['x', 'y', 'z'] as const;

/** Options of {@link highpassSpatialFilter}: SpikeInterface's `highpass_spatial_filter` keyword arguments. */
export interface HighpassSpatialFilterOptions {
  /** Channels mirrored at each end of the probe before the spatial filter (default 60; null: 0). */
  nChannelPad?: number | null;
  /** Channels of cosine taper at each end of the padded probe (default 0; null: nChannelPad). */
  nChannelTaper?: number | null;
  /** The probe axis the channels are ordered along (default 'y'). */
  direction?: 'x' | 'y' | 'z';
  /** Automatic gain control before the spatial filter (default true). */
  applyAgc?: boolean;
  /** AGC window in seconds (default 0.1). */
  agcWindowLengthS?: number;
  /** Order of the spatial Butterworth high-pass (default 3). */
  highpassButterOrder?: number;
  /** Its cutoff, relative to the spatial Nyquist frequency (default 0.01). */
  highpassButterWn?: number;
  /** AGC floor, relative to each channel's RMS (default 0.003). */
  epsilon?: number;
  /** Random chunks for the RMS of each channel (when rmsValues is not given and the parent has no cached 'noise_level_rms_raw'). */
  randomSliceKwargs?: RandomChunkOptions | null;
  /** Output sample type (default: the parent's). */
  dtype?: DType | string | null;
  /** The RMS of each channel (raw units); estimated from random chunks when null. */
  rmsValues?: ArrayLike<number> | null;
  /** Stops the reads of the random chunks with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** numpy's np.lexsort((x, y)): by y, then x, stable. */
function depthOrder(locations: Float64Array, n: number, dims: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    locations[a * dims + 1] - locations[b * dims + 1] || locations[a * dims] - locations[b * dims] || a - b);
}

/** ibllib's fcn_cosine: 0 below bounds[0], a raised cosine up to 1 at bounds[1], 1 above. */
function cosineRamp(x: number, b0: number, b1: number): number {
  const f = (v: number) => (1 - Math.cos(((v - b0) / (b1 - b0)) * Math.PI)) / 2;
  if (x < b0) return f(b0);
  if (x > b1) return f(b1);
  return f(x);
}

/** Everything a segment needs, computed once by the recording. */
interface SpatialPlan {
  numChannels: number;
  pad: number;
  taper: Float64Array | null;
  /** Automatic gain control before the spatial filter. */
  agc: boolean;
  /** Half the AGC window (the time margin), or 0 without AGC. */
  halfWindow: number;
  sos: Float64Array;
  orderF: number[] | null;
  orderR: number[] | null;
  epsilons: Float64Array;
}

/** One segment of a {@link HighpassSpatialFilterRecording}. */
class HighpassSpatialFilterSegment extends BasePreprocessorSegment {
  constructor(parentSegment: BaseRecordingSegment, dtype: DType, private readonly plan: SpatialPlan) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel } = request;
    const p = this.plan;
    const n = p.numChannels;
    const chunk = await this.readParentChunk(request, p.halfWindow, { channelIndices: Int32Array.from({ length: n }, (_, i) => i), dtype: 'float32' });
    let traces: Float32Array;
    try {
      traces = Float32Array.from(kernel.view('float32', chunk.address, chunk.numFrames * n) as Float32Array);
    } finally {
      kernel.free(chunk.address);
    }
    const frames = chunk.numFrames;
    // channels in depth order
    if (p.orderF !== null) {
      const sorted = new Float32Array(traces.length);
      for (let t = 0; t < frames; t++) for (let c = 0; c < n; c++) sorted[t * n + c] = traces[t * n + p.orderF[c]];
      traces = sorted;
    }
    const gains = !p.agc ? null : agcGains(traces, frames, n, p.halfWindow);
    if (gains !== null) {
      for (let c = 0; c < n; c++) {
        let total = 0;
        for (let t = 0; t < frames; t++) total += gains[t * n + c];
        if (total === 0) continue; // a dead channel is left as it is
        for (let t = 0; t < frames; t++) traces[t * n + c] = traces[t * n + c] / Math.max(p.epsilons[c], gains[t * n + c]);
      }
    }
    // padded channels (mirrored), tapered, transposed: one row per channel, frames side by side
    const np = n + 2 * p.pad;
    const padded = p.taper === null ? new Float32Array(np * frames) : new Float64Array(np * frames);
    const source = (j: number) => (j < p.pad ? p.pad - 1 - j : j < p.pad + n ? j - p.pad : n - 1 - (j - p.pad - n));
    for (let j = 0; j < np; j++) {
      const c = source(j);
      const w = p.taper === null ? 1 : p.taper[j];
      for (let t = 0; t < frames; t++) padded[j * frames + t] = p.taper === null ? traces[t * n + c] : traces[t * n + c] * w;
    }
    let filtered: Float64Array;
    try {
      filtered = await sosfiltfilt(p.sos, padded, frames, { kernel });
    } catch (error) {
      // scipy's own check of the padded length, with this function's names
      if (error instanceof SpikewireError) {
        throw new SpikewireError('INVALID_ARGUMENT', `highpassSpatialFilter: ${np} channels (${n} with nChannelPad ${p.pad} on each side) are too few for the spatial filter: ${error.message}`);
      }
      throw error;
    }
    this.finish(request, filtered, gains, frames, chunk.leftMargin, out);
  }

  /** Unpads, multiplies the AGC gains back, restores the channel order and writes the request's rows. */
  private finish(request: TraceRequest, filtered: Float64Array, gains: Float64Array | null, frames: number, leftMargin: number, out: number): void {
    const p = this.plan;
    const n = p.numChannels;
    const rows = request.endFrame - request.startFrame;
    const k = request.channelIndices.length;
    const dst = request.kernel.view('float64', out, rows * k) as Float64Array;
    const round = isIntegerDtype(this.dtype);
    for (let j = 0; j < k; j++) {
      const original = request.channelIndices[j];
      const sortedIndex = p.orderR === null ? original : p.orderR[original];
      const row = (p.pad + sortedIndex) * frames;
      for (let t = 0; t < rows; t++) {
        const at = leftMargin + t;
        let v = filtered[row + at];
        if (gains !== null) v *= gains[at * n + sortedIndex];
        dst[t * k + j] = round ? roundHalfEven(v) : v;
      }
    }
  }
}

/** np.round: half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * SpikeInterface's HighpassSpatialFilterRecording (ibllib's destriping): per time chunk (with half
 * the AGC window as margins), channels ordered by depth, automatic gain control by a Hann-weighted
 * mean of |x| (floored at epsilon × RMS), channels mirrored at both ends (and tapered), a
 * Butterworth high-pass across channels (sosfiltfilt, in the kernel with frames as lanes), the gain
 * restored and the channel order too.
 */
export class HighpassSpatialFilterRecording extends BasePreprocessor {
  static override readonly className: string = 'HighpassSpatialFilterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.highpass_spatial_filter.HighpassSpatialFilterRecording';

  /** The RMS of each channel the AGC floor came from. */
  readonly rmsValues: Float32Array | Float64Array;

  /** Built by {@link highpassSpatialFilter}: `rmsValues` given in the options or estimated by it. */
  constructor(recording: BaseRecording, opts: HighpassSpatialFilterOptions = {}, estimated?: { rmsValues: Float32Array | Float64Array }) {
    const fn = 'highpassSpatialFilter';
    const p = spatialOptions(fn, recording, opts);
    const n = recording.getNumChannels();
    let rmsValues: Float32Array | Float64Array;
    if (opts.rmsValues !== undefined && opts.rmsValues !== null) {
      const given = opts.rmsValues;
      check(given.length === n && Array.from(given).every((v) => typeof v === 'number'), 'INVALID_ARGUMENT',
        () => `${fn}: rmsValues must be ${n} numbers (one per channel), got ${describe(given)}`);
      rmsValues = given instanceof Float32Array ? given : Float64Array.from(given);
    } else {
      check(estimated !== undefined, 'INVALID_ARGUMENT', () => `${fn}: rmsValues must be given (or estimated by highpassSpatialFilter())`);
      rmsValues = estimated.rmsValues;
    }
    const dtype = fixDtype(fn, recording, opts.dtype);
    super(recording);
    this.rmsValues = rmsValues;
    const locations = recording.getChannelLocations();
    const dims = locations.length / n;
    const depth = Array.from({ length: n }, (_, c) => locations[c * dims + p.dim]);
    const sortedAlready = depth.every((d, i) => i === 0 || depth[i - 1] <= d);
    const orderF = sortedAlready ? null : depthOrder(locations, n, dims);
    const orderR = orderF === null ? null : Array.from({ length: n }, (_, c) => orderF.indexOf(c));
    const np = n + 2 * p.pad;
    let taper: Float64Array | null = null;
    if (p.taperChannels > 0) {
      taper = Float64Array.from({ length: np }, (_, i) => cosineRamp(i, 0, p.taperChannels) * (1 - cosineRamp(i, np - p.taperChannels, np)));
    }
    let halfWindow = 0;
    if (p.agcWindow !== null) {
      // int(np.round(agc_window_length_s / sampling_interval / 2) * 2 + 1) samples of np.hanning
      halfWindow = roundHalfEven(p.agcWindow / (1 / recording.getSamplingFrequency()) / 2);
    }
    const sos = iirfilter(p.order, p.wn, { btype: 'highpass', ftype: 'butter', output: 'sos' });
    // epsilon (a Python float) times float32 RMS values stays float32, as numpy computes it
    const epsilons = Float64Array.from(rmsValues, (r) => (rmsValues instanceof Float32Array ? Math.fround(p.epsilon * r) : p.epsilon * r));
    const plan: SpatialPlan = { numChannels: n, pad: p.pad, taper, agc: p.agcWindow !== null, halfWindow, sos, orderF, orderR, epsilons };
    for (const segment of recording.segments) this.addRecordingSegment(new HighpassSpatialFilterSegment(segment, dtype, plan));
    this._kwargs = {
      recording, n_channel_pad: p.pad, n_channel_taper: p.taperChannels, direction: p.direction, apply_agc: p.applyAgc,
      agc_window_length_s: p.agcWindow, highpass_butter_order: p.order, highpass_butter_wn: p.wn, rms_values: Array.from(rmsValues),
    };
  }
}

/** The options of highpass_spatial_filter checked, as SpikeInterface asserts them. */
function spatialOptions(fn: string, recording: BaseRecording, opts: HighpassSpatialFilterOptions) {
  checkPreprocessorArgs(fn, recording, opts);
  const n = recording.getNumChannels();
  const groups = recording.getProperty('group');
  if (groups !== undefined && new Set(Array.from(groups as ArrayLike<unknown>)).size > 1) {
    throw new SpikewireError('INVALID_ARGUMENT', `${fn}: the recording has channels of several groups: filter each group apart (recording.splitBy('group'))`);
  }
  const direction = checkChoice(fn, 'direction', opts.direction ?? 'y', AXES);
  const dim = AXES.indexOf(direction);
  if (dim >= 2) throw new SpikewireError('INVALID_ARGUMENT', `${fn}: direction ${describe(direction)} is wrong for 2D channel locations`);
  const int = (name: string, v: unknown) => {
    check(Number.isInteger(v) && (v as number) >= 0, 'INVALID_ARGUMENT', () => `${fn}: ${name} must be a non-negative integer, got ${describe(v)}`);
    return v as number;
  };
  const pad = opts.nChannelPad === null ? 0 : int('nChannelPad', opts.nChannelPad ?? 60);
  if (pad > n) throw new SpikewireError('INVALID_ARGUMENT', `${fn}: nChannelPad ${pad} must be at most the number of channels (${n})`);
  const taperChannels = opts.nChannelTaper === null ? pad : int('nChannelTaper', opts.nChannelTaper ?? 0);
  if (taperChannels > n) throw new SpikewireError('INVALID_ARGUMENT', `${fn}: nChannelTaper ${taperChannels} must be at most the number of channels (${n})`);
  const applyAgc = opts.applyAgc ?? true;
  check(typeof applyAgc === 'boolean', 'INVALID_ARGUMENT', () => `${fn}: applyAgc must be true or false, got ${describe(applyAgc)}`);
  const num = (name: string, v: unknown) => {
    check(typeof v === 'number' && v > 0 && Number.isFinite(v), 'INVALID_ARGUMENT', () => `${fn}: ${name} must be a positive number, got ${describe(v)}`);
    return v as number;
  };
  const agcWindow = applyAgc ? num('agcWindowLengthS', opts.agcWindowLengthS ?? 0.1) : null;
  const order = int('highpassButterOrder', opts.highpassButterOrder ?? 3);
  const wn = num('highpassButterWn', opts.highpassButterWn ?? 0.01);
  const epsilon = num('epsilon', opts.epsilon ?? 0.003);
  return { direction, dim, pad, taperChannels, applyAgc, agcWindow, order, wn, epsilon };
}

/**
 * SpikeInterface's `highpass_spatial_filter`: the RMS of each channel from rmsValues, the parent's
 * cached 'noise_level_rms_raw', or seeded random chunks (then cached on the parent, as
 * SpikeInterface's get_noise_levels does); then a lazy {@link HighpassSpatialFilterRecording}.
 */
export async function highpassSpatialFilter(recording: BaseRecording, opts: HighpassSpatialFilterOptions = {}): Promise<HighpassSpatialFilterRecording> {
  spatialOptions('highpassSpatialFilter', recording, opts);
  if (opts.rmsValues !== undefined && opts.rmsValues !== null) return new HighpassSpatialFilterRecording(recording, opts);
  const key = 'noise_level_rms_raw';
  const cachedBefore = recording.getPropertyKeys().includes(key);
  const rmsValues = await getNoiseLevels(recording, { method: 'rms', returnInUV: false, randomSliceKwargs: opts.randomSliceKwargs ?? {}, signal: opts.signal });
  const rec = new HighpassSpatialFilterRecording(recording, opts, { rmsValues });
  // SpikeInterface copies the parent's properties before it caches the noise levels on the parent
  if (!cachedBefore) rec.deleteProperty(key);
  return rec;
}
