import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { ChannelId } from '../core/ids.js';
import { channelMix } from '../kernel/mix.js';
import { BasePreprocessor, checkPreprocessorArgs } from './base.js';
import { ChannelMixSegment } from './channel-mix.js';

const FN = 'interpolateBadChannels';

/** Options of {@link interpolateBadChannels}: SpikeInterface's keyword arguments, camelCased. */
export interface InterpolateBadChannelsOptions {
  /** Scale of the kernel in µm (default: the most common distance between successive distinct y positions). */
  sigmaUm?: number | null;
  /** Exponent of the kernel (default 1.3). */
  p?: number;
  /** The weights, good channels (channel order) × bad channels (the order given); computed when not given. */
  weights?: ArrayLike<ArrayLike<number>> | null;
}

/**
 * SpikeInterface's `get_kriging_kernel_distance` with a scalar sigma: exp(-(d / sigmaUm)^p) for
 * every pair of rows of `a` and `b` (flat [n, 2] locations), as a row-major `[nA][nB]` matrix.
 */
export function krigingKernelDistance(a: ArrayLike<number>, b: ArrayLike<number>, sigmaUm: number, p: number): Float64Array {
  const na = a.length / 2;
  const nb = b.length / 2;
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const dx = a[2 * i] - b[2 * j];
      const dy = a[2 * i + 1] - b[2 * j + 1];
      out[i * nb + j] = Math.exp(-((Math.sqrt(dx * dx + dy * dy) / sigmaUm) ** p));
    }
  }
  return out;
}

/**
 * SpikeInterface's `get_kriging_channel_weights`: the kernel of {@link krigingKernelDistance},
 * values below `weightThreshold` set to 0, each column divided by its sum, and values then below the
 * threshold (or NaN, for a column of zeros) set to 0. Row-major `[nA][nB]`.
 */
export function krigingChannelWeights(a: ArrayLike<number>, b: ArrayLike<number>, sigmaUm: number, p: number, weightThreshold = 0.005): Float64Array {
  const w = krigingKernelDistance(a, b, sigmaUm, p);
  const na = a.length / 2;
  const nb = b.length / 2;
  for (let i = 0; i < w.length; i++) if (w[i] < weightThreshold) w[i] = 0;
  for (let j = 0; j < nb; j++) {
    let sum = 0;
    for (let i = 0; i < na; i++) sum += w[i * nb + j];
    for (let i = 0; i < na; i++) {
      const v = w[i * nb + j] / sum;
      w[i * nb + j] = v < weightThreshold || Number.isNaN(v) ? 0 : v;
    }
  }
  return w;
}

/**
 * SpikeInterface's `estimate_recommended_sigma_um`: the most common step between the sorted
 * distinct y positions of the channels (the smallest one on a tie, as scipy's mode).
 */
export function estimateRecommendedSigmaUm(recording: BaseRecording): number {
  const xy = recording.getChannelLocations();
  const ys = [...new Set(Array.from({ length: xy.length / 2 }, (_, c) => xy[2 * c + 1]))].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (let i = 1; i < ys.length; i++) counts.set(ys[i] - ys[i - 1], (counts.get(ys[i] - ys[i - 1]) ?? 0) + 1);
  check(counts.size > 0, 'INVALID_ARGUMENT', () => `${FN}: the channels have fewer than two distinct y positions: pass sigmaUm`);
  let best = Infinity;
  let most = 0;
  for (const [step, count] of counts) if (count > most || (count === most && step < best)) [best, most] = [step, count];
  return best;
}

/**
 * SpikeInterface's InterpolateBadChannelsRecording: each bad channel replaced by a weighted sum of
 * the good ones (kriging weights from the channels' distances, a Gaussian-like kernel of scale
 * `sigmaUm` and exponent `p`), summed in float64 and stored in the parent's dtype (integers
 * truncated toward zero, as numpy's assignment into the parent's array). Needs a probe in µm.
 */
export class InterpolateBadChannelsRecording extends BasePreprocessor {
  static override readonly className: string = 'InterpolateBadChannelsRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.interpolate_bad_channels.InterpolateBadChannelsRecording';

  /** The bad channels, in the order given. */
  readonly badChannelIds: ChannelId[];
  /** The weights used: good channels × bad channels, row-major. */
  readonly weights: Float64Array;

  constructor(recording: BaseRecording, badChannelIds: readonly ChannelId[], opts: InterpolateBadChannelsOptions = {}, fn = FN) {
    checkPreprocessorArgs(fn, recording, opts);
    check(Array.isArray(badChannelIds), 'INVALID_ARGUMENT', () => `${fn}: badChannelIds must be a list of channel ids, got ${describe(badChannelIds)}`);
    check(recording.hasProbe(), 'INVALID_ARGUMENT', () => `${fn}: a probe must be attached to interpolate bad channels (setProbe)`);
    const units = recording.getProbegroup().probes.map((probe) => probe.siUnits);
    if (units.some((u) => u !== 'um')) throw new SpikewireError('UNSUPPORTED', `${fn}: channel locations must be in um, the probe's are in ${describe(units.find((u) => u !== 'um'))}`);
    const n = recording.getNumChannels();
    const bad = recording.idsToIndices(badChannelIds);
    const isBad = new Uint8Array(n);
    bad.forEach((b) => (isBad[b] = 1));
    const good = Int32Array.from({ length: n }, (_, c) => c).filter((c) => !isBad[c]);
    const p = opts.p ?? 1.3;
    check(typeof p === 'number' && Number.isFinite(p), 'INVALID_ARGUMENT', () => `${fn}: p must be a finite number, got ${describe(p)}`);
    let sigmaUm = opts.sigmaUm ?? null;
    if (sigmaUm === null) sigmaUm = estimateRecommendedSigmaUm(recording);
    check(typeof sigmaUm === 'number' && Number.isFinite(sigmaUm) && sigmaUm > 0, 'INVALID_ARGUMENT',
      () => `${fn}: sigmaUm must be a positive number of µm, got ${describe(sigmaUm)}`);
    let weights: Float64Array;
    if (opts.weights === undefined || opts.weights === null) {
      const xy = recording.getChannelLocations();
      const pick = (idx: Int32Array) => Float64Array.from({ length: idx.length * 2 }, (_, i) => xy[2 * idx[i >> 1] + (i & 1)]);
      weights = krigingChannelWeights(pick(good), pick(bad), sigmaUm, p);
    } else {
      const rows = opts.weights;
      check(typeof rows === 'object' && rows.length === good.length && Array.from(rows).every((r) => r && r.length === bad.length), 'INVALID_ARGUMENT',
        () => `${fn}: weights must be ${good.length} rows (good channels) of ${bad.length} numbers (bad channels), got ${describe(rows)}`);
      weights = Float64Array.from(Array.from(rows).flatMap((r) => Array.from(r, Number)));
      check(weights.every(Number.isFinite), 'INVALID_ARGUMENT', () => `${fn}: weights must be finite numbers`);
    }
    super(recording);
    this.badChannelIds = [...badChannelIds];
    this.weights = weights;
    const badPosition = new Int32Array(n).fill(-1);
    bad.forEach((b, j) => (badPosition[b] = j));
    const nBad = bad.length;
    const plan = (channelIndices: Int32Array) => {
      const anyBad = channelIndices.some((c) => badPosition[c] >= 0);
      const inputs = anyBad ? good : channelIndices;
      const inputOf = new Int32Array(n).fill(-1);
      inputs.forEach((c, i) => (inputOf[c] = i));
      const terms: [number, number, number][] = [];
      channelIndices.forEach((c, out) => {
        const b = badPosition[c];
        if (b < 0) terms.push([out, inputOf[c], 1]);
        // zero weights are skipped: adding 0 * x changes no sum
        else for (let i = 0; i < good.length; i++) if (weights[i * nBad + b] !== 0) terms.push([out, i, weights[i * nBad + b]]);
      });
      return { inputs, mix: channelMix(terms) };
    };
    for (const segment of recording.segments) this.addRecordingSegment(new ChannelMixSegment(segment, this.getDtype(), plan));
    this._kwargs = {
      recording, bad_channel_ids: [...badChannelIds], p, sigma_um: sigmaUm,
      weights: Array.from(good, (_, i) => Array.from(weights.subarray(i * nBad, (i + 1) * nBad))),
    };
  }
}

/** SpikeInterface's `interpolate_bad_channels`: a lazy {@link InterpolateBadChannelsRecording} of `recording`. */
export function interpolateBadChannels(
  recording: BaseRecording, badChannelIds: readonly ChannelId[], opts: InterpolateBadChannelsOptions = {},
): InterpolateBadChannelsRecording {
  return new InterpolateBadChannelsRecording(recording, badChannelIds, opts);
}
