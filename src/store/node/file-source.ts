// Node-only: reached from src/node.ts, never from the universal entry.
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { abortedError, throwIfAborted } from '../../abort.js';
import { SpikewireError, describe } from '../../errors.js';
import { checkReadRange, closedError } from '../read-range.js';
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

  /**
   * Opens `path` for reading: `NOT_FOUND` when missing, `IO` for a folder, a FIFO, a socket, a device
   * or another failure, `ABORTED` when `signal` aborts first.
   */
  static async open(path: string, opts: { signal?: AbortSignal } = {}): Promise<NodeFileSource> {
    if (typeof path !== 'string' || path === '') {
      throw new SpikewireError('INVALID_ARGUMENT', `a file path must be a non-empty string, got ${describe(path)}`);
    }
    const absolute = resolve(path);
    const { handle, size } = await openRegularFile(absolute, opts.signal);
    const source = new NodeFileSource(absolute, handle, size);
    forgotten.register(source, handle, source);
    return source;
  }

  async read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkReadRange(this.name, this.size, position, into);
    const length = into.byteLength;
    let done = 0;
    while (done < length) {
      if (signal?.aborted) throw abortedError(`read from ${this.name}`, signal);
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
    if (!handle) return;
    forgotten.unregister(this);
    try {
      await handle.close();
    } catch (e) {
      throw fsError(e, 'cannot close file', this.name);
    }
  }
}

/** Opens a local file as a {@link ByteSource} (Node). */
export function openFile(path: string, opts: { signal?: AbortSignal } = {}): Promise<NodeFileSource> {
  return NodeFileSource.open(path, opts);
}

/**
 * Recordings are usually never closed (SpikeInterface users never close them), and Node closes a
 * FileHandle that the garbage collector finds open itself, printing "Closing file descriptor N on
 * garbage collection" (DEP0137; a future Node throws instead). So every source's handle is held here,
 * keyed by its source: when a source is collected, its handle is closed explicitly and quietly. The
 * registry keeps the handle reachable until then, so Node's own collector never sees it open.
 * Preferred to opening the file per read or closing idle handles: one descriptor stays tied to the
 * file that was checked at open (a file replaced later is never silently read instead), and reads
 * cost no open/close calls.
 */
const forgotten = new FinalizationRegistry<FileHandle>((handle) => {
  handle.close().catch(() => {});
});

/** Never blocks in open(): a FIFO opened read-only waits for a writer unless O_NONBLOCK is given. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a regular file for reading, and nothing else: the path is checked with stat() before it is
 * opened (a FIFO would block open() until a writer comes, a device may never end), opened with
 * O_NONBLOCK so that a file swapped for a FIFO in between still cannot block, and checked again on
 * the descriptor. Errors: `NOT_FOUND`, `IO` naming the path and what it is, `ABORTED`.
 */
export async function openRegularFile(absolute: string, signal?: AbortSignal): Promise<{ handle: FileHandle; size: number }> {
  throwIfAborted(signal, `opening ${describe(absolute)}`);
  let before: Stats;
  try {
    before = await stat(absolute);
  } catch (e) {
    throw fsError(e, 'cannot open file', absolute);
  }
  checkRegular(before, absolute);
  throwIfAborted(signal, `opening ${describe(absolute)}`);
  let handle: FileHandle;
  try {
    handle = await open(absolute, OPEN_FLAGS);
  } catch (e) {
    throw fsError(e, 'cannot open file', absolute);
  }
  try {
    const stats = await handle.stat();
    checkRegular(stats, absolute);
    throwIfAborted(signal, `opening ${describe(absolute)}`);
    return { handle, size: stats.size };
  } catch (e) {
    await handle.close().catch(() => {});
    throw fsError(e, 'cannot open file', absolute);
  }
}

function checkRegular(stats: Stats, path: string): void {
  if (stats.isFile()) return;
  const kind = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket'
    : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
  throw new SpikewireError('IO', `cannot open file ${describe(path)}: it is ${kind}, not a regular file`);
}
