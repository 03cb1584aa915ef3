// Throughput of spikewire's read path against baselines measured in the same run:
//   - a plain-JS loop doing the same conversion / gather into a new array,
//   - Uint8Array.set of the same bytes (the memcpy bound: no read path beats copying its input once).
// Figures are MB/s of int16 input and ratios between them; each is the median of repeated runs.
// Run: npm run bench  (builds first; uses the published entry, as a user would)
import { NumpyRecording } from 'spikewire';

const FS = 30000;
const CHANNELS = 384;
const FRAMES = 30000; // one second
const SECONDS = 60;
const GAIN = 0.195;
const OFFSET = -10;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn, runs = RUNS) {
  await fn(); // warm up
  await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1e3);

// Deterministic int16 samples (the values do not matter for speed, but keep them varied).
const samples = new Int16Array(FRAMES * CHANNELS * SECONDS);
let x = 12345;
for (let i = 0; i < samples.length; i++) {
  x = (x * 1103515245 + 12345) >>> 0;
  samples[i] = (x >>> 16) - 32768;
}
const rec = new NumpyRecording({ tracesList: [samples], samplingFrequency: FS, numChannels: CHANNELS });
rec.setChannelGains(GAIN);
rec.setChannelOffsets(OFFSET);
const chunk = samples.subarray(0, FRAMES * CHANNELS);
const chunkBytes = chunk.byteLength;
const scattered = Array.from({ length: 64 }, (_, i) => (i * 6 + 1) % CHANNELS); // every 6th channel
const scatteredSorted = [...scattered];
// shuffle deterministically so the gather is in arbitrary order
for (let i = scattered.length - 1; i > 0; i--) {
  const j = (i * 7919) % (i + 1);
  [scattered[i], scattered[j]] = [scattered[j], scattered[i]];
}

// ---- baselines
const memcpyTarget = new Uint8Array(chunkBytes);
const chunkU8 = new Uint8Array(chunk.buffer, chunk.byteOffset, chunkBytes);
const memcpyMs = await time(() => memcpyTarget.set(chunkU8));

const g = Math.fround(GAIN), o = Math.fround(OFFSET);
const jsConvertMs = await time(() => {
  const out = new Float32Array(chunk.length);
  for (let i = 0; i < chunk.length; i++) out[i] = chunk[i] * g + o;
  return out;
});
const jsOut = new Float32Array(chunk.length);
const jsConvertIntoMs = await time(() => {
  for (let i = 0; i < chunk.length; i++) jsOut[i] = chunk[i] * g + o;
  return jsOut;
});
const jsGatherMs = await time(() => {
  const k = scattered.length;
  const out = new Float32Array(FRAMES * k);
  for (let t = 0; t < FRAMES; t++) {
    const row = t * CHANNELS;
    for (let j = 0; j < k; j++) out[t * k + j] = chunk[row + scattered[j]] * g + o;
  }
  return out;
});

// ---- spikewire
const uvMs = await time(() => rec.getTraces({ startFrame: 0, endFrame: FRAMES, returnInUV: true }));
const out = new Float32Array(FRAMES * CHANNELS);
const uvOutMs = await time(() => rec.getTraces({ startFrame: 0, endFrame: FRAMES, returnInUV: true, out }));
const rawMs = await time(() => rec.getTraces({ startFrame: 0, endFrame: FRAMES }));
const gatherMs = await time(() => rec.getTraces({ startFrame: 0, endFrame: FRAMES, channelIds: scattered, returnInUV: true }));
const gatherSortedMs = await time(() => rec.getTraces({ startFrame: 0, endFrame: FRAMES, channelIds: scatteredSorted, returnInUV: true }));
const contiguous = Array.from({ length: 64 }, (_, i) => 100 + i);
const contiguousMs = await time(() => rec.getTraces({ startFrame: 0, endFrame: FRAMES, channelIds: contiguous, returnInUV: true }));
let checksum = 0;
const chunksMs = await time(async () => {
  for await (const c of rec.chunks({ chunkDuration: '1s', returnInUV: true })) checksum += c.data[0];
}, 5);
const chunksPerSecond = mbps(chunkBytes * SECONDS, chunksMs);

const rows = [
  ['memcpy bound: Uint8Array.set of one 1-s chunk', mbps(chunkBytes, memcpyMs)],
  ['plain JS loop: int16 -> float32 µV', mbps(chunkBytes, jsConvertMs)],
  ['plain JS loop: int16 -> float32 µV, into a reused array', mbps(chunkBytes, jsConvertIntoMs)],
  ['plain JS loop: gather 64 scattered channels in µV', mbps(chunkBytes, jsGatherMs)],
  ['getTraces raw, all channels', mbps(chunkBytes, rawMs)],
  ['getTraces µV, all channels', mbps(chunkBytes, uvMs)],
  ['getTraces µV, all channels, into `out`', mbps(chunkBytes, uvOutMs)],
  ['getTraces µV, 64 scattered channels (shuffled)', mbps(chunkBytes, gatherMs)],
  ['getTraces µV, 64 scattered channels (sorted)', mbps(chunkBytes, gatherSortedMs)],
  ['getTraces µV, 64 contiguous channels', mbps(chunkBytes, contiguousMs)],
  [`chunks() µV, 1-s chunks over ${SECONDS} s`, chunksPerSecond],
];
console.log(`spikewire bench — ${CHANNELS} channels int16, ${FRAMES} frames per chunk (${(chunkBytes / 1e6).toFixed(2)} MB), median of ${RUNS} runs, Node ${process.version}`);
for (const [name, v] of rows) console.log(`${name.padEnd(58)} ${v.toFixed(0).padStart(7)} MB/s`);
const ratio = (a, b) => (a / b).toFixed(2);
console.log('');
console.log(`getTraces µV / plain JS loop:                 ${ratio(mbps(chunkBytes, uvMs), mbps(chunkBytes, jsConvertMs))}x   (target >= 4)`);
console.log(`getTraces µV into out / plain JS loop into a reused array: ${ratio(mbps(chunkBytes, uvOutMs), mbps(chunkBytes, jsConvertIntoMs))}x`);
console.log(`getTraces µV 64 scattered / plain JS gather:  ${ratio(mbps(chunkBytes, gatherMs), mbps(chunkBytes, jsGatherMs))}x`);
console.log(`chunks() µV / memcpy bound:                   ${(100 * chunksPerSecond / mbps(chunkBytes, memcpyMs)).toFixed(0)}%   (target >= 30%)`);
if (!Number.isFinite(checksum)) console.log('(checksum)', checksum);
