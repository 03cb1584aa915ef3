import { SpikewireError, describe } from '../errors.js';

/** How to cut a segment into chunks: exactly one of the three (SpikeInterface's job kwargs). */
export interface ChunkOptions {
  /** Frames per chunk. */
  chunkSize?: number;
  /** Seconds per chunk: a number, or text such as '1s', '500ms'. */
  chunkDuration?: number | string;
  /** Bytes per chunk across all channels: a number, or text such as '100M', '1G', '512k', '500Mi'. */
  chunkMemory?: number | string;
}

/**
 * Python's float() syntax for a plain number: digits with optional `_` between them, a fraction, an
 * exponent; a leading '+' (a '-' gives a negative size, refused after). Written so that no part can
 * match the same characters as another: a long run of digits is read in linear time.
 */
const PY_FLOAT = String.raw`[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?`;

const DURATION = new RegExp(String.raw`^\s*(${PY_FLOAT})\s*(ms|s)?\s*$`, 'i');

/** Seconds in a duration given as a number of seconds or as text with 's' / 'ms' ('1s', '0.5s', '250ms'). */
export function parseDuration(value: number | string): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') {
    const m = DURATION.exec(value);
    if (!m) throw new SpikewireError('INVALID_ARGUMENT', `chunkDuration ${describe(value)} is not a duration: expected seconds such as 1, '1s' or '500ms'`);
    seconds = Number(m[1]!.replace(/_/g, '')) / (m[2]?.toLowerCase() === 'ms' ? 1000 : 1);
  } else {
    throw new SpikewireError('INVALID_ARGUMENT', `chunkDuration ${describe(value)} is not a duration: expected seconds such as 1, '1s' or '500ms'`);
  }
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new SpikewireError('INVALID_ARGUMENT', `chunkDuration ${describe(value)} must be a positive duration`);
  }
  return seconds;
}

/**
 * SpikeInterface's memory suffixes (`core_tools._exponents`, read by `convert_string_to_bytes`),
 * case-sensitive: SI prefixes are powers of 1000, IEC ones powers of 1024.
 */
const MEMORY_SUFFIXES: Readonly<Record<string, number>> = {
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

// A trailing 'B' is also read ('500MiB', '100MB'), which SpikeInterface refuses: people write it, and
// it cannot mean anything else.
const MEMORY = new RegExp(String.raw`^\s*(${PY_FLOAT})\s*(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)B?$`);

/**
 * Bytes in a memory size: a number of bytes, or text as SpikeInterface's job kwargs take it — a
 * number and one of the suffixes k, M, G, T, P (powers of 1000) or Ki, Mi, Gi, Ti, Pi (powers of
 * 1024), e.g. '100M', '512k', '500Mi', '1.5Gi', optionally followed by 'B' ('500MiB' is 500 × 2²⁰
 * bytes, '100MB' 10⁸). As SpikeInterface, whole bytes (truncated).
 */
export function parseMemory(value: number | string, name = 'chunkMemory'): number {
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else {
    const m = typeof value === 'string' ? MEMORY.exec(value) : null;
    if (!m) {
      throw new SpikewireError(
        'INVALID_ARGUMENT',
        `${name} ${describe(value)} is not a memory size: expected bytes as a number, or text with one of SpikeInterface's suffixes ` +
          `k, M, G, T, P (powers of 1000) or Ki, Mi, Gi, Ti, Pi (powers of 1024), optionally followed by 'B', such as '100M' or '500MiB'`,
      );
    }
    bytes = Math.trunc(Number(m[1]!.replace(/_/g, '')) * MEMORY_SUFFIXES[m[2]!]!);
  }
  if (!(bytes > 0) || !Number.isFinite(bytes)) {
    throw new SpikewireError('INVALID_ARGUMENT', `${name} ${describe(value)} must be a positive size`);
  }
  return bytes;
}

/**
 * Frames per chunk from exactly one of chunkSize / chunkDuration / chunkMemory (`fallbackSeconds`
 * of samples when none is given). `bytesPerFrame` is what one frame of every channel weighs.
 */
export function resolveChunkSize(opts: ChunkOptions, samplingFrequency: number, bytesPerFrame: number, fallbackSeconds = 1): number {
  const given = (['chunkSize', 'chunkDuration', 'chunkMemory'] as const).filter((k) => opts[k] !== undefined && opts[k] !== null);
  if (given.length > 1) {
    throw new SpikewireError('INVALID_ARGUMENT', `give one of chunkSize, chunkDuration, chunkMemory; got ${given.join(' and ')}`);
  }
  let frames: number;
  if (opts.chunkSize !== undefined && opts.chunkSize !== null) {
    if (!Number.isInteger(opts.chunkSize) || opts.chunkSize <= 0) {
      throw new SpikewireError('INVALID_ARGUMENT', `chunkSize ${describe(opts.chunkSize)} must be a positive integer number of frames`);
    }
    frames = opts.chunkSize;
  } else if (opts.chunkMemory !== undefined && opts.chunkMemory !== null) {
    frames = Math.floor(parseMemory(opts.chunkMemory) / Math.max(1, bytesPerFrame));
  } else {
    const seconds = opts.chunkDuration !== undefined && opts.chunkDuration !== null ? parseDuration(opts.chunkDuration) : fallbackSeconds;
    frames = Math.floor(seconds * samplingFrequency);
  }
  return Math.max(1, frames);
}
