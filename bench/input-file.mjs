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

/**
 * Makes sure `path` holds `chunks` chunks of `chunkBytes` bytes each, written by `fill(chunk, index)`
 * into one reused Int16Array (written to a temporary name, then renamed into place, so that a run
 * stopped half way never leaves a file of the right size). Returns true when it had to be written.
 */
export async function ensureFile(path, chunkBytes, chunks, fill) {
  const s = await stat(path).catch(() => null);
  if (s && s.size === chunkBytes * chunks) return false;
  const temp = `${path}.${process.pid}.tmp`;
  const fh = await open(temp, 'w');
  try {
    const chunk = new Int16Array(chunkBytes / 2);
    for (let index = 0; index < chunks; index++) {
      fill(chunk, index);
      await fh.write(new Uint8Array(chunk.buffer));
    }
  } finally {
    await fh.close();
  }
  await rename(temp, path);
  return true;
}

/** Makes sure the input exists; returns true when it had to be written. */
export async function ensureInput() {
  let x = 12345;
  return ensureFile(INPUT, CHUNK_BYTES, SECONDS, (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      chunk[i] = (x >>> 16) - 32768;
    }
  });
}

/**
 * The read bound of every file benchmark: the file's bytes read with `FileHandle.read` in chunks of
 * `chunkBytes` straight into one view of a WebAssembly.Memory (where spikewire reads; about twice as
 * fast here as reading into a Buffer), no conversion at all. Returns a function that runs one pass
 * and resolves to its milliseconds.
 */
export function wasmReadPass(fh, fileBytes, chunkBytes) {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(chunkBytes / 65536) + 1 });
  return async () => {
    const view = new Uint8Array(memory.buffer, 0, chunkBytes);
    const t0 = performance.now();
    for (let pos = 0; pos < fileBytes; pos += chunkBytes) {
      const { bytesRead } = await fh.read(view, 0, Math.min(chunkBytes, fileBytes - pos), pos);
      if (bytesRead !== Math.min(chunkBytes, fileBytes - pos)) throw new Error('short read');
    }
    return performance.now() - t0;
  };
}
