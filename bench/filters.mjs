// Throughput of zero-phase band-pass filtering (scipy's sosfiltfilt, order-5 Butterworth 300-6000 Hz,
// 5 sections) of one second of a 384-channel int16 recording, float64 arithmetic:
//   - the kernel (SIMD and scalar builds): edge extension, copy into linear memory, forward and
//     backward passes, copy out of the middle rows — what sosfiltfilt() does per call;
//   - the kernel passes alone on data already in linear memory (the bound of the kernel itself);
//   - a plain-JS implementation of the same arithmetic (same extension, same recursion, same order of
//     operations), run in the same process;
//   - scipy.signal.sosfiltfilt, when python3 with scipy is on this machine (SpikeInterface's own path);
// and the kernel's rfft + irfft of every channel (what a phase shift needs) against scipy.fft.
// Figures are MB/s of the int16 input (384 x 30000 x 2 bytes) and ratios; each is a median of runs.
// The filtering functions are not in the public entry yet, so this bundles them from src/ with esbuild.
// Run: node bench/filters.mjs   (BENCH_RUNS=n to change the number of runs)
import { spawnSync } from 'node:child_process';
import { sosForwardBackward } from './plain-sos.mjs';
import { importFromSrc, medianMs } from './src-bundle.mjs';

const CHANNELS = 384;
const FRAMES = 30000;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

const { iirfilter, sosfiltfilt, sosfiltZi, sosfiltfiltPadlen, createKernel, sosfiltAt, rfft, irfft } = await importFromSrc(
  `export { iirfilter } from './src/preprocessing/filter-design.ts';
export { sosfiltfilt, sosfiltZi, sosfiltfiltPadlen } from './src/preprocessing/filtering.ts';
export { createKernel, sosfiltAt, rfft, irfft } from './src/kernel/index.ts';`,
);
const time = (fn) => medianMs(fn, RUNS);

const inputBytes = CHANNELS * FRAMES * 2;
const mbps = (ms) => inputBytes / 1e6 / (ms / 1e3);

// Deterministic int16 samples: a few sines plus noise, like band-limited extracellular data.
const x = new Int16Array(CHANNELS * FRAMES);
let seed = 12345;
for (let t = 0; t < FRAMES; t++) {
  for (let c = 0; c < CHANNELS; c++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[t * CHANNELS + c] = Math.round(200 * Math.sin(t * 0.01 + c) + 50 * Math.sin(t * 0.7) + ((seed >>> 16) % 201) - 100);
  }
}

const sos = iirfilter(5, [300, 6000], { fs: 30000, output: 'sos' });
const nSections = sos.length / 6;
const edge = sosfiltfiltPadlen(sos);
const zi = sosfiltZi(sos);

// ---- plain JS: the same extension and recursion, time outer, channels inner, state per channel
function plainSosfiltfilt(input, nc) {
  const nf = input.length / nc;
  const frames = nf + 2 * edge;
  const ext = new Float64Array(frames * nc);
  ext.set(input, edge * nc);
  const cell = new Int16Array(1);
  for (let i = 1; i <= edge; i++) {
    for (let c = 0; c < nc; c++) {
      cell[0] = 2 * input[c];
      cell[0] = cell[0] - input[i * nc + c];
      ext[(edge - i) * nc + c] = cell[0];
      cell[0] = 2 * input[(nf - 1) * nc + c];
      cell[0] = cell[0] - input[(nf - 1 - i) * nc + c];
      ext[(edge + nf - 1 + i) * nc + c] = cell[0];
    }
  }
  sosForwardBackward(ext, nc, sos, zi);
  return ext.slice(edge * nc, (edge + nf) * nc);
}

const simd = await createKernel({ simd: true });
const scalar = await createKernel({ simd: false });

// the kernel and the plain-JS version agree bit for bit (checked once, outside the timings)
const check = await sosfiltfilt(sos, x, CHANNELS, { kernel: simd });
const plainResult = plainSosfiltfilt(x, CHANNELS);
let mismatches = 0;
for (let i = 0; i < check.length; i++) if (!Object.is(check[i], plainResult[i])) mismatches++;

const out = new Float64Array(x.length);
const simdMs = await time(() => sosfiltfilt(sos, x, CHANNELS, { kernel: simd, out }));
const scalarMs = await time(() => sosfiltfilt(sos, x, CHANNELS, { kernel: scalar, out }));
const plainMs = await time(() => plainSosfiltfilt(x, CHANNELS));

// the two kernel passes alone, on an extended chunk already in linear memory
async function passesOnly(kernel) {
  const frames = FRAMES + 2 * edge;
  const dataBytes = frames * CHANNELS * 8;
  const base = await kernel.alloc(dataBytes + 1024 + nSections * 2 * CHANNELS * 8);
  new Float64Array(kernel.memory.buffer, base, frames * CHANNELS).fill(1);
  new Float64Array(kernel.memory.buffer, base + dataBytes, sos.length).set(sos);
  const state = base + dataBytes + 1024;
  const ms = await time(() => {
    for (const reverse of [false, true]) {
      sosfiltAt(kernel, { src: base, dst: base, numFrames: frames, numChannels: CHANNELS, sos: base + dataBytes, nSections, zi: state, reverse });
    }
  });
  kernel.free(base);
  return ms;
}
const simdPassMs = await passesOnly(simd);
const scalarPassMs = await passesOnly(scalar);

// the FFT a phase shift needs: rfft then irfft of every channel of the float64 chunk
const xf = Float64Array.from(x);
const fftMs = await time(async () => irfft(await rfft(xf, { numChannels: CHANNELS, kernel: simd }), FRAMES, { numChannels: CHANNELS, kernel: simd }));

// scipy in the same run, when this machine has it
let scipyMs = null;
let scipyFftMs = null;
const py = spawnSync('python3', ['-c', `
import time, numpy as np, scipy.signal as ss
rng = np.random.default_rng(0)
x = rng.integers(-300, 300, size=(${FRAMES}, ${CHANNELS}), dtype=np.int16)
sos = ss.iirfilter(5, [300.0, 6000.0], fs=30000.0, btype='bandpass', ftype='butter', output='sos')
ss.sosfiltfilt(sos, x, axis=0)
ts = []
for _ in range(${Math.max(3, Math.min(RUNS, 5))}):
    t0 = time.perf_counter(); ss.sosfiltfilt(sos, x, axis=0); ts.append(time.perf_counter() - t0)
print(sorted(ts)[len(ts) // 2] * 1000)
import scipy.fft as sf
xf = x.astype(np.float64)
ts = []
for _ in range(${Math.max(3, Math.min(RUNS, 5))}):
    t0 = time.perf_counter(); sf.irfft(sf.rfft(xf, axis=0), ${FRAMES}, axis=0); ts.append(time.perf_counter() - t0)
print(sorted(ts)[len(ts) // 2] * 1000)
`], { encoding: 'utf8' });
if (py.status === 0) [scipyMs, scipyFftMs] = py.stdout.trim().split('\n').map(Number);

const rows = [
  ['kernel SIMD, sosfiltfilt (extension, copies, 2 passes)', simdMs],
  ['kernel scalar, sosfiltfilt', scalarMs],
  ['plain JS, same arithmetic', plainMs],
  ['kernel SIMD, 2 passes in linear memory only', simdPassMs],
  ['kernel scalar, 2 passes in linear memory only', scalarPassMs],
];
if (scipyMs !== null) rows.push(['scipy.signal.sosfiltfilt (python3, same machine)', scipyMs]);
console.log(`sosfiltfilt, order-5 band-pass (5 sections), ${CHANNELS} ch x ${FRAMES} frames, float64; MB/s of int16 input (${(inputBytes / 1e6).toFixed(2)} MB), median of ${RUNS}`);
for (const [name, ms] of rows) console.log(`  ${name.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms ${mbps(ms).toFixed(0).padStart(6)} MB/s`);
console.log(`  kernel SIMD / plain JS: ${(plainMs / simdMs).toFixed(2)}x; SIMD / scalar: ${(scalarMs / simdMs).toFixed(2)}x` +
  (scipyMs !== null ? `; SIMD / scipy: ${(scipyMs / simdMs).toFixed(2)}x` : ''));
console.log(`  kernel result vs plain JS: ${mismatches === 0 ? 'bit-identical' : `${mismatches} values differ`}`);
console.log(`rfft + irfft of every channel (${FRAMES} points, float64), same input`);
console.log(`  ${'kernel SIMD (mixed radix 2, 3, 5)'.padEnd(58)} ${fftMs.toFixed(1).padStart(8)} ms ${mbps(fftMs).toFixed(0).padStart(6)} MB/s`);
if (scipyFftMs !== null) {
  console.log(`  ${'scipy.fft rfft + irfft (python3, same machine)'.padEnd(58)} ${scipyFftMs.toFixed(1).padStart(8)} ms ${mbps(scipyFftMs).toFixed(0).padStart(6)} MB/s`);
}
