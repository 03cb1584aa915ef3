// The kernel's frame-by-frame reference entry points (assembly/reference.ts): references that
// differ per output column ('local') computed one row at a time while the row is in cache.
import { alignUp } from './memory.js';
import { checkCount, checkRegion, exportOf } from './dsp.js';
import type { Kernel } from './kernel.js';
import type { KernelExports } from './wasm.js';
import { SpikewireError, describe } from '../errors.js';

/** The exports these facades call (absent from modules built before them). */
interface ReferenceExports {
  localShift(
    src: number, numFrames: number, stride: number, cols: number, nCols: number, start: number, nbr: number, op: number,
    dst: number, dstStride: number, flags: number, scratch: number,
  ): void;
}

/** One of {@link ReferenceExports}, or `UNSUPPORTED`. */
function referenceExport<K extends keyof ReferenceExports>(kernel: Kernel, name: K): ReferenceExports[K] {
  return exportOf(kernel, name as unknown as keyof KernelExports) as unknown as ReferenceExports[K];
}

/** Arguments of {@link localShiftAt}. */
export interface LocalShiftParams {
  /** Address of the float64 block, `numFrames` rows of `stride` values. */
  src: number;
  numFrames: number;
  stride: number;
  /** The block's column of each output column. */
  columns: ArrayLike<number>;
  /** The reference columns of each output column (same length as `columns`, none empty). */
  neighbours: readonly ArrayLike<number>[];
  /** np.median of the neighbours, or their sum times 1 / count by fused multiply-adds (numpy's dot with an averaging kernel). */
  op: 'median' | 'weighted';
  /** Address of output row 0 (float64). */
  dst: number;
  /** Values from one output row to the next; default the number of columns. */
  dstStride?: number;
  /** Median and difference in float32 (numpy on a float32 parent). */
  float32?: boolean;
  /** The difference is stored as float32 before rounding. */
  storeFloat32?: boolean;
  /** np.round (half to even) of the result. */
  round?: boolean;
}

/** Bytes of scratch {@link localShiftAt} needs for these columns and neighbour lists. */
export function localShiftScratchBytes(columns: number, neighbours: readonly ArrayLike<number>[]): number {
  let total = 0;
  let longest = 0;
  for (const list of neighbours) {
    total += list.length;
    longest = Math.max(longest, list.length);
  }
  return alignUp(4 * columns) + alignUp(4 * (columns + 1)) + alignUp(4 * total) + alignUp(8 * longest);
}

/**
 * Per-column ('local') references subtracted, one row at a time: `dst[t, j] = src[t, columns[j]] -
 * ref(src[t, neighbours[j]])` with numpy's arithmetic. `scratch`: {@link localShiftScratchBytes}
 * bytes, 16-byte aligned. Synchronous; never grows memory. Bad arguments: `INVALID_ARGUMENT`.
 */
export function localShiftAt(kernel: Kernel, p: LocalShiftParams, scratch: number): void {
  const nCols = p.columns.length;
  checkCount('localShift: numFrames', p.numFrames);
  checkCount('localShift: stride', p.stride, 1);
  const dstStride = p.dstStride ?? nCols;
  checkCount('localShift: dstStride', dstStride, nCols);
  if (p.neighbours.length !== nCols) {
    throw new SpikewireError('INVALID_ARGUMENT', `localShift: expected ${nCols} neighbour lists (one per column), got ${describe(p.neighbours.length)}`);
  }
  if (p.op !== 'median' && p.op !== 'weighted') throw new SpikewireError('INVALID_ARGUMENT', `localShift: op must be 'median' or 'weighted', got ${describe(p.op)}`);
  if (p.numFrames === 0 || nCols === 0) return;
  checkRegion(kernel, 'localShift: src', p.src, p.numFrames * p.stride * 8);
  checkRegion(kernel, 'localShift: dst', p.dst, ((p.numFrames - 1) * dstStride + nCols) * 8);
  const bytes = localShiftScratchBytes(nCols, p.neighbours);
  checkRegion(kernel, 'localShift: scratch', scratch, bytes);
  const cols = scratch;
  const start = cols + alignUp(4 * nCols);
  const nbr = start + alignUp(4 * (nCols + 1));
  const buffer = kernel.memory.buffer;
  const colView = new Int32Array(buffer, cols, nCols);
  const startView = new Int32Array(buffer, start, nCols + 1);
  let total = 0;
  for (const list of p.neighbours) total += list.length;
  const nbrView = new Int32Array(buffer, nbr, total);
  const column = (what: string, c: unknown): number => {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= p.stride) {
      throw new SpikewireError('INVALID_ARGUMENT', `localShift: ${what} ${describe(c)} is out of range: expected an integer from 0 to ${p.stride - 1}`);
    }
    return c;
  };
  let at = 0;
  for (let j = 0; j < nCols; j++) {
    colView[j] = column('column', p.columns[j]);
    startView[j] = at;
    const list = p.neighbours[j];
    if (list.length === 0) throw new SpikewireError('INVALID_ARGUMENT', `localShift: column ${j} has no neighbours`);
    for (let i = 0; i < list.length; i++) nbrView[at++] = column('neighbour', list[i]);
  }
  startView[nCols] = at;
  const flags = (p.float32 ? 1 : 0) | (p.round ? 2 : 0) | (p.storeFloat32 ? 4 : 0);
  referenceExport(kernel, 'localShift')(
    p.src, p.numFrames, p.stride, cols, nCols, start, nbr, p.op === 'median' ? 0 : 2, p.dst, dstStride, flags, nbr + alignUp(4 * total),
  );
}

