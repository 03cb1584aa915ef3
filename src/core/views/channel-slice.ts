// The segment of ChannelSliceRecording (the class itself is in ../recording.ts, beside the methods that
// make it: BaseRecording.channelSlice and the methods built on it).
import { BaseRecordingSegment, type TimeInfo, type TraceRequest } from '../segment.js';

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
