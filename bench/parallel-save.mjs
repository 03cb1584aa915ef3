// recording.save({ folder, nJobs }) with one job against several (worker threads, each rebuilding the
// recording from its dict and writing its chunks straight into the files), on the benchmarks' input:
// a 384-channel int16 file of 60 s at 30 kHz (1.38 GB) in os.tmpdir() (bench/input-file.mjs, shared
// with io-read / io-write). Each figure is the best of BENCH_ROUNDS rounds (default 3), with the
// median and every run beside it (on a shared VM single runs vary a lot); rounds alternate the job
// counts (and their order) so that page cache and disk state are shared fairly. Two cases: the raw
// int16 samples (mostly I/O), and a cast to float32 (twice the bytes out, kernel conversion per chunk).
// The outputs of one job and of the most jobs are compared byte for byte once, then deleted. Each run
// starts after a `sync` (untimed), so that no run pays for the writeback of the one before.
//
// Where the time goes here: reading the input from the page cache and writing the output into it are
// kernel copies (most of the time is system time), so more jobs help only as far as the kernel's
// page-cache and writeback paths scale; on a small VM the figures vary from run to run.
//
// Run: npm run build && node bench/parallel-save.mjs   (BENCH_JOBS=1,2 BENCH_ROUNDS=3 to change them)
import { execFileSync } from 'node:child_process';
import { open, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryRecordingExtractor } from 'spikewire/node';
import { CHANNELS, CHUNK_BYTES, FILE_BYTES, FS, INPUT, SECONDS, ensureInput } from './input-file.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JOBS = (process.env.BENCH_JOBS ?? '1,2').split(',').map(Number);
const CASES = [
  { name: 'int16 (as is)', opts: {} },
  { name: 'cast to float32', opts: { dtype: 'float32' } },
];
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1e3);

/** True when two files hold the same bytes. */
async function sameBytes(a, b) {
  const [fa, fb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [sa, sb] = await Promise.all([fa.stat(), fb.stat()]);
    if (sa.size !== sb.size) return false;
    const ba = Buffer.allocUnsafe(CHUNK_BYTES);
    const bb = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let pos = 0; pos < sa.size; pos += CHUNK_BYTES) {
      const n = Math.min(CHUNK_BYTES, sa.size - pos);
      await Promise.all([fa.read(ba, 0, n, pos), fb.read(bb, 0, n, pos)]);
      if (!ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
    }
    return true;
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

/**
 * Untimed, before each run: `sync`, so that every run starts with no dirty page of the previous ones
 * to write back (the runs write gigabytes: the kernel's writeback of one run would slow the next).
 */
function flushDirtyPages() {
  try {
    execFileSync('sync');
  } catch {
    // no sync command (Windows): runs share the writeback as it comes
  }
}

const created = await ensureInput();
const rec = await BinaryRecordingExtractor.open({ filePaths: [INPUT], samplingFrequency: FS, numChannels: CHANNELS, dtype: 'int16' });
const base = join(tmpdir(), `spikewire-bench-parallel-save-${process.pid}`);
await rm(base, { recursive: true, force: true });

console.log(`spikewire parallel-save bench — recording.save({ folder, nJobs }) of ${CHANNELS} ch int16, ${FS} Hz, ${SECONDS} s ` +
  `(${(FILE_BYTES / 1e9).toFixed(2)} GB${created ? ', just written' : ''}) from ${INPUT}`);
console.log(`best of ${ROUNDS} rounds, Node ${process.version}, ${availableParallelism()} cores; 1-s chunks; MB/s of int16 input bytes`);

try {
  // warm up: page cache for the input, JIT, kernel, worker start-up paths
  await (await rec.save({ folder: join(base, 'warm'), nJobs: Math.max(...JOBS), progressBar: false })).close();
  await rm(join(base, 'warm'), { recursive: true, force: true });

  for (const { name, opts } of CASES) {
    const times = new Map(JOBS.map((j) => [j, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // every other round in reverse order: no job count always runs first (the first run after a
      // deletion measured much faster or slower than the next ones here)
      for (const nJobs of round % 2 ? [...JOBS].reverse() : JOBS) {
        const folder = join(base, `jobs${nJobs}`);
        await rm(folder, { recursive: true, force: true });
        flushDirtyPages();
        const t0 = performance.now();
        const saved = await rec.save({ folder, nJobs, progressBar: false, ...opts });
        const ms = performance.now() - t0;
        await saved.close();
        times.get(nJobs).push(ms);
      }
    }
    const most = Math.max(...JOBS);
    const same = await sameBytes(join(base, 'jobs1', 'traces_cached_seg0.raw'), join(base, `jobs${most}`, 'traces_cached_seg0.raw'));
    if (!same) throw new Error(`${name}: nJobs ${most} wrote other bytes than nJobs 1`);
    console.log('');
    console.log(`${name}${opts.dtype ? ` (writes ${(FILE_BYTES * 2 / 1e9).toFixed(2)} GB)` : ''}: outputs identical byte for byte`);
    const best = (j) => Math.min(...times.get(j));
    const median = (j) => [...times.get(j)].sort((a, b) => a - b)[Math.floor(times.get(j).length / 2)];
    for (const nJobs of JOBS) {
      const ms = best(nJobs);
      console.log(`  nJobs ${String(nJobs).padEnd(3)} best ${(ms / 1000).toFixed(2).padStart(5)} s ${mbps(FILE_BYTES, ms).toFixed(0).padStart(5)} MB/s` +
        (nJobs === JOBS[0] ? '' : `  speed-up ×${(best(JOBS[0]) / ms).toFixed(2)}`) +
        `   (median ${(median(nJobs) / 1000).toFixed(2)} s${nJobs === JOBS[0] ? '' : `, ×${(median(JOBS[0]) / median(nJobs)).toFixed(2)}`};` +
        ` runs ${times.get(nJobs).map((t) => (t / 1000).toFixed(2)).join(' ')})`);
    }
    for (const nJobs of JOBS) await rm(join(base, `jobs${nJobs}`), { recursive: true, force: true });
  }
} finally {
  await rec.close();
  await rm(base, { recursive: true, force: true });
}
