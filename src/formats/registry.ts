import { SpikewireError, describe } from '../errors.js';
import { BinaryRecordingExtractor } from '../io/binary-recording.js';
import {
  AppendSegmentRecording,
  BaseRecording,
  ChannelSliceRecording,
  ChannelsAggregationRecording,
  ConcatenateSegmentRecording,
  FrameSliceRecording,
  SelectSegmentRecording,
} from '../core/internal.js';
import type { ChannelId } from '../core/ids.js';
import type { ExtractorDict } from '../core/serialize.js';

/** What a builder gets besides its kwargs: a way to build nested recordings. */
export interface BuildContext {
  /** Builds a nested recording from its dict (already made absolute). */
  build(dict: unknown): Promise<BaseRecording>;
  /** Aborts long opens (files, URLs). */
  signal?: AbortSignal;
}

/** Builds a recording from SpikeInterface kwargs. */
export type RecordingBuilder = (kwargs: Record<string, any>, ctx: BuildContext) => Promise<BaseRecording>;

const ids = (v: unknown): ChannelId[] | undefined => (v === null || v === undefined ? undefined : (v as ChannelId[]));

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
    if (typeof k.folder_path === 'string' && /\.zip$/i.test(k.folder_path)) {
      const { openZip } = await import('./zip.js');
      return BinaryFolderRecording.open(await openZip(k.folder_path, ctx.signal), { signal: ctx.signal });
    }
    return BinaryFolderRecording.open(k.folder_path, { signal: ctx.signal });
  }],
  ['spikeinterface.core.channelslice.ChannelSliceRecording', async (k, ctx) =>
    new ChannelSliceRecording(await ctx.build(k.parent_recording), k.channel_ids, k.renamed_channel_ids ?? null)],
  ['spikeinterface.core.frameslicerecording.FrameSliceRecording', async (k, ctx) =>
    new FrameSliceRecording(await ctx.build(k.parent_recording), k.start_frame ?? null, k.end_frame ?? null)],
  ['spikeinterface.core.segmentutils.SelectSegmentRecording', async (k, ctx) =>
    new SelectSegmentRecording(await ctx.build(k.recording), k.segment_indices)],
  ['spikeinterface.core.segmentutils.AppendSegmentRecording', async (k, ctx) =>
    new AppendSegmentRecording(await Promise.all((k.recording_list as unknown[]).map(ctx.build)))],
  ['spikeinterface.core.segmentutils.ConcatenateSegmentRecording', async (k, ctx) =>
    new ConcatenateSegmentRecording(await Promise.all((k.recording_list as unknown[]).map(ctx.build)))],
  ['spikeinterface.core.channelsaggregationrecording.ChannelsAggregationRecording', async (k, ctx) => {
    const list = k.recording_list_or_dict ?? k.recording_list;
    const built = Array.isArray(list)
      ? await Promise.all(list.map(ctx.build))
      : new Map(await Promise.all(Object.entries(list as Record<string, unknown>).map(async ([key, d]) => [key, await ctx.build(d)] as const)));
    return new ChannelsAggregationRecording(built, ids(k.renamed_channel_ids) ?? null);
  }],
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
