import { SpikewireError, describe } from '../errors.js';
import { abortedError } from '../abort.js';
import { checkReadRange, closedError } from './read-range.js';
import type { ByteSource } from './source.js';

/**
 * A {@link ByteSource} over bytes already in memory (an ArrayBuffer or any typed array / view): reads
 * copy a range into the view they are given. The bytes are used as given, not copied.
 */
export class MemorySource implements ByteSource {
  readonly size: number;
  readonly name: string;
  private bytes: Uint8Array | null;

  /** `bytes`: the contents; `name`: what messages and reprs call it (default `'memory'`). */
  constructor(bytes: ArrayBuffer | ArrayBufferView, name = 'memory') {
    let view: Uint8Array;
    if (bytes instanceof ArrayBuffer) view = new Uint8Array(bytes);
    else if (ArrayBuffer.isView(bytes)) view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    else throw new SpikewireError('INVALID_ARGUMENT', `MemorySource expects an ArrayBuffer or a typed array, got ${describe(bytes)}`);
    this.bytes = view;
    this.size = view.byteLength;
    this.name = String(name);
  }

  async read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkReadRange(this.name, this.size, position, into);
    if (signal?.aborted) throw abortedError(`read from ${this.name}`, signal);
    if (this.bytes === null) throw closedError(this.name);
    into.set(this.bytes.subarray(position, position + into.byteLength));
  }

  async close(): Promise<void> {
    this.bytes = null;
  }
}
