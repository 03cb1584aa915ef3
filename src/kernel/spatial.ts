// The kernel's entry points for SpikeInterface's highpass_spatial_filter (assembly/spatial.ts):
// automatic gain control, the padded and transposed rows of the spatial pass, and the gather back.
// Addresses are of float64 regions in linear memory (i32 for channel indices); every region is
// checked to lie inside memory before the call.
import { SpikewireError, describe } from '../errors.js';
import type { Kernel } from './kernel.js';

/** The exports of a kernel built with assembly/spatial.ts. */
interface SpatialExports {
  agcGains?(data: number, numFrames: number, numChannels: number, half: number, gains: number, work: number): void;
  agcApply?(data: number, numFrames: number, numChannels: number, gains: number, eps: number, work: number): void;
  spatialPad?(data: number, numFrames: number, numChannels: number, pad: number, edge: number, taper: number, dst: number, flags: number): void;
  spatialGather?(
    src: number, numFrames: number, numChannels: number, firstRow: number, gains: number, chan: number, numOut: number, leftMargin: number, rows: number, out: number, round: number,
  ): void;
}

function exported<K extends keyof SpatialExports>(kernel: Kernel, name: K): NonNullable<SpatialExports[K]> {
  const fn = (kernel.wasm as unknown as SpatialExports)[name];
  if (typeof fn !== 'function') throw new SpikewireError('UNSUPPORTED', `${name}: this kernel build has no spatial filter kernels`);
  return fn.bind(kernel.wasm) as NonNullable<SpatialExports[K]>;
}

function count(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
    throw new SpikewireError('INVALID_ARGUMENT', `${what} must be an integer from 0 to 2**31-1, got ${describe(v)}`);
  }
  return v;
}

/** Float64 regions: each [address, values] must be an aligned view inside memory (the view checks it). */
function regions(kernel: Kernel, ...list: [number, number][]): void {
  for (const [address, values] of list) kernel.view('float64', address, values);
}

/** Work bytes {@link agcAt} needs for chunks of `numFrames` frames of `numChannels` channels. */
export function agcWorkBytes(numFrames: number, numChannels: number): number {
  return (2 * count('agc: numFrames', numFrames) + 3 * count('agc: numChannels', numChannels)) * 8;
}

/**
 * Automatic gain control of a time-major float64 chunk in place: the Hann-weighted mean of |x| over
 * 2·half + 1 samples into `gains`, then each live channel divided by max(eps, gain) as float32.
 */
export function agcAt(kernel: Kernel, p: { data: number; numFrames: number; numChannels: number; half: number; gains: number; eps: number; work: number }): void {
  const values = count('agc: numFrames', p.numFrames) * count('agc: numChannels', p.numChannels);
  count('agc: half', p.half);
  regions(kernel, [p.data, values], [p.gains, values], [p.eps, p.numChannels], [p.work, agcWorkBytes(p.numFrames, p.numChannels) / 8]);
  exported(kernel, 'agcGains')(p.data, p.numFrames, p.numChannels, p.half, p.gains, p.work);
  exported(kernel, 'agcApply')(p.data, p.numFrames, p.numChannels, p.gains, p.eps, p.work);
}

/**
 * The rows of the spatial pass at `dst`: the chunk's channels mirrored `pad` deep at both ends,
 * times `taper` (an address of numChannels + 2·pad float64, or null), transposed (frames side by
 * side), with `edge` rows of odd extension on each side (in float32 arithmetic with `float32`).
 */
export function spatialPadAt(
  kernel: Kernel, p: { data: number; numFrames: number; numChannels: number; pad: number; edge: number; taper: number | null; dst: number; float32: boolean },
): void {
  const nf = count('spatialPad: numFrames', p.numFrames);
  const nc = count('spatialPad: numChannels', p.numChannels);
  const rows = nc + 2 * count('spatialPad: pad', p.pad) + 2 * count('spatialPad: edge', p.edge);
  if (p.pad > nc) throw new SpikewireError('INVALID_ARGUMENT', `spatialPad: pad ${p.pad} must be at most numChannels (${nc})`);
  regions(kernel, [p.data, nf * nc], [p.dst, rows * nf]);
  if (p.taper !== null) regions(kernel, [p.taper, nc + 2 * p.pad]);
  exported(kernel, 'spatialPad')(p.data, nf, nc, p.pad, p.edge, p.taper ?? 0, p.dst, p.float32 ? 1 : 0);
}

/**
 * out[t][j] = src[firstRow + chan[j]][leftMargin + t] (times gains[leftMargin + t][chan[j]] when
 * `gains` is not null), rounded half to even with `round`, for `rows` frames.
 */
export function spatialGatherAt(
  kernel: Kernel,
  p: { src: number; numFrames: number; numChannels: number; firstRow: number; gains: number | null; chan: number; numOut: number; leftMargin: number; rows: number; out: number; round: boolean },
): void {
  const nf = count('spatialGather: numFrames', p.numFrames);
  const nc = count('spatialGather: numChannels', p.numChannels);
  const k = count('spatialGather: numOut', p.numOut);
  if (count('spatialGather: leftMargin', p.leftMargin) + count('spatialGather: rows', p.rows) > nf) {
    throw new SpikewireError('INVALID_ARGUMENT', `spatialGather: leftMargin ${p.leftMargin} + rows ${p.rows} exceed numFrames ${nf}`);
  }
  const channels = kernel.view('int32', p.chan, k);
  for (const c of channels) if (c < 0 || c >= nc) throw new SpikewireError('INVALID_ARGUMENT', `spatialGather: channel index ${c} is not in [0, ${nc})`);
  regions(kernel, [p.src, (count('spatialGather: firstRow', p.firstRow) + nc) * nf], [p.out, p.rows * k]);
  if (p.gains !== null) regions(kernel, [p.gains, nf * nc]);
  exported(kernel, 'spatialGather')(p.src, nf, nc, p.firstRow, p.gains ?? 0, p.chan, k, p.leftMargin, p.rows, p.out, p.round ? 1 : 0);
}
