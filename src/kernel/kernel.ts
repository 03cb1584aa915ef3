import type { DType, TypedArray } from '../dtype.js';
import { arrayType, isDType, itemSize, kernelCode } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import { ALIGNMENT, FreeList, alignUp, checkByteCount } from './memory.js';
import { DSP_HEAP_BASE } from './generated/layout.js';
import { type KernelExports, type KernelSource, inlineModule, instantiateInline, instantiateKernel, withDsp } from './wasm.js';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the wasm32 limit
/** Extra growth beyond what a request needs: up to the current size, at most this many pages (256 MiB). */
const MAX_EXTRA_PAGES = 4096;
/**
 * Lowest address handed out, whatever the module's heap base says: keeps 0 = "no address", and
 * keeps the static data of the dsp module (instantiated on this memory, see withDsp) out of reach.
 */
const MIN_BASE = Math.max(1024, DSP_HEAP_BASE);

/** Arguments of {@link Kernel.convert}. */
export interface ConvertParams {
  /** Address of the input block. */
  src: number;
  /** Sample type of the input block. */
  srcDtype: DType;
  /** Channels of the input block (columns when time-major, rows when channel-major). */
  srcChannels: number;
  /** Frames of the input block to convert. */
  numFrames: number;
  /** 0 (default): time-major input `[numFrames][srcChannels]`; 1: channel-major `[srcChannels][numFrames]`. */
  timeAxis?: 0 | 1;
  /** Input channel indices in output order (any subset / order, repeats allowed); null/undefined = all. */
  channels?: ArrayLike<number> | null;
  /** Address of output row 0, column 0. The output is time-major: row t, column j at `dst + (t * dstStride + j) * itemSize(dstDtype)`. */
  dst: number;
  /** Output sample type (must be float32 when gains or offsets are given). */
  dstDtype: DType;
  /** Elements from one output row to the next; default = number of output channels. */
  dstStride?: number;
  /** One gain per output channel (rounded to float32): out = f32(x) * gain + offset. */
  gains?: ArrayLike<number> | null;
  /** One offset per output channel (rounded to float32); 0 when omitted. */
  offsets?: ArrayLike<number> | null;
  /** Address of at least {@link Kernel.paramBytes}(nOut) bytes (4-byte aligned) the call may overwrite. */
  scratch: number;
}

/** Options of {@link createKernel}. */
export interface CreateKernelOptions {
  /** true: the SIMD build only; false: the scalar build; undefined: SIMD, else scalar. Ignored with `module`. */
  simd?: boolean;
  /** Instantiate this compiled module or these bytes instead of the inline builds. */
  module?: WebAssembly.Module | BufferSource;
}

function fail(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

function checkAddress(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 32) {
    fail(`${name}: expected an address in linear memory (an integer from 0 to 2**32), got ${describe(value)}`);
  }
}

function checkCount(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    fail(`${name}: expected an integer from 0 to 2**31-1, got ${describe(value)}`);
  }
}

function checkDType(name: string, value: unknown): asserts value is DType {
  if (!isDType(value)) {
    fail(`${name}: expected one of int8, uint8, int16, uint16, int32, uint32, float32, float64, got ${describe(value)}`);
  }
}

/**
 * One instance of the WebAssembly kernel with its own linear memory and allocator.
 *
 * Memory rules: `memory.grow` detaches every view of `memory.buffer`, so never keep views across an
 * `await` of {@link alloc}; re-derive them with {@link bytes} / {@link view}. Async reads or writes
 * straight into linear memory must run inside {@link io}: memory never grows while one is in flight.
 * Create instances with {@link createKernel}, or use the shared one from {@link getKernel}.
 */
export class Kernel {
  /** True when this instance runs the SIMD build. */
  readonly simd: boolean;
  /** The instance's linear memory (exported by the module). */
  readonly memory: WebAssembly.Memory;

  private readonly exports: KernelExports;
  private readonly heap: FreeList;
  private ioActive = 0;
  private growsPending = 0;
  private ioIdleWaiters: (() => void)[] = [];
  private growDoneWaiters: (() => void)[] = [];

  /** @internal The module's raw exports, for the DSP entry points in dsp.ts. */
  get wasm(): KernelExports {
    return this.exports;
  }

  /** @internal Use {@link createKernel}. */
  constructor(exports: KernelExports) {
    this.exports = exports;
    this.memory = exports.memory;
    this.simd = exports.simd() === 1;
    const base = Math.ceil(Math.max(exports.heapBase() >>> 0, MIN_BASE) / 64) * 64;
    let end = this.memory.buffer.byteLength;
    if (end < base + PAGE) {
      this.memory.grow(Math.ceil((base + PAGE - end) / PAGE));
      end = this.memory.buffer.byteLength;
    }
    this.heap = new FreeList(base, end);
  }

  /**
   * A {@link ALIGNMENT 16}-byte aligned address of a fresh region of `bytes` bytes (0 is allowed: a
   * valid, unique address) that no other live allocation overlaps; its contents are whatever was
   * there (not zeroed). The region is reserved synchronously, at the call. When the memory must
   * grow, the returned promise waits until no {@link io} is in flight (and new `io()` calls wait for
   * the growth). Views of `memory.buffer` taken before awaiting it may be detached afterwards.
   * Errors: `INVALID_ARGUMENT` for a bad byte count, `OUT_OF_RANGE` when linear memory can't grow
   * that far (4 GiB at most).
   * Don't await `alloc` inside an `io()` callback of the same kernel: a growth would wait forever.
   */
  async alloc(bytes: number): Promise<number> {
    checkByteCount(bytes);
    const size = Math.max(ALIGNMENT, alignUp(bytes));
    const address = this.heap.reserve(size);
    if (address >= 0) return address;
    if (this.heap.end - this.heap.tailFree + size > MAX_PAGES * PAGE) {
      throw new SpikewireError(
        'OUT_OF_RANGE',
        `alloc(${bytes}): WebAssembly memory can't hold it (at most 4 GiB; ${this.memory.buffer.byteLength} bytes now)`,
      );
    }
    this.growsPending++;
    try {
      while (this.ioActive > 0) await new Promise<void>((resolve) => this.ioIdleWaiters.push(resolve));
      const again = this.heap.reserve(size); // something may have been freed meanwhile
      if (again >= 0) return again;
      this.grow(size - this.heap.tailFree, bytes);
      const grown = this.heap.reserve(size);
      if (grown < 0) throw new SpikewireError('OUT_OF_RANGE', `alloc(${bytes}): no room after growing memory`);
      return grown;
    } finally {
      this.growsPending--;
      if (this.growsPending === 0) wake(this.growDoneWaiters);
    }
  }

  /** Grows memory by at least `needed` bytes (geometrically when possible). Never while io is in flight. */
  private grow(needed: number, requested: number): void {
    const current = this.memory.buffer.byteLength / PAGE;
    const minimum = Math.ceil(needed / PAGE);
    const generous = Math.min(Math.max(minimum, Math.min(current, MAX_EXTRA_PAGES)), MAX_PAGES - current);
    for (const pages of generous > minimum ? [generous, minimum] : [minimum]) {
      try {
        this.memory.grow(pages);
        this.heap.extend(this.memory.buffer.byteLength);
        return;
      } catch {
        // try the smaller request, then give up
      }
    }
    throw new SpikewireError(
      'OUT_OF_RANGE',
      `alloc(${requested}): cannot grow WebAssembly memory by ${minimum} pages (${this.memory.buffer.byteLength} bytes now)`,
    );
  }

  /** Returns the region at `address` (from {@link alloc}). Unknown or already freed address: `INVALID_ARGUMENT`. */
  free(address: number): void {
    if (this.heap.release(address) < 0) {
      fail(`free: ${describe(address)} is not the address of a live allocation (double free or foreign address)`);
    }
  }

  /**
   * Runs `fn`, an async read or write into linear memory, and keeps memory from growing until it
   * settles. While an {@link alloc} waits to grow, new `io()` calls wait first, so growth is not
   * starved. Re-derive views inside `fn` (with {@link bytes}/{@link view}) rather than before the call.
   * Don't nest `io()` calls or await `alloc()` inside `fn` (either can wait on itself forever).
   */
  async io<T>(fn: () => Promise<T>): Promise<T> {
    while (this.growsPending > 0) await new Promise<void>((resolve) => this.growDoneWaiters.push(resolve));
    this.ioActive++;
    try {
      return await fn();
    } finally {
      this.ioActive--;
      if (this.ioActive === 0) wake(this.ioIdleWaiters);
    }
  }

  /** A fresh `Uint8Array` over `length` bytes of linear memory at `address` (valid until the next growth). */
  bytes(address: number, length: number): Uint8Array {
    checkAddress('bytes: address', address);
    checkCount('bytes: length', length);
    this.checkRange('bytes', address, length);
    return new Uint8Array(this.memory.buffer as ArrayBuffer, address, length);
  }

  /** A fresh typed view of `length` samples of `dtype` at `address` (valid until the next growth). */
  view(dtype: DType, address: number, length: number): TypedArray {
    checkDType('view: dtype', dtype);
    checkAddress('view: address', address);
    checkCount('view: length', length);
    const size = itemSize(dtype);
    if (address % size !== 0) fail(`view: address ${address} is not aligned to ${size} bytes for ${dtype}`);
    this.checkRange('view', address, length * size);
    return new (arrayType(dtype))(this.memory.buffer as ArrayBuffer, address, length);
  }

  /** Scratch bytes {@link convert} needs for `nOut` output channels: channel indices, gains, offsets. */
  paramBytes(nOut: number): number {
    checkCount('paramBytes: nOut', nOut);
    return 3 * alignUp(4 * nOut);
  }

  /**
   * Gathers, converts and scales `numFrames` frames of the block at `src` into time-major rows at
   * `dst` (see {@link ConvertParams}). Synchronous; never grows memory.
   *
   * - no gains/offsets, same dtype: a raw copy / gather (bit-exact, NaN payloads included);
   * - no gains/offsets, other dtype: numpy `astype` for in-range values (int→float rounds to
   *   nearest, float→int truncates toward zero, int→int wraps, float64→float32 rounds). Out-of-range
   *   and NaN float→int values saturate (NaN → 0), where numpy's result is platform-defined;
   * - gains and/or offsets: `dstDtype` must be float32; out = f32(x) * f32(gain) + f32(offset), two
   *   rounded f32 operations, bit-exact with numpy `x.astype(float32) * gains + offsets`.
   *
   * `src`, `dst` and `scratch` regions must not overlap. A contiguous ascending channel range takes
   * the vector path; writes parameters into `scratch`. Bad arguments: `INVALID_ARGUMENT`.
   */
  convert(p: ConvertParams): void {
    if (p === null || typeof p !== 'object') fail(`convert: expected a parameter object, got ${describe(p)}`);
    const { src, srcDtype, srcChannels, numFrames, dst, dstDtype, scratch } = p;
    const timeAxis = p.timeAxis ?? 0;
    checkAddress('convert: src', src);
    checkDType('convert: srcDtype', srcDtype);
    checkCount('convert: srcChannels', srcChannels);
    checkCount('convert: numFrames', numFrames);
    if (timeAxis !== 0 && timeAxis !== 1) fail(`convert: timeAxis must be 0 or 1, got ${describe(timeAxis)}`);
    checkAddress('convert: dst', dst);
    checkDType('convert: dstDtype', dstDtype);
    const channels = p.channels ?? null;
    const nOut = channels === null ? srcChannels : channels.length;
    if (channels !== null) checkCount('convert: channels.length', nOut);
    const dstStride = p.dstStride ?? nOut;
    checkCount('convert: dstStride', dstStride);
    if (dstStride < nOut) fail(`convert: dstStride ${dstStride} is smaller than the number of output channels ${nOut}`);
    const gains = p.gains ?? null;
    const offsets = p.offsets ?? null;
    const scaled = gains !== null || offsets !== null;
    if (scaled && dstDtype !== 'float32') {
      fail(`convert: gains/offsets need dstDtype "float32", got ${describe(dstDtype)}`);
    }
    if (gains !== null && gains.length !== nOut) {
      fail(`convert: expected ${nOut} gains (one per output channel), got ${describe(gains)}`);
    }
    if (offsets !== null && offsets.length !== nOut) {
      fail(`convert: expected ${nOut} offsets (one per output channel), got ${describe(offsets)}`);
    }
    // Channel indices: validate, and detect a contiguous ascending range.
    let first = 0;
    let contiguous = true;
    if (channels !== null) {
      first = nOut > 0 ? channels[0] : 0;
      for (let j = 0; j < nOut; j++) {
        const c = channels[j];
        if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= srcChannels) {
          fail(`convert: channel index ${describe(c)} at position ${j} is out of range: expected an integer from 0 to ${srcChannels - 1}`);
        }
        if (c !== first + j) contiguous = false;
      }
    }
    const isz = itemSize(srcDtype);
    const osz = itemSize(dstDtype);
    const memorySize = this.memory.buffer.byteLength;
    const srcBytes = numFrames * srcChannels * isz;
    if (src + srcBytes > memorySize) {
      fail(`convert: the input block [${src}, ${src + srcBytes}) is outside linear memory (${memorySize} bytes)`);
    }
    if (numFrames === 0 || nOut === 0) return;
    const dstBytes = ((numFrames - 1) * dstStride + nOut) * osz;
    if (dst + dstBytes > memorySize) {
      fail(`convert: the output block [${dst}, ${dst + dstBytes}) is outside linear memory (${memorySize} bytes)`);
    }
    // Parameters in scratch: [indices i32][gains f32][offsets f32], each part 16-byte aligned.
    const part = alignUp(4 * nOut);
    let chanAddress = 0;
    let gainAddress = 0;
    let offsetAddress = 0;
    if (!contiguous || scaled) {
      checkAddress('convert: scratch', scratch);
      if (scratch % 4 !== 0) fail(`convert: scratch address ${scratch} is not 4-byte aligned`);
      if (scratch + 3 * part > memorySize) {
        fail(`convert: the scratch region [${scratch}, ${scratch + 3 * part}) is outside linear memory (${memorySize} bytes)`);
      }
      const buffer = this.memory.buffer;
      if (!contiguous) {
        chanAddress = scratch;
        const chan = new Int32Array(buffer, chanAddress, nOut);
        for (let j = 0; j < nOut; j++) chan[j] = (channels as ArrayLike<number>)[j];
      }
      if (scaled) {
        gainAddress = scratch + part;
        offsetAddress = scratch + 2 * part;
        const g = new Float32Array(buffer, gainAddress, nOut);
        const o = new Float32Array(buffer, offsetAddress, nOut);
        if (gains !== null) for (let j = 0; j < nOut; j++) g[j] = gains[j];
        else g.fill(1);
        if (offsets !== null) for (let j = 0; j < nOut; j++) o[j] = offsets[j];
        else o.fill(0);
      }
    }
    // A contiguous range first..first+nOut-1 is passed as chan = 0 with the input moved to channel `first`.
    const start = contiguous ? src + first * (timeAxis === 0 ? 1 : numFrames) * isz : src;
    this.exports.convert(
      start, kernelCode(srcDtype), srcChannels, numFrames, timeAxis, chanAddress, nOut,
      dst, kernelCode(dstDtype), dstStride, gainAddress, offsetAddress,
    );
  }

  private checkRange(what: string, address: number, length: number): void {
    const size = this.memory.buffer.byteLength;
    if (address + length > size) fail(`${what}: [${address}, ${address + length}) is outside linear memory (${size} bytes)`);
  }

  /** Scratch bytes {@link referenceShift} needs for `nRef` reference columns (or {@link subtractShift} for `nRef` columns). */
  referenceScratchBytes(nRef: number): number {
    checkCount('referenceScratchBytes: nRef', nRef);
    return alignUp(4 * nRef) + alignUp(8 * nRef);
  }

  /**
   * Per frame of the float64 block at `src`, the reference of some of its columns (np.median,
   * np.mean, or a sum of values times one weight), as numpy computes it; one float64 per frame at
   * `out`. Synchronous; never grows memory. Bad arguments: `INVALID_ARGUMENT`.
   */
  referenceShift(p: ReferenceShiftParams): void {
    const { src, numFrames, stride, refs, out, scratch } = p;
    const fn = this.exports.referenceShift;
    if (!fn) throw new SpikewireError('UNSUPPORTED', 'referenceShift: this kernel build has no reference kernels');
    const op = REFERENCE_OPS.indexOf(p.op);
    if (op < 0) fail(`referenceShift: op must be 'median', 'mean' or 'weighted', got ${describe(p.op)}`);
    checkBlock('referenceShift', src, numFrames, stride);
    checkAddress('referenceShift: out', out);
    checkAddress('referenceShift: scratch', scratch);
    const nRef = refs.length;
    if (nRef === 0) fail('referenceShift: refs must list at least one column');
    this.checkRange('referenceShift: src', src, numFrames * stride * 8);
    this.checkRange('referenceShift: out', out, numFrames * 8);
    this.checkRange('referenceShift: scratch', scratch, this.referenceScratchBytes(nRef));
    this.writeColumns('referenceShift', refs, stride, scratch);
    fn(src, numFrames, stride, scratch, nRef, op, p.float32 ? 1 : 0, p.weight ?? 0, out, scratch + alignUp(4 * nRef));
  }

  /**
   * Re-referenced columns: `dst[t, j] = src[t, columns[j]] - shift[t]` (float64 block in, float64 rows
   * out), with numpy's float32 arithmetic, float32 storage and half-to-even rounding on request.
   * Synchronous; never grows memory. Bad arguments: `INVALID_ARGUMENT`.
   */
  subtractShift(p: SubtractShiftParams): void {
    const { src, numFrames, stride, columns, shift, dst, scratch } = p;
    const fn = this.exports.subtractShift;
    if (!fn) throw new SpikewireError('UNSUPPORTED', 'subtractShift: this kernel build has no reference kernels');
    checkBlock('subtractShift', src, numFrames, stride);
    checkAddress('subtractShift: shift', shift);
    checkAddress('subtractShift: dst', dst);
    checkAddress('subtractShift: scratch', scratch);
    const nCols = columns.length;
    const dstStride = p.dstStride ?? nCols;
    checkCount('subtractShift: dstStride', dstStride);
    if (dstStride < nCols) fail(`subtractShift: dstStride ${dstStride} is smaller than the number of columns ${nCols}`);
    if (numFrames === 0 || nCols === 0) return;
    this.checkRange('subtractShift: src', src, numFrames * stride * 8);
    this.checkRange('subtractShift: shift', shift, numFrames * 8);
    this.checkRange('subtractShift: dst', dst, ((numFrames - 1) * dstStride + nCols) * 8);
    this.checkRange('subtractShift: scratch', scratch, alignUp(4 * nCols));
    this.writeColumns('subtractShift', columns, stride, scratch);
    const flags = (p.float32 ? 1 : 0) | (p.round ? 2 : 0) | (p.storeFloat32 ? 4 : 0);
    fn(src, numFrames, stride, scratch, nCols, shift, dst, dstStride, flags);
  }

  /** Checks column indices against `stride` and writes them as i32 at `address`. */
  private writeColumns(what: string, columns: ArrayLike<number>, stride: number, address: number): void {
    if (address % 4 !== 0) fail(`${what}: scratch address ${address} is not 4-byte aligned`);
    const view = new Int32Array(this.memory.buffer, address, columns.length);
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= stride) {
        fail(`${what}: column ${describe(c)} at position ${j} is out of range: expected an integer from 0 to ${stride - 1}`);
      }
      view[j] = c;
    }
  }
}

const REFERENCE_OPS = ['median', 'mean', 'weighted'] as const;

function checkBlock(what: string, src: unknown, numFrames: unknown, stride: unknown): void {
  checkAddress(`${what}: src`, src);
  if ((src as number) % 8 !== 0) fail(`${what}: src address ${src} is not 8-byte aligned`);
  checkCount(`${what}: numFrames`, numFrames);
  checkCount(`${what}: stride`, stride);
}

/** Arguments of {@link Kernel.referenceShift}. */
export interface ReferenceShiftParams {
  /** Address of the float64 block, `numFrames` rows of `stride` values. */
  src: number;
  numFrames: number;
  stride: number;
  /** Columns the reference is taken over (at least one). */
  refs: ArrayLike<number>;
  /** np.median, np.mean, or the sum of value * `weight` in column order. */
  op: 'median' | 'mean' | 'weighted';
  /** Reduce in float32, as numpy does for a float32 parent. */
  float32?: boolean;
  /** The weight of op 'weighted'. */
  weight?: number;
  /** Address of `numFrames` float64 results. */
  out: number;
  /** Address of {@link Kernel.referenceScratchBytes}(refs.length) bytes the call may overwrite. */
  scratch: number;
}

/** Arguments of {@link Kernel.subtractShift}. */
export interface SubtractShiftParams {
  /** Address of the float64 block, `numFrames` rows of `stride` values. */
  src: number;
  numFrames: number;
  stride: number;
  /** Columns of the block to re-reference, in output order. */
  columns: ArrayLike<number>;
  /** Address of one float64 reference per frame. */
  shift: number;
  /** Address of float64 output row 0; `dstStride` values per row (default: the number of columns). */
  dst: number;
  dstStride?: number;
  /** Subtract in float32. */
  float32?: boolean;
  /** Store the difference as float32 before rounding. */
  storeFloat32?: boolean;
  /** np.round (half to even). */
  round?: boolean;
  /** Address of {@link Kernel.referenceScratchBytes}(columns.length) bytes the call may overwrite. */
  scratch: number;
}

function wake(waiters: (() => void)[]): void {
  for (const resolve of waiters.splice(0)) resolve();
}

/**
 * A fresh, independent kernel instance (own memory, own allocator). `simd: false` gives the scalar
 * build, `simd: true` the SIMD build only (`UNSUPPORTED` where the runtime lacks SIMD); `module`
 * instantiates a compiled module or bytes instead of the inline builds. Always asynchronous.
 *
 * The inline kernel is two modules: the core one (convert) and the dsp one (filters, FFT, reference,
 * elementwise), loaded from a chunk of its own and instantiated on the core module's memory here,
 * before any call: preprocessing calls the dsp kernels synchronously on addresses in that memory.
 */
export async function createKernel(opts: CreateKernelOptions = {}): Promise<Kernel> {
  if (opts.module === undefined && opts.simd !== false) {
    // fetch and compile the dsp module while the core module compiles (withDsp awaits it)
    inlineModule(true, 'dsp').catch(() => {});
  }
  const exports = opts.module !== undefined ? await instantiateKernel(opts.module) : await instantiateInline(opts.simd);
  return new Kernel(await withDsp(exports));
}

export type { KernelSource };

/** The steps {@link elementwiseAt} runs, with the parameters each needs. */
export type ElementwiseOp =
  /** float32(x) * gain + offset per channel as numpy computes it on a float32 array; `round`: np.round of the result. */
  | { op: 'scale'; gains: ArrayLike<number>; offsets: ArrayLike<number>; round?: boolean }
  /** x - shift, wrapped into a signed integer of `bits` bits (numpy's integer cast). */
  | { op: 'shiftWrap'; shift: number; bits: number }
  /** np.round (half to even). */
  | { op: 'round' }
  /** x <= aMin → valueMin, then x >= aMax → valueMax; a null threshold is not applied. */
  | { op: 'clip'; aMin: number | null; valueMin: number; aMax: number | null; valueMax: number }
  /** np.abs; `bits` > 0: the result wrapped into a signed integer of that many bits (abs(-32768) stays -32768 in int16). */
  | { op: 'abs'; bits?: number };

/** Arguments of {@link elementwiseAt}. */
export type ElementwiseParams = ElementwiseOp & {
  /** Address of `numFrames` rows of `numChannels` float64 values (8-byte aligned), changed in place. */
  data: number;
  numFrames: number;
  numChannels: number;
  /** Address of {@link elementwiseParamBytes}(numChannels) bytes (8-byte aligned) the call may overwrite. */
  scratch: number;
};

const ELEMENTWISE_OPS = ['scale', 'shiftWrap', 'round', 'clip', 'abs'] as const;

/** Scratch bytes {@link elementwiseAt} needs for rows of `numChannels` values. */
export function elementwiseParamBytes(numChannels: number): number {
  checkCount('elementwiseParamBytes: numChannels', numChannels);
  return alignUp(16 * Math.max(numChannels, 2));
}

/**
 * One elementwise pass of the kernel over a float64 block in place (see {@link ElementwiseOp}).
 * Synchronous; never grows memory. Bad arguments: `INVALID_ARGUMENT`; a build without the
 * elementwise kernels: `UNSUPPORTED`.
 */
export function elementwiseAt(kernel: Kernel, p: ElementwiseParams): void {
  const fn = kernel.wasm.elementwise;
  if (!fn) throw new SpikewireError('UNSUPPORTED', 'elementwise: this kernel build has no elementwise kernels');
  const code = ELEMENTWISE_OPS.indexOf(p.op);
  if (code < 0) fail(`elementwise: op must be one of ${ELEMENTWISE_OPS.join(', ')}, got ${describe(p.op)}`);
  checkBlock('elementwise', p.data, p.numFrames, p.numChannels);
  checkAddress('elementwise: scratch', p.scratch);
  if (p.scratch % 8 !== 0) fail(`elementwise: scratch address ${p.scratch} is not 8-byte aligned`);
  const k = p.numChannels;
  if (p.numFrames === 0 || k === 0) return;
  kernel.view('float64', p.data, p.numFrames * k);
  const params = kernel.view('float64', p.scratch, elementwiseParamBytes(k) / 8) as Float64Array;
  let flags = 0;
  switch (p.op) {
    case 'scale':
      if (p.gains.length !== k || p.offsets.length !== k) fail(`elementwise: scale needs ${k} gains and offsets, got ${p.gains.length} and ${p.offsets.length}`);
      for (let c = 0; c < k; c++) {
        params[c] = p.gains[c];
        params[k + c] = p.offsets[c];
      }
      flags = p.round ? 1 : 0;
      break;
    case 'shiftWrap':
      params[0] = p.shift;
      params[1] = p.bits;
      break;
    case 'clip':
      params[0] = p.aMin ?? 0;
      params[1] = p.valueMin;
      params[2] = p.aMax ?? 0;
      params[3] = p.valueMax;
      flags = (p.aMin !== null ? 2 : 0) | (p.aMax !== null ? 4 : 0);
      break;
    case 'abs':
      params[0] = p.bits ?? 0;
      break;
  }
  fn(p.data, p.numFrames, k, code, p.scratch, flags);
}
