import { SpikewireError, check, describe } from '../../errors.js';
import type { ChannelId } from '../ids.js';
import { BaseRecording } from '../internal.js';
import { BaseRecordingSegment, type TimeInfo, type TraceRequest } from '../segment.js';

/**
 * A lazy view of some channels of a recording, in any order, optionally renamed
 * (SpikeInterface's ChannelSliceRecording). Properties and annotations are copied for those channels.
 */
export class ChannelSliceRecording extends BaseRecording {
  static override readonly className: string = 'ChannelSliceRecording';
  static override readonly travelsToWorkers: boolean = true;
  static override readonly classPath: string = 'spikeinterface.core.channelslice.ChannelSliceRecording';
  /** The recording this view reads from. */
  readonly parent: BaseRecording;
  /** Positions of this view's channels in the parent. */
  readonly parentIndices: Int32Array;

  constructor(parent: BaseRecording, channelIds: readonly ChannelId[], renamedChannelIds?: readonly ChannelId[] | null) {
    check(parent instanceof BaseRecording, 'INVALID_ARGUMENT', () => `ChannelSliceRecording needs a recording, got ${describe(parent)}`);
    check(Array.isArray(channelIds), 'INVALID_ARGUMENT', () => `channelIds must be an array of channel ids, got ${describe(channelIds)}`);
    const parentIndices = parent.idsToIndices(channelIds);
    if (new Set(parentIndices).size !== parentIndices.length) {
      throw new SpikewireError('INVALID_ARGUMENT', `channel ids ${describe(channelIds as ChannelId[])} repeat an id: each channel can appear once`);
    }
    if (renamedChannelIds !== undefined && renamedChannelIds !== null) {
      check(renamedChannelIds.length === channelIds.length, 'INVALID_ARGUMENT',
        () => `renamedChannelIds has ${renamedChannelIds.length} ids for ${channelIds.length} channels`);
    }
    super(parent.getSamplingFrequency(), renamedChannelIds ?? channelIds, parent.getDtype());
    this.parent = parent;
    this.parentIndices = parentIndices;
    for (const segment of parent.segments) this.addRecordingSegment(new ChannelSliceRecordingSegment(segment, parentIndices));
    // also the probe: the contacts of the kept channels, wired 0..n-1, 'group' re-derived from them (SpikeInterface main)
    parent.copyMetadataTo(this, parentIndices);
    this._kwargs = { parent_recording: parent, channel_ids: [...channelIds], renamed_channel_ids: [...(renamedChannelIds ?? channelIds)] };
  }
}

/** Reads the parent segment's channels through an index map; times are the parent's. */
export class ChannelSliceRecordingSegment extends BaseRecordingSegment {
  constructor(readonly parentSegment: BaseRecordingSegment, readonly parentIndices: Int32Array) {
    super(parentSegment.samplingFrequency);
  }
  getNumSamples(): number {
    return this.parentSegment.getNumSamples();
  }
  override getTimeInfo(): TimeInfo {
    if (this.timeVector || this.tStart !== null) return super.getTimeInfo();
    return this.parentSegment.getTimeInfo();
  }
  readTraces(request: TraceRequest): Promise<void> {
    const mapped = new Int32Array(request.channelIndices.length);
    for (let i = 0; i < mapped.length; i++) mapped[i] = this.parentIndices[request.channelIndices[i]];
    return this.parentSegment.readTraces({ ...request, channelIndices: mapped });
  }
  override preferredReadBytes(): number {
    return this.parentSegment.preferredReadBytes();
  }
  override close(): Promise<void> {
    return this.parentSegment.close();
  }
}
