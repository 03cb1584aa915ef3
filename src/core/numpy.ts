import { dtypeOf, itemSize, type DType, type DTypeOf, type TypedArray } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { Kernel } from '../kernel/index.js';
import { checkChannelLimit, type ChannelId } from './ids.js';
import { BaseRecording, type Serializability } from './recording.js';
import { RawBlockSegment } from './raw-segment.js';

/** One segment's samples: a flat time-major typed array, or a `{data, shape}` as getTraces returns. */
export type TracesInput<A extends TypedArray = TypedArray> = A | { data: A; shape: readonly [number, number] | readonly number[] };

/** Options of {@link NumpyRecording}: SpikeInterface's `NumpyRecording(traces_list, sampling_frequency, t_starts, channel_ids)`. */
export interface NumpyRecordingOptions<A extends TypedArray = TypedArray> {
  /** One array per segment, time-major: sample t of channel c at `t * numChannels + c`. */
  tracesList: readonly TracesInput<A>[];
  samplingFrequency: number;
  /** Channels per frame; defaults to the shape given, or to `channelIds.length`. */
  numChannels?: number;
  /** Defaults to 0, 1, …, numChannels-1. */
  channelIds?: readonly ChannelId[];
  /** Start time in seconds of each segment (null = 0). */
  tStarts?: readonly (number | null)[] | null;
}

/**
 * A recording held in memory, one typed array per segment (SpikeInterface's NumpyRecording). Arrays
 * are used as given (not copied); like SpikeInterface's, it cannot be written to a dict or JSON.
 */
export class NumpyRecording<A extends TypedArray = TypedArray> extends BaseRecording<DTypeOf<A>> {
  static override readonly className: string = 'NumpyRecording';
  static override readonly classPath: string = 'spikeinterface.core.numpyextractors.NumpyRecording';
  // SpikeInterface cannot describe in-memory samples by a dict either.
  /** Its samples live in this process's memory: no dict describes it (nor the dumps made from one). */
  static override readonly serializability: Readonly<Serializability> = { memory: true, json: false, pickle: false, worker: false };

  /** `A`, the type of the arrays given, makes the recording's dtype known to TypeScript. */
  constructor(opts: NumpyRecordingOptions<A>) {
    check(opts && typeof opts === 'object', 'INVALID_ARGUMENT', () => `NumpyRecording expects an options object, got ${describe(opts)}`);
    const { tracesList, samplingFrequency, tStarts } = opts;
    check(Array.isArray(tracesList) && tracesList.length > 0, 'INVALID_ARGUMENT',
      () => `tracesList must be a non-empty array of typed arrays (one per segment), got ${describe(tracesList)}`);
    const arrays = tracesList.map((t, i) => {
      if (ArrayBuffer.isView(t)) return { data: t as TypedArray, columns: undefined as number | undefined };
      if (t && typeof t === 'object' && ArrayBuffer.isView((t as { data: unknown }).data)) {
        const shape = (t as { shape: readonly number[] }).shape;
        check(Array.isArray(shape) && shape.length === 2, 'INVALID_ARGUMENT', () => `tracesList[${i}].shape must be [numSamples, numChannels], got ${describe(shape)}`);
        return { data: (t as { data: TypedArray }).data, columns: shape[1] };
      }
      throw new SpikewireError('INVALID_ARGUMENT', `tracesList[${i}] is ${describe(t)}: expected a typed array or {data, shape}`);
    });
    const dtype = dtypeOf(arrays[0].data);
    const numChannels = opts.numChannels ?? arrays[0].columns ?? opts.channelIds?.length;
    check(numChannels !== undefined, 'INVALID_ARGUMENT', 'NumpyRecording needs numChannels (or channelIds) to cut flat arrays into frames');
    check(Number.isInteger(numChannels) && numChannels > 0, 'INVALID_ARGUMENT', () => `numChannels ${describe(numChannels)} must be a positive integer`);
    checkChannelLimit(numChannels);
    arrays.forEach(({ data, columns }, i) => {
      check(dtypeOf(data) === dtype, 'INVALID_ARGUMENT', () => `tracesList[${i}] is ${dtypeOf(data)} but tracesList[0] is ${dtype}: every segment needs the same dtype`);
      check(columns === undefined || columns === numChannels, 'INVALID_ARGUMENT', () => `tracesList[${i}] has ${columns} channels, expected ${numChannels}`);
      check(data.length % numChannels === 0, 'INVALID_ARGUMENT',
        () => `tracesList[${i}] has ${data.length} values, not a whole number of frames of ${numChannels} channels`);
    });
    const channelIds = opts.channelIds ?? Array.from({ length: numChannels }, (_, i) => i);
    check(channelIds.length === numChannels, 'INVALID_ARGUMENT', () => `channelIds has ${channelIds.length} ids for ${numChannels} channels`);
    if (tStarts !== undefined && tStarts !== null) {
      check(Array.isArray(tStarts) && tStarts.length === arrays.length, 'INVALID_ARGUMENT',
        () => `tStarts has ${describe(tStarts)}; expected one start time (or null) per segment (${arrays.length})`);
    }
    super(samplingFrequency, channelIds, dtype);
    arrays.forEach(({ data }, i) => {
      this.addRecordingSegment(new NumpyRecordingSegment(samplingFrequency, tStarts?.[i] ?? null, data, dtype, numChannels));
    });
    this._kwargs = { traces_list: arrays.map((a) => a.data), sampling_frequency: samplingFrequency, t_starts: tStarts ?? null, channel_ids: [...channelIds] };
  }
}

/** A segment whose samples are a typed array in JS memory: reads copy frame ranges into the kernel. */
export class NumpyRecordingSegment extends RawBlockSegment {
  private readonly bytes: Uint8Array;

  constructor(samplingFrequency: number, tStart: number | null, readonly traces: TypedArray, dtype: DType, numChannels: number) {
    super(samplingFrequency, tStart, null, dtype, numChannels, 0);
    this.bytes = new Uint8Array(traces.buffer, traces.byteOffset, traces.byteLength);
  }
  getNumSamples(): number {
    return this.traces.length / this.numChannels;
  }
  protected async readBlock(kernel: Kernel, start: number, end: number, address: number): Promise<void> {
    const frameBytes = this.numChannels * itemSize(this.dtype);
    kernel.bytes(address, (end - start) * frameBytes).set(this.bytes.subarray(start * frameBytes, end * frameBytes));
  }
}
