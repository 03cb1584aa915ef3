// The segment of FrameSliceRecording (the class itself is in ../recording.ts, beside the methods that
// make it: BaseRecording.frameSlice and timeSlice).
import { BaseRecordingSegment, type TraceRequest } from '../segment.js';

/** Frames [start, end) of the parent segment; its times start at the parent's time of `start`. */
export class FrameSliceRecordingSegment extends BaseRecordingSegment {
  readonly parentSegment: BaseRecordingSegment;
  readonly startFrame: number;
  readonly endFrame: number;

  constructor(parentSegment: BaseRecordingSegment, startFrame: number, endFrame: number) {
    const { timeVector } = parentSegment.getTimeInfo();
    super(
      parentSegment.samplingFrequency,
      timeVector ? null : parentSegment.sampleIndexToTime(startFrame),
      timeVector ? timeVector.slice(startFrame, endFrame) : null,
    );
    this.parentSegment = parentSegment;
    this.startFrame = startFrame;
    this.endFrame = endFrame;
  }
  getNumSamples(): number {
    return this.endFrame - this.startFrame;
  }
  readTraces(request: TraceRequest): Promise<void> {
    return this.parentSegment.readTraces({
      ...request,
      startFrame: request.startFrame + this.startFrame,
      endFrame: request.endFrame + this.startFrame,
    });
  }
  override preferredReadBytes(): number {
    return this.parentSegment.preferredReadBytes();
  }
  override close(): Promise<void> {
    return this.parentSegment.close();
  }
}
