import { SpikewireError, check, describe } from '../../errors.js';
import { BaseRecording } from '../internal.js';
import { BaseRecordingSegment, type TraceRequest } from '../segment.js';

/** A lazy view of frames [startFrame, endFrame) of a one-segment recording (SpikeInterface's FrameSliceRecording). */
export class FrameSliceRecording extends BaseRecording {
  static override readonly className: string = 'FrameSliceRecording';
  static override readonly travelsToWorkers: boolean = true;
  static override readonly classPath: string = 'spikeinterface.core.frameslicerecording.FrameSliceRecording';
  readonly parent: BaseRecording;
  readonly startFrame: number;
  readonly endFrame: number;

  constructor(parent: BaseRecording, startFrame?: number | null, endFrame?: number | null) {
    check(parent instanceof BaseRecording, 'INVALID_ARGUMENT', () => `FrameSliceRecording needs a recording, got ${describe(parent)}`);
    if (parent.getNumSegments() !== 1) {
      throw new SpikewireError('INVALID_ARGUMENT', `FrameSliceRecording only works with one segment but found ${parent.getNumSegments()} (use selectSegments first)`);
    }
    const n = parent.getNumSamples(0);
    const start = startFrame ?? 0;
    const end = endFrame ?? n;
    check(Number.isInteger(start) && start >= 0 && start < n, 'OUT_OF_RANGE', () => `startFrame ${describe(startFrame)} is outside 0..${n - 1}`);
    check(Number.isInteger(end) && end <= n, 'OUT_OF_RANGE', () => `endFrame ${describe(endFrame)} is past the end (${n} samples)`);
    check(end > start, 'OUT_OF_RANGE', () => `startFrame ${start} must be smaller than endFrame ${end}`);
    super(parent.getSamplingFrequency(), parent.getChannelIds(), parent.getDtype());
    this.parent = parent;
    this.startFrame = start;
    this.endFrame = end;
    this.addRecordingSegment(new FrameSliceRecordingSegment(parent.segments[0], start, end));
    parent.copyMetadataTo(this); // with a copy of the probegroup
    this._kwargs = { parent_recording: parent, start_frame: start, end_frame: end };
  }
}

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
