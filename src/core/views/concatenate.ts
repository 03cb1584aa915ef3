import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../recording.js';
import { BaseRecordingSegment, shiftTarget, type TraceRequest } from '../segment.js';
import { checkSameChannels } from './append.js';

/**
 * Every segment of every recording joined end to end into one segment (SpikeInterface's
 * ConcatenateSegmentRecording). Times are not kept: the result starts at 0.
 */
export class ConcatenateSegmentRecording extends BaseRecording {
  static override readonly className: string = 'ConcatenateSegmentRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  static override readonly classPath: string = 'spikeinterface.core.segmentutils.ConcatenateSegmentRecording';
  readonly recordings: readonly BaseRecording[];

  constructor(recordings: readonly BaseRecording[]) {
    checkSameChannels(recordings, 'concatenateRecordings');
    const [first] = recordings;
    super(first.getSamplingFrequency(), first.getChannelIds(), first.getDtype());
    this.recordings = [...recordings];
    this.addRecordingSegment(new ConcatenatedSegment(recordings.flatMap((r) => [...r.segments])));
    first.copyMetadataTo(this); // with a copy of the first recording's probegroup
    this._kwargs = { recording_list: this.recordings, ignore_times: true, sampling_frequency_max_diff: 0 };
  }
}

/** One segment made of several, read across their boundaries into consecutive rows. */
export class ConcatenatedSegment extends BaseRecordingSegment {
  private readonly starts: number[] = [];
  private readonly total: number;

  constructor(readonly parts: readonly BaseRecordingSegment[]) {
    super(parts[0].samplingFrequency);
    let sum = 0;
    for (const p of parts) {
      this.starts.push(sum);
      sum += p.getNumSamples();
    }
    this.total = sum;
  }
  getNumSamples(): number {
    return this.total;
  }
  async readTraces(request: TraceRequest): Promise<void> {
    for (let i = 0; i < this.parts.length; i++) {
      const partStart = this.starts[i];
      const partEnd = partStart + this.parts[i].getNumSamples();
      const from = Math.max(request.startFrame, partStart);
      const to = Math.min(request.endFrame, partEnd);
      if (from >= to) continue;
      await this.parts[i].readTraces({
        ...request,
        startFrame: from - partStart,
        endFrame: to - partStart,
        target: shiftTarget(request.target, from - request.startFrame, 0),
      });
    }
  }
  override preferredReadBytes(): number {
    return Math.max(...this.parts.map((p) => p.preferredReadBytes()));
  }
  override async close(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.close()));
  }
}

/** Joins the segments of recordings into one continuous segment (SpikeInterface's `concatenate_recordings`). */
export function concatenateRecordings(recordings: readonly BaseRecording[]): ConcatenateSegmentRecording {
  return new ConcatenateSegmentRecording(recordings);
}
