import type { DType } from '../dtype.js';
import { check } from '../errors.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../core/index.js';
import { channelMix } from '../kernel/mix.js';
import { checkPreprocessorArgs, fixDtype } from './base.js';
import { ChannelMixSegment } from './channel-mix.js';
import { axisIndex, type Axis } from './depth-order.js';

const FN = 'averageAcrossDirection';

/** Options of {@link averageAcrossDirection}: SpikeInterface's keyword arguments, camelCased. */
export interface AverageAcrossDirectionOptions {
  /** Channels at the same position along this axis are averaged (default 'y'). */
  direction?: Axis;
  /** Output sample type (default 'float32'; null: the parent's). */
  dtype?: DType | string | null;
}

/**
 * SpikeInterface's AverageAcrossDirectionRecording: one channel per distinct position along
 * `direction` (sorted), the mean of the parent's channels there, with the ids of those channels
 * joined by '-' and a dummy probe at the positions (other axes averaged). Sums run in channel order
 * in the output dtype, then are divided by the count, as numpy's `add.at` and `/=` do.
 */
export class AverageAcrossDirectionRecording extends BaseRecording {
  static override readonly className: string = 'AverageAcrossDirectionRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.average_across_direction.AverageAcrossDirectionRecording';
  /** Rebuilt from its dict like every preprocessor (it is not a BasePreprocessor in SpikeInterface either). */
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;

  /** The recording averaged. */
  readonly parent: BaseRecording;

  constructor(recording: BaseRecording, opts: AverageAcrossDirectionOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    check(recording.hasProbe(), 'INVALID_ARGUMENT', () => `${FN}: the recording has no probe: channel locations are needed`);
    const direction = opts.direction ?? 'y';
    const locations = recording.getChannelLocations();
    const dim = axisIndex(FN, 'direction', direction, 2);
    const n = recording.getNumChannels();
    const positions = [...new Set(Array.from({ length: n }, (_, c) => locations[2 * c + dim]))].sort((a, b) => a - b);
    const groupOf = Int32Array.from({ length: n }, (_, c) => positions.indexOf(locations[2 * c + dim]));
    const members = positions.map((_, g) => Array.from({ length: n }, (_, c) => c).filter((c) => groupOf[c] === g));
    const parentIds = recording.getChannelIds();
    const ids = members.map((m) => m.map((c) => String(parentIds[c])).join('-'));
    const given = opts.dtype === undefined ? 'float32' : opts.dtype;
    const dtype = fixDtype(FN, recording, given);
    super(recording.getSamplingFrequency(), ids, dtype);
    this.parent = recording;
    const float32 = dtype === 'float32';
    const plan = (channelIndices: Int32Array) => {
      const inputs: number[] = [];
      const terms: [number, number, number][] = [];
      channelIndices.forEach((g, out) => {
        for (const c of members[g]) {
          terms.push([out, inputs.length, 1]);
          inputs.push(c);
        }
      });
      return { inputs: Int32Array.from(inputs), mix: channelMix(terms), float32 };
    };
    // numpy divides the float32 sums by int64 counts in float64 and stores float32
    const finish = (rows: Float64Array, k: number, channelIndices: Int32Array) => {
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i] / members[channelIndices[i % k]].length;
        rows[i] = float32 ? Math.fround(v) : v;
      }
    };
    for (const segment of recording.segments) this.addRecordingSegment(new ChannelMixSegment(segment, dtype, plan, finish));
    // the dummy probe: the sorted positions along the axis, the mean of the other axis (float32)
    const other = 1 - dim;
    this.setChannelLocations(positions.map((p, g) => {
      const row = [0, 0];
      row[dim] = Math.fround(p);
      row[other] = Math.fround(members[g].reduce((s, c) => s + locations[2 * c + other], 0) / members[g].length);
      return row;
    }));
    this._kwargs = { parent_recording: recording, direction, dtype: given === null ? null : given };
  }
}

/** SpikeInterface's `average_across_direction`: a lazy {@link AverageAcrossDirectionRecording} of `recording` (which needs a probe). */
export function averageAcrossDirection(recording: BaseRecording, opts: AverageAcrossDirectionOptions = {}): AverageAcrossDirectionRecording {
  return new AverageAcrossDirectionRecording(recording, opts);
}

