import { SpikewireError, describe } from '../errors.js';
import { filePlatform } from './platform.js';
import type { ByteSink, ByteSource } from './source.js';

/**
 * Read access to a saved recording folder wherever it lives: a directory on disk, a zip (in a file,
 * a Blob or behind a URL), files picked in a browser, a folder served over HTTP. Paths are relative
 * to the folder, with '/' separators.
 */
export interface FolderReader {
  /** The folder's location for messages, reprs and `folder_path`. */
  readonly name: string;
  /** Names directly inside `rel` ('' = the folder itself); `NOT_FOUND` when it is not there. */
  list(rel?: string): Promise<string[]>;
  /** True when a file (or folder) `rel` exists. */
  exists(rel: string): Promise<boolean>;
  /** The whole of a small file (JSON, .npy). */
  readFile(rel: string): Promise<Uint8Array>;
  /** A byte source over a (large) file, read lazily: the traces. */
  openSource(rel: string): Promise<ByteSource>;
  /** Releases what the reader holds open (a zip's file or connection). */
  close?(): Promise<void>;
  /**
   * Every file of the folder (paths with '/'), where the reader knows them without asking a server
   * or a disk for each folder: picked files, a zip, an HTTP folder given its listing. See walkFolder.
   */
  files?(): Promise<string[]>;
  /** Whether `rel` is a file or a folder (null: neither), where the reader can tell. See walkFolder. */
  kindOf?(rel: string): Promise<'file' | 'dir' | null>;
}

/**
 * Write access to a folder being saved. Nothing is visible under the final name until `commit()`;
 * `abort()` removes everything written so far.
 */
export interface FolderWriter {
  /** The folder's final location, for messages and relative paths. */
  readonly name: string;
  /** A sink for a large file (the traces). */
  createSink(rel: string): Promise<ByteSink>;
  /**
   * Where a large file goes when the folder is on the local file system: a path that writers may
   * write themselves (a parallel writer writes its chunks into it). Absent elsewhere (zips, browsers).
   */
  filePath?(rel: string): string;
  /** Writes a small file. */
  writeFile(rel: string, bytes: Uint8Array | string): Promise<void>;
  /** Creates a sub-folder (a no-op where folders are implicit, as in zips). */
  mkdir(rel: string): Promise<void>;
  /** Makes the folder appear whole under its final name; returns what was produced (a Blob, a path). */
  commit(): Promise<unknown>;
  /** Removes what was written; never throws. */
  abort(): Promise<void>;
}

/**
 * True for a relative path of plain names joined by '/': no empty, '.' or '..' parts, no absolute
 * path or drive letter, no backslash (a separator on Windows) and no NUL or other control character.
 * Only such paths may name a file inside a folder being written, or an entry of a zip.
 */
export function isSafeRelativePath(rel: string): boolean {
  if (typeof rel !== 'string' || rel === '' || /[\\\x00-\x1f]/.test(rel) || /^[A-Za-z]:/.test(rel)) return false;
  return rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** `INVALID_ARGUMENT` unless `rel` is a safe relative path ({@link isSafeRelativePath}) inside `folder`. */
export function checkWritePath(rel: string, folder: string): string {
  if (!isSafeRelativePath(rel)) {
    throw new SpikewireError('INVALID_ARGUMENT', `cannot write ${describe(rel)} into ${folder}: not a plain relative path inside the folder`);
  }
  return rel;
}

/** A folder on the local file system (Node: `spikewire/node`). */
export function fileSystemFolder(path: string): FolderReader {
  const platform = filePlatform('opening folder', path);
  const root = platform.resolvePath(path);
  const at = (rel: string) => (rel ? `${root}/${rel}` : root);
  return {
    name: root,
    async list(rel = '') {
      return platform.readDir(at(rel));
    },
    async exists(rel) {
      return (await platform.stat(at(rel))) !== null;
    },
    async kindOf(rel) {
      return (await platform.stat(at(rel)))?.kind ?? null;
    },
    async readFile(rel) {
      const stat = await platform.stat(at(rel));
      if (!stat) throw new SpikewireError('NOT_FOUND', `${at(rel)} is missing`);
      return platform.readFile(at(rel));
    },
    openSource(rel) {
      return platform.openFile(at(rel));
    },
  };
}

/**
 * A folder written beside its final place (`.<name>.saving-…`) and renamed into place on commit; an
 * existing folder is replaced only then (with `overwrite`), and restored if the rename fails.
 */
export async function fileSystemFolderWriter(path: string, overwrite: boolean): Promise<FolderWriter> {
  const platform = filePlatform('saving to folder', path);
  const folder = platform.resolvePath(path);
  const existing = await platform.stat(folder);
  if (existing && !overwrite) {
    throw new SpikewireError('INVALID_ARGUMENT', `${folder} already exists: pass overwrite: true to replace it`);
  }
  const slash = folder.lastIndexOf('/');
  const parent = folder.slice(0, slash) || '/';
  const base = folder.slice(slash + 1);
  const stamp = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = `${parent}/.${base}.saving-${stamp}`;
  await platform.mkdir(temp);
  return {
    name: folder,
    // Every name is checked again here, whoever built it: nothing is written outside the folder.
    createSink: async (rel) => platform.createFileSink(`${temp}/${checkWritePath(rel, folder)}`, { overwrite: true, durable: false }),
    filePath: (rel) => `${temp}/${checkWritePath(rel, folder)}`,
    writeFile: async (rel, bytes) => platform.writeFile(`${temp}/${checkWritePath(rel, folder)}`, bytes),
    mkdir: async (rel) => platform.mkdir(`${temp}/${checkWritePath(rel, folder)}`),
    async commit() {
      if (await platform.stat(folder)) {
        if (!overwrite) throw new SpikewireError('INVALID_ARGUMENT', `${folder} appeared while saving: not replacing it`);
        const old = `${parent}/.${base}.replaced-${stamp}`;
        await platform.rename(folder, old);
        try {
          await platform.rename(temp, folder);
        } catch (error) {
          await platform.rename(old, folder);
          throw error;
        }
        await platform.remove(old);
      } else {
        await platform.rename(temp, folder);
      }
      return folder;
    },
    async abort() {
      await platform.remove(temp).catch(() => {});
    },
  };
}
