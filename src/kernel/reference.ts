// The kernel's frame-by-frame reference entry points (assembly/reference.ts): references that
// differ per output column ('local') computed one row at a time while the row is in cache.
import { alignUp } from './memory.js';
import { checkCount, checkRegion, exportAs } from './dsp.js';
import type { Kernel } from './kernel.js';
import { SpikewireError, describe } from '../errors.js';

/** The exports these facades call (absent from modules built before them). */
interface ReferenceExports {
  localShift(
    src: number, numFrames: number, stride: number, cols: number, nCols: number, start: number, nbr: number, op: number,
    dst: number, dstStride: number, flags: number, scratch: number,
  ): void;
  int16MedianScratchBytes(): number;
  int16MedianShift(
    src: number, numFrames: number, stride: number, refs: number, nRef: number, cols: number, nCols: number,
    dst: number, dstStride: number, round: number, hist: number,
  ): void;
}

/** One of {@link ReferenceExports}, or `UNSUPPORTED`. */
function referenceExport<K extends keyof ReferenceExports>(kernel: Kernel, name: K): ReferenceExports[K] {
  return exportAs<ReferenceExports[K]>(kernel, name);
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
  writeIndices(kernel, 'localShift: column', p.columns, p.stride, cols);
  const startView = new Int32Array(buffer, start, nCols + 1);
  let total = 0;
  for (const list of p.neighbours) total += list.length;
  let at = 0;
  for (let j = 0; j < nCols; j++) {
    startView[j] = at;
    const list = p.neighbours[j];
    if (list.length === 0) throw new SpikewireError('INVALID_ARGUMENT', `localShift: column ${j} has no neighbours`);
    writeIndices(kernel, `localShift: neighbour of column ${j}`, list, p.stride, nbr + at * 4);
    at += list.length;
  }
  startView[nCols] = at;
  const flags = (p.float32 ? 1 : 0) | (p.round ? 2 : 0) | (p.storeFloat32 ? 4 : 0);
  referenceExport(kernel, 'localShift')(
    p.src, p.numFrames, p.stride, cols, nCols, start, nbr, p.op === 'median' ? 0 : 2, p.dst, dstStride, flags, nbr + alignUp(4 * total),
  );
}


/** Arguments of {@link int16MedianShiftAt}. */
export interface Int16MedianShiftParams {
  /** Address of the int16 block, `numFrames` rows of `stride` values. */
  src: number;
  numFrames: number;
  stride: number;
  /** Columns the median is taken over (at least one). */
  refs: ArrayLike<number>;
  /** The block's column of each output column. */
  columns: ArrayLike<number>;
  /** Address of output row 0 (float64), `columns.length` values per row. */
  dst: number;
  /** np.round (half to even) of the result. */
  round?: boolean;
}

/** Bytes of scratch {@link int16MedianShiftAt} needs for these columns. */
export function int16MedianScratchBytes(kernel: Kernel, refs: number, columns: number): number {
  return alignUp(referenceExport(kernel, 'int16MedianScratchBytes')()) + alignUp(4 * refs) + alignUp(4 * columns);
}

/**
 * The global median reference of an int16 block, subtracted: `dst[t, j] = src[t, columns[j]] -
 * np.median(src[t, refs])` in float64, rounded half to even on request; the median by counting
 * (see assembly/median-int16.ts). `scratch`: {@link int16MedianScratchBytes} bytes, 16-byte aligned.
 * Synchronous; never grows memory. Bad arguments: `INVALID_ARGUMENT`.
 */
export function int16MedianShiftAt(kernel: Kernel, p: Int16MedianShiftParams, scratch: number): void {
  const nRef = p.refs.length;
  const nCols = p.columns.length;
  checkCount('int16MedianShift: numFrames', p.numFrames);
  checkCount('int16MedianShift: stride', p.stride, 1);
  checkCount('int16MedianShift: number of refs', nRef, 1);
  if (p.numFrames === 0 || nCols === 0) return;
  if (p.src % 2 !== 0) throw new SpikewireError('INVALID_ARGUMENT', `int16MedianShift: src address ${p.src} is not 2-byte aligned`);
  const size = kernel.memory.buffer.byteLength;
  if (p.src + p.numFrames * p.stride * 2 > size) throw new SpikewireError('INVALID_ARGUMENT', `int16MedianShift: the block at ${p.src} is outside linear memory (${size} bytes)`);
  checkRegion(kernel, 'int16MedianShift: dst', p.dst, p.numFrames * nCols * 8);
  checkRegion(kernel, 'int16MedianShift: scratch', scratch, int16MedianScratchBytes(kernel, nRef, nCols));
  const histBytes = alignUp(referenceExport(kernel, 'int16MedianScratchBytes')());
  const refs = scratch + histBytes;
  const cols = refs + alignUp(4 * nRef);
  kernel.bytes(scratch, histBytes).fill(0);
  writeIndices(kernel, 'int16MedianShift: ref', p.refs, p.stride, refs);
  writeIndices(kernel, 'int16MedianShift: column', p.columns, p.stride, cols);
  referenceExport(kernel, 'int16MedianShift')(p.src, p.numFrames, p.stride, refs, nRef, cols, nCols, p.dst, nCols, p.round ? 1 : 0, scratch);
}

/** Checks column indices against `stride` and writes them as i32 at `address`. */
function writeIndices(kernel: Kernel, what: string, indices: ArrayLike<number>, stride: number, address: number): void {
  const view = new Int32Array(kernel.memory.buffer, address, indices.length);
  for (let j = 0; j < indices.length; j++) {
    const c = indices[j];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= stride) {
      throw new SpikewireError('INVALID_ARGUMENT', `${what} ${describe(c)} at position ${j} is out of range: expected an integer from 0 to ${stride - 1}`);
    }
    view[j] = c;
  }
}
