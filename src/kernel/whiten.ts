// The kernel's whitening entry point (assembly/whiten.ts): `(x - M) @ W` for every frame of an
// interleaved float64 chunk in linear memory, W gathered to the output channels.
import { SpikewireError, describe } from '../errors.js';
import type { Kernel } from './kernel.js';
import { alignUp } from './memory.js';

/** The export of a kernel built with assembly/whiten.ts. */
interface WhitenExports {
  whiten?(src: number, numFrames: number, numChannels: number, mean: number, w: number, numOut: number, dst: number, scale: number, flags: number, scratch: number): void;
}

/** Arguments of {@link whitenAt}: addresses of float64 regions in linear memory. */
export interface WhitenAtParams {
  /** `numFrames` rows of `numChannels` samples. */
  src: number;
  numFrames: number;
  numChannels: number;
  /** `numChannels` means subtracted first, or null. */
  mean: number | null;
  /** The whitening matrix gathered to the outputs: `numChannels × numOut`, row-major. */
  w: number;
  numOut: number;
  /** `numFrames` rows of `numOut` results (a region apart from src). */
  dst: number;
  /** Multiplies the results (SpikeInterface's int_scale; default 1). */
  scale?: number;
  /** numpy's float32 arithmetic: centred samples, results and their scaling rounded to float32. */
  float32?: boolean;
  /** np.round of the results (integer outputs). */
  round?: boolean;
  /** {@link whitenScratchBytes} bytes the call overwrites. */
  scratch: number;
}

/** Scratch bytes {@link whitenAt} needs for rows of `numChannels` samples. */
export function whitenScratchBytes(numChannels: number): number {
  return alignUp(32 * Math.max(numChannels, 1));
}

function checkCount(what: string, v: unknown, min: number): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 0x7fffffff) {
    throw new SpikewireError('INVALID_ARGUMENT', `whiten: ${what} must be an integer from ${min} to 2**31-1, got ${describe(v)}`);
  }
}

/**
 * One whitening pass of the kernel (synchronous, never grows memory). Every region is checked to
 * lie inside linear memory (`INVALID_ARGUMENT`); a kernel without the whitening export: `UNSUPPORTED`.
 */
export function whitenAt(kernel: Kernel, p: WhitenAtParams): void {
  const fn = (kernel.wasm as unknown as WhitenExports).whiten;
  if (typeof fn !== 'function') throw new SpikewireError('UNSUPPORTED', 'whiten: this kernel build has no whitening kernel');
  checkCount('numFrames', p.numFrames, 0);
  checkCount('numChannels', p.numChannels, 1);
  checkCount('numOut', p.numOut, 1);
  // views check alignment and bounds
  kernel.view('float64', p.src, p.numFrames * p.numChannels);
  kernel.view('float64', p.dst, p.numFrames * p.numOut);
  kernel.view('float64', p.w, p.numChannels * p.numOut);
  kernel.view('float64', p.scratch, whitenScratchBytes(p.numChannels) / 8);
  if (p.mean !== null) kernel.view('float64', p.mean, p.numChannels);
  const scale = p.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new SpikewireError('INVALID_ARGUMENT', `whiten: scale must be a finite number, got ${describe(scale)}`);
  const flags = (p.mean !== null ? 1 : 0) | (p.float32 ? 2 : 0) | (p.round ? 4 : 0);
  fn.call(kernel.wasm, p.src, p.numFrames, p.numChannels, p.mean ?? 0, p.w, p.numOut, p.dst, scale, flags, p.scratch);
}
