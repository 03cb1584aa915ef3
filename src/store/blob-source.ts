import { SpikewireError, describe } from '../errors.js';
import { abortedError, raceAbort } from '../abort.js';
import { checkReadRange, closedError, reasonOf } from './read-range.js';
import type { ByteSource } from './source.js';

/** True for a Blob or File (the runtime's, browsers and Node alike). */
export function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

/**
 * A {@link ByteSource} over a Blob or File (browsers; Node's Blob too). A read takes
 * `blob.slice(range).arrayBuffer()` and copies it into the view it is given: the one copy the Blob
 * API forces. Its name is the File's name, else `'blob'`.
 */
export class BlobSource implements ByteSource {
  readonly size: number;
  readonly name: string;
  private blob: Blob | null;

  /** `name` overrides the File's name in messages and reprs. */
  constructor(blob: Blob, name?: string) {
    if (!isBlob(blob)) throw new SpikewireError('INVALID_ARGUMENT', `BlobSource expects a Blob or File, got ${describe(blob)}`);
    this.blob = blob;
    this.size = blob.size;
    const fileName = (blob as { name?: unknown }).name;
    this.name = name ?? (typeof fileName === 'string' && fileName !== '' ? fileName : 'blob');
  }

  async read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkReadRange(this.name, this.size, position, into);
    if (signal?.aborted) throw abortedError(`read from ${this.name}`, signal);
    const blob = this.blob;
    if (blob === null) throw closedError(this.name);
    const length = into.byteLength;
    if (length === 0) return;
    let buffer: ArrayBuffer;
    try {
      const pending = blob.slice(position, position + length).arrayBuffer();
      // arrayBuffer() cannot be cancelled: on abort, stop waiting and never touch `into` afterwards.
      buffer = signal ? await raceAbort(pending, signal, () => abortedError(`read from ${this.name}`, signal)) : await pending;
    } catch (e) {
      if (e instanceof SpikewireError) throw e;
      throw new SpikewireError('IO', `cannot read bytes [${position}, ${position + length}) of ${this.name}: ${reasonOf(e)}`, { cause: e });
    }
    if (this.blob === null) throw closedError(this.name);
    if (buffer.byteLength !== length) {
      throw new SpikewireError('IO', `short read from ${this.name}: got ${buffer.byteLength} of ${length} bytes at ${position}`);
    }
    into.set(new Uint8Array(buffer));
  }

  async close(): Promise<void> {
    this.blob = null;
  }
}
