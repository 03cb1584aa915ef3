import { SpikewireError, describe } from '../errors.js';
import { BlobSource } from './blob-source.js';
import { HttpSource } from './http-source.js';
import { HttpExchange, checkTimeoutMs, type RequestContext } from './http-request.js';
import { originCheck, type AllowedOrigins } from './origins.js';
import { isSafeRelativePath, type FolderReader } from './folder-access.js';
import { kindByListing } from './folder-walk.js';

/** Files picked with `<input webkitdirectory>` or dropped: each knows its path inside the folder. */
export type PickedFiles = ArrayLike<File> | Iterable<File>;

/**
 * A folder picked in a browser: a FileList from `<input type=file webkitdirectory>` (or files with
 * `webkitRelativePath` from a drop). The first path component (the folder's own name) is dropped.
 */
export function pickedFolder(files: PickedFiles): FolderReader {
  const list = Array.from(files as Iterable<File>);
  if (list.length === 0) throw new SpikewireError('INVALID_ARGUMENT', 'the picked folder has no files');
  const paths = list.map((f) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name);
  const strip = paths.every((p) => p.includes('/')) && new Set(paths.map((p) => p.split('/')[0])).size === 1;
  const root = strip ? paths[0].split('/')[0] : 'picked folder';
  const byPath = new Map(list.map((f, i) => [strip ? paths[i].slice(paths[i].indexOf('/') + 1) : paths[i], f]));
  const file = (rel: string): File => {
    const f = byPath.get(rel);
    if (!f) throw new SpikewireError('NOT_FOUND', `${root}/${rel} is missing`);
    return f;
  };
  return {
    name: root,
    async list(rel = '') {
      return childrenOf([...byPath.keys()], rel, root);
    },
    async exists(rel) {
      return byPath.has(rel) || [...byPath.keys()].some((p) => p.startsWith(`${rel}/`));
    },
    async files() {
      return [...byPath.keys()];
    },
    async kindOf(rel) {
      return byPath.has(rel) ? 'file' : [...byPath.keys()].some((p) => p.startsWith(`${rel}/`)) ? 'dir' : null;
    },
    async readFile(rel) {
      return new Uint8Array(await file(rel).arrayBuffer());
    },
    async openSource(rel) {
      return new BlobSource(file(rel), `${root}/${rel}`);
    },
  };
}

/** The parts of the File System Access API that a folder reader uses. */
export interface DirectoryHandleLike {
  readonly kind: 'directory';
  readonly name: string;
  getDirectoryHandle(name: string): Promise<DirectoryHandleLike>;
  getFileHandle(name: string): Promise<{ getFile(): Promise<File> }>;
  keys?(): AsyncIterable<string>;
  entries?(): AsyncIterable<[string, unknown]>;
}

/** A folder chosen with `showDirectoryPicker()` (a FileSystemDirectoryHandle). */
export function directoryHandleFolder(handle: DirectoryHandleLike): FolderReader {
  const h = handle as Partial<DirectoryHandleLike> | null;
  if (!h || typeof h.getDirectoryHandle !== 'function' || typeof h.getFileHandle !== 'function' || (typeof h.keys !== 'function' && typeof h.entries !== 'function')) {
    throw new SpikewireError('INVALID_ARGUMENT', `expected a FileSystemDirectoryHandle (getDirectoryHandle, getFileHandle, keys), got ${describe(handle)}`);
  }
  const dirOf = async (rel: string): Promise<DirectoryHandleLike> => {
    let dir = handle;
    for (const part of rel.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(part);
    return dir;
  };
  const fileOf = async (rel: string): Promise<File> => {
    const parts = rel.split('/');
    const name = parts.pop()!;
    try {
      return await (await (await dirOf(parts.join('/'))).getFileHandle(name)).getFile();
    } catch (cause) {
      throw new SpikewireError('NOT_FOUND', `${handle.name}/${rel} is missing`, { cause });
    }
  };
  return {
    name: handle.name,
    async list(rel = '') {
      let dir: DirectoryHandleLike;
      try {
        dir = await dirOf(rel);
      } catch (cause) {
        throw new SpikewireError('NOT_FOUND', `${handle.name}/${rel} is missing`, { cause });
      }
      const out: string[] = [];
      try {
        if (dir.keys) for await (const k of dir.keys()) out.push(k);
        else if (dir.entries) for await (const [k] of dir.entries()) out.push(k);
      } catch (cause) {
        throw new SpikewireError('IO', `cannot list ${handle.name}/${rel}: ${(cause as Error)?.message ?? cause}`, { cause });
      }
      return out;
    },
    async exists(rel) {
      try {
        await fileOf(rel);
        return true;
      } catch {
        try {
          await dirOf(rel);
          return true;
        } catch {
          return false;
        }
      }
    },
    async kindOf(rel) {
      if (rel === '') return 'dir';
      const parts = rel.split('/');
      const name = parts.pop()!;
      let parent: DirectoryHandleLike;
      try {
        parent = await dirOf(parts.join('/'));
      } catch {
        return null;
      }
      try {
        await parent.getFileHandle(name);
        return 'file';
      } catch {
        try {
          await parent.getDirectoryHandle(name);
          return 'dir';
        } catch {
          return null;
        }
      }
    },
    async readFile(rel) {
      return new Uint8Array(await (await fileOf(rel)).arrayBuffer());
    },
    async openSource(rel) {
      return new BlobSource(await fileOf(rel), `${handle.name}/${rel}`);
    },
  };
}

/** Options of {@link httpFolder} (the URL options of `load()`). */
export interface HttpFolderOptions {
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Milliseconds each request may wait without progress (default 30000). */
  timeoutMs?: number;
  /** Origins besides the folder's own that its files may name or redirect to, or '*' (default: none). */
  allowedOrigins?: AllowedOrigins;
  /**
   * The folder's files, as paths relative to its URL ('run_g0/run_g0_t0.imec0.ap.meta'), where the
   * server shows no index page: listing then asks nothing of the server.
   */
  files?: readonly string[];
}

/** The most bytes a small file of a folder (JSON, .npy) may have: a hostile server cannot fill memory. */
const MAX_SMALL_FILE_BYTES = 512 * 1024 * 1024;

/**
 * A folder served over HTTP: small files are fetched whole, traces read by range. Listing a folder
 * needs the server's index page (links to the entries); without one, only the files SpikeInterface
 * always writes are found, and `properties/` holds the main properties that answer. Every file it
 * names stays on the folder's origin unless `allowedOrigins` says otherwise.
 */
export function httpFolder(url: string | URL, opts: HttpFolderOptions = {}): FolderReader {
  const base = String(url).trim().replace(/\/?$/, '/');
  try {
    new URL(base);
  } catch {
    throw new SpikewireError('INVALID_ARGUMENT', `${JSON.stringify(String(url))} is not a valid URL`);
  }
  const name = base.replace(/\/$/, '');
  const fetchFn = opts.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!fetchFn) throw new SpikewireError('UNSUPPORTED', `reading ${name} needs fetch, which this runtime does not have`);
  const ctx: RequestContext = {
    fetch: fetchFn,
    signal: opts.signal,
    timeoutMs: checkTimeoutMs(opts.timeoutMs),
    allow: originCheck(base, opts.allowedOrigins, `the folder ${name}`),
  };
  const urlOf = (rel: string): string => {
    let href: string;
    try {
      href = new URL(rel, base).href;
    } catch (cause) {
      throw new SpikewireError('FORMAT', `${name}: ${JSON.stringify(rel)} is not a file name or URL`, { cause });
    }
    ctx.allow!(href);
    return href;
  };
  const get = (rel: string, method = 'GET'): Promise<HttpExchange> => HttpExchange.send(urlOf(rel), { method }, ctx);
  const KNOWN: Record<string, string[]> = {
    // traces files come from binary.json; time vectors are looked for in the first segments only
    '': ['si_folder.json', 'binary.json', 'probegroup.json', 'probe.json', 'provenance.json', 'properties',
      ...Array.from({ length: 8 }, (_, i) => `times_cached_seg${i}.npy`)],
    properties: ['group.npy', 'gain_to_uV.npy', 'offset_to_uV.npy', 'location.npy', 'contact_vector.npy', 'gain_to_physical_unit.npy', 'offset_to_physical_unit.npy', 'physical_unit.npy'],
  };
  const exists = async (rel: string): Promise<boolean> => {
    const exchange = await get(rel, 'HEAD');
    await exchange.discard();
    return exchange.response.ok;
  };
  const given = opts.files === undefined ? null : givenFiles(opts.files, name);
  const listed = new Map<string, Promise<string[]>>();
  // what index pages said of each path: 'dir' for links ending in '/', 'file' for the others, trusted
  // once a page of this server has marked a folder so (Apache, nginx and Python's http.server all
  // do); asking for `file/` to learn that it is not a folder would fetch the file
  const kinds = new Map<string, 'file' | 'dir'>();
  let marksFolders = false;
  const list = (rel = ''): Promise<string[]> => {
    if (given) return Promise.resolve(childrenOf(given, rel, name));
    let p = listed.get(rel);
    if (!p) {
      p = (async () => {
        const exchange = await get(rel ? `${rel}/` : './');
        if (exchange.response.ok && (exchange.response.headers.get('content-type') ?? '').includes('html')) {
          const html = new TextDecoder().decode(await exchange.bytes(MAX_SMALL_FILE_BYTES));
          const links = [...html.matchAll(/href="([^"?#]+)"/g)]
            .map((m) => safeDecode(m[1]))
            .filter((h): h is string => h !== null && !h.startsWith('/') && !h.startsWith('..') && !/^[a-z]+:/i.test(h));
          const names = links.map((h) => h.replace(/\/$/, ''));
          if (links.some((h) => h.endsWith('/'))) marksFolders = true;
          for (const h of links) kinds.set(rel ? `${rel}/${h.replace(/\/$/, '')}` : h.replace(/\/$/, ''), h.endsWith('/') ? 'dir' : 'file');
          if (names.length) return [...new Set(names)];
        } else {
          await exchange.discard();
        }
        // No index page: try the names SpikeInterface writes.
        const found: string[] = [];
        for (const candidate of KNOWN[rel] ?? []) {
          if (await exists(rel ? `${rel}/${candidate}` : candidate)) found.push(candidate);
        }
        return found;
      })();
      // a failed listing (an abort, a dropped connection) is not remembered
      p.catch(() => listed.delete(rel));
      listed.set(rel, p);
    }
    return p;
  };
  return {
    name,
    list,
    exists: given ? async (rel) => given.includes(rel) || given.some((f) => f.startsWith(`${rel}/`)) : exists,
    ...(given ? {
      files: async () => [...given],
      kindOf: async (rel: string) => (given.includes(rel) ? 'file' : given.some((f) => f.startsWith(`${rel}/`)) ? 'dir' : null),
    } : {
      // the index page's word where it gave one, else a folder is what lists with entries
      kindOf: async (rel: string) => (marksFolders ? kinds.get(rel) : undefined) ?? kindByListing({ list }, rel),
    }),
    async readFile(rel) {
      const exchange = await get(rel);
      const { status } = exchange.response;
      if (!exchange.response.ok) {
        await exchange.discard();
        throw new SpikewireError(status === 404 ? 'NOT_FOUND' : 'IO', `${exchange.url}: HTTP ${status}`);
      }
      return exchange.bytes(MAX_SMALL_FILE_BYTES);
    },
    async openSource(rel) {
      return HttpSource.open(urlOf(rel), { signal: opts.signal, fetch: opts.fetch, timeoutMs: ctx.timeoutMs, allowedOrigins: opts.allowedOrigins });
    },
  };
}

/** The `files` option of {@link httpFolder}, checked: plain relative paths only (no '..', no URL). */
function givenFiles(files: unknown, name: string): string[] {
  if (!Array.isArray(files)) {
    throw new SpikewireError('INVALID_ARGUMENT', `files of ${name}: expected an array of relative paths, got ${describe(files)}`);
  }
  for (const f of files) {
    if (!isSafeRelativePath(f)) {
      throw new SpikewireError('INVALID_ARGUMENT', `files of ${name}: expected relative paths such as 'run_g0/run_g0_t0.imec0.ap.bin', got ${describe(f)}`);
    }
  }
  return [...new Set(files as string[])];
}

/** The names directly inside `rel` among `files`; NOT_FOUND when there are none. */
function childrenOf(files: readonly string[], rel: string, name: string): string[] {
  const base = rel ? `${rel}/` : '';
  const out = new Set<string>();
  for (const f of files) if (f.startsWith(base)) out.add(f.slice(base.length).split('/')[0]);
  if (rel && out.size === 0) throw new SpikewireError('NOT_FOUND', `${name}/${rel} is missing`);
  return [...out];
}

/** decodeURIComponent, or null for a malformed escape in an index page. */
function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
