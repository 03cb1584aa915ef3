// Saved fixture folders as a browser hands them to load(): files picked with <input webkitdirectory>
// (File[] with webkitRelativePath), a FileSystemDirectoryHandle (the real OPFS in the browser, a small
// in-memory look-alike anywhere), and byte sources that count their reads and closes. Works in the
// node and the browser projects alike (Node ≥ 20 has File and Blob).
import type { ByteSource } from '../../src/index.js';
import type { FolderReader } from '../../src/store/folder-access.js';
import type { DirectoryHandleLike } from '../../src/store/browser-folders.js';
import { fixtureIsDirectory, listFixtureDir, readFixtureBytes } from './fixtures.js';

/** Relative path ('properties/group.npy') → bytes, in a stable order. */
export type FolderFiles = Map<string, Uint8Array>;

/** Every file under a fixture folder (recursively), e.g. `recordings/int16_time_vector/saved`. */
export async function readFixtureFolder(rel: string): Promise<FolderFiles> {
  const out: FolderFiles = new Map();
  const walk = async (sub: string) => {
    for (const name of await listFixtureDir(sub ? `${rel}/${sub}` : rel)) {
      const path = sub ? `${sub}/${name}` : name;
      if (await fixtureIsDirectory(`${rel}/${path}`)) await walk(path);
      else out.set(path, await readFixtureBytes(`${rel}/${path}`));
    }
  };
  await walk('');
  return out;
}

/** A copy of `files` with some files replaced (a string is UTF-8 encoded) or removed (`null`). */
export function withFiles(files: FolderFiles, changes: Record<string, Uint8Array | string | null>): FolderFiles {
  const out = new Map(files);
  for (const [path, value] of Object.entries(changes)) {
    if (value === null) out.delete(path);
    else out.set(path, typeof value === 'string' ? new TextEncoder().encode(value) : value);
  }
  return out;
}

/** The text of a JSON file of `files`, parsed. */
export function jsonOf(files: FolderFiles, path: string): any {
  return JSON.parse(new TextDecoder().decode(files.get(path)!));
}

/** Files as `<input type=file webkitdirectory>` gives them: each with webkitRelativePath `<root>/<path>`. */
export function pickedFiles(root: string, files: FolderFiles): File[] {
  return [...files].map(([path, bytes]) => {
    const file = new File([bytes as Uint8Array<ArrayBuffer>], path.slice(path.lastIndexOf('/') + 1));
    Object.defineProperty(file, 'webkitRelativePath', { value: `${root}/${path}`, enumerable: true });
    return file;
  });
}

function notFound(what: string): Error {
  return typeof DOMException === 'function' ? new DOMException(`${what} not found`, 'NotFoundError') : new Error(`${what} not found`);
}

/** An object with the shape of a FileSystemDirectoryHandle over `files` (what load() needs of one). */
export function memoryDirectoryHandle(name: string, files: FolderFiles, prefix = ''): DirectoryHandleLike {
  const children = () => {
    const names = new Set<string>();
    for (const path of files.keys()) if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]);
    return [...names];
  };
  return {
    kind: 'directory',
    name,
    async getDirectoryHandle(child: string) {
      const sub = `${prefix}${child}/`;
      if (![...files.keys()].some((p) => p.startsWith(sub))) throw notFound(`folder ${sub}`);
      return memoryDirectoryHandle(child, files, sub);
    },
    async getFileHandle(child: string) {
      const bytes = files.get(prefix + child);
      if (!bytes) throw notFound(`file ${prefix}${child}`);
      return { kind: 'file', name: child, getFile: async () => new File([bytes as Uint8Array<ArrayBuffer>], child) };
    },
    async *keys() {
      yield* children();
    },
  } as DirectoryHandleLike;
}

/** Browser only: `files` written into a new folder of the origin private file system (OPFS). */
export async function opfsFolder(name: string, files: FolderFiles): Promise<{ handle: FileSystemDirectoryHandle; remove(): Promise<void> }> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getDirectoryHandle(name, { create: true });
  for (const [path, bytes] of files) {
    const parts = path.split('/');
    const file = parts.pop()!;
    let dir = handle;
    for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
    const writable = await (await dir.getFileHandle(file, { create: true })).createWritable();
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  }
  return { handle, remove: () => root.removeEntry(name, { recursive: true }) };
}

/** A byte source wrapper that records every read (position, length) and whether it was closed. */
export class SpySource implements ByteSource {
  reads: [position: number, length: number][] = [];
  closed = 0;
  constructor(readonly inner: ByteSource) {}
  get size() {
    return this.inner.size;
  }
  get name() {
    return this.inner.name;
  }
  read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.reads.push([position, into.byteLength]);
    return this.inner.read(position, into, signal);
  }
  async close(): Promise<void> {
    this.closed++;
    await this.inner.close();
  }
  /** Bytes read so far. */
  get bytesRead(): number {
    return this.reads.reduce((n, [, length]) => n + length, 0);
  }
}

/** A folder reader wrapper whose byte sources are {@link SpySource}s, all kept in `opened`. */
export function spyFolder(reader: FolderReader): FolderReader & { opened: SpySource[] } {
  const opened: SpySource[] = [];
  return {
    name: reader.name,
    opened,
    list: (rel) => reader.list(rel),
    exists: (rel) => reader.exists(rel),
    readFile: (rel) => reader.readFile(rel),
    async openSource(rel) {
      const spy = new SpySource(await reader.openSource(rel));
      opened.push(spy);
      return spy;
    },
    close: reader.close ? () => reader.close!() : undefined,
  };
}
