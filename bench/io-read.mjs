// Read throughput of BinaryRecordingExtractor over a local file, against baselines measured in the
// same run:
//   - the bound: plain `FileHandle.read` of the whole file in 1-s chunks into one preallocated buffer,
//     no conversion at all. Measured two ways, into a Buffer and into a WebAssembly.Memory (reads into
//     wasm memory run about twice as fast here, see TOOLCHAIN §5); the bound is the faster of the two;
//   - for getTraces of 64 scattered channels in µV: the plain-JS equivalent (read the window's bytes
//     into a preallocated Buffer, then a JS gather/scale loop into a new Float32Array).
// The file (384 channels int16, 30 kHz, 60 s = 1.38 GB) is written once in the OS temp folder and
// reused while its size is right. Figures are MB/s of int16 file bytes; each is a median of runs.
// Run: npm run build && node bench/io-read.mjs   (BENCH_RUNS=n to change the number of runs)
import { open, stat } from 'node:fs/promises';
import { BinaryRecordingExtractor } from 'spikewire/node';
import { CHANNELS, CHUNK_BYTES, FILE_BYTES, FS, INPUT, SECONDS, ensureInput, wasmReadPass } from './input-file.mjs';

const GAIN = 0.195;
const OFFSET = -10;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const path = INPUT;

const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1e3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];


const created = await ensureInput();
const fh = await open(path, 'r');
const readBuffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);

/** Bound, first way: read the whole file in 1-s chunks into one preallocated Buffer. */
async function rawPass() {
  const t0 = performance.now();
  for (let pos = 0; pos < FILE_BYTES; pos += CHUNK_BYTES) {
    const { bytesRead } = await fh.read(readBuffer, 0, CHUNK_BYTES, pos);
    if (bytesRead !== CHUNK_BYTES) throw new Error('short read');
  }
  return performance.now() - t0;
}

/** Bound, second way: the same reads into a view of a WebAssembly.Memory (where spikewire reads). */
const rawWasmPass = wasmReadPass(fh, FILE_BYTES, CHUNK_BYTES);

const rec = await BinaryRecordingExtractor.open({
  filePaths: [path], samplingFrequency: FS, numChannels: CHANNELS, dtype: '<i2', gainToUV: GAIN, offsetToUV: OFFSET,
});

let checksum = 0;
async function chunksPass() {
  const t0 = performance.now();
  let frames = 0;
  for await (const c of rec.chunks({ chunkDuration: '1s', returnInUV: true })) {
    checksum += c.data[c.data.length - 1];
    frames += c.shape[0];
  }
  if (frames !== FS * SECONDS) throw new Error(`chunks covered ${frames} frames`);
  return performance.now() - t0;
}

// getTraces of 64 scattered channels (every 6th, in shuffled order) for 1-s windows.
const scattered = Array.from({ length: 64 }, (_, i) => (i * 6 + 1) % CHANNELS);
for (let i = scattered.length - 1; i > 0; i--) {
  const j = (i * 7919) % (i + 1);
  [scattered[i], scattered[j]] = [scattered[j], scattered[i]];
}
const windows = [3, 11, 17, 24, 29, 36, 41, 48, 55, 58].map((s) => s * FS);
const g = Math.fround(GAIN);
const o = Math.fround(OFFSET);
const samplesView = new Int16Array(readBuffer.buffer, readBuffer.byteOffset, CHUNK_BYTES / 2);

async function plainJsWindow(start) {
  const { bytesRead } = await fh.read(readBuffer, 0, CHUNK_BYTES, start * CHANNELS * 2);
  if (bytesRead !== CHUNK_BYTES) throw new Error('short read');
  const k = scattered.length;
  const out = new Float32Array(FS * k);
  for (let t = 0; t < FS; t++) {
    const row = t * CHANNELS;
    const dst = t * k;
    for (let j = 0; j < k; j++) out[dst + j] = Math.fround(Math.fround(samplesView[row + scattered[j]] * g) + o);
  }
  return out;
}
const spikewireWindow = (start) => rec.getTraces({ startFrame: start, endFrame: start + FS, channelIds: scattered, returnInUV: true });

// Correctness first: spikewire and the JS loop agree bit for bit.
{
  const a = await plainJsWindow(windows[3]);
  const b = (await spikewireWindow(windows[3])).data;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`spikewire and the JS reference differ at ${i}: ${b[i]} vs ${a[i]}`);
  }
}

async function windowsPass(fn) {
  const t0 = performance.now();
  for (const w of windows) await fn(w);
  return (performance.now() - t0) / windows.length;
}

// warm up (page cache, JIT, kernel memory), then interleave the variants run by run
await rawPass();
await chunksPass();
await windowsPass(plainJsWindow);
await windowsPass(spikewireWindow);
const times = { raw: [], rawWasm: [], chunks: [], js: [], sw: [] };
for (let r = 0; r < RUNS; r++) {
  times.raw.push(await rawPass());
  times.rawWasm.push(await rawWasmPass());
  times.chunks.push(await chunksPass());
  times.js.push(await windowsPass(plainJsWindow));
  times.sw.push(await windowsPass(spikewireWindow));
}
await rec.close();
await fh.close();

const rawBuffer = mbps(FILE_BYTES, median(times.raw));
const rawWasm = mbps(FILE_BYTES, median(times.rawWasm));
const bound = Math.max(rawBuffer, rawWasm);
const chunks = mbps(FILE_BYTES, median(times.chunks));
const js = mbps(CHUNK_BYTES, median(times.js));
const sw = mbps(CHUNK_BYTES, median(times.sw));

console.log(`spikewire io-read bench — ${CHANNELS} ch int16, ${FS} Hz, ${SECONDS} s (${(FILE_BYTES / 1e9).toFixed(2)} GB${created ? ', just written' : ''}) at ${path}`);
console.log(`median of ${RUNS} runs, Node ${process.version}; MB/s of int16 file bytes`);
const row = (name, v) => console.log(`${name.padEnd(74)} ${v.toFixed(0).padStart(7)} MB/s`);
row('raw FileHandle.read, 1-s chunks into one preallocated Buffer', rawBuffer);
row('raw FileHandle.read, 1-s chunks into one WebAssembly.Memory view', rawWasm);
row("chunks({ chunkDuration: '1s', returnInUV: true }), all 384 channels", chunks);
row('plain JS: FileHandle.read of a 1-s window + JS gather/scale of 64 channels', js);
row('getTraces of a 1-s window, 64 scattered channels, returnInUV', sw);
console.log('');
console.log(`chunks() µV / raw read bound (the faster raw read): ${((100 * chunks) / bound).toFixed(0)}%   (target >= 35%)`);
console.log(`getTraces 64 scattered µV / plain JS:               ${(sw / js).toFixed(2)}x  (target >= 2x)`);
if (!Number.isFinite(checksum)) console.log('(checksum)', checksum);
