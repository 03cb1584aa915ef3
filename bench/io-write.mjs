// Throughput of BinaryRecordingExtractor.writeRecording (SpikeInterface's write_binary_recording)
// against its bound measured in the same run: a raw read+write copy of the same bytes in 1-s chunks
// (fs read into one reused buffer, write to another file), with nothing in between.
//
// The input is a 384-channel int16 file of 60 s at 30 kHz (1.38 GB) in os.tmpdir(), created once and
// reused while its size is right (the same file as bench/io-read.mjs). Outputs go to os.tmpdir() and
// are deleted. Rounds alternate the measured paths so that page-cache and disk state are shared
// fairly; each figure is the median round. Target: writeRecording >= 70% of the raw copy.
//
// writeRecording writes a temporary file beside the target and renames it into place (no fsync for
// sample files, as SpikeInterface only flushes). Two more rows show the costs around the writer's
// own: the raw copy with an fsync, and writeRecording into a ByteSink over a plain file handle (no
// temporary file or rename).
//
// Run: npm run build && node bench/io-write.mjs   (BENCH_ROUNDS=n to change the number of rounds)
import { createHash } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryRecordingExtractor } from 'spikewire/node';
import { CHANNELS, CHUNK_BYTES, FILE_BYTES, FS, INPUT, SECONDS, ensureInput } from './input-file.mjs';

const FRAME_BYTES = CHANNELS * 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);


/**
 * The bound: read 1-s chunks into one buffer and write them to `out`. With `sync`, fsync before
 * closing, as spikewire's Node file sink does before renaming its temporary file into place.
 */
async function rawCopy(out, sync = false) {
  const input = await open(INPUT, 'r');
  const output = await open(out, 'w');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (let position = 0; position < FILE_BYTES; position += CHUNK_BYTES) {
      const n = Math.min(CHUNK_BYTES, FILE_BYTES - position);
      let got = 0;
      while (got < n) got += (await input.read(buffer, got, n - got, position + got)).bytesRead;
      let put = 0;
      while (put < n) put += (await output.write(buffer, put, n - put)).bytesWritten;
    }
    if (sync) await output.sync();
  } finally {
    await input.close();
    await output.close();
  }
}

/** spikewire: open the file as a recording and write it with the defaults (1-s chunks). */
async function writeRecording(out, opts = {}) {
  const rec = await BinaryRecordingExtractor.open({ filePaths: [INPUT], samplingFrequency: FS, numChannels: CHANNELS, dtype: 'int16' });
  try {
    const [path] = await BinaryRecordingExtractor.writeRecording(rec, [out], { progressBar: false, ...opts });
    return path;
  } finally {
    await rec.close();
  }
}

/** writeRecording into a ByteSink over a plain file handle: no temporary file, rename or fsync (info). */
async function writeToPlainFile(out) {
  const rec = await BinaryRecordingExtractor.open({ filePaths: [INPUT], samplingFrequency: FS, numChannels: CHANNELS, dtype: 'int16' });
  const fh = await open(out, 'w');
  const sink = {
    name: out,
    async write(bytes) {
      let put = 0;
      while (put < bytes.byteLength) put += (await fh.write(bytes, put, bytes.byteLength - put)).bytesWritten;
    },
    async close() {
      await fh.close();
    },
    async abort() {
      await fh.close().catch(() => {});
      await rm(out, { force: true });
    },
  };
  try {
    await BinaryRecordingExtractor.writeRecording(rec, [sink], { progressBar: false });
  } finally {
    await rec.close();
  }
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function sha256(path) {
  const fh = await open(path, 'r');
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (let position = 0; ; position += CHUNK_BYTES) {
      const { bytesRead } = await fh.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1e3);

const created = await ensureInput();
const copyOut = join(tmpdir(), `spikewire-bench-write-copy-${process.pid}.raw`);
const writeOut = join(tmpdir(), `spikewire-bench-write-rec-${process.pid}.raw`);
const f32Out = join(tmpdir(), `spikewire-bench-write-f32-${process.pid}.raw`);
const outputs = [copyOut, writeOut, f32Out];

try {
  // warm-up: the input in the page cache, the kernel compiled, both paths run once
  await rawCopy(copyOut);
  await writeRecording(writeOut);
  const same = (await sha256(copyOut)) === (await sha256(writeOut));

  const copyMs = [];
  const writeMs = [];
  const syncedCopyMs = [];
  const plainMs = [];
  const clean = async () => { for (const p of outputs) await rm(p, { force: true }); };
  for (let round = 0; round < ROUNDS; round++) {
    await clean();
    copyMs.push(await timed(() => rawCopy(copyOut)));
    await clean();
    writeMs.push(await timed(() => writeRecording(writeOut)));
    await clean();
    syncedCopyMs.push(await timed(() => rawCopy(copyOut, true)));
    await clean();
    plainMs.push(await timed(() => writeToPlainFile(writeOut)));
  }
  await clean();
  const f32Ms = await timed(() => writeRecording(f32Out, { dtype: 'float32' }));

  const copy = mbps(FILE_BYTES, median(copyMs));
  const write = mbps(FILE_BYTES, median(writeMs));
  const syncedCopy = mbps(FILE_BYTES, median(syncedCopyMs));
  const plain = mbps(FILE_BYTES, median(plainMs));
  const f32 = mbps(FILE_BYTES, f32Ms);
  const ratio = write / copy;
  console.log(`spikewire io-write bench — ${CHANNELS} ch int16, ${SECONDS} s at ${FS / 1000} kHz (${(FILE_BYTES / 1e9).toFixed(2)} GB), ` +
    `1-s chunks, median of ${ROUNDS} alternating rounds, Node ${process.version}${created ? ' (input file created)' : ''}`);
  console.log(`input: ${INPUT}`);
  const row = (name, v, ms) => console.log(`${name.padEnd(60)} ${v.toFixed(0).padStart(6)} MB/s  (${(ms / 1000).toFixed(2)} s)`);
  row('raw read+write copy, 1-s chunks (the bound)', copy, median(copyMs));
  row('BinaryRecordingExtractor.writeRecording to a path (int16)', write, median(writeMs));
  row('raw read+write copy + fsync (the file sink\'s durability)', syncedCopy, median(syncedCopyMs));
  row('writeRecording to a plain-file ByteSink (no fsync; info)', plain, median(plainMs));
  row('writeRecording to a path, dtype float32 (2x bytes out; info)', f32, f32Ms);
  console.log('');
  const list = (xs) => xs.map((m) => m.toFixed(0)).join(' ');
  console.log(`rounds (ms): copy ${list(copyMs)} | writeRecording ${list(writeMs)} | copy+fsync ${list(syncedCopyMs)} | plain sink ${list(plainMs)}`);
  console.log(`output identical to the copy: ${same ? 'yes' : 'NO'}`);
  console.log(`writeRecording / raw copy: ${(100 * ratio).toFixed(0)}%   (target >= 70%: ${ratio >= 0.7 ? 'met' : 'NOT met'})`);
  console.log(`writeRecording / raw copy + fsync: ${(100 * write / syncedCopy).toFixed(0)}%   (same durability)`);
  console.log(`writeRecording to a plain-file sink / raw copy: ${(100 * plain / copy).toFixed(0)}%   (the writer without the file sink's fsync)`);
  if (!same) process.exitCode = 1;
} finally {
  for (const p of outputs) await rm(p, { force: true });
}
