import { itemSize, type DType, parseDTypeString, type ParsedDType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import type { Kernel } from '../kernel/index.js';
import { checkChannelLimit, type ChannelId } from '../core/ids.js';
import { BaseRecording, TRAVELS_EVERY_WAY, type Serializability } from '../core/index.js';
import { RawBlockSegment, isIdentity } from '../core/raw-segment.js';
import { shiftTarget, type TraceRequest } from '../core/segment.js';
import { BlobSource, isBlob } from '../store/blob-source.js';
import { HttpSource, isHttpUrl } from '../store/http-source.js';
import { MemorySource } from '../store/memory-source.js';
import { claimReadAhead, dropReadAheads, startReadAhead } from './read-ahead.js';
import { filePlatform } from '../store/platform.js';
import { isByteSource, type ByteSource } from '../store/source.js';
import type { BlobTarget } from '../store/sinks.js';
import { writeBinaryRecording, type WriteBinaryOptions, type WriteBinaryOutput } from './write-binary.js';

/**
 * Where one segment's bytes are: a file path or file: URL (Node, through `spikewire/node`), an http(s)
 * URL (string or URL object: read by HTTP range requests), a Blob / File, or any {@link ByteSource}.
 */
export type BinarySourceInput = string | URL | Blob | ByteSource;

/**
 * Options of {@link BinaryRecordingExtractor.open}: SpikeInterface's `BinaryRecordingExtractor`
 * keyword arguments in camelCase.
 */
export interface BinaryRecordingOptions {
  /** One file per segment (SpikeInterface's `file_paths`); the same inputs as `sources` are accepted. */
  filePaths?: BinarySourceInput | readonly BinarySourceInput[];
  /** One source per segment: paths, URLs, Blobs or ByteSources. Give `filePaths` or `sources`, not both. */
  sources?: BinarySourceInput | readonly BinarySourceInput[];
  /** Sampling frequency in Hz. */
  samplingFrequency: number;
  /** Channels per frame. */
  numChannels: number;
  /** Sample type: a spikewire name (`'int16'`) or a numpy type string (`'<i2'`, `'>f4'`, `'|u1'`); big-endian files are byte-swapped. */
  dtype: DType | string;
  /** 0 (default): time-major `[samples][channels]`; 1: channel-major `[channels][samples]`. */
  timeAxis?: 0 | 1;
  /** Bytes to skip at the start of every file (a header). Default 0. */
  fileOffset?: number;
  /** Channel ids (default 0..numChannels-1). */
  channelIds?: readonly ChannelId[] | null;
  /** Start time in seconds of each segment. */
  tStarts?: readonly (number | null)[] | null;
  /** gain_to_uV: one number for every channel or one per channel. */
  gainToUV?: number | ArrayLike<number> | null;
  /** offset_to_uV: one number for every channel or one per channel. */
  offsetToUV?: number | ArrayLike<number> | null;
  /** Sets the `is_filtered` annotation when given. */
  isFiltered?: boolean | null;
  /** Stops opening the sources with `ABORTED`. */
  signal?: AbortSignal;
}

/** Bytes one read of a file or URL asks for at most (larger requests are split). */
const MAX_BLOCK_BYTES = 32 * 1024 * 1024;
/** getTraces tile size for sources with a round trip per read (files, Blobs, URLs). */
const REMOTE_READ_BYTES = 16 * 1024 * 1024;
/** getTraces tile size for sources in memory (small tiles stay in cache). */
const MEMORY_READ_BYTES = 1024 * 1024;
/** Concurrent row reads of a large channel-major (timeAxis 1) window. */
const ROW_READ_CONCURRENCY = 16;

/**
 * A segment of a raw binary file: frames of `numChannels` interleaved samples (or channel rows with
 * `timeAxis` 1) after `fileOffset` bytes. Reads ask the source for the whole frames they need, straight
 * into the kernel's memory; the kernel then gathers, converts and scales them.
 *
 * `timeAxis` 1 follows SpikeInterface (0.104 and 0.105, see the `write_recording/offset_t1` fixture):
 * a read of frames [s, e) takes the bytes of those frames as if the file were time-major,
 * `fileOffset + s × numChannels × itemsize` onwards, and reads them as `numChannels` rows of `e − s`
 * samples. A read of the whole segment is the true channel-major layout; shorter windows give what
 * SpikeInterface gives, bit for bit. So that a window is never cut into pieces that would change its
 * samples, getTraces reads a `timeAxis` 1 window in one piece.
 */
export class BinaryRecordingSegment extends RawBlockSegment {
  /** False when the file's samples are big-endian (swapped after each read). */
  readonly littleEndian: boolean;
  /** End frame of the last read, to recognise sequential reads. */
  private lastEnd = -1;
  /** Set by close(): no more reading ahead. */
  private closing = false;

  constructor(
    samplingFrequency: number,
    tStart: number | null,
    /** Where the bytes are. */
    readonly source: ByteSource,
    dtype: ParsedDType,
    numChannels: number,
    timeAxis: 0 | 1,
    /** Bytes before the first sample. */
    readonly fileOffset: number,
    private readonly numSamples: number,
  ) {
    super(samplingFrequency, tStart, null, dtype.dtype, numChannels, timeAxis);
    this.littleEndian = dtype.littleEndian;
  }

  getNumSamples(): number {
    return this.numSamples;
  }

  override preferredReadBytes(): number {
    if (this.timeAxis === 1) return Number.MAX_SAFE_INTEGER; // one piece per window (see the class comment)
    return this.source instanceof MemorySource ? MEMORY_READ_BYTES : REMOTE_READ_BYTES;
  }

  /**
   * Splits reads so that no block read from the source exceeds {@link MAX_BLOCK_BYTES}, and overlaps
   * reading with converting on sequential reads (see read-ahead.ts) for files, Blobs and URLs.
   */
  override async readTraces(request: TraceRequest): Promise<void> {
    const frameBytes = this.numChannels * itemSize(this.dtype);
    const step = Math.max(1, Math.floor(MAX_BLOCK_BYTES / frameBytes));
    const { startFrame, endFrame, gains, target, channelIndices } = request;
    const sequential = startFrame === this.lastEnd && startFrame > 0;
    this.lastEnd = endFrame;
    if (this.timeAxis === 1) {
      if (endFrame - startFrame <= step) return super.readTraces(request);
      for (let from = startFrame; from < endFrame; from += step) await this.readChannelMajorPiece(request, from, Math.min(endFrame, from + step));
      return;
    }
    // Raw reads of every channel go straight into the target; memory sources have nothing to overlap.
    const direct = !gains && target.dtype === this.dtype && target.stride === this.numChannels && isIdentity(channelIndices, this.numChannels);
    const ahead = !direct && !(this.source instanceof MemorySource);
    for (let from = startFrame; from < endFrame; from += step) {
      const to = Math.min(endFrame, from + step);
      const piece = from === startFrame && to === endFrame ? request : { ...request, startFrame: from, endFrame: to, target: shiftTarget(target, from - startFrame, 0) };
      if (!ahead) {
        await super.readTraces(piece);
        continue;
      }
      // Read ahead the next piece of this request, or, when requests come one after the other
      // (chunks(), getTraces tiles), the same length after this one.
      let next: number | null = null;
      if (to < endFrame) next = Math.min(endFrame, to + step);
      else if (sequential) next = Math.min(this.numSamples, to + (to - from));
      await this.readPieceAhead(piece, next !== null && next > to ? next : null);
    }
  }

  /**
   * One piece of at most {@link MAX_BLOCK_BYTES}: its bytes from the block read ahead for it (or read
   * now), the next piece [endFrame, nextEnd) started reading, then the kernel converts.
   */
  private async readPieceAhead(request: TraceRequest, nextEnd: number | null): Promise<void> {
    const { kernel, startFrame: from, endFrame: to, channelIndices, target, gains, offsets, signal } = request;
    const frameBytes = this.numChannels * itemSize(this.dtype);
    let block = await claimReadAhead(this, kernel, from, to);
    if (nextEnd !== null && !this.closing) {
      startReadAhead(this, kernel, to, nextEnd, (nextEnd - to) * frameBytes, (address) => this.readBlock(kernel, to, nextEnd, address, signal));
    }
    if (block === 0) {
      block = await kernel.alloc((to - from) * frameBytes);
      try {
        await this.readBlock(kernel, from, to, block, signal);
      } catch (e) {
        kernel.free(block);
        throw e;
      }
    }
    try {
      const scratch = await kernel.alloc(kernel.paramBytes(channelIndices.length));
      try {
        kernel.convert({
          src: block, srcDtype: this.dtype, srcChannels: this.numChannels, numFrames: to - from, timeAxis: 0,
          channels: channelIndices, dst: target.address, dstDtype: target.dtype, dstStride: target.stride,
          gains, offsets, scratch,
        });
      } finally {
        kernel.free(scratch);
      }
    } finally {
      kernel.free(block);
    }
  }

  /**
   * Frames [from, to) of a large `timeAxis` 1 window [startFrame, endFrame): the rows of the asked
   * channels only, each from its place in the window's bytes, then converted by the kernel.
   */
  private async readChannelMajorPiece(request: TraceRequest, from: number, to: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices, target, gains, offsets, signal } = request;
    const size = itemSize(this.dtype);
    const frames = to - from;
    const windowFrames = endFrame - startFrame;
    const rowBytes = frames * size;
    const blockBytes = Math.ceil((rowBytes * this.numChannels) / 16) * 16;
    const block = await kernel.alloc(blockBytes + kernel.paramBytes(channelIndices.length));
    try {
      const rows = [...new Set(channelIndices)];
      const base = this.fileOffset + (startFrame * this.numChannels + (from - startFrame)) * size;
      await kernel.io(() => this.readRows(rows, (c) => base + c * windowFrames * size, (c) => kernel.bytes(block + c * rowBytes, rowBytes), signal));
      if (!this.littleEndian && size > 1) for (const c of rows) swapBytes(kernel.bytes(block + c * rowBytes, rowBytes), size);
      kernel.convert({
        src: block, srcDtype: this.dtype, srcChannels: this.numChannels, numFrames: frames, timeAxis: 1,
        channels: channelIndices, dst: shiftTarget(target, from - startFrame, 0).address, dstDtype: target.dtype,
        dstStride: target.stride, gains, offsets, scratch: block + blockBytes,
      });
    } finally {
      kernel.free(block);
    }
  }

  /** Reads one row per channel of `rows`, a few at a time; settles only when no read is left in flight. */
  private async readRows(rows: number[], position: (c: number) => number, into: (c: number) => Uint8Array, signal?: AbortSignal): Promise<void> {
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < rows.length && !failed) {
        const c = rows[next++];
        try {
          await this.source.read(position(c), into(c), signal);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: Math.min(ROW_READ_CONCURRENCY, rows.length) }, worker));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
  }

  protected async readBlock(kernel: Kernel, start: number, end: number, address: number, signal?: AbortSignal): Promise<void> {
    const size = itemSize(this.dtype);
    const bytes = (end - start) * this.numChannels * size;
    if (bytes === 0) return;
    // The bytes of frames [start, end) as stored; with timeAxis 1 the kernel reads them as channel rows.
    const position = this.fileOffset + start * this.numChannels * size;
    const source = this.source;
    await kernel.io(() => source.read(position, kernel.bytes(address, bytes), signal));
    if (!this.littleEndian && size > 1) swapBytes(kernel.bytes(address, bytes), size);
  }

  /** Drops blocks read ahead (after their reads settle), then closes the source. */
  override async close(): Promise<void> {
    this.closing = true;
    await dropReadAheads(this);
    await this.source.close();
  }
}

/** Reverses the bytes of every `size`-byte item of `bytes` in place (big-endian → little-endian). */
function swapBytes(bytes: Uint8Array, size: number): void {
  const n = bytes.byteLength / size;
  if (bytes.byteOffset % 4 === 0 && size >= 2) {
    if (size === 2) {
      const v = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
      for (let i = 0; i < n; i++) {
        const x = v[i];
        v[i] = (x >>> 8) | ((x & 0xff) << 8);
      }
      return;
    }
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, (n * size) / 4);
    for (let i = 0; i < words.length; i++) {
      const x = words[i];
      words[i] = (x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | ((x & 0xff) << 24);
    }
    if (size === 8) {
      for (let i = 0; i < words.length; i += 2) {
        const lo = words[i];
        words[i] = words[i + 1];
        words[i + 1] = lo;
      }
    }
    return;
  }
  for (let i = 0; i < bytes.byteLength; i += size) bytes.subarray(i, i + size).reverse();
}

/** Opens one input as a ByteSource; `owned` says whether closing it on failure is ours to do. */
async function openInput(input: BinarySourceInput, index: number, signal?: AbortSignal): Promise<{ source: ByteSource; owned: boolean; path: string }> {
  if (isHttpUrl(input)) {
    const source = await HttpSource.open(input, { signal });
    return { source, owned: true, path: source.name };
  }
  if (typeof URL !== 'undefined' && input instanceof URL && input.protocol === 'file:') {
    input = decodeURIComponent(input.pathname); // a file: URL stands for its path
  }
  if (typeof input === 'string') {
    if (input === '') throw new SpikewireError('INVALID_ARGUMENT', `file path ${index} is an empty string`);
    const platform = filePlatform('opening file', input);
    const source = await platform.openFile(input, { signal });
    return { source, owned: true, path: platform.resolvePath(input) };
  }
  if (isBlob(input)) {
    const source = new BlobSource(input);
    return { source, owned: true, path: source.name };
  }
  if (isByteSource(input)) return { source: input, owned: false, path: input.name };
  throw new SpikewireError(
    'INVALID_ARGUMENT',
    `source ${index} is ${describe(input)}: expected a file path, an http(s) URL, a Blob / File or a ByteSource`,
  );
}

function checkScale(what: string, v: unknown, numChannels: number): void {
  if (v === undefined || v === null) return;
  if (typeof v === 'number') {
    check(Number.isFinite(v), 'INVALID_ARGUMENT', () => `${what} ${describe(v)} must be a finite number`);
    return;
  }
  const arr = v as ArrayLike<unknown>;
  check(typeof v === 'object' && typeof arr.length === 'number', 'INVALID_ARGUMENT', () => `${what} must be a number or one number per channel, got ${describe(v)}`);
  check(arr.length === numChannels, 'INVALID_ARGUMENT', () => `${what} has ${arr.length} values, expected ${numChannels} (one per channel)`);
}

/**
 * A recording whose segments are raw binary files (SpikeInterface's BinaryRecordingExtractor): one
 * file, Blob, URL or {@link ByteSource} per segment, headerless or after `fileOffset` bytes, time-major
 * (or channel-major with `timeAxis` 1), in any dtype including big-endian ones. Reads ask for the whole
 * frames they need and no more. Open with {@link BinaryRecordingExtractor.open} or {@link readBinary};
 * {@link close} releases the files and connections.
 */
export class BinaryRecordingExtractor extends BaseRecording {
  static override readonly className: string = 'BinaryRecordingExtractor';
  static override readonly classPath: string = 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor';
  static override readonly serializability: Readonly<Serializability> = TRAVELS_EVERY_WAY;

  private readonly _filePaths: string[];

  protected constructor(
    samplingFrequency: number,
    channelIds: readonly ChannelId[],
    dtype: ParsedDType,
    segments: BinaryRecordingSegment[],
    filePaths: string[],
  ) {
    super(samplingFrequency, channelIds, dtype.dtype);
    for (const s of segments) this.addRecordingSegment(s);
    this._filePaths = filePaths;
  }

  /**
   * Opens raw binary files (or Blobs, URLs, ByteSources), one per segment, with SpikeInterface's
   * options. Samples per segment = floor((size − fileOffset) / (numChannels × itemsize)), as
   * SpikeInterface computes it (a warning names a file whose size is not a whole number of frames).
   * Errors: `INVALID_ARGUMENT` (bad option, unknown dtype, fileOffset past a file's end, numChannels over
   * spikewire's limit of 2**20 or more than a non-empty file holds for one sample — an empty file is a
   * zero-sample segment),
   * `NOT_FOUND` (missing file), `IO` (unreadable file, HTTP failure), `UNSUPPORTED` (a path without a
   * file system: import 'spikewire/node'). Sources opened here are closed again when opening fails.
   */
  static async open(opts: BinaryRecordingOptions): Promise<BinaryRecordingExtractor> {
    check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `BinaryRecordingExtractor.open expects an options object, got ${describe(opts)}`);
    const hasPaths = opts.filePaths !== undefined && opts.filePaths !== null;
    const hasSources = opts.sources !== undefined && opts.sources !== null;
    check(hasPaths !== hasSources, 'INVALID_ARGUMENT', hasPaths
      ? 'give filePaths or sources, not both'
      : 'BinaryRecordingExtractor.open needs filePaths (or sources): one file, URL, Blob or ByteSource per segment');
    const given = hasPaths ? opts.filePaths! : opts.sources!;
    const inputs: readonly BinarySourceInput[] = Array.isArray(given) ? given : [given as BinarySourceInput];
    check(inputs.length > 0, 'INVALID_ARGUMENT', `${hasPaths ? 'filePaths' : 'sources'} is empty: give one file per segment`);

    const { samplingFrequency, numChannels } = opts;
    check(typeof samplingFrequency === 'number' && samplingFrequency > 0 && Number.isFinite(samplingFrequency), 'INVALID_ARGUMENT',
      () => `samplingFrequency ${describe(samplingFrequency)} must be a positive number of Hz`);
    check(typeof numChannels === 'number' && Number.isInteger(numChannels) && numChannels > 0, 'INVALID_ARGUMENT',
      () => `numChannels ${describe(numChannels)} must be a positive integer`);
    checkChannelLimit(numChannels);
    const dtype = parseDTypeString(opts.dtype);
    const timeAxis = opts.timeAxis ?? 0;
    check(timeAxis === 0 || timeAxis === 1, 'INVALID_ARGUMENT', () => `timeAxis ${describe(timeAxis)} must be 0 (time-major) or 1 (channel-major)`);
    const fileOffset = opts.fileOffset ?? 0;
    check(typeof fileOffset === 'number' && Number.isSafeInteger(fileOffset) && fileOffset >= 0, 'INVALID_ARGUMENT',
      () => `fileOffset ${describe(fileOffset)} must be a non-negative integer number of bytes`);
    const givenIds = opts.channelIds ?? null;
    check(givenIds === null || (Array.isArray(givenIds) && givenIds.length === numChannels), 'INVALID_ARGUMENT',
      () => `channelIds has ${Array.isArray(givenIds) ? givenIds.length : describe(givenIds)} ids for numChannels ${numChannels}`);
    const tStarts = opts.tStarts ?? null;
    if (tStarts !== null) {
      check(Array.isArray(tStarts) && tStarts.length === inputs.length, 'INVALID_ARGUMENT',
        () => `tStarts must have one start time per segment (${inputs.length}), got ${describe(tStarts)}`);
      tStarts.forEach((t, i) => check(t === null || (typeof t === 'number' && Number.isFinite(t)), 'INVALID_ARGUMENT',
        () => `tStarts[${i}] ${describe(t)} must be a number of seconds`));
    }
    checkScale('gainToUV', opts.gainToUV, numChannels);
    checkScale('offsetToUV', opts.offsetToUV, numChannels);
    const isFiltered = opts.isFiltered ?? null;
    check(isFiltered === null || typeof isFiltered === 'boolean', 'INVALID_ARGUMENT', () => `isFiltered ${describe(isFiltered)} must be true, false or null`);

    // Open every source; on any failure close the ones opened here.
    const settled = await Promise.allSettled(inputs.map((input, i) => openInput(input, i, opts.signal)));
    const opened = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const closeOwned = () => Promise.all(opened.filter((o) => o.owned).map((o) => o.source.close().catch(() => {})));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      await closeOwned();
      throw failure.reason;
    }
    try {
      const size = itemSize(dtype.dtype);
      const frameBytes = numChannels * size;
      for (const { source } of opened) {
        if (fileOffset > source.size) {
          throw new SpikewireError('INVALID_ARGUMENT', `fileOffset ${fileOffset} is past the end of ${describe(source.name)} (${source.size} bytes)`);
        }
        const data = source.size - fileOffset;
        // A file with data must hold at least one whole frame; an empty one is a zero-sample segment.
        if (data > 0 && data < frameBytes) {
          throw new SpikewireError('INVALID_ARGUMENT',
            `numChannels ${numChannels} does not fit ${describe(source.name)}: its ${data} bytes after fileOffset ${fileOffset} ` +
              `hold at most ${Math.floor(data / size)} ${dtype.dtype} channels of one sample`);
        }
      }
      // Default ids only now, once the files have vouched for the channel count.
      const channelIds = givenIds ?? Array.from({ length: numChannels }, (_, i) => i);
      const segments = opened.map(({ source }, i) => {
        const bytes = source.size;
        const data = bytes - fileOffset;
        const numSamples = Math.floor(data / frameBytes);
        const rest = data - numSamples * frameBytes;
        if (rest !== 0) {
          console.warn(
            `spikewire: ${source.name}: ${data} bytes after fileOffset ${fileOffset} are not a whole number of frames of ` +
              `${numChannels} × ${size} bytes; reading ${numSamples} samples and ignoring the last ${rest} bytes (as SpikeInterface does)`,
          );
        }
        return new BinaryRecordingSegment(samplingFrequency, tStarts?.[i] ?? null, source, dtype, numChannels, timeAxis, fileOffset, numSamples);
      });
      const rec = new BinaryRecordingExtractor(samplingFrequency, channelIds, dtype, segments, opened.map((o) => o.path));
      if (opts.gainToUV !== undefined && opts.gainToUV !== null) rec.setChannelGains(opts.gainToUV);
      if (opts.offsetToUV !== undefined && opts.offsetToUV !== null) rec.setChannelOffsets(opts.offsetToUV);
      if (isFiltered !== null) rec.annotate({ is_filtered: isFiltered });
      rec._kwargs = {
        file_paths: opened.map((o) => o.path),
        sampling_frequency: samplingFrequency,
        t_starts: tStarts === null ? null : [...tStarts],
        num_channels: numChannels,
        dtype: dtype.numpy,
        channel_ids: [...channelIds],
        time_axis: timeAxis,
        file_offset: fileOffset,
        gain_to_uV: kwargScale(opts.gainToUV),
        offset_to_uV: kwargScale(opts.offsetToUV),
        is_filtered: isFiltered,
      };
      return rec;
    } catch (e) {
      await closeOwned();
      throw e;
    }
  }

  /**
   * Writes `recording` as raw binary, one target per segment (SpikeInterface's `write_recording`):
   * file paths in Node; sinks or Blobs in browsers. See `writeBinaryRecording`.
   */
  static writeRecording(recording: BaseRecording, targets: 'blob' | BlobTarget | readonly BlobTarget[], opts?: WriteBinaryOptions): Promise<Blob[]>;
  static writeRecording(recording: BaseRecording, targets: string | readonly string[], opts?: WriteBinaryOptions): Promise<string[]>;
  static writeRecording(recording: BaseRecording, targets: unknown, opts?: WriteBinaryOptions): Promise<WriteBinaryOutput[]>;
  static writeRecording(recording: BaseRecording, targets: unknown, opts?: WriteBinaryOptions): Promise<WriteBinaryOutput[]> {
    return writeBinaryRecording(recording, targets, opts);
  }

  /** The byte sources of the segments, in segment order. */
  get sources(): ByteSource[] {
    return this._segments.map((s) => (s as BinaryRecordingSegment).source);
  }

  /** The absolute file paths (or URLs / Blob names) of the segments, as the repr shows them. */
  getFilePaths(): string[] {
    return [...this._filePaths];
  }

  protected override reprFilePaths(): string[] | null {
    return [...this._filePaths];
  }

  /** A worker reopens the files by path: only sources that are files on this machine travel. */
  override workerProblem(isLocalFile: (source: unknown) => boolean): string | null {
    return localSourcesProblem(this.className, this.sources, isLocalFile);
  }
}

/**
 * Why a worker thread cannot rebuild a recording that reads `sources` from its dict (a worker reopens
 * the files by path: only files on this machine travel), or null when it can.
 */
export function localSourcesProblem(className: string, sources: readonly ByteSource[], isLocalFile: (source: unknown) => boolean): string | null {
  const source = sources.find((s) => !isLocalFile(s));
  if (source === undefined) return null;
  return `${className} reads ${describe(source.name)} through a ${source.constructor?.name ?? 'ByteSource'}, which a worker cannot reopen from the dict (only local files travel)`;
}

function kwargScale(v: number | ArrayLike<number> | null | undefined): number | number[] | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' ? v : Array.from(v, Number);
}

/** Opens raw binary files as a recording: the function form of {@link BinaryRecordingExtractor.open} (SpikeInterface's `read_binary`). */
export function readBinary(opts: BinaryRecordingOptions): Promise<BinaryRecordingExtractor> {
  return BinaryRecordingExtractor.open(opts);
}

