import { SpikewireError, describe } from '../errors.js';
import { filePlatform } from '../store/platform.js';
import type { BaseRecording } from '../core/index.js';
import { FLOAT_FIELDS, isExtractorDict, type ExtractorDict } from '../core/serialize.js';
import { dirName } from '../paths.js';
import { PyFloat, stringifyPythonJson } from '../python/pyjson.js';
import { pickle } from './pickle.js';
import { columnToNumpyArray } from './npy.js';


function asFloats(v: unknown): unknown {
  if (typeof v === 'number') return new PyFloat(v);
  if (Array.isArray(v)) return v.map(asFloats);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => new PyFloat(Number(x)));
  return v;
}

function markFloats(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(markFloats);
  if (!isExtractorDict(value)) return value;
  const mark = (obj: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, FLOAT_FIELDS.has(k) ? asFloats(v) : markFloats(v)]));
  return { ...value, kwargs: mark(value.kwargs), properties: mark(value.properties ?? {}) };
}

/** A dict as SpikeInterface's `dump_to_json` writes it: `json.dumps(indent=4)` with Python floats. */
export function dumpJsonText(dict: ExtractorDict | Record<string, unknown>): string {
  return stringifyPythonJson(markFloats(dict), 4);
}

/** Options of the dump functions. */
export interface DumpOptions {
  /** Make paths relative to this folder; `true` = the folder of the file written. */
  relativeTo?: string | boolean | null;
}

function relativeFolder(path: string, relativeTo: DumpOptions['relativeTo']): string | null {
  if (relativeTo === true) return dirName(path);
  if (typeof relativeTo === 'string') return filePlatform('dumping', relativeTo).resolvePath(relativeTo);
  return null;
}

/** SpikeInterface's `dump_to_json`: every annotation, the main properties, nested dicts. */
export async function dumpToJson(recording: BaseRecording, path: string, opts: DumpOptions = {}): Promise<void> {
  const platform = filePlatform('dumping to', path);
  const file = platform.resolvePath(path.endsWith('.json') ? path : `${path}.json`);
  const dict = recording.toDict({ includeAnnotations: true, recursive: true, relativeTo: relativeFolder(file, opts.relativeTo) });
  await platform.writeFile(file, dumpJsonText(dict));
}

/** SpikeInterface's `dump_to_pickle`: every annotation and every property. */
export async function dumpToPickle(recording: BaseRecording, path: string, opts: DumpOptions = {}): Promise<void> {
  const platform = filePlatform('dumping to', path);
  const file = platform.resolvePath(/\.(pkl|pickle)$/.test(path) ? path : `${path}.pkl`);
  // Properties as SpikeInterface holds them: numpy arrays of their dtype (never bytes, lists or tuples).
  const dict = recording.toDict({
    includeAnnotations: true, includeProperties: true, recursive: true, relativeTo: relativeFolder(file, opts.relativeTo), propertyValue: columnToNumpyArray,
  });
  await platform.writeFile(file, pickle(dict));
}

/** SpikeInterface's `dump`: JSON or pickle by the file's extension. */
export async function dump(recording: BaseRecording, path: string, opts: DumpOptions = {}): Promise<void> {
  if (path.endsWith('.json')) return dumpToJson(recording, path, opts);
  if (/\.(pkl|pickle)$/.test(path)) return dumpToPickle(recording, path, opts);
  throw new SpikewireError('INVALID_ARGUMENT', `dump: ${describe(path)} must end in .json, .pkl or .pickle`);
}
