// spikewire's WebAssembly kernel, every export of it. One source, two builds of each module (SIMD and
// scalar: every v128 op is behind the compile-time constant ASC_FEATURE_SIMD).
//
// assembly/build.mjs builds three modules from this file:
//   - kernel.{simd,scalar}.wasm: everything below (the files shipped for initKernel);
//   - the core module (inline, loaded at start): the exports of './convert', what getTraces needs;
//   - the DSP module (inline, loaded in a chunk of its own): every other export line of this file,
//     built on the core module's memory (imported), so that both work on the same addresses.
// A new kernel function: one export line below; it lands in the full and the DSP modules.

// Conversion of interleaved sample blocks (the core module).
export { heapBase, touched, simd, convert } from './convert';

// Filters and FFTs for preprocessing: float64 chunks, same memory rules (the facade allocates).
export { sosfilt, lfilter } from './filters';
export { fftWorkBytes, fftPrepare, rfft, irfft } from './fft';
export * from './reference';
export { elementwise } from './elementwise';
export { envelope } from './envelope';
export { mixChannels } from './mix';
export { int16MedianShift, int16MedianScratchBytes } from './median-int16';
export { rotateSpectrum } from './spectrum';
export { transpose } from './transpose';
export { copyRows } from './rows';
export { whiten } from './whiten';
export { agcGains, agcApply, spatialPad, spatialGather } from './spatial';
