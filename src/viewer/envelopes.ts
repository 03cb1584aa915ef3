// A window of a recording as per-pixel-column min/max envelopes: what a viewer draws at any zoom.
import { throwIfAborted } from '../abort.js';
import type { ChannelId } from '../core/ids.js';
import type { BaseRecording } from '../core/recording.js';
import { isFloat } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import { type Envelopes, MAX_ENVELOPE_COLUMNS, computeEnvelopes } from '../kernel/index.js';

/** Options of {@link getEnvelopes}. */
export interface GetEnvelopesOptions {
  /** Which segment; may be left out only for one-segment recordings. */
  segmentIndex?: number;
  /** First frame of the window (default 0). */
  startFrame?: number;
  /** End frame of the window, exclusive (default: the segment's end; past the end is clipped). */
  endFrame?: number;
  /** Columns (pixels) the window is reduced to: 1 to 2**20. */
  columns: number;
  /** Channels, in any order and subset (default: all). */
  channelIds?: readonly ChannelId[];
  /** Envelopes of the traces in µV, as `getTraces({ returnInUV: true })` gives them (exactly: see below). */
  returnInUV?: boolean;
  /** Frames read at a time (default: about 8 MB of samples); bounds the memory a wide window takes. */
  blockFrames?: number;
  /** Stops the reads with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** Envelopes of a window, with where it lies in the recording. */
export interface WindowEnvelopes extends Envelopes {
  segmentIndex: number;
  startFrame: number;
  endFrame: number;
}

const BLOCK_BYTES = 8 << 20;

function fail(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

function checkFrame(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(`getEnvelopes: ${what} must be an integer ≥ 0, got ${describe(value)}`);
}

/**
 * The window `[startFrame, endFrame)` of a segment reduced to `columns` pixel columns: per column and
 * channel the minimum and the maximum (float32, time-major `[columns][channels]`), computed in the
 * kernel block by block as the window is read, so a wide window never sits in memory whole. Column k
 * covers the window's frames `[floor(k * f), floor((k + 1) * f))` with f = frames / columns (at least
 * the frame it starts in: zoomed in past one frame per pixel, a column shows that frame).
 *
 * `returnInUV` on integer samples reduces the raw samples and scales the minima and maxima with
 * `float32(float32(x) * gain + offset)`: the scaling is monotonic, so this is exactly the envelope of
 * `getTraces({ returnInUV: true })` at a quarter of the memory; float samples are read in µV as
 * `getTraces` gives them. `NOT_SCALEABLE` for integer samples without gains, as `getTraces`.
 */
export async function getEnvelopes(recording: BaseRecording, opts: GetEnvelopesOptions): Promise<WindowEnvelopes> {
  if (opts === null || typeof opts !== 'object') fail(`getEnvelopes: expected options { columns, ... }, got ${describe(opts)}`);
  const { columns, signal } = opts;
  if (typeof columns !== 'number' || !Number.isInteger(columns) || columns < 1 || columns > MAX_ENVELOPE_COLUMNS) {
    fail(`getEnvelopes: columns must be an integer from 1 to ${MAX_ENVELOPE_COLUMNS}, got ${describe(columns)}`);
  }
  const segmentIndex = opts.segmentIndex ?? (recording.getNumSegments() === 1 ? 0 : undefined);
  if (segmentIndex === undefined) {
    throw new SpikewireError('SEGMENT_INDEX_REQUIRED', `getEnvelopes: segmentIndex is required for a recording of ${recording.getNumSegments()} segments`);
  }
  const numSamples = recording.getNumSamples(segmentIndex);
  const startFrame = opts.startFrame ?? 0;
  checkFrame('startFrame', startFrame);
  const endFrame = Math.min(opts.endFrame ?? numSamples, numSamples);
  checkFrame('endFrame', opts.endFrame ?? 0);
  if (startFrame > endFrame) fail(`getEnvelopes: startFrame ${startFrame} is past endFrame ${endFrame} (the segment has ${numSamples} frames)`);
  const channelIds = opts.channelIds ?? recording.getChannelIds();
  const numChannels = channelIds.length;
  const dtype = recording.getDtype();
  // integer samples: read raw and scale the envelopes (exact, a quarter of the bytes of float32 µV)
  const scaleAfter = !!opts.returnInUV && !isFloat(dtype);
  let gains: Float32Array | undefined;
  let offsets: Float32Array | undefined;
  if (scaleAfter) {
    if (!recording.hasScaleableTraces()) {
      throw new SpikewireError('NOT_SCALEABLE', `getEnvelopes: returnInUV needs channel gains, and this ${dtype} recording has none`);
    }
    const index = new Map(recording.getChannelIds().map((id, i) => [id, i]));
    const all = [recording.getChannelGains(), recording.getChannelOffsets()];
    [gains, offsets] = all.map((values) => Float32Array.from(channelIds, (id) => {
      const i = index.get(id);
      if (i === undefined) throw new SpikewireError('CHANNEL_NOT_FOUND', `getEnvelopes: channel id ${describe(id)} is not in the recording`);
      return values[i];
    }));
  }
  const frames = endFrame - startFrame;
  const fpc = Math.max(frames, 1) / columns;
  const min = new Float32Array(columns * numChannels);
  const max = new Float32Array(columns * numChannels);
  const result: WindowEnvelopes = { min, max, shape: [columns, numChannels], framesPerColumn: fpc, segmentIndex, startFrame, endFrame };
  if (frames === 0 || numChannels === 0) {
    min.fill(NaN);
    max.fill(NaN);
    return result;
  }
  const blockFrames = opts.blockFrames ?? Math.max(1, Math.floor(BLOCK_BYTES / (numChannels * 4)));
  if (typeof blockFrames !== 'number' || !Number.isInteger(blockFrames) || blockFrames < 1) {
    fail(`getEnvelopes: blockFrames must be an integer ≥ 1, got ${describe(blockFrames)}`);
  }
  // blocks of whole columns, each at least one column and about blockFrames frames
  const columnsPerBlock = Math.max(1, Math.floor(blockFrames / Math.max(fpc, 1)));
  for (let k0 = 0; k0 < columns; k0 += columnsPerBlock) {
    throwIfAborted(signal, 'getEnvelopes');
    const k1 = Math.min(columns, k0 + columnsPerBlock);
    const f0 = Math.min(frames, Math.floor(k0 * fpc));
    // the last column of the block reaches its next bound, or one frame when columns are thinner
    const f1 = Math.min(frames, Math.max(Math.floor(k1 * fpc), Math.floor((k1 - 1) * fpc) + 1));
    const out = { min: min.subarray(k0 * numChannels, k1 * numChannels), max: max.subarray(k0 * numChannels, k1 * numChannels) };
    if (f0 >= frames) {
      out.min.fill(NaN);
      out.max.fill(NaN);
      continue;
    }
    const traces = await recording.getTraces({
      segmentIndex, startFrame: startFrame + f0, endFrame: startFrame + f1, channelIds, returnInUV: !!opts.returnInUV && !scaleAfter, signal,
    });
    await computeEnvelopes(traces, { columns: k1 - k0, framesPerColumn: fpc, firstColumn: k0, chunkStart: f0, gains, offsets }, out);
  }
  return result;
}
