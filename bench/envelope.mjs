// Throughput of the kernel's min/max envelopes (what a viewer draws: one min and one max per pixel
// column and channel) on one second of a 384-channel recording reduced to 1000 columns, against
// baselines measured in the same run:
//   - the kernel on a chunk already in linear memory (envelopeAt; SIMD and scalar builds),
//   - computeEnvelopes on an array (copy into linear memory, reduce, copy the envelopes out),
//   - a plain-JS loop doing the same reduction (time outer, channels inner, running min/max rows),
//   - Uint8Array.set of the same bytes (the memcpy bound: a pass over the input once).
// For int16 input (raw recordings) and float32 (µV or filtered traces). Figures are MB/s of input and
// ratios; each is a median of runs. createKernel / envelopeAt are not in the public entry, so this
// bundles them from src/ with esbuild.  Run: node bench/envelope.mjs   (BENCH_RUNS=n to change runs)
import { importFromSrc, medianMs } from './src-bundle.mjs';

const CHANNELS = 384;
const FRAMES = 30000;
const COLUMNS = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const { createKernel, envelopeAt, envelopeScratchBytes, computeEnvelopes } = await importFromSrc(
  `export { createKernel, envelopeAt, envelopeScratchBytes, computeEnvelopes } from './src/kernel/index.ts';`,
);
const time = (fn) => medianMs(fn, RUNS);

/** The same reduction in plain JS: running min/max rows per column, written to float32 rows. */
function plainEnvelope(data, nf, nc, columns, fpc, min, max) {
  // running rows of the input's own type, as the kernel keeps them
  const lo = new data.constructor(nc);
  const hi = new data.constructor(nc);
  for (let k = 0; k < columns; k++) {
    const start = Math.floor(k * fpc);
    const end = Math.min(nf, Math.max(Math.floor((k + 1) * fpc), start + 1));
    let row = start * nc;
    for (let c = 0; c < nc; c++) lo[c] = hi[c] = data[row + c];
    for (let t = start + 1; t < end; t++) {
      row = t * nc;
      for (let c = 0; c < nc; c++) {
        const x = data[row + c];
        if (x < lo[c]) lo[c] = x;
        if (x > hi[c]) hi[c] = x;
      }
    }
    min.set(lo, k * nc);
    max.set(hi, k * nc);
  }
}

const seeded = (n, f) => {
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f(i, (s >>> 16) - 32768);
  }
};
const inputs = {
  int16: new Int16Array(FRAMES * CHANNELS),
  float32: new Float32Array(FRAMES * CHANNELS),
};
seeded(FRAMES * CHANNELS, (i, v) => {
  inputs.int16[i] = v;
  inputs.float32[i] = v * 0.195;
});

const kernels = { SIMD: await createKernel({ simd: true }), scalar: await createKernel({ simd: false }) };
const fpc = FRAMES / COLUMNS;
console.log(`min/max envelopes: ${CHANNELS} ch x ${FRAMES} frames -> ${COLUMNS} columns; MB/s of input, median of ${RUNS}`);
for (const [dtype, data] of Object.entries(inputs)) {
  const bytes = data.byteLength;
  const mbps = (ms) => bytes / 1e6 / (ms / 1e3);
  const rows = [];
  const results = {};
  for (const [name, kernel] of Object.entries(kernels)) {
    const scratchBytes = envelopeScratchBytes(dtype, CHANNELS, COLUMNS);
    const outBytes = COLUMNS * CHANNELS * 4;
    const base = await kernel.alloc(bytes + scratchBytes + 2 * outBytes);
    kernel.bytes(base, bytes).set(new Uint8Array(data.buffer));
    const p = {
      src: base, dtype, numChannels: CHANNELS, numFrames: FRAMES, columns: COLUMNS, framesPerColumn: fpc,
      scratch: base + bytes, dstMin: base + bytes + scratchBytes, dstMax: base + bytes + scratchBytes + outBytes,
    };
    const ms = await time(() => envelopeAt(kernel, p));
    results[name] = Float32Array.from(kernel.view('float32', p.dstMin, COLUMNS * CHANNELS));
    rows.push([`kernel ${name}, chunk in linear memory`, ms]);
    kernel.free(base);
    if (name === 'SIMD') {
      const out = { min: new Float32Array(COLUMNS * CHANNELS), max: new Float32Array(COLUMNS * CHANNELS) };
      rows.push(['computeEnvelopes (SIMD, copy in + out, into out)', await time(() => computeEnvelopes({ data, shape: [FRAMES, CHANNELS] }, { columns: COLUMNS, kernel }, out))]);
    }
  }
  const min = new Float32Array(COLUMNS * CHANNELS);
  const max = new Float32Array(COLUMNS * CHANNELS);
  const plainMs = await time(() => plainEnvelope(data, FRAMES, CHANNELS, COLUMNS, fpc, min, max));
  rows.push(['plain JS, same reduction', plainMs]);
  const target = new Uint8Array(bytes);
  const source = new Uint8Array(data.buffer);
  const copyMs = await time(() => target.set(source));
  rows.push(['Uint8Array.set of the input (memcpy bound)', copyMs]);
  const same = results.SIMD.every((v, i) => Object.is(v, min[i])) && results.scalar.every((v, i) => Object.is(v, min[i]));
  console.log(`${dtype} (${(bytes / 1e6).toFixed(2)} MB)`);
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(52)} ${ms.toFixed(2).padStart(8)} ms ${mbps(ms).toFixed(0).padStart(7)} MB/s`);
  const simdMs = rows[0][1];
  console.log(
    `  kernel SIMD / plain JS: ${(plainMs / simdMs).toFixed(1)}x; SIMD / scalar: ${(rows[2][1] / simdMs).toFixed(1)}x;` +
      ` SIMD vs memcpy: ${(copyMs / simdMs).toFixed(2)}x the memcpy speed; minima ${same ? 'bit-identical' : 'DIFFER'} across SIMD, scalar and plain JS`,
  );
}
