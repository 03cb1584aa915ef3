import { SpikewireError, describe } from '../errors.js';

/** How to cut a segment into chunks: exactly one of the three (SpikeInterface's job kwargs). */
export interface ChunkOptions {
  /** Frames per chunk. */
  chunkSize?: number;
  /** Seconds per chunk: a number, or text such as '1s', '500ms'. */
  chunkDuration?: number | string;
  /** Bytes per chunk across all channels: a number, or text such as '100M', '1G', '512k'. */
  chunkMemory?: number | string;
}

/** Seconds in a duration given as a number of seconds or as text with 's' / 'ms' ('1s', '0.5s', '250ms'). */
export function parseDuration(value: number | string): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else {
    const m = /^\s*([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)\s*(ms|s)?\s*$/i.exec(value);
    if (!m) throw new SpikewireError('INVALID_ARGUMENT', `chunkDuration ${describe(value)} is not a duration: expected seconds such as 1, '1s' or '500ms'`);
    seconds = Number(m[1]) / (m[2]?.toLowerCase() === 'ms' ? 1000 : 1);
  }
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new SpikewireError('INVALID_ARGUMENT', `chunkDuration ${describe(value)} must be a positive duration`);
  }
  return seconds;
}

/** Bytes in a memory size given as a number or as text with k / M / G / T suffixes (powers of 1000, as SpikeInterface). */
export function parseMemory(value: number | string): number {
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else {
    const m = /^\s*([0-9]*\.?[0-9]+)\s*([kKMGT]?)i?B?\s*$/.exec(value);
    if (!m) throw new SpikewireError('INVALID_ARGUMENT', `chunkMemory ${describe(value)} is not a size: expected bytes such as 1e8, '100M' or '1G'`);
    const scale = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'k' | 'K' | 'M' | 'G' | 'T'];
    bytes = Number(m[1]) * scale;
  }
  if (!(bytes > 0) || !Number.isFinite(bytes)) {
    throw new SpikewireError('INVALID_ARGUMENT', `chunkMemory ${describe(value)} must be a positive size`);
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
