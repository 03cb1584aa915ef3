import type { DType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import { BaseRecordingSegment, type TraceRequest } from '../core/segment.js';
import { alignUp } from '../kernel/memory.js';
import { BasePreprocessor, checkPreprocessorArgs } from './base.js';
import { readChunkWithMargin } from './margins.js';

const FN = 'decimate';

/** Options of {@link decimate}. */
export interface DecimateOptions {
  /** First parent frame kept (default 0); smaller than `decimationFactor` and than every segment's length. */
  decimationOffset?: number;
}

/**
 * SpikeInterface's DecimateRecording: every `decimationFactor`-th frame of the parent from
 * `decimationOffset` on (`x[offset::factor]`, no anti-alias filter), at the parent's sampling
 * frequency divided by the factor. As in SpikeInterface a segment has ceil((n - offset) / factor)
 * frames but a read asks the parent for `factor` frames per output frame: when the factor does not
 * divide n - offset, reads reaching the segment's last frame fail (`OUT_OF_RANGE`).
 */
export class DecimateRecording extends BasePreprocessor {
  static override readonly className: string = 'DecimateRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.decimate.DecimateRecording';

  constructor(recording: BaseRecording, decimationFactor: number, opts: DecimateOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    check(Number.isInteger(decimationFactor) && decimationFactor > 0, 'INVALID_ARGUMENT',
      () => `${FN}: decimationFactor must be a strictly positive integer, got ${describe(decimationFactor)}`);
    const offset = opts.decimationOffset ?? 0;
    check(Number.isInteger(offset) && offset >= 0, 'INVALID_ARGUMENT', () => `${FN}: decimationOffset must be a non-negative integer, got ${describe(offset)}`);
    const shortest = Math.min(...recording.segments.map((s) => s.getNumSamples()));
    check(offset < decimationFactor && offset < shortest, 'INVALID_ARGUMENT',
      () => `${FN}: decimationOffset ${offset} must be smaller than decimationFactor (${decimationFactor}) and than every segment's number of samples (${shortest}); combine decimate with frameSlice for finer control`);
    const parentRate = recording.getSamplingFrequency();
    const rate = parentRate / decimationFactor;
    super(recording, { samplingFrequency: rate });
    for (const segment of recording.segments) {
      this.addRecordingSegment(new DecimateRecordingSegment(segment, rate, parentRate, decimationFactor, offset, recording.getDtype()));
    }
    this._kwargs = { recording, decimation_factor: decimationFactor, decimation_offset: offset };
  }
}

/** One decimated segment: a strided gather of the parent's frames by the kernel's convert. */
class DecimateRecordingSegment extends BaseRecordingSegment {
  constructor(
    readonly parentSegment: BaseRecordingSegment,
    rate: number,
    parentRate: number,
    private readonly factor: number,
    private readonly offset: number,
    private readonly dtype: DType,
  ) {
    const times = decimatedTimes(parentSegment, parentRate, factor, offset);
    super(rate, times.tStart, times.timeVector);
  }

  getNumSamples(): number {
    return Math.ceil((this.parentSegment.getNumSamples() - this.offset) / this.factor);
  }

  async readTraces(request: TraceRequest): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices, target, gains, offsets } = request;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    if (frames <= 0 || k === 0) return;
    const parentStart = this.offset + startFrame * this.factor;
    const parentEnd = parentStart + frames * this.factor;
    const length = this.parentSegment.getNumSamples();
    if (parentEnd > length) {
      throw new SpikewireError('OUT_OF_RANGE',
        `${FN}: frames [${startFrame}, ${endFrame}) need parent frames [${parentStart}, ${parentEnd}), past the parent segment's ${length} frames (decimationFactor ${this.factor} does not divide ${length} - decimationOffset ${this.offset})`);
    }
    const scratch = await kernel.alloc(alignUp(kernel.paramBytes(k)));
    try {
      const chunk = await readChunkWithMargin(kernel, this.parentSegment, {
        startFrame: parentStart, endFrame: parentEnd, margin: 0, channelIndices, dtype: this.dtype, signal: request.signal,
      });
      try {
        // rows of `factor` parent frames: the first frame of each is the decimated one
        kernel.convert({
          src: chunk.address, srcDtype: chunk.dtype, srcChannels: k * this.factor, numFrames: frames, channels: Array.from({ length: k }, (_, j) => j),
          dst: target.address, dstDtype: target.dtype, dstStride: target.stride, gains, offsets, scratch,
        });
      } finally {
        kernel.free(chunk.address);
      }
    } finally {
      kernel.free(scratch);
    }
  }

  override preferredReadBytes(): number {
    return this.parentSegment.preferredReadBytes();
  }

  override close(): Promise<void> {
    return this.parentSegment.close();
  }
}

/** A decimated segment's times: every factor-th time of a time vector, or t_start moved by the offset. */
function decimatedTimes(parentSegment: BaseRecordingSegment, parentRate: number, factor: number, offset: number) {
  const { timeVector, tStart } = parentSegment.getTimeInfo();
  if (timeVector !== null) {
    const times = new Float64Array(Math.ceil((timeVector.length - offset) / factor));
    for (let i = 0; i < times.length; i++) times[i] = timeVector[offset + i * factor];
    return { tStart: null, timeVector: times };
  }
  return { tStart: tStart === null ? null : tStart + offset / parentRate, timeVector: null };
}

/** SpikeInterface's `decimate`: a lazy {@link DecimateRecording} of `recording`. */
export function decimate(recording: BaseRecording, decimationFactor: number, opts: DecimateOptions = {}): DecimateRecording {
  return new DecimateRecording(recording, decimationFactor, opts);
}
