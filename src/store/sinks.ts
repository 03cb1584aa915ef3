import { SpikewireError, describe } from '../errors.js';
import { filePlatform } from './platform.js';
import type { ByteSink } from './source.js';

// Universal sinks: where written bytes go in every runtime. File paths need a file platform
// (`spikewire/node`); streams, file handles and Blobs work everywhere.

/**
 * Asks a writer for a `Blob` instead of a file: `writeBinaryRecording(rec, 'blob')` (one Blob per
 * segment) or one `{ kind: 'blob' }` per segment in a list of targets. The Blob comes back in the
 * writer's result, in the target's place.
 */
export interface BlobTarget {
  readonly kind: 'blob';
  /** The Blob's MIME type (default `application/octet-stream`). */
  readonly type?: string;
}

/** A {@link BlobTarget}: `blobTarget()` = `{ kind: 'blob' }`. */
export function blobTarget(type?: string): BlobTarget {
  return type === undefined ? { kind: 'blob' } : { kind: 'blob', type };
}

/** True for `{ kind: 'blob' }` objects. */
export function isBlobTarget(value: unknown): value is BlobTarget {
  return typeof value === 'object' && value !== null && (value as BlobTarget).kind === 'blob' && !isByteSink(value);
}

/**
 * What writers use of a File System Access API `FileSystemFileHandle` (from `showSaveFilePicker()`,
 * a directory handle, or the origin private file system): any such handle fits this type.
 */
export interface WritableFileHandle {
  readonly kind: 'file';
  readonly name: string;
  createWritable(): Promise<WritableStream<Uint8Array>>;
}

/**
 * Where a writer may send bytes:
 * - a file path (string; Node, through the installed file platform: a temporary file renamed into
 *   place on success, removed on failure);
 * - a `WritableStream` (a `FileSystemWritableFileStream` from the File System Access API or OPFS,
 *   a stream of a `TransformStream`, a Node `Writable.toWeb(...)`), aborted on failure;
 * - a `FileSystemFileHandle` (its `createWritable()` stream: the file changes only on success);
 * - a {@link BlobTarget}: the bytes are collected into a Blob that the writer returns;
 * - any {@link ByteSink}, used as it is.
 */
export type WriteTarget = string | ByteSink | WritableStream<Uint8Array> | WritableFileHandle | BlobTarget;

/** True for objects that implement {@link ByteSink}. */
export function isByteSink(value: unknown): value is ByteSink {
  return typeof value === 'object' && value !== null && typeof (value as ByteSink).write === 'function'
    && typeof (value as ByteSink).close === 'function' && typeof (value as ByteSink).abort === 'function';
}

/** True for WHATWG `WritableStream`s (and subclasses such as `FileSystemWritableFileStream`). */
export function isWritableStream(value: unknown): value is WritableStream<Uint8Array> {
  if (typeof WritableStream !== 'undefined' && value instanceof WritableStream) return true;
  // a stream of another realm (an iframe, a polyfill): same shape
  return typeof value === 'object' && value !== null && typeof (value as WritableStream).getWriter === 'function'
    && typeof (value as WritableStream).abort === 'function' && typeof (value as { locked?: unknown }).locked === 'boolean';
}

/** True for File System Access API file handles (`FileSystemFileHandle`). */
export function isFileHandle(value: unknown): value is WritableFileHandle {
  return typeof value === 'object' && value !== null && (value as WritableFileHandle).kind === 'file'
    && typeof (value as WritableFileHandle).createWritable === 'function';
}

function asIOError(e: unknown, what: string): SpikewireError {
  if (e instanceof SpikewireError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SpikewireError('IO', `${what}: ${message}`, { cause: e });
}

/**
 * A {@link ByteSink} that collects the bytes into a `Blob`; `close()` returns it. Each write is
 * copied (the caller may reuse its array), as a Blob part, so the runtime may keep large Blobs out
 * of the JS heap (Chromium spills them to disk).
 */
export class BlobSink implements ByteSink {
  private parts: Blob[] = [];
  private size = 0;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(readonly name = 'Blob', private readonly type = 'application/octet-stream') {}

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.size;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.checkOpen();
    if (bytes.byteLength === 0) return;
    this.parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>])); // the Blob copies the bytes now
    this.size += bytes.byteLength;
  }

  async close(): Promise<Blob> {
    this.checkOpen();
    this.state = 'closed';
    const blob = new Blob(this.parts, { type: this.type });
    this.parts = [];
    return blob;
  }

  async abort(): Promise<void> {
    this.state = 'aborted';
    this.parts = [];
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new SpikewireError('IO', `${this.name}: the sink is ${this.state}`);
  }
}

/**
 * A {@link ByteSink} over a WHATWG `WritableStream` (for instance the `FileSystemWritableFileStream`
 * of a file handle: aborting it leaves the file as it was). Each write is copied (a stream may keep
 * the chunks it receives), then queued with the stream's backpressure: a write resolves once the
 * stream has room, so memory stays bounded by the stream's queue. `close()` closes the stream and
 * waits for every write; `abort()` aborts the stream.
 */
export class WritableStreamSink implements ByteSink {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private failure: unknown = undefined;
  private failed = false;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(stream: WritableStream<Uint8Array>, readonly name = 'WritableStream') {
    if (!isWritableStream(stream)) {
      throw new SpikewireError('INVALID_ARGUMENT', `expected a WritableStream, got ${describe(stream)}`);
    }
    if (stream.locked) {
      throw new SpikewireError('INVALID_ARGUMENT', `${name} is locked (another writer holds it): pass an unlocked WritableStream`);
    }
    this.writer = stream.getWriter();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.check();
    if (bytes.byteLength === 0) return;
    const copy = bytes.slice();
    try {
      await this.writer.ready; // backpressure; rejects once the stream has errored
    } catch (e) {
      this.fail(e);
    }
    this.check();
    this.writer.write(copy).catch((e: unknown) => this.fail(e));
  }

  async close(): Promise<undefined> {
    this.check();
    this.state = 'closed';
    try {
      await this.writer.close(); // waits for every queued write
    } catch (e) {
      this.fail(e);
    }
    if (this.failed) throw asIOError(this.failure, `writing ${this.name} failed`);
    return undefined;
  }

  async abort(reason?: unknown): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    try {
      await this.writer.abort(reason);
    } catch {
      // never throws: the stream may already be errored or closed
    }
  }

  private fail(e: unknown): void {
    if (!this.failed) {
      this.failed = true;
      this.failure = e;
    }
  }

  private check(): void {
    if (this.failed) throw asIOError(this.failure, `writing ${this.name} failed`);
    if (this.state !== 'open') throw new SpikewireError('IO', `${this.name}: the sink is ${this.state}`);
  }
}

/** Options of {@link openSink}. */
export interface OpenSinkOptions {
  /** For paths: replace an existing file (default true, as SpikeInterface's writers). */
  overwrite?: boolean;
  /** A name for messages (default: the path or the kind of target). */
  name?: string;
}

/**
 * The {@link ByteSink} for one {@link WriteTarget}: a file sink for a path (needs
 * `spikewire/node`), a {@link WritableStreamSink} for a stream or a file handle, a {@link BlobSink}
 * for a {@link BlobTarget}, or the sink itself. Anything else: `INVALID_ARGUMENT`.
 */
export async function openSink(target: WriteTarget, opts: OpenSinkOptions = {}): Promise<ByteSink> {
  if (typeof target === 'string') {
    if (target === '') throw new SpikewireError('INVALID_ARGUMENT', 'a target file path must not be empty');
    return filePlatform('writing file', target).createFileSink(target, { overwrite: opts.overwrite ?? true, durable: false });
  }
  if (isByteSink(target)) return target;
  if (isBlobTarget(target)) {
    if (target.type !== undefined && typeof target.type !== 'string') {
      throw new SpikewireError('INVALID_ARGUMENT', `a blob target's type must be a MIME type string, got ${describe(target.type)}`);
    }
    return new BlobSink(opts.name ?? 'Blob', target.type);
  }
  if (isWritableStream(target)) return new WritableStreamSink(target, opts.name ?? 'WritableStream');
  if (isFileHandle(target)) {
    let stream: WritableStream<Uint8Array>;
    try {
      stream = await target.createWritable();
    } catch (e) {
      throw asIOError(e, `cannot open ${describe(target.name)} for writing`);
    }
    return new WritableStreamSink(stream, opts.name ?? target.name);
  }
  throw new SpikewireError(
    'INVALID_ARGUMENT',
    `cannot write to ${describe(target)}: expected a file path, a WritableStream, a FileSystemFileHandle, { kind: 'blob' } or a ByteSink`,
  );
}
