// Read throughput of readSpikeglx over a Neuropixels 1.0 AP stream, against baselines measured in
// the same run:
//   - the bound: the .bin's bytes read in 1-s chunks straight into WebAssembly memory, nothing else
//     (the same bound as bench/io-read.mjs, from input-file.mjs);
//   - plain JS doing the same job: read the 1-s chunk into a preallocated Buffer, then a JS loop
//     takes the 384 neural columns of the 385 (SY0 is its own stream) into a reused array, scaled to
//     µV with the stream's gains, or as they are (int16).
// The run folder is written once in the OS temp folder (its .meta is the fixture
// spikeglx/np1_ap_lf's AP .meta with this file's size, time and SHA-1) and reused while its size is
// right: 385 saved channels (384 AP + SY0), 30 kHz, 20 s = 462 MB. Figures are MB/s of .bin bytes;
// each is a median of runs, the variants interleaved run by run.
// Run: npm run build && node bench/acquisition.mjs   (BENCH_RUNS=n to change the number of runs)
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSpikeglx } from 'spikewire/node';
import { ensureFile, wasmReadPass } from './input-file.mjs';

const FS = 30000;
const SAVED = 385; // 384 AP channels + SY0
const AP = SAVED - 1;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHUNK_BYTES = FS * SAVED * 2;
const FILE_BYTES = CHUNK_BYTES * SECONDS;
const FIXTURE_META = fileURLToPath(new URL(
  '../test/fixtures/spikeinterface/acquisition/spikeglx/np1_ap_lf/data/M27_run1_g0/M27_run1_g0_imec0/M27_run1_g0_t0.imec0.ap.meta',
  import.meta.url,
));

const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1e3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- the run folder: <tmp>/spikewire-bench-spikeglx-<s>s/M27_run1_g0/M27_run1_g0_imec0/*.imec0.ap.{bin,meta}
const root = join(tmpdir(), `spikewire-bench-spikeglx-${SECONDS}s`);
const probeFolder = join(root, 'M27_run1_g0', 'M27_run1_g0_imec0');
const bin = join(probeFolder, 'M27_run1_g0_t0.imec0.ap.bin');
await mkdir(probeFolder, { recursive: true });
// As the fixtures' data: neural column c holds (noise & ~511) | c, so (value & 511) == c names the
// channel; SY0 is 64 during the first half of every second, else 0.
let x = 12345;
const created = await ensureFile(bin, CHUNK_BYTES, SECONDS, (chunk) => {
  for (let t = 0; t < FS; t++) {
    const row = t * SAVED;
    for (let c = 0; c < AP; c++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      chunk[row + c] = (((x >>> 16) - 32768) & ~511) | c;
    }
    chunk[row + AP] = t < FS / 2 ? 64 : 0;
  }
});
if (created) {
  const hash = createHash('sha1');
  const fh = await open(bin, 'r');
  for await (const piece of fh.createReadStream()) hash.update(piece);
  const sha1 = hash.digest('hex').toUpperCase();
  const meta = (await readFile(FIXTURE_META, 'latin1'))
    .replace(/^fileSHA1=.*$/m, `fileSHA1=${sha1}\r`)
    .replace(/^fileSizeBytes=.*$/m, `fileSizeBytes=${FILE_BYTES}\r`)
    .replace(/^fileTimeSecs=.*$/m, `fileTimeSecs=${SECONDS}\r`);
  await writeFile(bin.replace(/\.bin$/, '.meta'), meta, 'latin1');
}

// ---- the recording, and its gains for the plain-JS loop
const rec = await readSpikeglx(join(root, 'M27_run1_g0'), { streamId: 'imec0.ap' });
if (rec.getNumChannels() !== AP || rec.getNumSamples() !== FS * SECONDS) throw new Error(`unexpected recording ${rec}`);
const gains = Float32Array.from(rec.getChannelGains());
const offsets = Float32Array.from(rec.getChannelOffsets());

const fh = await open(bin, 'r');
const boundPass = wasmReadPass(fh, FILE_BYTES, CHUNK_BYTES);

const readBuffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
const samples = new Int16Array(readBuffer.buffer, readBuffer.byteOffset, CHUNK_BYTES / 2);
const jsUV = new Float32Array(FS * AP);
const jsRaw = new Int16Array(FS * AP);
let checksum = 0;

/** Plain JS: read each 1-s chunk, then take the 384 neural columns (scaled to µV, or raw). */
async function jsPass(inUV) {
  const t0 = performance.now();
  for (let pos = 0; pos < FILE_BYTES; pos += CHUNK_BYTES) {
    const { bytesRead } = await fh.read(readBuffer, 0, CHUNK_BYTES, pos);
    if (bytesRead !== CHUNK_BYTES) throw new Error('short read');
    for (let t = 0; t < FS; t++) {
      const row = t * SAVED;
      const dst = t * AP;
      if (inUV) for (let c = 0; c < AP; c++) jsUV[dst + c] = Math.fround(Math.fround(samples[row + c] * gains[c]) + offsets[c]);
      else for (let c = 0; c < AP; c++) jsRaw[dst + c] = samples[row + c];
    }
    checksum += inUV ? jsUV[jsUV.length - 1] : jsRaw[jsRaw.length - 1];
  }
  return performance.now() - t0;
}

/** spikewire: chunks() of the AP stream, 1 s each (views into the kernel's memory, no copy out). */
async function chunksPass(returnInUV) {
  const t0 = performance.now();
  let frames = 0;
  for await (const c of rec.chunks({ chunkDuration: '1s', returnInUV })) {
    checksum += c.data[c.data.length - 1];
    frames += c.shape[0];
  }
  if (frames !== FS * SECONDS) throw new Error(`chunks covered ${frames} frames`);
  return performance.now() - t0;
}

/** spikewire: getTraces of each 1-s window into one reused `out` array. */
async function getTracesPass(returnInUV) {
  const out = returnInUV ? jsUV : jsRaw;
  const t0 = performance.now();
  for (let start = 0; start < FS * SECONDS; start += FS) {
    await rec.getTraces({ startFrame: start, endFrame: start + FS, returnInUV, out });
    checksum += out[out.length - 1];
  }
  return performance.now() - t0;
}

// Correctness first: the first second through spikewire and through the JS loop agree bit for bit,
// and the raw values name their channels.
{
  await fh.read(readBuffer, 0, CHUNK_BYTES, 0);
  const uv = (await rec.getTraces({ startFrame: 0, endFrame: 10, returnInUV: true })).data;
  const raw = (await rec.getTraces({ startFrame: 0, endFrame: 10 })).data;
  for (let i = 0; i < 10 * AP; i++) {
    const want = Math.fround(Math.fround(samples[Math.floor(i / AP) * SAVED + (i % AP)] * gains[i % AP]) + offsets[i % AP]);
    if (!Object.is(uv[i], want)) throw new Error(`µV sample ${i}: spikewire ${uv[i]}, JS ${want}`);
    if ((raw[i] & 511) !== i % AP) throw new Error(`raw sample ${i} = ${raw[i]} is not from channel ${i % AP}`);
  }
}

// warm up (page cache, JIT, kernel memory), then interleave the variants run by run
const variants = {
  bound: () => boundPass(),
  chunksUV: () => chunksPass(true),
  chunksRaw: () => chunksPass(false),
  tracesUV: () => getTracesPass(true),
  tracesRaw: () => getTracesPass(false),
  jsUV: () => jsPass(true),
  jsRaw: () => jsPass(false),
};
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const fn of Object.values(variants)) await fn();
for (let r = 0; r < RUNS; r++) for (const [k, fn] of Object.entries(variants)) times[k].push(await fn());
await rec.close();
await fh.close();

const rate = Object.fromEntries(Object.entries(times).map(([k, ms]) => [k, mbps(FILE_BYTES, median(ms))]));
console.log(`spikewire acquisition bench — SpikeGLX NP1.0 AP, ${SAVED} saved channels int16, ${FS} Hz, ${SECONDS} s (${(FILE_BYTES / 1e6).toFixed(0)} MB${created ? ', just written' : ''}) at ${root}`);
console.log(`median of ${RUNS} runs, Node ${process.version}; MB/s of .bin bytes; 1-s chunks of the 384 AP channels`);
const row = (name, key) => console.log(`${name.padEnd(78)} ${rate[key].toFixed(0).padStart(7)} MB/s`);
row('bound: FileHandle.read of 1-s chunks into one WebAssembly.Memory view', 'bound');
row("readSpikeglx chunks({ chunkDuration: '1s', returnInUV: true })", 'chunksUV');
row("readSpikeglx chunks({ chunkDuration: '1s' }) raw int16", 'chunksRaw');
row('readSpikeglx getTraces of 1-s windows into out, returnInUV', 'tracesUV');
row('readSpikeglx getTraces of 1-s windows into out, raw int16', 'tracesRaw');
row('plain JS: read into a Buffer + loop to µV (reused Float32Array)', 'jsUV');
row('plain JS: read into a Buffer + loop, raw int16 (reused Int16Array)', 'jsRaw');
console.log('');
const pct = (key) => `${((100 * rate[key]) / rate.bound).toFixed(0)}%`;
console.log(`chunks() µV / bound:     ${pct('chunksUV')}   (target >= 35%)`);
console.log(`chunks() raw / bound:    ${pct('chunksRaw')}   (raw / µV: ${(rate.chunksRaw / rate.chunksUV).toFixed(2)}x)`);
console.log(`getTraces µV / bound:    ${pct('tracesUV')}`);
console.log(`getTraces raw / bound:   ${pct('tracesRaw')}`);
console.log(`chunks() µV / plain JS:  ${(rate.chunksUV / rate.jsUV).toFixed(2)}x   raw: ${(rate.chunksRaw / rate.jsRaw).toFixed(2)}x`);
if (!Number.isFinite(checksum)) console.log('(checksum)', checksum);
