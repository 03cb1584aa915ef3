import { SpikewireError, describe } from '../errors.js';
import { BinaryRecordingExtractor } from '../extractors/binary-recording.js';
import {
  AppendSegmentRecording,
  BaseRecording,
  ChannelSliceRecording,
  ChannelsAggregationRecording,
  ConcatenateSegmentRecording,
  FrameSliceRecording,
  SelectSegmentRecording,
} from '../core/index.js';
import type { ChannelId } from '../core/ids.js';
import type { ExtractorDict } from '../core/serialize.js';

/** What a builder gets besides its kwargs: a way to build nested recordings. */
export interface BuildContext {
  /** Builds a nested recording from its dict (already made absolute). */
  build(dict: unknown): Promise<BaseRecording>;
  /**
   * Builds every dict of a list; settles only when all builds have (so that a failure leaves none in
   * flight, and the loader can close every one that was built).
   */
  buildAll(dicts: readonly unknown[]): Promise<BaseRecording[]>;
  /** Aborts long opens (files, URLs). */
  signal?: AbortSignal;
  /** The dict's `version` (SpikeInterface adapts kwargs of other versions). */
  version?: unknown;
}

/** Builds a recording from SpikeInterface kwargs. */
export type RecordingBuilder = (kwargs: Record<string, any>, ctx: BuildContext) => Promise<BaseRecording>;

const ids = (v: unknown): ChannelId[] | undefined => (v === null || v === undefined ? undefined : (v as ChannelId[]));

/** The class name at the end of a class string, for messages. */
const short = (classPath: string) => classPath.slice(classPath.lastIndexOf('.') + 1);

/** kwargs[key] as a non-empty list of nested recording dicts, or `FORMAT` naming the key. */
function recordingList(k: Record<string, unknown>, key: string, classPath: string, expected = 'a non-empty list of recording dicts'): unknown[] {
  const list = k[key];
  if (!Array.isArray(list) || list.length === 0) {
    throw new SpikewireError('FORMAT', `loadFromDict: kwargs.${key} of a ${short(classPath)} must be ${expected}, got ${describe(list)}`);
  }
  return list;
}

/** kwargs.folder_path as a path string, or `FORMAT` naming it. */
function folderPath(k: Record<string, unknown>): string {
  const path = k.folder_path;
  if (typeof path !== 'string' || path === '') {
    throw new SpikewireError('FORMAT', `loadFromDict: kwargs.folder_path of a BinaryFolderRecording must be a path, got ${describe(path)}`);
  }
  return path;
}

const APPEND = 'spikeinterface.core.segmentutils.AppendSegmentRecording';
const CONCATENATE = 'spikeinterface.core.segmentutils.ConcatenateSegmentRecording';
const AGGREGATE = 'spikeinterface.core.channelsaggregationrecording.ChannelsAggregationRecording';
const COMMON_REFERENCE = 'spikeinterface.preprocessing.common_reference.CommonReferenceRecording';
const PHASE_SHIFT = 'spikeinterface.preprocessing.phase_shift.PhaseShiftRecording';

// One entry per SpikeInterface class string spikewire can rebuild. Older class paths that
// SpikeInterface moved are listed too, so dicts written by older versions still load.
const BUILDERS = new Map<string, RecordingBuilder>([
  ['spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', async (k, ctx) =>
    BinaryRecordingExtractor.open({
      filePaths: k.file_paths ?? k.files_path,
      samplingFrequency: k.sampling_frequency,
      numChannels: k.num_channels ?? k.num_chan,
      dtype: k.dtype,
      timeAxis: k.time_axis ?? 0,
      fileOffset: k.file_offset ?? 0,
      channelIds: ids(k.channel_ids),
      tStarts: k.t_starts ?? null,
      gainToUV: k.gain_to_uV ?? null,
      offsetToUV: k.offset_to_uV ?? null,
      isFiltered: k.is_filtered ?? null,
      signal: ctx.signal,
    })],
  ['spikeinterface.core.binaryfolder.BinaryFolderRecording', async (k, ctx) => {
    const { BinaryFolderRecording } = await import('./binary-folder.js');
    const path = folderPath(k);
    if (/\.zip$/i.test(path)) {
      const { openZip } = await import('../store/zip-folder.js');
      const reader = await openZip(path, ctx.signal);
      try {
        return await BinaryFolderRecording.open(reader, { signal: ctx.signal });
      } catch (error) {
        await reader.close();
        throw error;
      }
    }
    return BinaryFolderRecording.open(path, { signal: ctx.signal });
  }],
  ['spikeinterface.extractors.neoextractors.spikeglx.SpikeGLXRecordingExtractor', async (k, ctx) => {
    const { spikeglxFromKwargs } = await import('../extractors/spikeglx/from-dict.js');
    return spikeglxFromKwargs(k, { version: ctx.version, signal: ctx.signal });
  }],
  ['spikeinterface.extractors.neoextractors.openephys.OpenEphysBinaryRecordingExtractor', async (k, ctx) => {
    const { openephysFromKwargs } = await import('../extractors/openephys/from-dict.js');
    return openephysFromKwargs(k, { version: ctx.version, signal: ctx.signal });
  }],
  ['spikeinterface.core.channelslice.ChannelSliceRecording', async (k, ctx) =>
    new ChannelSliceRecording(await ctx.build(k.parent_recording), k.channel_ids, k.renamed_channel_ids ?? null)],
  ['spikeinterface.core.frameslicerecording.FrameSliceRecording', async (k, ctx) =>
    new FrameSliceRecording(await ctx.build(k.parent_recording), k.start_frame ?? null, k.end_frame ?? null)],
  ['spikeinterface.core.segmentutils.SelectSegmentRecording', async (k, ctx) =>
    new SelectSegmentRecording(await ctx.build(k.recording), k.segment_indices)],
  [APPEND, async (k, ctx) => new AppendSegmentRecording(await ctx.buildAll(recordingList(k, 'recording_list', APPEND)))],
  [CONCATENATE, async (k, ctx) => new ConcatenateSegmentRecording(await ctx.buildAll(recordingList(k, 'recording_list', CONCATENATE)))],
  [AGGREGATE, async (k, ctx) => {
    const key = k.recording_list_or_dict !== undefined ? 'recording_list_or_dict' : 'recording_list';
    const list = k[key];
    // A dict of recordings: its keys become the aggregation_key property.
    if (list !== null && typeof list === 'object' && !Array.isArray(list) && Object.keys(list).length > 0) {
      const entries = Object.entries(list as Record<string, unknown>);
      const built = await ctx.buildAll(entries.map(([, d]) => d));
      return new ChannelsAggregationRecording(new Map(entries.map(([name], i) => [name, built[i]])), ids(k.renamed_channel_ids) ?? null);
    }
    return new ChannelsAggregationRecording(await ctx.buildAll(recordingList(k, key, AGGREGATE, 'a non-empty list or dict of recording dicts')), ids(k.renamed_channel_ids) ?? null);
  }],
  [COMMON_REFERENCE, async (k, ctx) => {
    const { CommonReferenceRecording } = await import('../preprocessing/common-reference.js');
    return new CommonReferenceRecording(await ctx.build(k.recording), {
      reference: k.reference, operator: k.operator, groups: k.groups, refChannelIds: k.ref_channel_ids,
      localRadius: k.local_radius, minLocalNeighbors: k.min_local_neighbors, dtype: k.dtype,
    });
  }],
  [PHASE_SHIFT, async (k, ctx) => {
    const { PhaseShiftRecording } = await import('../preprocessing/phase-shift.js');
    // SpikeInterface does not store dtype: the reloaded recording has the parent's
    return new PhaseShiftRecording(await ctx.build(k.recording), { marginMs: k.margin_ms, interSampleShift: k.inter_sample_shift });
    }],
  ['spikeinterface.preprocessing.normalize_scale.ScaleRecording', async (k, ctx) => {
    const { ScaleRecording } = await import('../preprocessing/elementwise.js');
    return new ScaleRecording(await ctx.build(k.recording), { gain: k.gain, offset: k.offset, dtype: k.dtype });
  }],
  ['spikeinterface.preprocessing.unsigned_to_signed.UnsignedToSignedRecording', async (k, ctx) => {
    const { UnsignedToSignedRecording } = await import('../preprocessing/elementwise.js');
    return new UnsignedToSignedRecording(await ctx.build(k.recording), { bitDepth: k.bit_depth });
  }],
  ['spikeinterface.preprocessing.astype.AstypeRecording', async (k, ctx) => {
    const { AstypeRecording } = await import('../preprocessing/elementwise.js');
    return new AstypeRecording(await ctx.build(k.recording), { dtype: k.dtype, round: k.round });
  }],
  ['spikeinterface.preprocessing.clip.ClipRecording', async (k, ctx) => {
    const { ClipRecording } = await import('../preprocessing/elementwise.js');
    return new ClipRecording(await ctx.build(k.recording), { aMin: k.a_min, aMax: k.a_max });
  }],
  ['spikeinterface.preprocessing.clip.BlankSaturationRecording', async (k, ctx) => {
    const { blankSaturation } = await import('../preprocessing/elementwise.js');
    return blankSaturation(await ctx.build(k.recording), {
      absThreshold: k.abs_threshold, quantileThreshold: k.quantile_threshold, direction: k.direction, fillValue: k.fill_value,
      numChunksPerSegment: k.num_chunks_per_segment, chunkSize: k.chunk_size, seed: k.seed,
    });
  }],
  ['spikeinterface.preprocessing.normalize_scale.CenterRecording', async (k, ctx) => {
    const [{ center }, { randomChunkOptionsFromKwargs }] = await Promise.all([import('../preprocessing/normalize-scale.js'), import('../preprocessing/random-chunks.js')]);
    return center(await ctx.build(k.recording), { ...randomChunkOptionsFromKwargs(k), mode: k.mode, dtype: k.dtype, signal: ctx.signal });
  }],
  ['spikeinterface.preprocessing.normalize_scale.ZScoreRecording', async (k, ctx) => {
    const [{ zscore }, { randomChunkOptionsFromKwargs }] = await Promise.all([import('../preprocessing/normalize-scale.js'), import('../preprocessing/random-chunks.js')]);
    return zscore(await ctx.build(k.recording), {
      ...randomChunkOptionsFromKwargs(k), mode: k.mode, gain: k.gain, offset: k.offset, intScale: k.int_scale, dtype: k.dtype, signal: ctx.signal,
    });
  }],
  ['spikeinterface.preprocessing.normalize_scale.NormalizeByQuantileRecording', async (k, ctx) => {
    const [{ normalizeByQuantile }, { randomChunkOptionsFromKwargs }] = await Promise.all([import('../preprocessing/normalize-scale.js'), import('../preprocessing/random-chunks.js')]);
    return normalizeByQuantile(await ctx.build(k.recording), {
      ...randomChunkOptionsFromKwargs(k), scale: k.scale, median: k.median, q1: k.q1, q2: k.q2, mode: k.mode, dtype: k.dtype, signal: ctx.signal,
    });
  }],
  ['spikeinterface.preprocessing.whiten.WhitenRecording', async (k, ctx) => {
    const [{ whiten }, { randomChunkOptionsFromKwargs }] = await Promise.all([import('../preprocessing/whiten.js'), import('../preprocessing/random-chunks.js')]);
    return whiten(await ctx.build(k.recording), {
      ...randomChunkOptionsFromKwargs(k), dtype: k.dtype, mode: k.mode, radiusUm: k.radius_um, applyMean: k.apply_mean, regularize: k.regularize,
      intScale: k.int_scale, eps: k.eps, W: k.W, M: k.M, signal: ctx.signal,
    });
  }],
  ['spikeinterface.preprocessing.highpass_spatial_filter.HighpassSpatialFilterRecording', async (k, ctx) => {
    const { highpassSpatialFilter } = await import('../preprocessing/highpass-spatial-filter.js');
    return highpassSpatialFilter(await ctx.build(k.recording), {
      nChannelPad: k.n_channel_pad, nChannelTaper: k.n_channel_taper, direction: k.direction, applyAgc: k.apply_agc,
      agcWindowLengthS: k.agc_window_length_s ?? undefined, highpassButterOrder: k.highpass_butter_order, highpassButterWn: k.highpass_butter_wn,
      epsilon: k.epsilon, dtype: k.dtype, rmsValues: k.rms_values, signal: ctx.signal,
    });
  }],
  ['spikeinterface.preprocessing.rectify.RectifyRecording', async (k, ctx) => {
    const { RectifyRecording } = await import('../preprocessing/elementwise.js');
    return new RectifyRecording(await ctx.build(k.recording));
  }],
  ['spikeinterface.preprocessing.decimate.DecimateRecording', async (k, ctx) => {
    const { DecimateRecording } = await import('../preprocessing/decimate.js');
    return new DecimateRecording(await ctx.build(k.recording), k.decimation_factor, { decimationOffset: k.decimation_offset });
  }],
  ['spikeinterface.preprocessing.depth_order.DepthOrderRecording', async (k, ctx) => {
    const { DepthOrderRecording } = await import('../preprocessing/depth-order.js');
    return new DepthOrderRecording(await ctx.build(k.parent_recording), { channelIds: ids(k.channel_ids), dimensions: k.dimensions, flip: k.flip });
  }],
  ['spikeinterface.preprocessing.average_across_direction.AverageAcrossDirectionRecording', async (k, ctx) => {
    const { AverageAcrossDirectionRecording } = await import('../preprocessing/average-across-direction.js');
    return new AverageAcrossDirectionRecording(await ctx.build(k.parent_recording), { direction: k.direction, dtype: k.dtype });
  }],
  ['spikeinterface.preprocessing.directional_derivative.DirectionalDerivativeRecording', async (k, ctx) => {
    const { DirectionalDerivativeRecording } = await import('../preprocessing/directional-derivative.js');
    return new DirectionalDerivativeRecording(await ctx.build(k.recording), { direction: k.direction, order: k.order, edgeOrder: k.edge_order, dtype: k.dtype });
  }],
  ['spikeinterface.preprocessing.interpolate_bad_channels.InterpolateBadChannelsRecording', async (k, ctx) => {
    const { InterpolateBadChannelsRecording } = await import('../preprocessing/interpolate-bad-channels.js');
    return new InterpolateBadChannelsRecording(await ctx.build(k.recording), k.bad_channel_ids, { sigmaUm: k.sigma_um, p: k.p, weights: k.weights });
  }],
  ['spikeinterface.preprocessing.silence_periods.SilencedPeriodsRecording', async (k, ctx) => {
    const { SilencedPeriodsRecording } = await import('../preprocessing/silence-periods.js');
    return new SilencedPeriodsRecording(await ctx.build(k.recording), {
      periods: k.periods, listPeriods: k.list_periods, mode: k.mode, apodizationSamples: k.apodization_samples, noiseLevels: k.noise_levels, seed: k.seed,
    });
  }],
  ['spikeinterface.preprocessing.remove_artifacts.RemoveArtifactsRecording', async (k, ctx) => {
    const { RemoveArtifactsRecording } = await import('../preprocessing/remove-artifacts.js');
    return new RemoveArtifactsRecording(await ctx.build(k.recording), k.list_triggers, {
      msBefore: k.ms_before, msAfter: k.ms_after, mode: k.mode, fitSampleSpacing: k.fit_sample_spacing, listLabels: k.list_labels,
    });
  }],
  ['spikeinterface.preprocessing.filter_gaussian.GaussianFilterRecording', async (k, ctx) => {
    const { GaussianFilterRecording } = await import('../preprocessing/gaussian-filter.js');
    return new GaussianFilterRecording(await ctx.build(k.recording), { freqMin: k.freq_min, freqMax: k.freq_max });
  }],
  ['spikeinterface.preprocessing.resample.ResampleRecording', async (k, ctx) => {
    const { ResampleRecording } = await import('../preprocessing/resample.js');
    return new ResampleRecording(await ctx.build(k.recording), k.resample_rate, {
      marginMs: k.margin_ms, dtype: k.dtype, gapToleranceMs: k.gap_tolerance_ms, skipChecks: k.skip_checks,
    });
  }],
  ['spikeinterface.preprocessing.detect_bad_channels.DetectAndRemoveBadChannelsRecording', async (k, ctx) => {
    const { DetectAndRemoveBadChannelsRecording } = await import('../preprocessing/bad-channel-recordings.js');
    const { badChannelOptions } = await import('../preprocessing/detect-bad-channels.js');
    // as SpikeInterface: labels given with known ids are not kept
    return new DetectAndRemoveBadChannelsRecording(await ctx.build(k.parent_recording), { ...badChannelOptions(k), badChannelIds: k.bad_channel_ids });
  }],
  ['spikeinterface.preprocessing.interpolate_bad_channels.DetectAndInterpolateBadChannelsRecording', async (k, ctx) => {
    const { DetectAndInterpolateBadChannelsRecording } = await import('../preprocessing/bad-channel-recordings.js');
    const { badChannelOptions } = await import('../preprocessing/detect-bad-channels.js');
    const stored = Object.fromEntries(['p', 'sigma_um', 'weights'].filter((key) => key in k).map((key) => [key, k[key]]));
    return new DetectAndInterpolateBadChannelsRecording(await ctx.build(k.recording), {
      ...badChannelOptions(k), badChannelIds: k.bad_channel_ids, channelLabels: k.channel_labels,
    }, stored);
  }],
  ...['FilterRecording', 'BandpassFilterRecording', 'HighpassFilterRecording', 'NotchFilterRecording'].map((name): [string, RecordingBuilder] => {
    const classPath = `spikeinterface.preprocessing.filter.${name}`;
    return [classPath, async (k, ctx) => {
      const { filterFromDict } = await import('../preprocessing/filter.js');
      return filterFromDict(classPath, k, await ctx.build(k.recording));
    }];
  }),
]);

const NOT_SERIALIZABLE = new Set([
  'spikeinterface.core.numpyextractors.NumpyRecording',
  'spikeinterface.core.numpyextractors.SharedMemoryRecording',
]);

/** Registers a builder for a SpikeInterface class string (for extractors spikewire does not ship). */
export function registerRecordingClass(classPath: string, builder: RecordingBuilder): void {
  BUILDERS.set(classPath, builder);
}

/** The builder for a class string, or `UNSUPPORTED` naming it. */
export function builderFor(dict: ExtractorDict): RecordingBuilder {
  const builder = BUILDERS.get(dict.class);
  if (builder) return builder;
  if (NOT_SERIALIZABLE.has(dict.class)) {
    throw new SpikewireError('UNSUPPORTED', `${dict.class} keeps its samples in memory: it cannot be rebuilt from a dict`);
  }
  throw new SpikewireError(
    'UNSUPPORTED',
    `cannot rebuild ${describe(dict.class)}: spikewire knows ${[...BUILDERS.keys()].map((c) => c.split('.').pop()).join(', ')}`,
  );
}

/** The class strings spikewire can rebuild. */
export function registeredClasses(): string[] {
  return [...BUILDERS.keys()];
}
