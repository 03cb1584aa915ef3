import { SpikewireError, describe } from '../errors.js';
import { filePlatform, hasFilePlatform } from '../store/platform.js';
import { BaseRecording } from '../core/index.js';
import { FLOAT_FIELDS, isExtractorDict, mapPaths, type ExtractorDict } from '../core/serialize.js';
import { dirName, isAbsolutePath, resolvePath } from '../paths.js';
import { parsePythonJson } from '../python/pyjson.js';
import { builderFor, type BuildContext } from './registry.js';
import { MAX_RECORDING_NESTING, checkNesting } from './nesting.js';
import { HttpSource, isHttpUrl } from '../store/http-source.js';
import { originCheck, type AllowedOrigins } from '../store/origins.js';
import { abortedError, throwIfAborted } from '../abort.js';

/** Options of {@link load}. */
export interface LoadOptions {
  /**
   * The folder relative paths in the dict are relative to. For a file, `true` means the file's own
   * folder (SpikeInterface's `base_folder=True`); the default for files is their folder too. An
   * http(s) URL is a folder on a server: the dict's paths resolve against it as URLs (`new URL(path,
   * folder)`), and must stay on its origin unless `allowedOrigins` allows theirs.
   */
  baseFolder?: string | URL | boolean | null;
  /** Stops the load with `ABORTED`; whatever it opened is closed again. */
  signal?: AbortSignal;
  /** URLs: milliseconds each request may wait without progress before failing with `IO` (default 30000). */
  timeoutMs?: number;
  /**
   * URLs: origins besides the folder's own that its files may name or redirect to (e.g.
   * `['https://storage.example.org']`), or '*' for any. Default: none, so a folder opened from one
   * server never makes spikewire fetch from another.
   */
  allowedOrigins?: AllowedOrigins;
  /** Apply the dict's annotations and properties to this recording instead of building one. */
  existing?: BaseRecording;
}


/**
 * Rebuilds a recording from SpikeInterface's dict (`load_extractor_from_dict`): the class from the
 * registry, then the dict's annotations and non-null properties applied on top.
 */
export async function loadFromDict(dict: unknown, opts: LoadOptions = {}): Promise<BaseRecording> {
  return loadDict(dict, opts, 'the dict');
}

/** {@link loadFromDict}, with `what` naming the dict's origin (a file, the JSON text) in messages. */
async function loadDict(dict: unknown, opts: LoadOptions, what: string): Promise<BaseRecording> {
  const top = checkDict(dict, what);
  checkNesting(top, what);
  let resolved: ExtractorDict = top;
  if (top.relative_paths) {
    const base = opts.baseFolder;
    if (isHttpUrl(base)) {
      resolved = mapPaths(top, urlResolver(base, opts.allowedOrigins, what)) as ExtractorDict;
    } else if (typeof base === 'string') {
      resolved = mapPaths(top, (p) => (typeof p === 'string' ? resolvePath(base, p) : p)) as ExtractorDict;
    } else {
      throw new SpikewireError('INVALID_ARGUMENT', 'this dict has relative paths (relative_paths: true): pass baseFolder, the folder they are relative to');
    }
  }
  // Every recording built on the way (nested ones too) is closed again when the load fails, so that
  // no file or connection opened for it stays open.
  const built: Promise<BaseRecording>[] = [];
  try {
    return await build(resolved, { signal: opts.signal, built, depth: 0 }, opts.existing);
  } catch (error) {
    await closeAll(built);
    if (opts.signal?.aborted) throw abortedError(`loading ${what}`, opts.signal);
    throw error;
  }
}

/**
 * Resolves a dict's relative paths against the http(s) folder `base` as a browser resolves links in
 * a page of that folder (a base without a trailing slash still names the folder, not a file in its
 * parent). Joining them as POSIX paths would fold the '//' of the URL. A path leading to another
 * origin ('//host/x', 'https://host/x') is refused unless `allowedOrigins` allows that origin: a dict
 * read from one server must not make spikewire fetch from another.
 */
function urlResolver(base: string | URL, allowedOrigins: AllowedOrigins | undefined, what: string): (p: unknown) => unknown {
  const folder = new URL(base);
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  const check = originCheck(folder.href, allowedOrigins, `a path of ${what} resolved against baseFolder ${folder.href}`);
  return (p) => {
    if (typeof p !== 'string') return p;
    let url: string;
    try {
      url = new URL(p, folder).href;
    } catch {
      throw new SpikewireError('FORMAT', `${what} has the path ${describe(p)}, which is not a URL relative to baseFolder ${folder.href}`);
    }
    check(url);
    return url;
  };
}

/** Closes every recording of `built` that was made, once all builds in flight have settled. */
async function closeAll(built: Promise<BaseRecording>[]): Promise<void> {
  let seen = -1;
  while (seen !== built.length) {
    seen = built.length;
    await Promise.allSettled(built);
  }
  const made = await Promise.allSettled(built);
  await Promise.all(made.map((m) => (m.status === 'fulfilled' ? m.value.close().catch(() => {}) : undefined)));
}

interface BuildState {
  signal?: AbortSignal;
  /** Every build started, settled or not, for {@link closeAll}. */
  built: Promise<BaseRecording>[];
  /** How many recordings wrap this one. */
  depth: number;
}

async function build(value: unknown, state: BuildState, existing?: BaseRecording): Promise<BaseRecording> {
  throwIfAborted(state.signal, 'loading');
  const dict = checkDict(value, 'a nested dict');
  if (state.depth > MAX_RECORDING_NESTING) {
    throw new SpikewireError('FORMAT', `loadFromDict: recordings nest more than ${MAX_RECORDING_NESTING} levels deep in this dict`);
  }
  const inner: BuildState = { ...state, depth: state.depth + 1 };
  const ctx: BuildContext = {
    build: (d) => build(d, inner),
    async buildAll(dicts) {
      // Every build runs to its end, so that a failure closes each one that was made.
      const settled = await Promise.allSettled(dicts.map((d) => build(d, inner)));
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failure) throw failure.reason;
      return settled.map((s) => (s as PromiseFulfilledResult<BaseRecording>).value);
    },
    signal: state.signal,
    version: dict.version,
  };
  let recording = existing;
  if (!recording) {
    const making = builderFor(dict)(dict.kwargs, ctx);
    state.built.push(making);
    recording = await making;
  }
  // The probe first (it sets 'group' by its shanks), then the dict's own properties on top.
  if (dict.probegroup && !existing) {
    (recording as unknown as { setProbegroup(pg: unknown): unknown }).setProbegroup(dict.probegroup);
  }
  const annotations = dict.annotations;
  if (annotations && typeof annotations === 'object') recording.annotate(annotations as Record<string, unknown>);
  const properties = dict.properties ?? {};
  if (typeof properties !== 'object') throw new SpikewireError('FORMAT', `loadFromDict: properties must be a dict, got ${describe(properties)}`);
  // As SpikeInterface: set_property(k, None) removes k, so a null main property clears what the
  // builder may have set.
  for (const [key, values] of Object.entries(properties)) {
    if (values === null || values === undefined) {
      recording.setProperty(key, null);
      continue;
    }
    recording.setProperty(key, FLOAT_FIELDS.has(key) && Array.isArray(values) ? Float64Array.from(values as number[]) : (values as unknown[]));
  }
  return recording;
}

function checkDict(value: unknown, what: string): ExtractorDict {
  if (!isExtractorDict(value)) {
    const missing = value && typeof value === 'object' ? ['class', 'kwargs'].filter((k) => !(k in (value as object))) : [];
    throw new SpikewireError(
      'FORMAT',
      `${what} is not a SpikeInterface extractor dict${missing.length ? `: it has no ${missing.join(' or ')}` : ` (got ${describe(value)})`}`,
    );
  }
  return value;
}

/** A SpikeInterface extractor dict as {@link load} reads it: `class` and `kwargs` at least. */
export interface LoadableDict {
  class: string;
  kwargs: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * What {@link load} opens: a dict; a string (JSON text, a path with `spikewire/node`, or the
 * http(s) URL of a folder or a zip); an http(s) `URL`; a zip as a Blob / File or as bytes; a picked
 * folder (FileList or File[]); a `FileSystemDirectoryHandle`.
 */
export type LoadSource =
  | LoadableDict
  | string
  | URL
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | FileList
  | readonly File[]
  | FileSystemDirectoryHandle;

/**
 * Opens a recording from what SpikeInterface writes: a dict, JSON text, or (with a file system,
 * `spikewire/node`) the path of a .json / .pkl dump or of a saved folder; in browsers also zips,
 * picked folders, directory handles and URLs (see {@link LoadSource}).
 */
export async function load(source: LoadSource, opts: LoadOptions = {}): Promise<BaseRecording> {
  if (isExtractorDict(source)) return loadFromDict(source, opts);
  if (typeof source === 'string' && source.trimStart().startsWith('{')) {
    return loadDict(parsePythonJson(source, 'the JSON text'), opts, 'the JSON text');
  }
  if (isHttpUrl(source) && /\.zip($|[?#])/i.test(String(source))) return loadZip(String(source), opts);
  if (typeof source === 'string' && !isHttpUrl(source)) return /\.zip$/i.test(source) ? loadZip(source, opts) : loadPath(source, opts);
  if ((typeof Blob !== 'undefined' && source instanceof Blob) || source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return loadZip(source, opts);
  }
  const { isPickedFiles, openFolder } = await import('../store/open-folder.js');
  if (isHttpUrl(source) || isPickedFiles(source) || (source && typeof source === 'object' && (source as { kind?: unknown }).kind === 'directory')) {
    const { loadFolder } = await import('./binary-folder.js');
    const folderOptions = { signal: opts.signal, timeoutMs: opts.timeoutMs, allowedOrigins: opts.allowedOrigins };
    return loadFolder(openFolder(source as never, folderOptions, 'load'), opts);
  }
  if (source && typeof source === 'object' && !(source instanceof BaseRecording)) return loadFromDict(source, opts);
  throw new SpikewireError(
    'INVALID_ARGUMENT',
    `load: expected a dict, JSON text, a path, a URL, a zip (Blob / bytes), picked files or a directory handle, got ${describe(source)}`,
  );
}

/** A zip holding a binary folder: opened lazily, traces read by range. */
async function loadZip(input: unknown, opts: LoadOptions): Promise<BaseRecording> {
  const { openZip } = await import('../store/zip-folder.js');
  const { loadFolder } = await import('./binary-folder.js');
  // A zip behind a URL is read with the URL options of load() (timeoutMs, allowedOrigins).
  const from = isHttpUrl(input)
    ? await HttpSource.open(input, { signal: opts.signal, timeoutMs: opts.timeoutMs, allowedOrigins: opts.allowedOrigins })
    : input;
  const reader = await openZip(from, opts.signal);
  try {
    const recording = await loadFolder(reader, opts);
    (recording as { archive?: unknown }).archive = input instanceof ArrayBuffer || ArrayBuffer.isView(input) ? null : input;
    return recording;
  } catch (error) {
    await reader.close();
    throw error;
  }
}

async function loadPath(path: string, opts: LoadOptions): Promise<BaseRecording> {
  const platform = filePlatform('loading', path);
  const absolute = platform.resolvePath(path);
  const stat = await platform.stat(absolute);
  if (!stat) throw new SpikewireError('NOT_FOUND', `no file or folder at ${JSON.stringify(absolute)}`);
  const given = opts.baseFolder;
  const baseFolder = isHttpUrl(given)
    ? given
    : typeof given === 'string'
      ? (isAbsolutePath(given) ? given : platform.resolvePath(given))
      : stat.kind === 'dir' ? absolute : dirName(absolute);
  if (stat.kind === 'dir') {
    const { loadFolder } = await import('./binary-folder.js');
    return loadFolder(absolute, { ...opts, baseFolder });
  }
  const bytes = await platform.readFile(absolute);
  if (/\.(pkl|pickle)$/i.test(absolute)) {
    const { numpyToPlain, unpickle } = await import('./pickle.js');
    return loadDict(numpyToPlain(unpickle(bytes)), { ...opts, baseFolder }, absolute);
  }
  if (/\.json$/i.test(absolute)) {
    const dict = parsePythonJson(new TextDecoder().decode(bytes), absolute);
    return loadDict(dict, { ...opts, baseFolder }, absolute);
  }
  throw new SpikewireError('UNSUPPORTED', `cannot load ${JSON.stringify(absolute)}: expected a .json or .pkl dump, or a folder`);
}

/** SpikeInterface's name for {@link load}. */
export const loadExtractor = load;
