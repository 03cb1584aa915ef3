import type { DType } from '../dtype.js';
import { itemSize } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { Kernel } from '../kernel/index.js';
import type { BaseRecordingSegment } from '../core/segment.js';

/** Options of {@link readChunkWithMargin}: SpikeInterface's `get_chunk_with_margin` arguments. */
export interface ChunkWithMarginOptions {
  /** First frame of the chunk the caller wants (without margin). */
  startFrame: number;
  /** One past its last frame. */
  endFrame: number;
  /** Frames wanted on each side. */
  margin: number;
  /** Parent channels to read, in order (a segment does not know its channel count). */
  channelIndices: Int32Array;
  /** Pad with zeros where the segment ends, so that both margins are always `margin` frames. */
  addZeros?: boolean;
  /** Pad by reflection (numpy's `np.pad(mode='reflect')`) where the segment ends. */
  addReflectPadding?: boolean;
  /** With `addZeros`: a raised-cosine taper over both margins (SpikeInterface's `window_on_margin`). */
  windowOnMargin?: boolean;
  /** Sample type of the block (default float64): the parent's samples are converted into it. */
  dtype?: DType;
  signal?: AbortSignal;
}

/**
 * A chunk read by {@link readChunkWithMargin}: `numFrames` rows of `numChannels` values of `dtype`
 * at `address` in the kernel's memory, owned by the caller (free it with `kernel.free(address)`).
 * Row `leftMargin` is the chunk's `startFrame`; the last `rightMargin` rows follow its `endFrame`.
 */
export interface ChunkWithMargin {
  readonly address: number;
  readonly numFrames: number;
  readonly numChannels: number;
  readonly dtype: DType;
  readonly leftMargin: number;
  readonly rightMargin: number;
}

/**
 * SpikeInterface's `get_chunk_with_margin`: frames [startFrame - margin, endFrame + margin) of a
 * parent segment, in a fresh block of kernel memory (one allocation per call: concurrent reads share
 * nothing). Without padding, margins are clipped at the segment's ends and the actual ones are
 * returned. With `addZeros` / `addReflectPadding` the block always has `margin` rows on each side
 * (zeros, or numpy's reflection of the samples read); `rightMargin` is reported as SpikeInterface
 * does. The block is allocated before the read: memory never grows while the parent reads into it.
 */
export async function readChunkWithMargin(
  kernel: Kernel,
  segment: BaseRecordingSegment,
  opts: ChunkWithMarginOptions,
): Promise<ChunkWithMargin> {
  const { startFrame, endFrame, margin } = opts;
  const length = segment.getNumSamples();
  check(Number.isInteger(margin) && margin >= 0, 'INVALID_ARGUMENT', () => `readChunkWithMargin: margin must be a non-negative integer number of frames, got ${describe(margin)}`);
  check(Number.isInteger(startFrame) && Number.isInteger(endFrame) && startFrame >= 0 && startFrame <= endFrame && endFrame <= length,
    'OUT_OF_RANGE', () => `readChunkWithMargin: frames [${describe(startFrame)}, ${describe(endFrame)}) are not inside 0..${length}`);
  const pad = opts.addZeros === true || opts.addReflectPadding === true;
  if (opts.windowOnMargin && opts.addZeros !== true) {
    throw new SpikewireError('INVALID_ARGUMENT', 'readChunkWithMargin: windowOnMargin needs addZeros');
  }
  const dtype = opts.dtype ?? 'float64';
  const channels = opts.channelIndices;
  const numChannels = channels.length;
  const size = itemSize(dtype);

  if (!pad) {
    const leftMargin = Math.min(margin, startFrame);
    const rightMargin = Math.min(margin, length - endFrame);
    const numFrames = endFrame - startFrame + leftMargin + rightMargin;
    const address = await kernel.alloc(numFrames * numChannels * size);
    try {
      await readInto(kernel, segment, startFrame - leftMargin, endFrame + rightMargin, channels, address, dtype, opts.signal);
    } catch (error) {
      kernel.free(address);
      throw error;
    }
    return { address, numFrames, numChannels, dtype, leftMargin, rightMargin };
  }

  const leftPad = Math.max(0, margin - startFrame);
  const rightPad = Math.max(0, endFrame + margin - length);
  const readStart = startFrame - margin + leftPad;
  const readEnd = endFrame + margin - rightPad;
  const numFrames = endFrame - startFrame + 2 * margin;
  const address = await kernel.alloc(numFrames * numChannels * size);
  try {
    await readInto(kernel, segment, readStart, readEnd, channels, address + leftPad * numChannels * size, dtype, opts.signal);
    const block = kernel.view(dtype, address, numFrames * numChannels);
    const read = readEnd - readStart;
    if (opts.addZeros) {
      block.fill(0, 0, leftPad * numChannels);
      block.fill(0, (leftPad + read) * numChannels);
      if (opts.windowOnMargin) taperMargins(block, numFrames, numChannels, margin);
    } else {
      reflectPad(block, numChannels, leftPad, read, rightPad);
    }
  } catch (error) {
    kernel.free(address);
    throw error;
  }
  // SpikeInterface reports `margin` on both sides here (its right margin only differs for an end
  // past the segment's end plus the margin, which a clipped request never has).
  return { address, numFrames, numChannels, dtype, leftMargin: margin, rightMargin: margin };
}

async function readInto(
  kernel: Kernel, segment: BaseRecordingSegment, start: number, end: number, channels: Int32Array,
  address: number, dtype: DType, signal?: AbortSignal,
): Promise<void> {
  if (end <= start || channels.length === 0) return;
  await segment.readTraces({
    kernel, startFrame: start, endFrame: end, channelIndices: channels,
    target: { address, stride: channels.length, dtype }, gains: null, offsets: null, signal,
  });
}

/** numpy's reflect padding (edge sample not repeated), repeated as numpy does when a pad exceeds the data. */
function reflectPad(block: { [i: number]: number; copyWithin(t: number, s: number, e: number): unknown }, c: number, leftPad: number, n: number, rightPad: number): void {
  const source = (i: number): number => {
    // i is relative to the first sample read; the reflection has period 2(n-1)
    if (n === 1) return 0;
    const period = 2 * (n - 1);
    const k = ((i % period) + period) % period;
    return k < n ? k : period - k;
  };
  for (let i = -leftPad; i < 0; i++) block.copyWithin((leftPad + i) * c, (leftPad + source(i)) * c, (leftPad + source(i) + 1) * c);
  for (let i = n; i < n + rightPad; i++) block.copyWithin((leftPad + i) * c, (leftPad + source(i)) * c, (leftPad + source(i) + 1) * c);
}

/** `(1 - cos(arange(margin) / margin * pi)) / 2` on the first margin rows, reversed on the last ones. */
function taperMargins(block: { [i: number]: number }, numFrames: number, c: number, margin: number): void {
  for (let i = 0; i < margin; i++) {
    const w = (1 - Math.cos((i / margin) * Math.PI)) / 2;
    const head = i * c;
    const tail = (numFrames - 1 - i) * c;
    for (let j = 0; j < c; j++) {
      block[head + j] *= w;
      block[tail + j] *= w;
    }
  }
}
