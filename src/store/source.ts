import type { SpikewireError } from '../errors.js';

/**
 * Where the bytes of a recording live: a file, a Blob, a URL, memory. A source reads a byte range
 * straight into the view it is given (for the kernel: a view of its linear memory), so the samples
 * are copied at most once on their way to the kernel.
 */
export interface ByteSource {
  /** Size in bytes (may exceed 4 GiB: plain numbers, never 32-bit). */
  readonly size: number;
  /** A name for messages and reprs: the path, URL or file name. */
  readonly name: string;
  /**
   * Fills `into` with the `into.byteLength` bytes that start at `position`. Fails with a
   * {@link SpikewireError} `IO` (never fewer bytes) and `ABORTED` when `signal` aborts.
   */
  read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Releases the handle or connection; reading after close fails with `IO`. Safe to call twice. */
  close(): Promise<void>;
}

/** Where written bytes go: a file, a WritableStream, a growing Blob. Writes are sequential. */
export interface ByteSink {
  /** A name for messages: the path or the stream's kind. */
  readonly name: string;
  /** Appends `bytes` (the caller may reuse the array once the promise settles). */
  write(bytes: Uint8Array): Promise<void>;
  /** Finishes the output (flush, close, rename into place). Returns what the sink produced, if anything (a Blob). */
  close(): Promise<unknown>;
  /** Stops and removes what this sink started (a partial file, a stream aborted). Never throws. */
  abort(reason?: unknown): Promise<void>;
}

export { throwIfAborted } from '../abort.js';

/** True for objects that implement {@link ByteSource}. */
export function isByteSource(value: unknown): value is ByteSource {
  return typeof value === 'object' && value !== null && typeof (value as ByteSource).read === 'function'
    && typeof (value as ByteSource).size === 'number' && typeof (value as ByteSource).close === 'function';
}
