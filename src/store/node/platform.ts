// Node-only: Node's file system as spikewire's FilePlatform. Installed by src/node.ts.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SpikewireError, describe } from '../../errors.js';
import type { FilePlatform } from '../platform.js';
import type { ByteSink } from '../source.js';
import { NodeFileSource, fsError, openRegularFile } from './file-source.js';

/** A temporary name beside `path`, in the same folder (so a rename moves it into place atomically). */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** True when something is at `path`; other errors than a missing file are `IO`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return false;
    throw fsError(e, 'cannot check', path);
  }
}

/**
 * A {@link ByteSink} that writes a file the safe way: bytes go to a temporary file beside the target;
 * {@link close} flushes it and renames it into place; {@link abort} removes it. A failed or abandoned
 * write never leaves a partial file under the final name.
 */
export class NodeFileSink implements ByteSink {
  /** The final (absolute) path. */
  readonly name: string;
  private handle: FileHandle | null;
  private state: 'open' | 'closed' | 'aborted' = 'open';
  private written = 0;

  private constructor(
    path: string,
    private readonly tempPath: string,
    handle: FileHandle,
    private readonly overwrite: boolean,
    private readonly durable: boolean,
  ) {
    this.name = path;
    this.handle = handle;
  }

  /**
   * Starts writing `path` (its folder must exist). Without `overwrite`, an existing file is an
   * `INVALID_ARGUMENT` error (checked now and again at close). `durable` (default true) syncs the data
   * to disk before the rename; bulk sample files skip it, as SpikeInterface does.
   */
  static async create(path: string, opts: { overwrite?: boolean; durable?: boolean } = {}): Promise<NodeFileSink> {
    if (typeof path !== 'string' || path === '') throw new SpikewireError('INVALID_ARGUMENT', `a file path must be a non-empty string, got ${describe(path)}`);
    const absolute = resolve(path);
    const overwrite = opts.overwrite ?? false;
    if (!overwrite && (await exists(absolute))) {
      throw new SpikewireError('INVALID_ARGUMENT', `${describe(absolute)} already exists: pass overwrite: true to replace it`);
    }
    const tempPath = tempPathBeside(absolute);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, 'wx');
    } catch (e) {
      throw fsError(e, 'cannot create a file in the folder of', absolute);
    }
    return new NodeFileSink(absolute, tempPath, handle, overwrite, opts.durable ?? true);
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.state !== 'open' || this.handle === null) throw new SpikewireError('IO', `cannot write ${describe(this.name)}: the sink is ${this.state}`);
    if (!(bytes instanceof Uint8Array)) throw new SpikewireError('INVALID_ARGUMENT', `write expects a Uint8Array, got ${describe(bytes)}`);
    let done = 0;
    try {
      while (done < bytes.byteLength) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done);
        done += bytesWritten;
      }
    } catch (e) {
      throw fsError(e, 'cannot write', this.name);
    }
    this.written += done;
  }

  /** Closes (after an fsync when durable) and renames the temporary file into place. Returns the final path. */
  async close(): Promise<unknown> {
    if (this.state === 'closed') return this.name;
    if (this.state === 'aborted' || this.handle === null) throw new SpikewireError('IO', `cannot finish ${describe(this.name)}: the sink was aborted`);
    const handle = this.handle;
    this.handle = null;
    try {
      // The rename makes the file appear whole or not at all; `durable` also puts the data on disk first.
      if (this.durable) await handle.sync();
      await handle.close();
      if (!this.overwrite && (await exists(this.name))) {
        throw new SpikewireError('INVALID_ARGUMENT', `${describe(this.name)} appeared while it was being written: pass overwrite: true to replace it`);
      }
      await rename(this.tempPath, this.name);
    } catch (e) {
      this.state = 'aborted';
      await handle.close().catch(() => {});
      await rm(this.tempPath, { force: true }).catch(() => {});
      throw fsError(e, 'cannot finish writing', this.name);
    }
    this.state = 'closed';
    return this.name;
  }

  /** Closes and removes the temporary file. Never throws. */
  async abort(_reason?: unknown): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => {});
    await rm(this.tempPath, { force: true }).catch(() => {});
  }
}

/** Node's file system as a {@link FilePlatform} (what `#file-platform` is under the "node" condition). */
export const nodeFilePlatform: FilePlatform = {
  openFile(path, opts) {
    return NodeFileSource.open(path, opts);
  },
  createFileSink(path, opts) {
    return NodeFileSink.create(path, opts);
  },
  resolvePath(path) {
    return resolve(path);
  },
  async readFile(path) {
    // Through the same checks as the traces files: a FIFO named binary.json must not block the load.
    const { handle } = await openRegularFile(resolve(path));
    try {
      const buf = await handle.readFile();
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      throw fsError(e, 'cannot read file', path);
    } finally {
      await handle.close().catch(() => {});
    }
  },
  async writeFile(path, bytes) {
    const absolute = resolve(path);
    const sink = await NodeFileSink.create(absolute, { overwrite: true });
    try {
      await sink.write(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
      await sink.close();
    } catch (e) {
      await sink.abort(e);
      throw e;
    }
  },
  async readDir(path) {
    try {
      return await readdir(path);
    } catch (e) {
      throw fsError(e, 'cannot list folder', path);
    }
  },
  async stat(path) {
    try {
      const s = await stat(path);
      return { kind: s.isDirectory() ? 'dir' : 'file', size: s.size };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw fsError(e, 'cannot stat', path);
    }
  },
  async mkdir(path) {
    try {
      await mkdir(path, { recursive: true });
    } catch (e) {
      throw fsError(e, 'cannot create folder', path);
    }
  },
  async rename(from, to) {
    try {
      await rename(from, to);
    } catch (e) {
      throw fsError(e, `cannot rename to ${describe(to)}`, from);
    }
  },
  async remove(path) {
    try {
      await rm(path, { recursive: true, force: true });
    } catch (e) {
      throw fsError(e, 'cannot remove', path);
    }
  },
  stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  writeStderr(text) {
    process.stderr.write(text);
  },
};
