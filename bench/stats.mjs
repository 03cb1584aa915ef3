// Throughput of the statistics-based preprocessors on a 384-channel int16 recording at 30 kHz, read
// in 1-s chunks with one job (`chunks()` of the lazy recording), in MB/s of the int16 input: whiten
// (global, the whitening matrix computed once beforehand) and highpassSpatialFilter (AGC, 60 mirrored
// channels each side, the spatial Butterworth, the RMS values given). Each is timed against a
// plain-JS implementation of the same arithmetic in the same process (float64 loops over the same
// chunks with the same margins), reported as a ratio.
// Run after `npm run build`: node bench/stats.mjs   (BENCH_SECONDS=n, BENCH_RUNS=n)
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sosfiltZi, sosForwardBackward } from './plain-sos.mjs';
import { fmt, mbpsOf, medianMs, readAll, syntheticInt16 } from './synthetic.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sw = await import(pathToFileURL(join(root, 'dist', 'node.mjs')).href);
const CHANNELS = 384;
const FS = 30000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

// ---- the recording: deterministic int16 (sines plus noise) with the Neuropixels probe of the fixtures
const FRAMES = FS * SECONDS;
const x = syntheticInt16(CHANNELS, FRAMES);
const fixtures = join(root, 'test', 'fixtures', 'spikeinterface', 'preprocessing', 'sources', 'np384');
const probegroup = JSON.parse(await readFile(join(fixtures, 'probegroup.to_dict.json'), 'utf8'));
const source = new sw.NumpyRecording({ tracesList: [x], samplingFrequency: FS, numChannels: CHANNELS });
source.setProbegroup(probegroup);
const quiet = async (fn) => { const w = console.warn; console.warn = () => {}; try { return await fn(); } finally { console.warn = w; } };

const median = (fn, runs = RUNS) => medianMs(fn, runs);
const mbps = (ms) => mbpsOf(x.byteLength, ms);

/** Runs `fn(start, end)` over 1-s chunks and keeps the outputs alive until the end (as a consumer would use them). */
function plainChunks(fn) {
  let sink = 0;
  for (let s = 0; s < FRAMES; s += FS) {
    const out = fn(s, Math.min(s + FS, FRAMES));
    sink += out[out.length - 1];
  }
  return sink;
}

// ---- whiten (global): float32(x - M) @ W per frame, float64 sums
const white = await quiet(() => sw.whiten(source, { dtype: 'float32', applyMean: true, numChunksPerSegment: 20, chunkSize: 3000, seed: 0 }));
const W = Float64Array.from(white.W);
const M = Float64Array.from(white.M);
function plainWhiten(start, end) {
  const n = CHANNELS;
  const frames = end - start;
  const out = new Float32Array(frames * n);
  const row = new Float64Array(n);
  const acc = new Float64Array(n);
  for (let t = 0; t < frames; t++) {
    const base = (start + t) * n;
    for (let i = 0; i < n; i++) row[i] = Math.fround(x[base + i] - M[i]);
    acc.fill(0);
    for (let i = 0; i < n; i++) {
      const a = row[i];
      const wr = i * n;
      for (let j = 0; j < n; j++) acc[j] += a * W[wr + j];
    }
    out.set(acc, t * n);
  }
  return out;
}

// ---- highpassSpatialFilter: AGC, mirrored padding, Butterworth across channels (forward-backward), gains back
const rmsValues = await sw.getNoiseLevels(source, { method: 'rms', returnInUV: false, randomSliceKwargs: { numChunksPerSegment: 10, chunkSize: 3000, seed: 0 } });
const spatial = await sw.highpassSpatialFilter(source, { rmsValues, dtype: 'float32' });
const PAD = 60;
const HALF = 1500;
// scipy.signal.butter(3, 0.01, 'highpass', output='sos') and its sosfilt_zi, as the library designs them
const sos = [0.969071174031813, -0.969071174031813, 0.0, 1.0, -0.9690674171937933, 0.0, 1.0, -2.0, 1.0, 1.0, -1.9681033112560975, 0.9690749308698331];
const zi = sosfiltZi(sos);
const order = Array.from({ length: CHANNELS }, (_, i) => i);
{
  const loc = source.getChannelLocations();
  order.sort((a, b) => loc[2 * a + 1] - loc[2 * b + 1] || loc[2 * a] - loc[2 * b] || a - b);
}
const epsilons = Float64Array.from(rmsValues, (r) => Math.fround(0.003 * r));
function plainSpatial(start, end) {
  const n = CHANNELS;
  const a = Math.max(0, start - HALF);
  const b = Math.min(FRAMES, end + HALF);
  const frames = b - a;
  // depth order, float32
  const tr = new Float64Array(frames * n);
  for (let t = 0; t < frames; t++) for (let c = 0; c < n; c++) tr[t * n + c] = x[(a + t) * n + order[c]];
  // AGC: Hann-weighted running mean of |x| (prefix sums of |x|, |x| cos, |x| sin)
  const gains = new Float64Array(frames * n);
  let wsum = 0;
  for (let j = -HALF; j <= HALF; j++) wsum += 0.5 + 0.5 * Math.cos((Math.PI * j) / HALF);
  const cos = Float64Array.from({ length: frames }, (_, k) => Math.cos((Math.PI * k) / HALF));
  const sin = Float64Array.from({ length: frames }, (_, k) => Math.sin((Math.PI * k) / HALF));
  const p0 = new Float64Array(frames + 1);
  const pc = new Float64Array(frames + 1);
  const ps = new Float64Array(frames + 1);
  for (let c = 0; c < n; c++) {
    for (let k = 0; k < frames; k++) {
      const v = Math.abs(tr[k * n + c]);
      p0[k + 1] = p0[k] + v;
      pc[k + 1] = pc[k] + v * cos[k];
      ps[k + 1] = ps[k] + v * sin[k];
    }
    for (let t = 0; t < frames; t++) {
      const lo = Math.max(0, t - HALF);
      const hi = Math.min(frames, t + HALF + 1);
      const g = (0.5 * (p0[hi] - p0[lo]) + 0.5 * (cos[t] * (pc[hi] - pc[lo]) + sin[t] * (ps[hi] - ps[lo]))) / wsum;
      gains[t * n + c] = g;
      tr[t * n + c] = Math.fround(tr[t * n + c] / Math.max(epsilons[order[c]], g));
    }
  }
  // mirrored channels, transposed (channels as rows, frames as lanes), odd extension, forward-backward
  const np = n + 2 * PAD;
  const edge = 12;
  const rows = np + 2 * edge;
  const ext = new Float64Array(rows * frames);
  const src = (j) => (j < PAD ? PAD - 1 - j : j < PAD + n ? j - PAD : n - 1 - (j - PAD - n));
  for (let j = 0; j < np; j++) { const c = src(j); for (let t = 0; t < frames; t++) ext[(edge + j) * frames + t] = tr[t * n + c]; }
  for (let i = 1; i <= edge; i++) {
    for (let t = 0; t < frames; t++) {
      ext[(edge - i) * frames + t] = 2 * ext[edge * frames + t] - ext[(edge + i) * frames + t];
      ext[(edge + np - 1 + i) * frames + t] = 2 * ext[(edge + np - 1) * frames + t] - ext[(edge + np - 1 - i) * frames + t];
    }
  }
  sosForwardBackward(ext, frames, sos, zi);
  const out = new Float32Array((end - start) * n);
  for (let c = 0; c < n; c++) {
    const sorted = order.indexOf(c);
    for (let t = start - a; t < end - a; t++) out[(t - (start - a)) * n + c] = ext[(edge + PAD + sorted) * frames + t] * gains[t * n + sorted];
  }
  return out;
}

const rows = [];
for (const [name, rec, plain] of [['whiten (global)', white, plainWhiten], ['highpassSpatialFilter', spatial, plainSpatial]]) {
  const lib = mbps(await median(() => readAll(rec, FS)));
  console.error(`${name}: spikewire ${fmt(lib)} MB/s`);
  const js = mbps(await median(async () => plainChunks(plain), 1));
  console.error(`${name}: plain JS ${fmt(js)} MB/s`);
  rows.push({ name, lib, js });
}
console.log(`${CHANNELS} ch int16, ${FS} Hz, ${SECONDS} s in 1-s chunks, one job; MB/s of int16 input (spikewire: median of ${RUNS} runs; plain JS: one run)`);
console.log('| preprocessor | spikewire | plain JS | × plain JS |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.lib)} | ${fmt(r.js)} | ${(r.lib / r.js).toFixed(1)}× |`);
