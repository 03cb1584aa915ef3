import { SpikewireError, describe } from '../errors.js';
import type { ByteSink, ByteSource } from './source.js';
import { defaultFilePlatform } from '#file-platform';

/**
 * What the runtime offers for paths on a local file system. Chosen by package.json's "imports"
 * (`#file-platform`): Node's under the "node" condition, none elsewhere (browsers, edge functions),
 * so a bundle for browsers never contains Node code.
 */
export interface FilePlatform {
  /** Opens a regular file for reading (`NOT_FOUND` when missing, `IO` for a FIFO, a folder, a device). */
  openFile(path: string, opts?: { signal?: AbortSignal }): Promise<ByteSource>;
  /**
   * A sink that writes `path`: bytes go to a temporary file beside it, renamed into place on close,
   * removed on abort, so a failed write never leaves a partial file under the final name.
   * `durable` (default true) also syncs the data to disk before the rename; bulk sample files skip
   * it, as SpikeInterface does (it only flushes): a crash of the machine may lose them, never
   * half-replace them.
   */
  createFileSink(path: string, opts?: { overwrite?: boolean; durable?: boolean }): Promise<ByteSink>;
  /** Makes `path` absolute against the current directory. */
  resolvePath(path: string): string;
  /** Reads a whole small file (JSON, .npy). */
  readFile(path: string): Promise<Uint8Array>;
  /** Writes a whole small file atomically (temporary file, then rename). */
  writeFile(path: string, bytes: Uint8Array | string): Promise<void>;
  /** Lists a folder (`NOT_FOUND` when missing). */
  readDir(path: string): Promise<string[]>;
  /** 'file', 'dir' or null when nothing is there. */
  stat(path: string): Promise<{ kind: 'file' | 'dir'; size: number } | null>;
  /** Creates a folder and its parents. */
  mkdir(path: string): Promise<void>;
  /** Renames a file or folder (same volume). */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder recursively; nothing there is fine. */
  remove(path: string): Promise<void>;
  /** True when stderr is a terminal (progress bars show only then unless asked). */
  stderrIsTTY(): boolean;
  /** Writes text to stderr (progress bars). */
  writeStderr(text: string): void;
}

let installed: FilePlatform | null = defaultFilePlatform;

/** Replaces the file platform (null: none); returns the one it replaces. */
export function installFilePlatform(platform: FilePlatform | null): FilePlatform | null {
  const previous = installed;
  installed = platform;
  return previous;
}

/** The installed file platform, or an `UNSUPPORTED` error that says how to get one. */
export function filePlatform(forWhat: string, path?: unknown): FilePlatform {
  if (!installed) {
    throw new SpikewireError(
      'UNSUPPORTED',
      `${forWhat}${path !== undefined ? ` ${describe(path)}` : ''} needs a file system: in Node import from 'spikewire/node'; ` +
        'in browsers pass a Blob/File, a URL or a ByteSource instead of a path',
    );
  }
  return installed;
}

/** True when a file platform is installed. */
export function hasFilePlatform(): boolean {
  return installed !== null;
}
