import { check, describe } from '../../errors.js';
import { BaseRecording } from '../internal.js';

/** A lazy view of some segments of a recording, in the order given (SpikeInterface's SelectSegmentRecording). */
export class SelectSegmentRecording extends BaseRecording {
  static override readonly className: string = 'SelectSegmentRecording';
  static override readonly travelsToWorkers: boolean = true;
  static override readonly classPath: string = 'spikeinterface.core.segmentutils.SelectSegmentRecording';
  readonly parent: BaseRecording;
  readonly segmentIndices: number[];

  constructor(parent: BaseRecording, segmentIndices: number | readonly number[]) {
    check(parent instanceof BaseRecording, 'INVALID_ARGUMENT', () => `SelectSegmentRecording needs a recording, got ${describe(parent)}`);
    const indices = typeof segmentIndices === 'number' ? [segmentIndices] : Array.isArray(segmentIndices) ? [...segmentIndices] : null;
    check(indices !== null, 'INVALID_ARGUMENT', () => `segment indices must be a number or an array of numbers, got ${describe(segmentIndices)}`);
    const n = parent.getNumSegments();
    for (const i of indices) {
      check(Number.isInteger(i) && i >= 0 && i < n, 'OUT_OF_RANGE', () => `segment index ${describe(i)} is out of range: the recording has ${n} segments`);
    }
    super(parent.getSamplingFrequency(), parent.getChannelIds(), parent.getDtype());
    this.parent = parent;
    this.segmentIndices = indices;
    // SpikeInterface shares the parent's segment objects: nothing is copied.
    for (const i of indices) this.addRecordingSegment(parent.segments[i]);
    parent.copyMetadataTo(this); // with a copy of the probegroup
    this._kwargs = { recording: parent, segment_indices: indices };
  }
}
