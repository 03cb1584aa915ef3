import { SpikewireError, describe } from '../errors.js';
import { CORE_SIMD_WASM_HEX } from './generated/kernel-simd.js';

/** The exports of the kernel module (assembly/index.ts), as the facade uses them. */
export interface KernelExports {
  /** The module's linear memory (exported, not imported). */
  readonly memory: WebAssembly.Memory;
  /** See assembly/index.ts `convert`: addresses and counts are passed as i32 (addresses wrap to u32). */
  convert(
    src: number, srcType: number, srcChannels: number, numFrames: number, timeAxis: number, chan: number, nOut: number,
    dst: number, dstType: number, dstStride: number, gain: number, offset: number,
  ): void;
  /** First byte above the module's static data. */
  heapBase(): number;
  /** 1 for the SIMD build, 0 for the scalar build. */
  simd(): number;
  // The dsp module's exports (assembly/build.mjs): absent from the core module, which gets them from
  // the dsp module instantiated on its memory (see withDsp).
  /** See assembly/filters.ts `sosfilt` (absent from modules built before the filters existed). */
  sosfilt?(src: number, dst: number, numFrames: number, numChannels: number, sos: number, nSections: number, zi: number, reverse: number): void;
  /** See assembly/filters.ts `lfilter`. */
  lfilter?(src: number, dst: number, numFrames: number, numChannels: number, b: number, a: number, nTaps: number, zi: number, reverse: number): void;
  /** See assembly/fft.ts `fftWorkBytes`. */
  fftWorkBytes?(n: number): number;
  /** See assembly/fft.ts `fftPrepare`. */
  fftPrepare?(n: number, work: number): void;
  /** See assembly/fft.ts `rfft`. */
  rfft?(src: number, srcStride: number, n: number, dst: number, work: number): void;
  /** See assembly/fft.ts `irfft`. */
  irfft?(src: number, n: number, dst: number, dstStride: number, work: number): void;
  /** See assembly/reference.ts `referenceShift` (absent from builds without the reference kernels). */
  referenceShift?(
    src: number, numFrames: number, stride: number, refs: number, nRef: number, op: number, flags: number, weight: number, out: number, scratch: number,
  ): void;
  /** See assembly/reference.ts `subtractShift`. */
  subtractShift?(
    src: number, numFrames: number, stride: number, cols: number, nCols: number, shift: number, dst: number, dstStride: number, flags: number,
  ): void;
  /** See assembly/elementwise.ts `elementwise` (absent from builds without the elementwise kernels). */
  elementwise?(data: number, numFrames: number, numChannels: number, op: number, params: number, flags: number): void;
  /** See assembly/envelope.ts `envelope` (absent from builds without the envelope kernel). */
  envelope?(
    src: number, srcType: number, numChannels: number, numFrames: number, columns: number, bounds: number,
    dstMin: number, dstMax: number, scratch: number,
  ): void;
  /** See assembly/mix.ts `mixChannels` (absent from builds without it). */
  mixChannels?(src: number, numFrames: number, srcChannels: number, dst: number, dstChannels: number, terms: number, nTerms: number, flags: number): void;
}

/** Anything {@link instantiateKernel} accepts: a compiled module, or the bytes of one. */
export type KernelSource = WebAssembly.Module | BufferSource;

// The kernel imports nothing; an `env.abort` is offered anyway in case a custom build asks for it.
const IMPORTS: WebAssembly.Imports = {
  env: {
    abort: () => {
      throw new SpikewireError('INVALID_ARGUMENT', 'the WebAssembly kernel aborted');
    },
  },
};

/** The value of a lowercase hex digit from its character code ('0'-'9' → 0-9, 'a'-'f' → 10-15). */
const nibble = (c: number) => (c & 0xf) + (c >> 6) * 9;

/** Decodes lowercase hex text (as assembly/build.mjs writes the inline modules) into bytes. */
export function decodeHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >>> 1);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) bytes[i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
  return bytes;
}

/**
 * Instantiates the kernel from a compiled module or from bytes, always asynchronously (Chromium
 * forbids synchronous compilation of large modules on the main thread), and checks its exports.
 */
export async function instantiateKernel(source: KernelSource): Promise<KernelExports> {
  let instance: WebAssembly.Instance;
  try {
    if (source instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(source, IMPORTS);
    } else {
      instance = (await WebAssembly.instantiate(source, IMPORTS)).instance;
    }
  } catch (cause) {
    throw new SpikewireError(
      'UNSUPPORTED',
      `cannot instantiate the WebAssembly kernel from ${describe(source)}: ${(cause as Error)?.message ?? cause}`,
      { cause },
    );
  }
  const exports = instance.exports as unknown as Partial<KernelExports>;
  for (const name of ['convert', 'heapBase', 'simd'] as const) {
    if (typeof exports[name] !== 'function') {
      throw new SpikewireError('INVALID_ARGUMENT', `the WebAssembly module is not a spikewire kernel: no function export "${name}"`);
    }
  }
  if (!(exports.memory instanceof WebAssembly.Memory)) {
    throw new SpikewireError('INVALID_ARGUMENT', 'the WebAssembly module is not a spikewire kernel: no exported memory');
  }
  return exports as KernelExports;
}

/** The inline modules: the core one (convert) and the dsp one (preprocessing kernels, on the core's memory). */
export type InlinePart = 'core' | 'dsp';

// Each inline module in hex, a file of its own: the core SIMD build is imported statically (every
// recording reads traces with it); the others are imported when needed, so bundlers put them in
// chunks that are loaded then (the scalar builds only where SIMD fails).
const INLINE: Record<`${InlinePart}.${'simd' | 'scalar'}`, () => Promise<string>> = {
  'core.simd': () => Promise.resolve(CORE_SIMD_WASM_HEX),
  'core.scalar': () => import('./generated/kernel-scalar.js').then((m) => m.CORE_SCALAR_WASM_HEX),
  'dsp.simd': () => import('./generated/dsp-simd.js').then((m) => m.DSP_SIMD_WASM_HEX),
  'dsp.scalar': () => import('./generated/dsp-scalar.js').then((m) => m.DSP_SCALAR_WASM_HEX),
};

// Compiled inline modules, compiled once each (a rejected SIMD compile stays rejected).
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** An inline module in one flavour, compiled asynchronously once and cached. */
export function inlineModule(simd: boolean, part: InlinePart = 'core'): Promise<WebAssembly.Module> {
  const key = `${part}.${simd ? 'simd' : 'scalar'}` as const;
  let module = compiled.get(key);
  if (!module) {
    // plain Uint8Array in the public types (TypeScript < 5.7 has no typed-array generics); it is ArrayBuffer-backed
    module = INLINE[key]().then((hex) => WebAssembly.compile(decodeHex(hex) as BufferSource));
    compiled.set(key, module);
  }
  return module;
}

/**
 * The kernel's exports with the preprocessing kernels: as they are when the module has them (the
 * full builds that initKernel takes), else with those of the inline dsp module (the flavour of the
 * core module) instantiated on the core module's memory. The dsp module's static data lies below
 * DSP_HEAP_BASE, where the allocator never hands anything out.
 */
export async function withDsp(core: KernelExports): Promise<KernelExports> {
  if (typeof core.sosfilt === 'function') return core;
  const simd = core.simd() === 1;
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(await inlineModule(simd, 'dsp'), { env: { memory: core.memory } });
  } catch (cause) {
    throw new SpikewireError(
      'UNSUPPORTED',
      `this runtime cannot instantiate the ${simd ? 'SIMD' : 'scalar'} WebAssembly dsp kernel: ${(cause as Error)?.message ?? cause}` +
        ' (where compiling from bytes is forbidden, pass the module from "spikewire/kernel.simd.wasm" to initKernel)',
      { cause },
    );
  }
  // the core module's memory, heapBase and simd stay; the dsp module adds its functions
  return { ...(instance.exports as unknown as Partial<KernelExports>), ...core } as KernelExports;
}

/**
 * Instantiates the inline kernel. `simd` true / false asks for that build only (an `UNSUPPORTED`
 * error when the runtime can't run it); undefined tries SIMD and falls back to the scalar build when
 * SIMD fails to validate or instantiate.
 */
export async function instantiateInline(simd?: boolean): Promise<KernelExports> {
  if (simd === false) return instantiateKernel(await compileInline(false));
  try {
    return await instantiateKernel(await compileInline(true));
  } catch (error) {
    if (simd === true) throw error;
    return instantiateKernel(await compileInline(false));
  }
}

async function compileInline(simd: boolean): Promise<WebAssembly.Module> {
  try {
    return await inlineModule(simd, 'core');
  } catch (cause) {
    throw new SpikewireError(
      'UNSUPPORTED',
      `this runtime cannot compile the ${simd ? 'SIMD' : 'scalar'} WebAssembly kernel: ${(cause as Error)?.message ?? cause}` +
        ' (where compiling from bytes is forbidden, pass the module from "spikewire/kernel.simd.wasm" to initKernel)',
      { cause },
    );
  }
}
