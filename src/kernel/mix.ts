// The kernel's channel mixing (assembly/mix.ts): output channels of a float64 chunk as weighted sums
// of input channels, the arithmetic of the spatial preprocessors (interpolation of bad channels,
// averages across a direction, channel maps with zero padding).
import { SpikewireError, describe } from '../errors.js';
import { checkCount, checkRegion, exportOf } from './dsp.js';
import type { Kernel } from './kernel.js';

/**
 * A sparse channel matrix: term k adds `weights[k]` × input channel `inputs[k]` to output channel
 * `outputs[k]`, in this order. Outputs without a term are zero.
 */
export interface ChannelMix {
  readonly outputs: Int32Array;
  readonly inputs: Int32Array;
  readonly weights: Float64Array;
}

/** Builds a {@link ChannelMix} from `[output, input, weight]` triples (in the order they are summed). */
export function channelMix(terms: readonly (readonly [number, number, number])[]): ChannelMix {
  return {
    outputs: Int32Array.from(terms, (t) => t[0]),
    inputs: Int32Array.from(terms, (t) => t[1]),
    weights: Float64Array.from(terms, (t) => t[2]),
  };
}

/** Bytes of linear memory the terms of `mix` take (see {@link mixChannelsAt}). */
export function mixTermBytes(mix: ChannelMix): number {
  return Math.max(mix.weights.length, 1) * 16;
}

/** Arguments of {@link mixChannelsAt}. */
export interface MixChannelsAtParams {
  /** Input rows, `numFrames × srcChannels` float64. */
  src: number;
  numFrames: number;
  srcChannels: number;
  /** Output rows, `numFrames × dstChannels` float64 (overwritten; not overlapping `src`). */
  dst: number;
  dstChannels: number;
  mix: ChannelMix;
  /** Address of {@link mixTermBytes} bytes for the terms (8-byte aligned). */
  scratch: number;
  /** Round every product and partial sum to float32 (numpy's arithmetic on float32 arrays). */
  float32?: boolean;
}

/** Applies a {@link ChannelMix} to a chunk in linear memory. Synchronous; never grows memory. */
export function mixChannelsAt(kernel: Kernel, p: MixChannelsAtParams): void {
  checkCount('mixChannels: numFrames', p.numFrames);
  checkCount('mixChannels: srcChannels', p.srcChannels);
  checkCount('mixChannels: dstChannels', p.dstChannels);
  const { outputs, inputs, weights } = p.mix;
  const n = weights.length;
  if (outputs.length !== n || inputs.length !== n) {
    throw new SpikewireError('INVALID_ARGUMENT', `mixChannels: ${outputs.length} outputs, ${inputs.length} inputs and ${n} weights do not make whole terms`);
  }
  for (let k = 0; k < n; k++) {
    if (!(outputs[k] >= 0 && outputs[k] < p.dstChannels && inputs[k] >= 0 && inputs[k] < p.srcChannels)) {
      throw new SpikewireError('INVALID_ARGUMENT',
        `mixChannels: term ${k} maps input channel ${describe(inputs[k])} to output channel ${describe(outputs[k])}, outside ${p.srcChannels} inputs and ${p.dstChannels} outputs`);
    }
  }
  checkRegion(kernel, 'mixChannels: src', p.src, p.numFrames * p.srcChannels * 8);
  checkRegion(kernel, 'mixChannels: dst', p.dst, p.numFrames * p.dstChannels * 8);
  checkRegion(kernel, 'mixChannels: scratch', p.scratch, mixTermBytes(p.mix));
  const fn = exportOf(kernel, 'mixChannels');
  const view = new DataView(kernel.memory.buffer, p.scratch, n * 16);
  for (let k = 0; k < n; k++) {
    view.setInt32(k * 16, outputs[k], true);
    view.setInt32(k * 16 + 4, inputs[k], true);
    view.setFloat64(k * 16 + 8, weights[k], true);
  }
  fn(p.src, p.numFrames, p.srcChannels, p.dst, p.dstChannels, p.scratch, n, p.float32 ? 1 : 0);
}
