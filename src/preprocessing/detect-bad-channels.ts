import { check, describe } from '../errors.js';
import { BaseRecording, type Traces } from '../core/recording.js';
import type { ChannelId } from '../core/ids.js';
import { getKernel } from '../kernel/index.js';
import { checkChoice, checkPreprocessorArgs } from './base.js';
import { axisIndex, orderChannelsByDepth, type Axis } from './depth-order.js';
import { highpassFilter } from './filter.js';
import { column, mean, median, std } from './numpy-stats.js';
import { getRandomDataChunks } from './random-chunks.js';
import { welch } from './spectral.js';

const FN = 'detectBadChannels';
const METHODS = ['coherence+psd', 'std', 'mad', 'neighborhood_r2'] as const;
const FILTERS = ['dead', 'noise', 'out'] as const;

/** A label of {@link detectBadChannels}. */
export type ChannelLabel = 'good' | 'dead' | 'noise' | 'out';

/** Options of {@link detectBadChannels}: SpikeInterface's keyword arguments, camelCased, with its defaults. */
export interface DetectBadChannelsOptions {
  /** 'coherence+psd' (default, IBL's), 'std', 'mad' or 'neighborhood_r2'. */
  method?: (typeof METHODS)[number];
  /** std / mad: a channel is noise above this many times the median deviation (default 5). */
  stdMadThreshold?: number;
  /** coherence+psd: µV²/Hz above `nyquistThreshold` of Nyquist for noise (default 0.02). */
  psdHfThreshold?: number;
  /** coherence+psd: coherence below which a channel is dead (default -0.5). */
  deadChannelThreshold?: number;
  /** coherence+psd: coherence above which a channel is noise (default 1). */
  noisyChannelThreshold?: number;
  /** coherence+psd: trend below 1 + this at the probe's end marks channels outside the brain (default -0.75). */
  outsideChannelThreshold?: number;
  /** coherence+psd: where outside channels may be: 'top' (default), 'bottom' or 'both'. */
  outsideChannelsLocation?: 'top' | 'bottom' | 'both';
  /** coherence+psd: width of the median filter of the coherence along the probe (default 11). */
  nNeighbors?: number;
  /** coherence+psd: share of Nyquist above which the PSD is averaged (default 0.8). */
  nyquistThreshold?: number;
  /** coherence+psd: the depth axis (default 'y'). */
  direction?: Axis;
  /** Seconds per random chunk (default 0.3). */
  chunkDurationS?: number;
  /** Random chunks per segment (default 100). */
  numRandomChunks?: number;
  /** coherence+psd: Welch window in ms (default 10). */
  welchWindowMs?: number;
  /** Highpass cutoff in Hz applied first when the recording is not filtered (default 300). */
  highpassFilterCutoff?: number;
  /** neighborhood_r2: R² below which a channel is noise (default 0.9). */
  neighborhoodR2Threshold?: number;
  /** neighborhood_r2: neighbours are closer than this, in µm (default 30). */
  neighborhoodR2RadiusUm?: number;
  /** Seed of the random chunks (numpy's default_rng; null: different chunks each time). */
  seed?: number | null;
  /** coherence+psd: only these labels make a channel bad (default all three). */
  channelFilters?: readonly ('dead' | 'noise' | 'out')[] | null;
}

/** SpikeInterface's names and defaults of detect_bad_channels' keyword arguments, in its order. */
export const DETECT_BAD_CHANNELS_DEFAULTS: readonly (readonly [snake: string, camel: keyof DetectBadChannelsOptions, value: unknown])[] = [
  ['method', 'method', 'coherence+psd'], ['std_mad_threshold', 'stdMadThreshold', 5], ['psd_hf_threshold', 'psdHfThreshold', 0.02],
  ['dead_channel_threshold', 'deadChannelThreshold', -0.5], ['noisy_channel_threshold', 'noisyChannelThreshold', 1.0],
  ['outside_channel_threshold', 'outsideChannelThreshold', -0.75], ['outside_channels_location', 'outsideChannelsLocation', 'top'],
  ['n_neighbors', 'nNeighbors', 11], ['nyquist_threshold', 'nyquistThreshold', 0.8], ['direction', 'direction', 'y'],
  ['chunk_duration_s', 'chunkDurationS', 0.3], ['num_random_chunks', 'numRandomChunks', 100], ['welch_window_ms', 'welchWindowMs', 10.0],
  ['highpass_filter_cutoff', 'highpassFilterCutoff', 300], ['neighborhood_r2_threshold', 'neighborhoodR2Threshold', 0.9],
  ['neighborhood_r2_radius_um', 'neighborhoodR2RadiusUm', 30.0], ['seed', 'seed', null], ['channel_filters', 'channelFilters', null],
];

/** The options with SpikeInterface's defaults filled in, camelCase. */
function resolve(opts: DetectBadChannelsOptions): Required<{ [K in keyof DetectBadChannelsOptions]: NonNullable<DetectBadChannelsOptions[K]> | null }> {
  return Object.fromEntries(DETECT_BAD_CHANNELS_DEFAULTS.map(([, camel, value]) => [camel, opts[camel] ?? value])) as never;
}

/** SpikeInterface's `_get_all_detect_bad_channel_kwargs`: every detection keyword with its value (snake_case). */
export function detectBadChannelsKwargs(opts: DetectBadChannelsOptions): Record<string, unknown> {
  const r = resolve(opts) as Record<string, unknown>;
  return Object.fromEntries(DETECT_BAD_CHANNELS_DEFAULTS.map(([snake, camel]) => [snake, Array.isArray(r[camel]) ? [...(r[camel] as unknown[])] : r[camel]]));
}

/** The detection options of a dict's kwargs (snake_case, as SpikeInterface stores them), camelCase. */
export function badChannelOptions(kwargs: Record<string, unknown>): DetectBadChannelsOptions {
  return Object.fromEntries(DETECT_BAD_CHANNELS_DEFAULTS.filter(([snake]) => snake in kwargs).map(([snake, camel]) => [camel, kwargs[snake]]));
}

/** The result of {@link detectBadChannels}. */
export interface BadChannels {
  /** The bad channels, in channel order. */
  badChannelIds: ChannelId[];
  /** One label per channel. */
  channelLabels: ChannelLabel[];
}

const finite = (fn: string, name: string, v: unknown) => {
  check(typeof v === 'number' && Number.isFinite(v), 'INVALID_ARGUMENT', () => `${fn}: ${name} must be a finite number, got ${describe(v)}`);
  return v as number;
};

/**
 * SpikeInterface's `detect_bad_channels`: statistics of seeded random chunks (after a highpass at
 * `highpassFilterCutoff` when the recording is not filtered) label each channel. 'std' / 'mad':
 * noise above `stdMadThreshold` × the median deviation. 'coherence+psd' (IBL): per chunk, in µV,
 * channels sorted by depth, dead (low coherence with the median of all channels), noise (high
 * coherence or high-frequency PSD by Welch, through the kernel's FFT) or out (low coherence trend
 * at the probe's end), the most frequent label over the chunks. 'neighborhood_r2': noise when the
 * correlation with the median of the neighbours within `neighborhoodR2RadiusUm` is low.
 */
export async function detectBadChannels(recording: BaseRecording, opts: DetectBadChannelsOptions = {}): Promise<BadChannels> {
  checkPreprocessorArgs(FN, recording, opts);
  const o = resolve(opts);
  const method = checkChoice(FN, 'method', o.method, METHODS);
  const numChunks = o.numRandomChunks as number;
  check(Number.isInteger(numChunks) && numChunks >= 1 && numChunks <= 100000, 'INVALID_ARGUMENT', () => `${FN}: numRandomChunks must be an integer from 1 to 100000, got ${describe(numChunks)}`);
  const fs = recording.getSamplingFrequency();
  const chunkSize = Math.trunc(finite(FN, 'chunkDurationS', o.chunkDurationS) * fs);
  check(chunkSize >= 1, 'INVALID_ARGUMENT', () => `${FN}: chunkDurationS ${describe(o.chunkDurationS)} is less than one frame`);
  const ids = recording.getChannelIds();
  const n = recording.getNumChannels();
  const hp = recording.isFiltered() ? recording : highpassFilter(recording, { freqMin: finite(FN, 'highpassFilterCutoff', o.highpassFilterCutoff) });
  const chunkOptions = { numChunksPerSegment: numChunks, chunkSize, seed: o.seed as number | null };
  const labels: ChannelLabel[] = new Array(n).fill('good');

  if (method === 'std' || method === 'mad') {
    const threshold = finite(FN, 'stdMadThreshold', o.stdMadThreshold);
    const data = await getRandomDataChunks(hp, { ...chunkOptions, returnInUV: false });
    const deviations = Array.from({ length: n }, (_, c) => {
      const x = column(data, c);
      if (method === 'std') return std(x);
      const m = median(x);
      return median(x.map((v) => Math.abs(v - m)));
    });
    const limit = threshold * median(deviations);
    deviations.forEach((d, c) => d > limit && (labels[c] = 'noise'));
    return { badChannelIds: ids.filter((_, c) => labels[c] === 'noise'), channelLabels: labels };
  }

  if (method === 'coherence+psd') {
    check(recording.hasScaleableTraces(), 'INVALID_ARGUMENT',
      () => `${FN}: 'coherence+psd' uses thresholds in µV but the recording has no gains and offsets (setChannelGains(1) and setChannelOffsets(0) if it is already in µV)`);
    const nyquist = finite(FN, 'nyquistThreshold', o.nyquistThreshold);
    check(nyquist > 0 && nyquist < 1, 'INVALID_ARGUMENT', () => `${FN}: nyquistThreshold must be between 0 and 1, got ${describe(nyquist)}`);
    const location = checkChoice(FN, 'outsideChannelsLocation', o.outsideChannelsLocation, ['top', 'bottom', 'both'] as const);
    const nNeighbors = o.nNeighbors as number;
    check(Number.isInteger(nNeighbors) && nNeighbors >= 1, 'INVALID_ARGUMENT', () => `${FN}: nNeighbors must be a positive integer, got ${describe(nNeighbors)}`);
    const filters = o.channelFilters === null ? [...FILTERS] : o.channelFilters;
    check(Array.isArray(filters) && filters.every((f) => (FILTERS as readonly string[]).includes(f)), 'INVALID_ARGUMENT',
      () => `${FN}: channelFilters must be null or a list of 'dead', 'noise', 'out', got ${describe(o.channelFilters)}`);
    check(recording.hasProbe(), 'INVALID_ARGUMENT', () => `${FN}: 'coherence+psd' needs channel locations: attach a probe`);
    axisIndex(FN, 'direction', o.direction, recording.getProbegroup().ndim);
    const { order, reverse } = orderChannelsByDepth(recording, { dimensions: ['x', 'y'] });
    const nperseg = Math.trunc((finite(FN, 'welchWindowMs', o.welchWindowMs) * fs) / 1000);
    check(nperseg >= 1 && nperseg <= chunkSize, 'INVALID_ARGUMENT', () => `${FN}: welchWindowMs gives ${nperseg} frames, which must be 1 to chunkDurationS' ${chunkSize}`);
    const chunks = await getRandomDataChunks(hp, { ...chunkOptions, returnInUV: true, concatenated: false });
    const kernel = await getKernel();
    const votes = chunks.map(() => new Int8Array(n));
    for (let i = 0; i < chunks.length; i++) {
      const sorted = await iblLabels(kernel, chunks[i], order, fs, {
        psdHfThreshold: finite(FN, 'psdHfThreshold', o.psdHfThreshold), dead: finite(FN, 'deadChannelThreshold', o.deadChannelThreshold),
        noisy: finite(FN, 'noisyChannelThreshold', o.noisyChannelThreshold), outside: finite(FN, 'outsideChannelThreshold', o.outsideChannelThreshold),
        nNeighbors, nyquist, nperseg, location,
      });
      for (let c = 0; c < n; c++) votes[i][c] = sorted[reverse[c]];
    }
    const names: ChannelLabel[] = ['good', 'dead', 'noise', 'out'];
    for (let c = 0; c < n; c++) labels[c] = names[mode(votes.map((v) => v[c]))];
    const bad = ids.filter((_, c) => (filters as readonly string[]).includes(labels[c]));
    if (labels.filter((l) => l !== 'good').length > n / 3) {
      console.warn('spikewire: over 1/3 of channels are detected as bad: with many dead or noisy channels, detection may fail (good channels labelled dead)');
    }
    return { badChannelIds: bad, channelLabels: labels };
  }

  // neighborhood_r2
  check(recording.hasProbe(), 'INVALID_ARGUMENT', () => `${FN}: 'neighborhood_r2' needs channel locations: attach a probe`);
  const radius = finite(FN, 'neighborhoodR2RadiusUm', o.neighborhoodR2RadiusUm);
  const r2Threshold = finite(FN, 'neighborhoodR2Threshold', o.neighborhoodR2Threshold);
  const xy = recording.getChannelLocations();
  const neighbors = Array.from({ length: n }, (_, c) => Array.from({ length: n }, (_, d) => d).filter((d) => d !== c && Math.hypot(xy[2 * c] - xy[2 * d], xy[2 * c + 1] - xy[2 * d + 1]) < radius));
  if (neighbors.some((nb) => nb.length === 0)) {
    console.warn(`spikewire: neighborhoodR2RadiusUm=${radius} leaves channels without neighbours: they are not marked bad`);
  }
  const chunks = await getRandomDataChunks(hp, { ...chunkOptions, returnInUV: false, concatenated: false });
  const perChunk = chunks.map((chunk) => neighborhoodCorrelations(chunk, neighbors));
  for (let c = 0; c < n; c++) {
    const m = nanMedian(perChunk.map((corr) => corr[c]));
    if (m * m < r2Threshold) labels[c] = 'noise';
  }
  return { badChannelIds: ids.filter((_, c) => labels[c] === 'noise'), channelLabels: labels };
}

/** scipy.stats.mode of small integers: the most frequent, the smallest on a tie. */
function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = Infinity;
  let most = 0;
  for (const [v, k] of counts) if (k > most || (k === most && v < best)) [best, most] = [v, k];
  return best;
}

/** np.nanmedian: the median of the values that are not NaN (NaN when none). */
function nanMedian(values: readonly number[]): number {
  const kept = values.filter((v) => !Number.isNaN(v));
  return kept.length === 0 ? Number.NaN : median(kept);
}

/** SpikeInterface's shrinking_median_filter: the median of a window of `size` values, shrunk at the ends. */
function shrinkingMedianFilter(s: Float64Array, size: number): Float64Array {
  const half = size >> 1;
  return Float64Array.from(s, (_, i) => median(s.subarray(Math.max(0, i - half), i + half + 1)));
}

interface IblThresholds {
  psdHfThreshold: number; dead: number; noisy: number; outside: number; nNeighbors: number; nyquist: number; nperseg: number;
  location: 'top' | 'bottom' | 'both';
}

/** SpikeInterface's detect_bad_channels_ibl on one chunk in µV, channels taken in `order`: 0 good, 1 dead, 2 noise, 3 out. */
async function iblLabels(kernel: Awaited<ReturnType<typeof getKernel>>, chunk: Traces, order: Int32Array, fs: number, t: IblThresholds): Promise<Int8Array> {
  const [frames, n] = chunk.shape;
  const raw = new Float64Array(frames * n);
  const r = Math.fround; // the chunk is float32 µV: numpy keeps float32
  for (let j = 0; j < n; j++) {
    const x = column(chunk, order[j]);
    const m = mean(x, r);
    for (let i = 0; i < frames; i++) raw[i * n + j] = r(x[i] - m);
  }
  const { freqs, psd } = await welch(kernel, raw, n, fs, t.nperseg);
  const high = Array.from(freqs.keys()).filter((b) => freqs[b] > (fs / 2) * t.nyquist);
  const psdHf = Float64Array.from({ length: n }, (_, j) => high.reduce((s, b) => s + psd[b * n + j], 0) / high.length);
  const ref = Float64Array.from({ length: frames }, (_, i) => median(raw.subarray(i * n, (i + 1) * n), r));
  const refMean = mean(ref, r);
  for (let i = 0; i < frames; i++) ref[i] = r(ref[i] - refMean);
  const energy = ref.reduce((s, v) => s + v * v, 0);
  const xcorr = Float64Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < frames; i++) s += raw[i * n + j] * ref[i];
    return s / energy;
  });
  const trend = shrinkingMedianFilter(xcorr, t.nNeighbors);
  const labels = new Int8Array(n);
  for (let j = 0; j < n; j++) {
    const x = xcorr[j] - trend[j];
    if (x < t.dead) labels[j] = 1;
    if (psdHf[j] > t.psdHfThreshold || x > t.noisy) labels[j] = 2;
  }
  const below = Array.from(trend.keys()).filter((j) => trend[j] < t.outside + 1);
  if (below.length > 0) {
    const blocks: number[][] = [[below[0]]];
    for (let i = 1; i < below.length; i++) {
      if (below[i] - below[i - 1] > 1) blocks.push([]);
      blocks[blocks.length - 1].push(below[i]);
    }
    const top = blocks[blocks.length - 1];
    if ((t.location === 'top' || t.location === 'both') && top[top.length - 1] === n - 1) for (const j of top) labels[j] = 3;
    if ((t.location === 'bottom' || t.location === 'both') && blocks[0][0] === 0) for (const j of blocks[0]) labels[j] = 3;
  }
  return labels;
}

/** The per-channel correlations of neighborhood_r2 on one chunk (float32 arithmetic as numpy's on the float32 chunk). */
function neighborhoodCorrelations(chunk: Traces, neighbors: number[][]): number[] {
  const [frames, n] = chunk.shape;
  const r = Math.fround;
  const x = Array.from({ length: n }, (_, c) => {
    const v = column(chunk, c).map(r);
    const m = median(v, r);
    return v.map((s) => r(s - m));
  });
  return Array.from({ length: n }, (_, c) => {
    const nb = neighbors[c];
    if (nb.length === 0) return Number.NaN;
    let xx = 0;
    let yy = 0;
    let xy = 0;
    for (let i = 0; i < frames; i++) {
      const y = median(nb.map((d) => x[d][i]), r);
      xx += x[c][i] * x[c][i];
      yy += y * y;
      xy += x[c][i] * y;
    }
    let denom = Math.sqrt((xx / frames) * (yy / frames));
    if (denom === 0) denom = 1;
    return xy / frames / denom;
  });
}

