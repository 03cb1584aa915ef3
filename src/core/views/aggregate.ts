import { check, describe } from '../../errors.js';
import { checkChannelIds, type ChannelId } from '../ids.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../recording.js';
import { toColumn, type PropertyValues } from '../properties.js';
import { BaseRecordingSegment, shiftTarget, type TraceRequest } from '../segment.js';

/**
 * The channels of several recordings side by side (SpikeInterface's ChannelsAggregationRecording).
 * Channel ids are kept when they are unique and of one kind, else they become '0', '1', …
 * Given a Map or object, the keys become the `aggregation_key` property.
 */
export class ChannelsAggregationRecording extends BaseRecording {
  static override readonly className: string = 'ChannelsAggregationRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  static override readonly classPath: string = 'spikeinterface.core.channelsaggregationrecording.ChannelsAggregationRecording';
  readonly recordings: readonly BaseRecording[];

  constructor(recordingsOrMap: readonly BaseRecording[] | Map<unknown, BaseRecording> | Record<string, BaseRecording>, renamedChannelIds?: readonly ChannelId[] | null) {
    let keys: unknown[] | null = null;
    let recordings: BaseRecording[];
    if (Array.isArray(recordingsOrMap)) recordings = [...recordingsOrMap];
    else if (recordingsOrMap instanceof Map) {
      keys = [...recordingsOrMap.keys()];
      recordings = [...recordingsOrMap.values()];
    } else if (recordingsOrMap && typeof recordingsOrMap === 'object') {
      keys = Object.keys(recordingsOrMap);
      recordings = Object.values(recordingsOrMap as Record<string, BaseRecording>);
    } else recordings = [];
    check(recordings.length > 0, 'INVALID_ARGUMENT', () => `aggregateChannels needs recordings, got ${describe(recordingsOrMap)}`);
    recordings.forEach((r, i) => check(r instanceof BaseRecording, 'INVALID_ARGUMENT', () => `aggregateChannels: item ${i} is not a recording (${describe(r)})`));
    const [first] = recordings;
    recordings.forEach((r, i) => {
      check(r.getSamplingFrequency() === first.getSamplingFrequency(), 'INVALID_ARGUMENT',
        () => `inconsistent sampling frequency among recordings: recording ${i} has ${r.getSamplingFrequency()}, recording 0 has ${first.getSamplingFrequency()}`);
      check(r.getNumSegments() === first.getNumSegments(), 'INVALID_ARGUMENT',
        () => `inconsistent number of segments among recordings: recording ${i} has ${r.getNumSegments()}, recording 0 has ${first.getNumSegments()}`);
      check(r.getDtype() === first.getDtype(), 'INVALID_ARGUMENT', () => `inconsistent dtype among recordings: recording ${i} is ${r.getDtype()}, recording 0 is ${first.getDtype()}`);
      for (let s = 0; s < first.getNumSegments(); s++) {
        check(r.getNumSamples(s) === first.getNumSamples(s), 'INVALID_ARGUMENT',
          () => `inconsistent number of samples in segment ${s}: recording ${i} has ${r.getNumSamples(s)}, recording 0 has ${first.getNumSamples(s)}`);
      }
    });
    const total = recordings.reduce((n, r) => n + r.getNumChannels(), 0);
    let ids: ChannelId[];
    if (renamedChannelIds !== undefined && renamedChannelIds !== null) {
      ids = [...checkChannelIds(renamedChannelIds, total)];
    } else {
      const combined = recordings.flatMap((r) => r.getChannelIds());
      const oneKind = new Set(combined.map((id) => typeof id)).size <= 1;
      ids = oneKind && new Set(combined).size === combined.length ? combined : combined.map((_, i) => String(i));
    }
    super(first.getSamplingFrequency(), ids, first.getDtype());
    this.recordings = recordings;

    const owner: { recording: number; channel: number }[] = [];
    recordings.forEach((r, ri) => { for (let c = 0; c < r.getNumChannels(); c++) owner.push({ recording: ri, channel: c }); });
    for (let s = 0; s < first.getNumSegments(); s++) {
      this.addRecordingSegment(new ChannelsAggregationRecordingSegment(recordings.map((r) => r.segments[s]), owner));
    }
    // A property survives when every recording has it; values are joined in channel order.
    for (const key of first.getPropertyKeys()) {
      if (!recordings.every((r) => r.getPropertyKeys().includes(key))) continue;
      const columns = recordings.map((r) => r.getPropertyColumn(key)!);
      const values = columns.flatMap((c) => Array.from(c.values as ArrayLike<unknown>));
      const sameDtype = columns.every((c) => c.dtype === columns[0].dtype);
      const column = toColumn(values, sameDtype && !columns[0].dtype.startsWith('<U') ? columns[0].dtype : undefined);
      if (sameDtype && ArrayBuffer.isView(columns[0].values)) {
        const ctor = columns[0].values.constructor as new (v: unknown[]) => PropertyValues;
        this._properties.setColumn(key, { ...column, values: new ctor(values) });
      } else this._properties.setColumn(key, column);
    }
    // probes: every recording's probes side by side, wired over the aggregated channels, when all have one
    this.attachCombinedProbegroup(recordings);
    if (keys) this.setProperty('aggregation_key', recordings.flatMap((r, i) => new Array(r.getNumChannels()).fill(keys![i])));
    this._kwargs = { recording_list_or_dict: recordings, renamed_channel_ids: renamedChannelIds ? [...renamedChannelIds] : null };
  }
}

/** Reads each asked channel from the recording that owns it; runs of one owner go in one read. */
export class ChannelsAggregationRecordingSegment extends BaseRecordingSegment {
  constructor(readonly parents: readonly BaseRecordingSegment[], private readonly owner: readonly { recording: number; channel: number }[]) {
    const info = parents[0].getTimeInfo();
    super(parents[0].samplingFrequency, info.tStart, info.timeVector);
  }
  getNumSamples(): number {
    return this.parents[0].getNumSamples();
  }
  async readTraces(request: TraceRequest): Promise<void> {
    const { channelIndices, gains, offsets } = request;
    let j = 0;
    while (j < channelIndices.length) {
      const recording = this.owner[channelIndices[j]].recording;
      let end = j + 1;
      while (end < channelIndices.length && this.owner[channelIndices[end]].recording === recording) end++;
      const local = new Int32Array(end - j);
      for (let i = j; i < end; i++) local[i - j] = this.owner[channelIndices[i]].channel;
      await this.parents[recording].readTraces({
        ...request,
        channelIndices: local,
        target: shiftTarget(request.target, 0, j),
        gains: gains ? gains.subarray(j, end) : null,
        offsets: offsets ? offsets.subarray(j, end) : null,
      });
      j = end;
    }
  }
  override preferredReadBytes(): number {
    return Math.max(...this.parents.map((p) => p.preferredReadBytes()));
  }
  override async close(): Promise<void> {
    await Promise.all(this.parents.map((p) => p.close()));
  }
}

/** The channels of several recordings as one recording (SpikeInterface's `aggregate_channels`). */
export function aggregateChannels(
  recordingsOrMap: readonly BaseRecording[] | Map<unknown, BaseRecording> | Record<string, BaseRecording>,
  renamedChannelIds?: readonly ChannelId[] | null,
): ChannelsAggregationRecording {
  return new ChannelsAggregationRecording(recordingsOrMap, renamedChannelIds);
}
