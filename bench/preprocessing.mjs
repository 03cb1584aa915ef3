// Throughput of preprocessing chains on a 384-channel int16 recording at 30 kHz, read in 1-s chunks
// with one job (`chunks()` of the lazy recording, or save() to a temporary folder), in MB/s of the
// int16 input. Each chain is timed against a plain-JS implementation of the same arithmetic run in the
// same process (chunk plus margins, float64, the same filter / FFT rotation / median, rounding to
// int16), and against SpikeInterface's figures on this machine (given below: Python SpikeInterface
// cannot be installed here to measure them in the same run).
// Last, the same save over a raw file with nJobs 1 and 2 (worker threads), best of each, over a longer
// recording (the samples repeated): each worker costs about 1.5 warm chunks of CPU before it runs
// warm (starting the thread, loading the bundle, rebuilding the chain and its kernel: ~90 ms; its
// first chunk: ~200 ms of page faults on the kernel's fresh memory and ~100 ms of JIT warm-up), which
// on a 2-s recording (one chunk per worker) costs what the second core gains.
// Run after `npm run build`: node bench/preprocessing.mjs   (BENCH_SECONDS=n, BENCH_JOBS_SECONDS=n, BENCH_RUNS=n)
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sosfiltZi, sosForwardBackward } from './plain-sos.mjs';
import { bestMs, fmt, mbpsOf, readAll, syntheticInt16 } from './synthetic.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sw = await import(pathToFileURL(join(root, 'dist', 'node.mjs')).href);
const CHANNELS = 384;
const FS = 30000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Seconds of the recording saved with nJobs 1 and 2 (a whole number of repeats of the SECONDS). */
const JOBS_SECONDS = Math.max(1, Math.round(Number(process.env.BENCH_JOBS_SECONDS ?? 20) / SECONDS)) * SECONDS;
/** SpikeInterface 0.105 on this machine, MB/s of int16 input (one job, 1-s chunks). */
const SPIKEINTERFACE = { bandpass: 85, cmrGlobal: 182, hpPsGlobal: 20, hpPsLocal: 9.1, bandpassMedianSave: 40 };

// ---- the recording: deterministic int16 (sines plus noise), the Neuropixels probe and shifts of the fixtures
const FRAMES = FS * SECONDS;
const x = syntheticInt16(CHANNELS, FRAMES);
const fixtures = join(root, 'test', 'fixtures', 'spikeinterface', 'preprocessing', 'sources', 'np384');
const probegroup = JSON.parse(await readFile(join(fixtures, 'probegroup.to_dict.json'), 'utf8'));
const shifts = Float64Array.from(JSON.parse(await readFile(join(fixtures, 'source.to_dict_full.json'), 'utf8')).properties.inter_sample_shift);
const source = new sw.NumpyRecording({ tracesList: [x], samplingFrequency: FS, numChannels: CHANNELS });
source.setProbegroup(probegroup);
source.setProperty('inter_sample_shift', shifts);
const quiet = (fn) => { const w = console.warn; console.warn = () => {}; try { return fn(); } finally { console.warn = w; } };

// ---- plain JS, chunk by chunk: the chunk with its margins (zeros past the ends) as float64
function withMargins(start, end, margin) {
  const a = start - margin;
  const n = end - start + 2 * margin;
  const out = new Float64Array(n * CHANNELS);
  const from = Math.max(a, 0);
  const to = Math.min(end + margin, FRAMES);
  for (let i = (from - a) * CHANNELS, j = from * CHANNELS; j < to * CHANNELS; i++, j++) out[i] = x[j];
  return out;
}
const crop = (data, margin, n) => data.subarray(margin * CHANNELS, (margin + n) * CHANNELS);
const roundInt16 = (data) => Int16Array.from(data, (v) => Math.round(v));

/** scipy's sosfiltfilt over the time axis: odd extension, zi scaled by the edge samples, forward then backward. */
function sosfiltfilt(sos, zi, input) {
  const nc = CHANNELS;
  const nSections = sos.length / 6;
  const nf = input.length / nc;
  const edge = Math.min(3 * (2 * nSections + 1 - Math.min(sos.filter((_, i) => i % 6 === 2).filter((v) => v === 0).length, sos.filter((_, i) => i % 6 === 5).filter((v) => v === 0).length)), nf - 1);
  const frames = nf + 2 * edge;
  const ext = new Float64Array(frames * nc);
  ext.set(input, edge * nc);
  for (let i = 1; i <= edge; i++) {
    for (let c = 0; c < nc; c++) {
      ext[(edge - i) * nc + c] = 2 * input[c] - input[i * nc + c];
      ext[(edge + nf - 1 + i) * nc + c] = 2 * input[(nf - 1) * nc + c] - input[(nf - 1 - i) * nc + c];
    }
  }
  sosForwardBackward(ext, nc, sos, zi);
  return ext.subarray(edge * nc, (edge + nf) * nc);
}

/** Median of each row (channels `idx`) subtracted from the rows of `data` (all channels). */
function subtractMedian(data, nf, neighbours) {
  const out = new Float64Array(data.length);
  const buf = new Float64Array(CHANNELS);
  const ref = new Float64Array(CHANNELS);
  for (let t = 0; t < nf; t++) {
    const row = t * CHANNELS;
    if (neighbours === null) {
      for (let c = 0; c < CHANNELS; c++) buf[c] = data[row + c];
      const s = buf.sort();
      const m = CHANNELS % 2 ? s[CHANNELS >> 1] : (s[CHANNELS / 2 - 1] + s[CHANNELS / 2]) / 2;
      ref.fill(m);
    } else {
      for (let c = 0; c < CHANNELS; c++) {
        const nb = neighbours[c];
        const v = buf.subarray(0, nb.length);
        for (let j = 0; j < nb.length; j++) v[j] = data[row + nb[j]];
        v.sort();
        const k = nb.length;
        ref[c] = k % 2 ? v[k >> 1] : (v[k / 2 - 1] + v[k / 2]) / 2;
      }
    }
    for (let c = 0; c < CHANNELS; c++) out[row + c] = data[row + c] - ref[c];
  }
  return out;
}

/** The annulus of 'local' references: channels at distance in (inner, outer], else the closest `min` beyond inner. */
function localNeighbours(locations, inner, outer, min) {
  const n = CHANNELS;
  return Array.from({ length: n }, (_, c) => {
    const d = Array.from({ length: n }, (_, j) => Math.hypot(locations[2 * c] - locations[2 * j], locations[2 * c + 1] - locations[2 * j + 1]));
    const ring = d.map((v, j) => [v, j]).filter(([v]) => v > inner && v <= outer).map(([, j]) => j);
    if (ring.length >= min) return Int32Array.from(ring.sort((a, b) => a - b));
    return Int32Array.from(d.map((v, j) => [v, j]).filter(([v]) => v > inner).sort((a, b) => a[0] - b[0]).slice(0, min).map(([, j]) => j).sort((a, b) => a - b));
  });
}

/** Twiddles exp(-2πi k / N) of the top length N, shared by every level (a level of length n uses every N/n-th). */
let twiddles = { n: 0, cos: new Float64Array(0), sin: new Float64Array(0) };
function twiddleTable(n) {
  if (twiddles.n !== n) twiddles = { n, cos: Float64Array.from({ length: n }, (_, k) => Math.cos((2 * Math.PI * k) / n)), sin: Float64Array.from({ length: n }, (_, k) => -Math.sin((2 * Math.PI * k) / n)) };
  return twiddles;
}

/** A complex FFT of any length whose factors are small primes (mixed-radix, recursive), in place on (re, im); `top` is the outermost length. */
function fft(re, im, inverse, top = re.length) {
  const n = re.length;
  if (n === 1) return;
  let p = 2;
  while (n % p) p++;
  const m = n / p;
  const subRe = Array.from({ length: p }, () => new Float64Array(m));
  const subIm = Array.from({ length: p }, () => new Float64Array(m));
  for (let k = 0; k < m; k++) for (let r = 0; r < p; r++) { subRe[r][k] = re[k * p + r]; subIm[r][k] = im[k * p + r]; }
  for (let r = 0; r < p; r++) fft(subRe[r], subIm[r], inverse, top);
  const { cos, sin } = twiddleTable(top);
  const stride = top / n;
  const sign = inverse ? -1 : 1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let r = 0; r < p; r++) {
      const idx = ((r * k) % n) * stride;
      const c = cos[idx];
      const s = sign * sin[idx];
      const xr = subRe[r][k % m];
      const xi = subIm[r][k % m];
      sr += xr * c - xi * s;
      si += xr * s + xi * c;
    }
    re[k] = sr;
    im[k] = si;
  }
}

/** Each channel delayed by its shift: FFT, rotation exp(-i 2π f shift), inverse FFT (real part). */
function phaseShiftChunk(data, nf) {
  const out = new Float64Array(data.length);
  const re = new Float64Array(nf);
  const im = new Float64Array(nf);
  for (let c = 0; c < CHANNELS; c++) {
    for (let t = 0; t < nf; t++) { re[t] = data[t * CHANNELS + c]; im[t] = 0; }
    fft(re, im, false);
    for (let k = 0; k < nf; k++) {
      const f = k <= nf / 2 ? k / nf : (k - nf) / nf;
      const a = -2 * Math.PI * f * shifts[c];
      const cr = Math.cos(a);
      const ci = Math.sin(a);
      const r = re[k] * cr - im[k] * ci;
      im[k] = re[k] * ci + im[k] * cr;
      re[k] = r;
    }
    fft(re, im, true);
    for (let t = 0; t < nf; t++) out[t * CHANNELS + c] = re[t] / nf;
  }
  return out;
}

// ---- the chains, each as the library runs it and as plain JS does
const bp = sw.bandpassFilter(source);
const hp = sw.highpassFilter(source);
const bpSos = bp.coefficients.sos;
const hpSos = hp.coefficients.sos;
const bpZi = sosfiltZi(bpSos);
const hpZi = sosfiltZi(hpSos);
const psMargin = sw.phaseShift(hp).margin;
const locations = source.getChannelLocations();
const local = localNeighbours(Array.from(locations.flat ?? locations).map(Number), 30, 55, 5);

function plainChunks(fn) {
  const outs = [];
  for (let start = 0; start < FRAMES; start += FS) outs.push(roundInt16(fn(start, Math.min(FRAMES, start + FS))));
  return outs;
}
const plainFilter = (sos, zi, margin) => (s, e) => crop(sosfiltfilt(sos, zi, withMargins(s, e, margin)), margin, e - s);
const plainHpPs = (s, e) => {
  // highpass with its margin around the phase shift's: the filter reads margin + psMargin around the chunk
  const n = e - s + 2 * psMargin;
  const filtered = roundInt16(crop(sosfiltfilt(hpSos, hpZi, withMargins(s - psMargin, e + psMargin, hp.marginSamples)), hp.marginSamples, n));
  // frames before 0 / past the end are zeros for the phase shift
  for (let t = 0; t < n; t++) if (s - psMargin + t < 0 || s - psMargin + t >= FRAMES) filtered.fill(0, t * CHANNELS, (t + 1) * CHANNELS);
  return roundInt16(crop(phaseShiftChunk(filtered, n), psMargin, e - s));
};

const CASES = [
  { key: 'bandpass', name: 'bandpassFilter (sosfiltfilt order 5)', lib: () => sw.bandpassFilter(source), plain: () => plainChunks(plainFilter(bpSos, bpZi, bp.marginSamples)) },
  { key: 'cmrGlobal', name: 'commonReference global median', lib: () => sw.commonReference(source), plain: () => plainChunks((s, e) => subtractMedian(withMargins(s, e, 0), e - s, null)) },
  {
    key: 'hpPsGlobal', name: 'highpass → phaseShift → global median', lib: () => sw.commonReference(sw.phaseShift(sw.highpassFilter(source))),
    plain: () => plainChunks((s, e) => subtractMedian(plainHpPs(s, e), e - s, null)),
  },
  {
    key: 'hpPsLocal', name: 'highpass → phaseShift → local median', lib: () => quiet(() => sw.commonReference(sw.phaseShift(sw.highpassFilter(source)), { reference: 'local' })),
    plain: () => plainChunks((s, e) => subtractMedian(plainHpPs(s, e), e - s, local)),
  },
];

const best = (fn, runs = RUNS) => bestMs(fn, runs);
const mbps = (ms) => mbpsOf(x.byteLength, ms);

const dir = await mkdtemp(join(tmpdir(), 'spikewire-bench-pp-'));
const rows = [];
let jobs = null;
try {
  for (const c of CASES) {
    const rec = c.lib();
    const lib = mbps(await best(() => readAll(rec, FS)));
    console.error(`${c.name}: spikewire ${fmt(lib)} MB/s`);
    const plain = mbps(await best(async () => c.plain(), 1));
    console.error(`${c.name}: plain JS ${fmt(plain)} MB/s`);
    rows.push({ name: c.name, lib, plain, si: SPIKEINTERFACE[c.key] });
  }
  // bandpass → median reference → save() to a folder, against plain JS filtering, referencing and writing the same bytes
  let n = 0;
  const rec = sw.commonReference(sw.bandpassFilter(source));
  const lib = mbps(await best(async () => {
    // a NumpyRecording source has no dict: save() warns that the folder has no provenance.json
    const warn = console.warn;
    console.warn = () => {};
    try {
      const saved = await rec.save({ folder: join(dir, `saved-${n++}`), chunkSize: FS });
      await saved.close();
    } finally {
      console.warn = warn;
    }
  }));
  const plain = mbps(await best(async () => {
    const fd = openSync(join(dir, `plain-${n++}.raw`), 'w');
    try {
      for (const chunk of plainChunks((s, e) => subtractMedian(roundInt16(plainFilter(bpSos, bpZi, bp.marginSamples)(s, e)), e - s, null))) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  }, 1));
  rows.push({ name: 'bandpass → median → save()', lib, plain, si: SPIKEINTERFACE.bandpassMedianSave });

  // the same chain over the samples repeated to JOBS_SECONDS in a raw file (worker threads rebuild it
  // from its dict), saved with one job and with two, rounds alternating the order; best of each
  const raw = join(dir, 'source.raw');
  const fd = openSync(raw, 'w');
  try {
    for (let s = 0; s < JOBS_SECONDS; s += SECONDS) writeSync(fd, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  } finally {
    closeSync(fd);
  }
  const file = await sw.BinaryRecordingExtractor.open({ filePaths: [raw], samplingFrequency: FS, numChannels: CHANNELS, dtype: 'int16' });
  const chain = sw.commonReference(sw.bandpassFilter(file));
  const fastest = { 1: Infinity, 2: Infinity };
  // CPU time of all threads (workers, I/O) per save: what two jobs cost in work whatever else runs
  const leanest = { 1: Infinity, 2: Infinity };
  for (let round = 0; round < RUNS; round++) {
    for (const nJobs of round % 2 ? [2, 1] : [1, 2]) {
      const folder = join(dir, `jobs-${n++}`);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const saved = await chain.save({ folder, chunkSize: FS, nJobs });
      fastest[nJobs] = Math.min(fastest[nJobs], performance.now() - t0);
      const { user, system } = process.cpuUsage(cpu0);
      leanest[nJobs] = Math.min(leanest[nJobs], (user + system) / 1e3);
      await saved.close();
      await rm(folder, { recursive: true, force: true }); // each run writes a copy of the recording: keep one at a time on disk
    }
  }
  await file.close();
  const jobsBytes = x.byteLength * (JOBS_SECONDS / SECONDS);
  jobs = { one: mbpsOf(jobsBytes, fastest[1]), two: mbpsOf(jobsBytes, fastest[2]), cpuOne: leanest[1], cpuTwo: leanest[2] };
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(`${CHANNELS} ch int16, ${FS} Hz, ${SECONDS} s in 1-s chunks, one job; MB/s of int16 input (spikewire: best of ${RUNS} runs; plain JS: one run)`);
console.log('| chain | spikewire | plain JS | × plain JS | SpikeInterface | × SpikeInterface |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.lib)} | ${fmt(r.plain)} | ${(r.lib / r.plain).toFixed(1)}× | ${r.si} | ${(r.lib / r.si).toFixed(2)}× |`);
console.log(`\nbandpass → median → save() of a ${JOBS_SECONDS}-s raw file: nJobs 1 ${fmt(jobs.one)} MB/s, nJobs 2 ${fmt(jobs.two)} MB/s (${(jobs.two / jobs.one).toFixed(2)}×; best of ${RUNS} each)`);
// on a shared machine the wall-clock ratio depends on what else runs; the CPU ratio does not: two jobs
// on two free cores can at best run 2 × (CPU of one job / CPU of two jobs) times faster
console.log(`  CPU time (all threads, least of ${RUNS}): nJobs 1 ${fmt(jobs.cpuOne)} ms, nJobs 2 ${fmt(jobs.cpuTwo)} ms (speed-up bound on 2 free cores: ${(2 * jobs.cpuOne / jobs.cpuTwo).toFixed(2)}×)`);
