import type { DType } from '../dtype.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { alignUp } from '../kernel/memory.js';
import { mixChannelsAt, mixTermBytes, type ChannelMix } from '../kernel/mix.js';
import { BasePreprocessorSegment } from './base.js';

/** What a {@link ChannelMixSegment} reads for a request: parent channels, and the mix of them into the request's channels. */
export interface MixPlan {
  /** Parent channel indices read, in the order the mix's inputs number them. */
  readonly inputs: Int32Array;
  /** Output k of the mix is the request's k-th channel. */
  readonly mix: ChannelMix;
  /** Sums in float32 (numpy on float32 arrays) instead of float64. */
  readonly float32?: boolean;
}

/**
 * A segment whose channels are weighted sums of its parent's channels (interpolated bad channels,
 * averages across a direction, channel maps): reads the parent channels the plan names as float64
 * and lets the kernel's channel mixing write the request's channels; `finish` may then change the
 * mixed rows in place (a division, a rounding) before the base converts them to the dtype.
 */
export class ChannelMixSegment extends BasePreprocessorSegment {
  constructor(
    parentSegment: BaseRecordingSegment,
    dtype: DType,
    private readonly plan: (channelIndices: Int32Array) => MixPlan,
    private readonly finish?: (rows: Float64Array, numChannels: number, channelIndices: Int32Array) => void,
  ) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    const { inputs, mix, float32 } = this.plan(channelIndices);
    if (inputs.length === 0) {
      kernel.view('float64', out, frames * k).fill(0);
    } else {
      const chunk = await this.readParentChunk(request, 0, { channelIndices: inputs });
      let scratch = -1;
      try {
        scratch = await kernel.alloc(alignUp(mixTermBytes(mix)));
        mixChannelsAt(kernel, {
          src: chunk.address, numFrames: frames, srcChannels: inputs.length, dst: out, dstChannels: k, mix, scratch, float32,
        });
      } finally {
        if (scratch >= 0) kernel.free(scratch);
        kernel.free(chunk.address);
      }
    }
    this.finish?.(kernel.view('float64', out, frames * k) as Float64Array, k, channelIndices);
  }
}
