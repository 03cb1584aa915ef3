/**
 * The WebAssembly kernel: loading (inline base64, or a module given to {@link initKernel}), linear
 * memory with its allocator, and the conversion of sample blocks.
 */
export { Kernel, createKernel } from './kernel.js';
export type { ConvertParams, CreateKernelOptions, KernelSource } from './kernel.js';
export { getKernel, initKernel } from './default.js';
export type { KernelInput } from './input.js';
export { ALIGNMENT } from './memory.js';
export type { ReferenceShiftParams, SubtractShiftParams } from './kernel.js';
