import { check, describe } from '../../errors.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../recording.js';

/** Checks that recordings share sampling frequency, channel ids and dtype, as joining them in time needs. */
export function checkSameChannels(recordings: readonly BaseRecording[], what: string): void {
  check(Array.isArray(recordings) && recordings.length > 0, 'INVALID_ARGUMENT', () => `${what} needs a non-empty array of recordings, got ${describe(recordings)}`);
  recordings.forEach((r, i) => check(r instanceof BaseRecording, 'INVALID_ARGUMENT', () => `${what}: item ${i} is not a recording (${describe(r)})`));
  const [first] = recordings;
  const ids = JSON.stringify(first.getChannelIds());
  recordings.forEach((r, i) => {
    check(r.getSamplingFrequency() === first.getSamplingFrequency(), 'INVALID_ARGUMENT',
      () => `${what}: recording ${i} samples at ${r.getSamplingFrequency()} Hz, recording 0 at ${first.getSamplingFrequency()} Hz`);
    check(r.getDtype() === first.getDtype(), 'INVALID_ARGUMENT', () => `${what}: recording ${i} is ${r.getDtype()}, recording 0 is ${first.getDtype()}`);
    check(JSON.stringify(r.getChannelIds()) === ids, 'INVALID_ARGUMENT',
      () => `${what}: recording ${i} has channel ids ${describe(r.getChannelIds())}, recording 0 has ${describe(first.getChannelIds())}`);
  });
}

/**
 * Recordings one after the other as segments of one recording (SpikeInterface's
 * AppendSegmentRecording): the segments of each, in order. Metadata comes from the first.
 */
export class AppendSegmentRecording extends BaseRecording {
  static override readonly className: string = 'AppendSegmentRecording';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;
  static override readonly classPath: string = 'spikeinterface.core.segmentutils.AppendSegmentRecording';
  readonly recordings: readonly BaseRecording[];

  constructor(recordings: readonly BaseRecording[]) {
    checkSameChannels(recordings, 'appendRecordings');
    const [first] = recordings;
    super(first.getSamplingFrequency(), first.getChannelIds(), first.getDtype());
    this.recordings = [...recordings];
    for (const r of recordings) for (const s of r.segments) this.addRecordingSegment(s);
    first.copyMetadataTo(this); // with a copy of the first recording's probegroup
    this._kwargs = { recording_list: this.recordings, sampling_frequency_max_diff: 0 };
  }
}

/** Joins recordings as the segments of one recording (SpikeInterface's `append_recordings`). */
export function appendRecordings(recordings: readonly BaseRecording[]): AppendSegmentRecording {
  return new AppendSegmentRecording(recordings);
}
