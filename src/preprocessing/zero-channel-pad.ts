import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording, type GetTracesOptions, type Traces } from '../core/index.js';
import { channelMix } from '../kernel/mix.js';
import { checkPreprocessorArgs } from './base.js';
import { ChannelMixSegment } from './channel-mix.js';

const FN = 'zeroChannelPad';

/** Options of {@link zeroChannelPad}. */
export interface ZeroChannelPadOptions {
  /**
   * SpikeInterface's `channel_mapping`: refused (`UNSUPPORTED`), since SpikeInterface's class fails
   * with any explicit mapping (it never stores it), so such a recording could not exist there.
   */
  channelMapping?: readonly number[] | null;
}

/**
 * SpikeInterface's ZeroChannelPaddedRecording: the parent's channels followed by channels of zeros,
 * `numChannels` in all, with ids 0..numChannels-1. Reproduces SpikeInterface's behaviour as it is:
 * the recording declares the parent's dtype but `getTraces` returns float64 samples (µV reads follow
 * the declared dtype's rules: an integer parent has no gains here, so they are `NOT_SCALEABLE`); its
 * mapping sorts the parent's channels by depth, yet each kept channel lands at its own position
 * (SpikeInterface writes the parent's channels `mapping` into the columns `mapping`); only the
 * 'name' annotation is kept (no properties, no probe), and a parent without one is refused as
 * SpikeInterface refuses it (`KeyError: 'name'`). SpikeInterface cannot reload its dict.
 */
export class ZeroChannelPaddedRecording extends BaseRecording {
  static override readonly className: string = 'ZeroChannelPaddedRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.zero_channel_pad.ZeroChannelPaddedRecording';

  /** The recording this one pads. */
  readonly parent: BaseRecording;
  /** SpikeInterface's `channel_mapping`: the parent's channels sorted by y (identity without a probe). */
  readonly channelMapping: Int32Array;

  constructor(recording: BaseRecording, numChannels: number, opts: ZeroChannelPadOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    const parentChannels = recording.getNumChannels();
    check(Number.isInteger(numChannels) && numChannels >= parentChannels && numChannels <= 0x7fffffff, 'INVALID_ARGUMENT',
      () => `${FN}: numChannels must be an integer of at least the recording's ${parentChannels} channels, got ${describe(numChannels)}`);
    if (opts.channelMapping !== undefined && opts.channelMapping !== null) {
      throw new SpikewireError('UNSUPPORTED',
        `${FN}: channelMapping ${describe(opts.channelMapping)} is not supported: SpikeInterface's ZeroChannelPaddedRecording fails with any explicit mapping (it never stores it)`);
    }
    const name = recording.getAnnotation('name');
    check(name !== undefined, 'INVALID_ARGUMENT',
      () => `${FN}: the recording has no 'name' annotation, which SpikeInterface's zero_channel_pad copies (it fails with KeyError: 'name'); annotate({ name }) first`);
    super(recording.getSamplingFrequency(), Array.from({ length: numChannels }, (_, i) => i), recording.getDtype());
    this.parent = recording;
    this.channelMapping = recording.hasProbe() ? depthSort(recording) : Int32Array.from({ length: parentChannels }, (_, i) => i);
    // SpikeInterface writes parent channels `mapping` into columns `mapping`: channel i < parentChannels is the parent's i
    const plan = (channelIndices: Int32Array) => {
      const kept = Array.from(channelIndices).flatMap((c, out) => (c < parentChannels ? [[out, c]] : []));
      return {
        inputs: Int32Array.from(kept, ([, c]) => c),
        mix: channelMix(kept.map(([out], j) => [out, j, 1] as const)),
      };
    };
    for (const segment of recording.segments) this.addRecordingSegment(new ChannelMixSegment(segment, 'float64', plan));
    this._annotations = { name };
    this._kwargs = { parent_recording: recording, num_channels: numChannels, channel_mapping: null };
  }

  /**
   * Float64 samples, as SpikeInterface's get_traces returns them whatever the declared dtype (reads
   * into a caller's `out`, and `chunks()`, keep the declared dtype: their buffers are typed by it).
   */
  // (typed as the base's overloads: the samples' dtype differs from the declared one on purpose)
  override async getTraces(opts: GetTracesOptions = {}): Promise<Traces<never>> {
    const traces = await super.getTraces(opts);
    if (traces.dtype === 'float64' || opts.returnInUV === true || opts.out !== undefined) return traces as Traces<never>;
    return { data: Float64Array.from(traces.data as ArrayLike<number>), shape: traces.shape, dtype: 'float64' } as unknown as Traces<never>;
  }
}

/** numpy's argsort of the channels' y (ties by index here; numpy's SIMD quicksort may order them otherwise, which moves no samples). */
function depthSort(recording: BaseRecording): Int32Array {
  const xy = recording.getChannelLocations();
  return Int32Array.from({ length: xy.length / 2 }, (_, i) => i).sort((a, b) => xy[2 * a + 1] - xy[2 * b + 1] || a - b);
}

/** SpikeInterface's `zero_channel_pad`: a lazy {@link ZeroChannelPaddedRecording} of `numChannels` channels. */
export function zeroChannelPad(recording: BaseRecording, numChannels: number, opts: ZeroChannelPadOptions = {}): ZeroChannelPaddedRecording {
  return new ZeroChannelPaddedRecording(recording, numChannels, opts);
}

