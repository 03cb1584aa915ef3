import type { DType } from '../dtype.js';
import { itemSize } from '../dtype.js';
import type { Kernel } from '../kernel/index.js';
import { BaseRecordingSegment, type TraceRequest } from './segment.js';

const ALIGN = 16;
const aligned = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/**
 * A segment whose samples are one block of interleaved values (time-major, or channel-major with
 * `timeAxis` 1): in memory, in a file, behind a URL. Subclasses only copy the bytes of a frame range
 * into linear memory; the kernel then gathers, converts and scales them into the request's target.
 */
export abstract class RawBlockSegment extends BaseRecordingSegment {
  constructor(
    samplingFrequency: number,
    tStart: number | null,
    timeVector: Float64Array | null,
    /** Sample type of the block. */
    readonly dtype: DType,
    /** Channels per frame in the block. */
    readonly numChannels: number,
    /** 0: frames are rows (time-major); 1: channels are rows (channel-major). */
    readonly timeAxis: 0 | 1 = 0,
  ) {
    super(samplingFrequency, tStart, timeVector);
  }

  /**
   * Copies frames [start, end) of every channel, in the block's own layout, to linear memory at
   * `address`: `(end - start) * numChannels * itemSize` bytes. With `timeAxis` 1 the copy is
   * channel-major: `numChannels` rows of `end - start` samples.
   */
  protected abstract readBlock(kernel: Kernel, start: number, end: number, address: number, signal?: AbortSignal): Promise<void>;

  async readTraces(request: TraceRequest): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices, target, gains, offsets, signal } = request;
    const frames = endFrame - startFrame;
    const nOut = channelIndices.length;
    if (frames <= 0 || nOut === 0) return;
    // The whole frame range, unscaled, in the block's type and order: read straight into the target.
    if (!gains && target.dtype === this.dtype && this.timeAxis === 0 && target.stride === this.numChannels && isIdentity(channelIndices, this.numChannels)) {
      await this.readBlock(kernel, startFrame, endFrame, target.address, signal);
      return;
    }
    const blockBytes = aligned(frames * this.numChannels * itemSize(this.dtype));
    const block = await kernel.alloc(blockBytes + kernel.paramBytes(nOut));
    try {
      await this.readBlock(kernel, startFrame, endFrame, block, signal);
      kernel.convert({
        src: block,
        srcDtype: this.dtype,
        srcChannels: this.numChannels,
        numFrames: frames,
        timeAxis: this.timeAxis,
        channels: channelIndices,
        dst: target.address,
        dstDtype: target.dtype,
        dstStride: target.stride,
        gains,
        offsets,
        scratch: block + blockBytes,
      });
    } finally {
      kernel.free(block);
    }
  }
}

/** True when `indices` is 0, 1, …, n-1. */
export function isIdentity(indices: ArrayLike<number>, n: number): boolean {
  if (indices.length !== n) return false;
  for (let i = 0; i < n; i++) if (indices[i] !== i) return false;
  return true;
}
