// The benchmarks' input: a 384-channel int16 file of 60 s at 30 kHz (1.38 GB) in os.tmpdir(),
// deterministic samples, created once (atomically) and reused while its size is right.
import { open, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FS = 30000;
export const CHANNELS = 384;
export const SECONDS = 60;
export const CHUNK_BYTES = FS * CHANNELS * 2; // one second
export const FILE_BYTES = CHUNK_BYTES * SECONDS;
export const INPUT = join(tmpdir(), `spikewire-bench-${CHANNELS}ch-int16-${SECONDS}s.raw`);

/** Makes sure the input exists; returns true when it had to be written. */
export async function ensureInput() {
  const s = await stat(INPUT).catch(() => null);
  if (s && s.size === FILE_BYTES) return false;
  const temp = `${INPUT}.${process.pid}.tmp`;
  const fh = await open(temp, 'w');
  try {
    const chunk = new Int16Array(CHUNK_BYTES / 2);
    let x = 12345;
    for (let second = 0; second < SECONDS; second++) {
      for (let i = 0; i < chunk.length; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        chunk[i] = (x >>> 16) - 32768;
      }
      await fh.write(new Uint8Array(chunk.buffer));
    }
  } finally {
    await fh.close();
  }
  await rename(temp, INPUT);
  return true;
}
