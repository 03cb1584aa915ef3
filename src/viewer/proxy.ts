// The page side of a recording opened in a worker: the recording API a viewer needs, each read a
// request to the worker (its answer's buffers transferred), abortable, with the description kept here.
import { abortedError } from '../abort.js';
import type { ChannelId } from '../core/ids.js';
import { BaseRecording, type Traces } from '../core/recording.js';
import type { DType } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import type { BinaryRecordingOptions } from '../extractors/binary-recording.js';
import type { LoadSource } from '../formats/load.js';
import type { AllowedOrigins } from '../store/origins.js';
import { ProbeGroup } from '../probe/index.js';
import type { GetEnvelopesOptions, WindowEnvelopes } from './envelopes.js';
import {
  type MessagePortLike, type PreprocessingStep, type RecordingInfo, type WireError, type WireFiles, type WireSource, fromWireError, listen,
} from './protocol.js';

/**
 * An acquisition folder opened in the worker with the stream to read: SpikeGLX (`readSpikeglx`) or
 * Open Ephys binary (`readOpenephys`). `inspectRecordingFolder` tells the format and the streams.
 */
export interface AcquisitionWorkerSource {
  format: 'spikeglx' | 'openephys';
  /** The folder: an http(s) URL, picked or dropped files, a FileSystemDirectoryHandle, or a path when the worker runs in Node. */
  folder: string | URL | FileList | readonly File[] | FileSystemDirectoryHandle;
  /** The stream, by id (`imec0.ap`, `'1'`) or by name; needed when the folder has several. */
  streamId?: string;
  streamName?: string;
  /** Open Ephys: the experiment, by position or by folder name (not both). */
  blockIndex?: number;
  experimentName?: string;
  /** An HTTP folder without index pages: its files, relative to its URL. */
  files?: readonly string[];
}

/** The options of an {@link AcquisitionWorkerSource} that travel with it (nothing else is sent). */
const ACQUISITION_OPTIONS = ['streamId', 'streamName', 'blockIndex', 'experimentName', 'files'] as const;

/** What {@link openRecordingWorker} opens: what `load()` takes, a recording (sent as its dict), a raw file's options, or an acquisition folder's stream. */
export type RecordingWorkerSource = LoadSource | BaseRecording | { binary: BinaryRecordingOptions } | AcquisitionWorkerSource;

/** A worker (or port) the proxy talks to; `terminate` is called on close when the proxy owns it. */
export type RecordingWorkerTarget = MessagePortLike & { terminate?(): unknown; close?(): unknown };

/** Options of {@link openRecordingWorker}. */
export interface OpenRecordingWorkerOptions {
  /**
   * The worker that serves recordings (its script calls `serveRecordingWorker()`), e.g.
   * `new Worker(new URL('./recording-worker.js', import.meta.url), { type: 'module' })`, a Node
   * `worker_threads` Worker, or a MessagePort.
   */
  worker: RecordingWorkerTarget;
  /** Stops the open with `ABORTED`. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the worker to answer at all (default 30000), and for each HTTP request. */
  timeoutMs?: number;
  /** URLs: other origins the recording's files may come from (see `load`). */
  allowedOrigins?: AllowedOrigins;
  /** Terminate (or close) the worker when the proxy is closed; default true. */
  terminateOnClose?: boolean;
}

/** Options of {@link RecordingWorkerProxy.getTraces}. */
export interface ProxyTracesOptions {
  segmentIndex?: number;
  startFrame?: number;
  endFrame?: number;
  channelIds?: readonly ChannelId[];
  returnInUV?: boolean;
  /** Stops the request, in the worker too. */
  signal?: AbortSignal;
}

/** How often a proxy asks a worker that has not answered yet whether it listens (see Connection.ready). */
const PING_INTERVAL_MS = 10;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One worker and the requests in flight to it (shared by a proxy and the proxies derived from it). */
class Connection {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken: SpikewireError | null = null;
  private readonly unlisten: () => void;
  private readonly onError?: (event: unknown) => void;

  constructor(readonly target: RecordingWorkerTarget) {
    this.unlisten = listen(target, (data) => this.receive(data));
    const t = target as { addEventListener?(type: string, l: (e: unknown) => void): void; on?(type: string, l: (e: unknown) => void): void };
    this.onError = (event) => {
      const message = (event as { message?: string })?.message || 'it could not start or stopped';
      this.fail(new SpikewireError('IO', `the recording worker failed: ${message}`));
    };
    if (typeof t.addEventListener === 'function') t.addEventListener('error', this.onError);
    else t.on?.('error', this.onError);
  }

  private receive(data: unknown): void {
    const m = data as { id?: unknown; ok?: boolean; value?: unknown; error?: WireError } | null;
    if (!m || typeof m.id !== 'number') return;
    const waiting = this.pending.get(m.id);
    if (!waiting) return; // answered after an abort: dropped
    this.pending.delete(m.id);
    if (m.ok) waiting.resolve(m.value);
    else waiting.reject(fromWireError(m.error ?? { name: 'Error', message: 'no error given' }));
  }

  fail(error: SpikewireError): void {
    this.broken = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  /** Sends a request; the answer's value, or its error. `signal` aborts it here and in the worker. */
  request<T>(type: string, fields: Record<string, unknown>, signal?: AbortSignal, transfer: Transferable[] = []): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    if (signal?.aborted) return Promise.reject(abortedError(type, signal));
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.target.postMessage({ id: ++this.nextId, type: 'abort', target: id });
        reject(abortedError(type, signal));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v as T);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.target.postMessage({ id, type, ...fields }, transfer);
      } catch (error) {
        this.pending.delete(id);
        done();
        reject(new SpikewireError('INVALID_ARGUMENT', `cannot send ${type} to the recording worker: ${(error as Error)?.message ?? error}`));
      }
    });
  }

  /**
   * Waits until the worker answers. A worker may start listening after its first messages arrive
   * (its script imports the library first), and such messages are lost: so ask again every
   * {@link PING_INTERVAL_MS} ms (the first answer ends the wait, so a short interval costs only pings).
   */
  async ready(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    const started = Date.now();
    try {
      for (;;) {
        const attempt = this.request('ping', {}, controller.signal).then(() => true, (e) => {
          if ((e as SpikewireError)?.code === 'ABORTED') return false;
          throw e;
        });
        const answered = await Promise.race([attempt, new Promise<false>((r) => setTimeout(() => r(false), PING_INTERVAL_MS))]);
        if (answered) return;
        if (signal?.aborted) throw abortedError('openRecordingWorker', signal);
        if (Date.now() - started > timeoutMs) {
          throw new SpikewireError('IO', `the recording worker did not answer within ${timeoutMs} ms (does its script call serveRecordingWorker()?)`);
        }
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      controller.abort();
    }
  }

  close(terminate: boolean): void {
    this.unlisten();
    const t = this.target as { removeEventListener?(type: string, l: unknown): void; off?(type: string, l: unknown): void };
    if (this.onError) {
      t.removeEventListener?.('error', this.onError);
      t.off?.('error', this.onError);
    }
    this.fail(new SpikewireError('IO', 'the recording worker proxy is closed'));
    if (terminate) {
      if (typeof this.target.terminate === 'function') this.target.terminate();
      else this.target.close?.();
    }
  }
}

/** Picked files (a FileList or a non-empty File[]) with their paths in the chosen folder, or null for anything else. */
function wireFiles(value: unknown): WireFiles | null {
  const fileList = typeof FileList !== 'undefined' && value instanceof FileList;
  if (!fileList && !(Array.isArray(value) && value.length > 0 && value.every((f) => typeof File !== 'undefined' && f instanceof File))) return null;
  return Array.from(value as ArrayLike<File>, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** `{ format, folder, ... }`: an acquisition folder (a SpikeInterface dict has `class`, a raw file `binary`). */
function isAcquisitionSource(source: unknown): source is AcquisitionWorkerSource {
  return !!source && typeof source === 'object' && 'format' in source && 'folder' in source && !('class' in source);
}

/** How a source travels: FileLists lose their relative paths in structured cloning, recordings go as dicts. */
function toWire(source: RecordingWorkerSource): WireSource {
  if (source instanceof BaseRecording) return { kind: 'load', source: source.toDict({ includeAnnotations: true, includeProperties: true, recursive: true }) };
  const files = wireFiles(source);
  if (files) return { kind: 'files', entries: files };
  if (source instanceof URL) return { kind: 'load', source: source.href };
  if (isAcquisitionSource(source)) {
    const { format, folder } = source;
    if (format !== 'spikeglx' && format !== 'openephys') {
      throw new SpikewireError('INVALID_ARGUMENT', `openRecordingWorker: format ${describe(format)} is not one the worker reads: expected 'spikeglx' or 'openephys'`);
    }
    const options: Record<string, unknown> = {};
    for (const key of ACQUISITION_OPTIONS) if (source[key] !== undefined) options[key] = key === 'files' ? [...source.files!] : source[key];
    const entries = wireFiles(folder);
    return { kind: 'acquisition', format, folder: entries ? { entries } : { value: folder instanceof URL ? folder.href : folder }, options };
  }
  if (source && typeof source === 'object' && 'binary' in source && !('class' in source)) {
    // URL objects do not survive structured cloning: their text does
    const text = (v: unknown) => (v instanceof URL ? v.href : v);
    const options = { ...(source.binary as unknown as Record<string, unknown>) };
    for (const key of ['sources', 'filePaths']) {
      const v = options[key];
      if (v !== undefined) options[key] = Array.isArray(v) ? v.map(text) : text(v);
    }
    return { kind: 'binary', options };
  }
  return { kind: 'load', source };
}

/**
 * A recording opened inside a worker ({@link openRecordingWorker}): its description is here (ids,
 * sampling frequency, segments, gains, properties, probe), its samples stay in the worker, and each
 * read is a request whose answer arrives with its buffers transferred. Reads take a `signal` that
 * stops them in the worker too.
 */
export class RecordingWorkerProxy {
  /** What the worker said about the recording when it opened it. */
  readonly info: RecordingInfo;
  private closed = false;
  private probegroup: ProbeGroup | null = null;

  /** @internal Use {@link openRecordingWorker} or {@link preprocess}. */
  constructor(
    private readonly connection: Connection,
    private readonly handle: number,
    info: RecordingInfo,
    private readonly owner: { terminate: boolean; children: Set<RecordingWorkerProxy> } | null,
  ) {
    this.info = info;
  }

  getChannelIds(): ChannelId[] {
    return [...this.info.channelIds];
  }
  getNumChannels(): number {
    return this.info.channelIds.length;
  }
  getSamplingFrequency(): number {
    return this.info.samplingFrequency;
  }
  getNumSegments(): number {
    return this.info.numSamples.length;
  }
  getDtype(): DType {
    return this.info.dtype;
  }
  /** Frames of a segment (segmentIndex may be left out for one segment, as on a recording). */
  getNumSamples(segmentIndex?: number): number {
    return this.info.numSamples[this.segment(segmentIndex)];
  }
  getNumFrames(segmentIndex?: number): number {
    return this.getNumSamples(segmentIndex);
  }
  getDuration(segmentIndex?: number): number {
    return this.getNumSamples(segmentIndex) / this.info.samplingFrequency;
  }
  getStartTime(segmentIndex?: number): number {
    return this.info.startTimes[this.segment(segmentIndex)];
  }
  hasScaleableTraces(): boolean {
    return this.info.hasScaleableTraces;
  }
  getPropertyKeys(): string[] {
    return Object.keys(this.info.properties);
  }
  getProperty(key: string): unknown[] | ArrayLike<number> | undefined {
    return this.info.properties[key];
  }
  hasProbe(): boolean {
    return this.info.probegroup !== null;
  }
  /** The attached probe group, rebuilt from ProbeInterface's dict. `NOT_FOUND` without a probe. */
  getProbegroup(): ProbeGroup {
    if (!this.info.probegroup) throw new SpikewireError('NOT_FOUND', 'this recording has no probe attached');
    this.probegroup ??= ProbeGroup.fromDict(this.info.probegroup);
    return this.probegroup;
  }
  /** Channel locations as a flat `[numChannels][2]` (x, y) array. `NOT_FOUND` without a probe. */
  getChannelLocations(): Float64Array {
    if (!this.info.channelLocations) throw new SpikewireError('NOT_FOUND', 'this recording has no probe attached: no channel locations');
    return Float64Array.from(this.info.channelLocations);
  }
  /** SpikeInterface's dict of the recording (made in the worker). `UNSUPPORTED` for samples in memory. */
  toDict(): NonNullable<RecordingInfo['dict']> {
    if (!this.info.dict) throw new SpikewireError('UNSUPPORTED', `${this.info.className} cannot be described by a dict (its samples live in memory)`);
    return this.info.dict;
  }
  /** SpikeInterface's repr, as the worker's recording prints it. */
  toString(): string {
    return this.info.repr;
  }

  private segment(segmentIndex?: number): number {
    const n = this.info.numSamples.length;
    if (segmentIndex === undefined) {
      if (n === 1) return 0;
      throw new SpikewireError('SEGMENT_INDEX_REQUIRED', `segmentIndex is required for a recording of ${n} segments`);
    }
    if (!Number.isInteger(segmentIndex) || segmentIndex < 0 || segmentIndex >= n) {
      throw new SpikewireError('OUT_OF_RANGE', `segmentIndex ${describe(segmentIndex)} is out of range: expected an integer from 0 to ${n - 1}`);
    }
    return segmentIndex;
  }

  private check(): void {
    if (this.closed) throw new SpikewireError('INVALID_ARGUMENT', 'this recording worker proxy is closed');
  }

  /** A window of traces, read in the worker, as `getTraces` gives it (the array's buffer transferred). */
  async getTraces(opts: ProxyTracesOptions = {}): Promise<Traces> {
    this.check();
    const { signal, ...options } = opts;
    return this.connection.request<Traces>('traces', { handle: this.handle, options: { ...options, channelIds: options.channelIds && [...options.channelIds] } }, signal);
  }

  /** A window reduced to per-column min/max envelopes in the worker (see `getEnvelopes`). */
  async getEnvelopes(opts: GetEnvelopesOptions): Promise<WindowEnvelopes> {
    this.check();
    if (opts === null || typeof opts !== 'object') throw new SpikewireError('INVALID_ARGUMENT', `getEnvelopes: expected options { columns, ... }, got ${describe(opts)}`);
    const { signal, ...options } = opts;
    return this.connection.request<WindowEnvelopes>('envelopes', { handle: this.handle, options: { ...options, channelIds: options.channelIds && [...options.channelIds] } }, signal);
  }

  /**
   * The recording through preprocessing steps applied in the worker (e.g.
   * `[{ name: 'highpassFilter', options: { freqMin: 300 } }, { name: 'commonReference' }]`): a proxy
   * of the lazy result, sharing this worker. Closing it leaves this one open.
   */
  async preprocess(steps: readonly PreprocessingStep[], opts: { signal?: AbortSignal } = {}): Promise<RecordingWorkerProxy> {
    this.check();
    const { handle, info } = await this.connection.request<{ handle: number; info: RecordingInfo }>('preprocess', { handle: this.handle, steps }, opts.signal);
    const child = new RecordingWorkerProxy(this.connection, handle, info, null);
    this.owner?.children.add(child);
    return child;
  }

  /** Releases the recording in the worker; the opened proxy also terminates the worker (unless told not to). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.owner) for (const child of this.owner.children) await child.close();
    await this.connection.request('close', { handle: this.handle }).catch(() => {});
    if (this.owner) this.connection.close(this.owner.terminate);
  }
}

/**
 * Opens a recording inside a worker and returns a proxy with the recording API a viewer needs. The
 * worker reads, converts and preprocesses with its own kernel, so the page's main thread never waits
 * on them. `source`: anything `load()` takes that can be posted (a dict, JSON text, a URL, a Blob or
 * File, a FileList or File[] from a folder picker, a FileSystemDirectoryHandle), a recording (sent as
 * its dict: lazy chains open in the worker as they are), `{ binary: options }` for a raw file, or
 * `{ format: 'spikeglx' | 'openephys', folder, streamId, ... }` for one stream of an acquisition folder.
 * The worker's script calls `serveRecordingWorker()`.
 */
export async function openRecordingWorker(source: RecordingWorkerSource, opts: OpenRecordingWorkerOptions): Promise<RecordingWorkerProxy> {
  if (!opts || typeof opts !== 'object' || !opts.worker || typeof opts.worker.postMessage !== 'function') {
    throw new SpikewireError('INVALID_ARGUMENT', `openRecordingWorker: expected { worker } (a Worker or MessagePort), got ${describe(opts)}`);
  }
  const timeoutMs = opts.timeoutMs ?? 30000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new SpikewireError('INVALID_ARGUMENT', `openRecordingWorker: timeoutMs must be a number above 0, got ${describe(timeoutMs)}`);
  const wire = toWire(source);
  const connection = new Connection(opts.worker);
  const terminate = opts.terminateOnClose ?? true;
  try {
    await connection.ready(timeoutMs, opts.signal);
    const { handle, info } = await connection.request<{ handle: number; info: RecordingInfo }>(
      'open', { source: wire, options: { timeoutMs: opts.timeoutMs, allowedOrigins: opts.allowedOrigins } }, opts.signal,
    );
    return new RecordingWorkerProxy(connection, handle, info, { terminate, children: new Set() });
  } catch (error) {
    connection.close(terminate);
    throw error;
  }
}
