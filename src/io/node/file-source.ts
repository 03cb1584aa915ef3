// Node-only: reached from src/node.ts, never from the universal entry.
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SpikewireError, describe } from '../../errors.js';
import { abortedError, checkReadRange, closedError } from '../read-range.js';
import type { ByteSource } from '../source.js';

/** The most bytes one `FileHandle.read` call may ask for (Node caps reads at 2 GiB - 1). */
const MAX_READ = 1 << 30;

/** A Node fs error as a SpikewireError: `NOT_FOUND` for a missing path, else `IO`. */
export function fsError(e: unknown, what: string, path: string): SpikewireError {
  if (e instanceof SpikewireError) return e;
  const code = (e as { code?: unknown })?.code;
  const reason = e instanceof Error ? e.message : String(e);
  if (code === 'ENOENT') return new SpikewireError('NOT_FOUND', `${what} ${describe(path)}: no such file or folder`, { cause: e });
  if (code === 'EISDIR') return new SpikewireError('IO', `${what} ${describe(path)}: it is a folder, not a file`, { cause: e });
  if (code === 'ENOTDIR') return new SpikewireError('NOT_FOUND', `${what} ${describe(path)}: a parent of it is not a folder`, { cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new SpikewireError('IO', `${what} ${describe(path)}: permission denied`, { cause: e });
  return new SpikewireError('IO', `${what} ${describe(path)}: ${reason}`, { cause: e });
}

/**
 * A {@link ByteSource} over a local file (Node): reads go straight into the view they are given
 * (`FileHandle.read` into a view of the kernel's memory: no intermediate copy). Offsets are plain
 * numbers, so files larger than 4 GiB work. The handle stays open until {@link close}.
 */
export class NodeFileSource implements ByteSource {
  /** Size in bytes when the file was opened. */
  readonly size: number;
  /** The absolute path. */
  readonly name: string;
  private handle: FileHandle | null;

  private constructor(path: string, handle: FileHandle, size: number) {
    this.name = path;
    this.handle = handle;
    this.size = size;
  }

  /** Opens `path` for reading: `NOT_FOUND` when missing, `IO` for a folder or another failure. */
  static async open(path: string): Promise<NodeFileSource> {
    if (typeof path !== 'string' || path === '') {
      throw new SpikewireError('INVALID_ARGUMENT', `a file path must be a non-empty string, got ${describe(path)}`);
    }
    const absolute = resolve(path);
    let handle: FileHandle;
    try {
      handle = await open(absolute, 'r');
    } catch (e) {
      throw fsError(e, 'cannot open file', absolute);
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new SpikewireError('IO', `cannot open file ${describe(absolute)}: it is not a regular file`);
      return new NodeFileSource(absolute, handle, stats.size);
    } catch (e) {
      await handle.close().catch(() => {});
      throw fsError(e, 'cannot open file', absolute);
    }
  }

  async read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkReadRange(this.name, this.size, position, into);
    const length = into.byteLength;
    let done = 0;
    while (done < length) {
      if (signal?.aborted) throw abortedError(this.name, signal);
      const handle = this.handle;
      if (handle === null) throw closedError(this.name);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(into, done, Math.min(MAX_READ, length - done), position + done));
      } catch (e) {
        if (this.handle === null) throw closedError(this.name);
        throw fsError(e, `cannot read bytes [${position + done}, ${position + length}) of`, this.name);
      }
      if (bytesRead === 0) {
        throw new SpikewireError('IO', `short read from ${describe(this.name)}: the file ended after ${position + done} bytes (it had ${this.size} bytes when opened)`);
      }
      done += bytesRead;
    }
  }

  /** Closes the file handle (twice is fine). */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close();
  }
}

/** Opens a local file as a {@link ByteSource} (Node). */
export function openFile(path: string): Promise<NodeFileSource> {
  return NodeFileSource.open(path);
}
