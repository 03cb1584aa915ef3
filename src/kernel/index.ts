/**
 * The WebAssembly kernel: loading (inline: the core module at start, the dsp module from a chunk of
 * its own; or a module given to {@link initKernel}), linear memory with its allocator, and the
 * conversion of sample blocks.
 */
export { Kernel, createKernel } from './kernel.js';
export type { ConvertParams, CreateKernelOptions, KernelSource } from './kernel.js';
export { getKernel, initKernel } from './default.js';
export type { KernelInput } from './input.js';
export { ALIGNMENT } from './memory.js';
export {
  sosfilt, lfilter, rfft, irfft, sosfiltAt, lfilterAt, rfftAt, irfftAt, fftPrepareAt, fftWorkBytes, withRegion, checkSos, normalizeBa,
} from './dsp.js';
export type { ChunkAtParams, SosfiltAtParams, LfilterAtParams, IirOptions, IirResult, FftOptions, KernelChoice } from './dsp.js';
export type { ReferenceShiftParams, SubtractShiftParams } from './kernel.js';
export { computeEnvelopes, envelopeAt, envelopeScratchBytes, MAX_ENVELOPE_COLUMNS } from './envelope.js';
export type { EnvelopeAtParams, EnvelopeInput, EnvelopeOptions, Envelopes, EnvelopeOutput } from './envelope.js';
