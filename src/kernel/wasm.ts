import { gunzipSync } from 'fflate';
import { SpikewireError, describe } from '../errors.js';
import { SIMD_WASM_GZIP_BASE64 } from './generated/kernel-simd.js';

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

/** Decodes standard base64 (as written by assembly/build.mjs) with `atob`: works in Node and browsers. */
export function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Inflates the gzip-compressed inline kernel. fflate's synchronous inflate takes well under a
 * millisecond here, where a DecompressionStream costs tens of milliseconds to start up in Node.
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return gunzipSync(bytes);
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

// Compiled inline modules, compiled once per flavour (a rejected SIMD compile stays rejected).
const compiled: { simd?: Promise<WebAssembly.Module>; scalar?: Promise<WebAssembly.Module> } = {};

/** The inline (base64) module of one flavour, compiled asynchronously once and cached. */
export function inlineModule(simd: boolean): Promise<WebAssembly.Module> {
  const key = simd ? 'simd' : 'scalar';
  let module = compiled[key];
  if (!module) {
    // the scalar build is a separate chunk, loaded only when it is needed
    module = (simd ? Promise.resolve(SIMD_WASM_GZIP_BASE64) : import('./generated/kernel-scalar.js').then((m) => m.SCALAR_WASM_GZIP_BASE64))
      .then((b64) => gunzip(decodeBase64(b64)))
      // plain Uint8Array in the public types (TypeScript < 5.7 has no typed-array generics); fflate's output is ArrayBuffer-backed
      .then((bytes) => WebAssembly.compile(bytes as BufferSource));
    compiled[key] = module;
  }
  return module;
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
    return await inlineModule(simd);
  } catch (cause) {
    throw new SpikewireError(
      'UNSUPPORTED',
      `this runtime cannot compile the ${simd ? 'SIMD' : 'scalar'} WebAssembly kernel: ${(cause as Error)?.message ?? cause}` +
        ' (where compiling from bytes is forbidden, pass the module from "spikewire/kernel.simd.wasm" to initKernel)',
      { cause },
    );
  }
}
