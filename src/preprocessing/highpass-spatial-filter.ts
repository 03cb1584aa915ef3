import type { DType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { alignUp } from '../kernel/memory.js';
import { sosfiltAt } from '../kernel/dsp.js';
import { agcAt, agcWorkBytes, spatialGatherAt, spatialPadAt } from '../kernel/spatial.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';
import { iirfilter } from './filter-design.js';
import { sosfiltZi, sosfiltfiltPadlen } from './filtering.js';
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
  /** scipy's sosfilt_zi of the spatial filter. */
  zi: Float64Array;
  /** Parent channel of each depth rank, and the depth rank of each parent channel. */
  orderF: Int32Array;
  orderR: Int32Array;
  epsilons: Float64Array;
  /** float64 parents are rounded to float32 first (numpy's astype(float32)). */
  parentIsFloat64: boolean;
}

/** One segment of a {@link HighpassSpatialFilterRecording}: every stage in the kernel, on float64 regions of linear memory. */
class HighpassSpatialFilterSegment extends BasePreprocessorSegment {
  constructor(parentSegment: BaseRecordingSegment, dtype: DType, private readonly plan: SpatialPlan) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, channelIndices } = request;
    const p = this.plan;
    const n = p.numChannels;
    const np = n + 2 * p.pad;
    const edge = sosfiltfiltPadlen(p.sos);
    if (np <= edge) {
      // scipy's sosfiltfilt refuses it: "The length of the input vector x must be greater than padlen"
      throw new SpikewireError('INVALID_ARGUMENT', `highpassSpatialFilter: ${np} channels (${n} and nChannelPad ${p.pad} on each side) must be more than the spatial filter's padding (${edge})`);
    }
    // the parent's channels in depth order, as float32 values (numpy's astype(float32))
    const chunk = await this.readParentChunk(request, p.halfWindow, { channelIndices: p.orderF });
    const frames = chunk.numFrames;
    const nSections = p.sos.length / 6;
    const sizes = [p.agc ? frames * n : 0, p.agc ? agcWorkBytes(frames, n) / 8 : 0, n, (np + 2 * edge) * frames, nSections * 6, 2 * nSections * frames, np, Math.ceil(channelIndices.length / 2)];
    const offsets: number[] = [];
    let total = 0;
    for (const values of sizes) {
      offsets.push(total);
      total += alignUp(values * 8);
    }
    let block = -1;
    try {
      block = await kernel.alloc(total);
      const [gains, work, eps, rows, sos, state, taper, chan] = offsets.map((o) => block + o);
      const data = chunk.address;
      const samples = kernel.view('float64', data, frames * n) as Float64Array;
      if (p.parentIsFloat64) for (let i = 0; i < samples.length; i++) samples[i] = Math.fround(samples[i]);
      if (p.agc) {
        kernel.view('float64', eps, n).set(p.epsilons);
        agcAt(kernel, { data, numFrames: frames, numChannels: n, half: p.halfWindow, gains, eps, work });
      }
      if (p.taper !== null) kernel.view('float64', taper, np).set(p.taper);
      spatialPadAt(kernel, { data, numFrames: frames, numChannels: n, pad: p.pad, edge, taper: p.taper === null ? null : taper, dst: rows, float32: p.taper === null });
      // scipy's sosfiltfilt along the channel axis: zi times the first row, forward; zi times the last row, backward
      kernel.view('float64', sos, nSections * 6).set(p.sos);
      const allRows = np + 2 * edge;
      const scaleState = (row: number) => {
        const st = kernel.view('float64', state, 2 * nSections * frames) as Float64Array;
        const r = kernel.view('float64', rows + row * frames * 8, frames) as Float64Array;
        for (let k = 0; k < 2 * nSections; k++) for (let t = 0; t < frames; t++) st[k * frames + t] = p.zi[k] * r[t];
      };
      scaleState(0);
      sosfiltAt(kernel, { src: rows, dst: rows, numFrames: allRows, numChannels: frames, sos, nSections, zi: state });
      scaleState(allRows - 1);
      sosfiltAt(kernel, { src: rows, dst: rows, numFrames: allRows, numChannels: frames, sos, nSections, zi: state, reverse: true });
      const sorted = kernel.view('int32', chan, channelIndices.length) as Int32Array;
      for (let j = 0; j < channelIndices.length; j++) sorted[j] = p.orderR[channelIndices[j]];
      spatialGatherAt(kernel, {
        src: rows, numFrames: frames, numChannels: n, firstRow: edge + p.pad, gains: p.agc ? gains : null, chan, numOut: channelIndices.length,
        leftMargin: chunk.leftMargin, rows: request.endFrame - request.startFrame, out, round: isIntegerDtype(this.dtype),
      });
    } finally {
      if (block >= 0) kernel.free(block);
      kernel.free(chunk.address);
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
    // SpikeInterface declares the parent's dtype here and returns `dtype` samples; this recording declares what it returns
    super(recording, { dtype });
    this.rmsValues = rmsValues;
    const locations = recording.getChannelLocations();
    const dims = locations.length / n;
    const depth = Array.from({ length: n }, (_, c) => locations[c * dims + p.dim]);
    const sortedAlready = depth.every((d, i) => i === 0 || depth[i - 1] <= d);
    const orderF = Int32Array.from(sortedAlready ? Array.from({ length: n }, (_, i) => i) : depthOrder(locations, n, dims));
    const orderR = new Int32Array(n);
    orderF.forEach((c, rank) => (orderR[c] = rank));
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
    const plan: SpatialPlan = {
      numChannels: n, pad: p.pad, taper, agc: p.agcWindow !== null, halfWindow, sos, zi: sosfiltZi(sos), orderF, orderR, epsilons,
      parentIsFloat64: recording.getDtype() === 'float64',
    };
    for (const segment of recording.segments) this.addRecordingSegment(new HighpassSpatialFilterSegment(segment, dtype, plan));
    this._kwargs = {
      recording, n_channel_pad: p.pad, n_channel_taper: p.taperChannels, direction: p.direction, apply_agc: p.applyAgc,
      agc_window_length_s: p.agcWindow, highpass_butter_order: p.order, highpass_butter_wn: p.wn, rms_values: Array.from(rmsValues),
    };
  }

  /** As SpikeInterface's dict, ours has no dtype (nor epsilon): a worker would rebuild another dtype. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    if (this.getDtype() !== this.parent.getDtype()) {
      return `${this.className} of dtype ${describe(this.getDtype())} rebuilds from its dict as ${describe(this.parent.getDtype())} (dtype is not in its dict)`;
    }
    return super.workerProblem(isLocalFile);
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
