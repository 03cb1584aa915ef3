// The .npy files beside an Open Ephys continuous.dat: neo needs only the first sample number of
// each (a file of 8 bytes per sample), so only its header and first item are read; timestamps.npy
// is read whole when the caller asks for the times.
import { SpikewireError, describe } from '../../errors.js';
import { decodeNpy, readNpyHeader } from '../../python/npy-read.js';
import { decodeValues, elementCount, parseDTypeStr, type NpyValues } from '../../python/ndarray.js';
import type { FolderReader } from '../../store/folder-access.js';

/** Bytes read first: numpy's headers are 128 bytes or a few kB for huge shapes. */
const HEAD_BYTES = 4096;
/** A header longer than this is not numpy's. */
const MAX_HEADER_BYTES = 1 << 20;

/** A number of a numeric array (int64 as a number; float16/complex not expected here). */
function numberAt(values: NpyValues, i: number, what: string): number {
  const v = (values as ArrayLike<unknown>)[i];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new SpikewireError('FORMAT', `${what} holds ${describe(v)}, not numbers`);
}

/**
 * The first value of a 1-D numeric .npy file (`np.load(path, mmap_mode='r')[0]`, null when it is
 * empty) and its number of values, reading only its header and that value. `FORMAT` for a file that
 * is not numeric .npy.
 */
export async function readNpyStart(reader: FolderReader, rel: string, signal?: AbortSignal): Promise<{ first: number | null; length: number }> {
  const what = `${reader.name}/${rel}`;
  const source = await reader.openSource(rel);
  try {
    let head = new Uint8Array(Math.min(source.size, HEAD_BYTES));
    await source.read(0, head, signal);
    let header = tryHeader(head, what);
    if (header === null) {
      // The header did not fit the first read: read it whole (numpy keeps it far below the bound).
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const length = head.length >= 12 ? (head[6] === 1 ? view.getUint16(8, true) : view.getUint32(8, true)) : 0;
      if (length > MAX_HEADER_BYTES) throw new SpikewireError('FORMAT', `${what}: a header of ${length} bytes is not a .npy header`);
      head = new Uint8Array(Math.min(source.size, 12 + length));
      await source.read(0, head, signal);
      header = readNpyHeader(head, { name: what });
    }
    if (typeof header.descr !== 'string') throw new SpikewireError('FORMAT', `${what}: expected a numeric array, got a structured one`);
    const d = parseDTypeStr(header.descr, what);
    if (!'iuf'.includes(d.kind) || d.size === 0) throw new SpikewireError('FORMAT', `${what}: expected numbers, got dtype ${describe(header.descr)}`);
    const length = elementCount(header.shape);
    if (length === 0) return { first: null, length };
    if (header.dataOffset + d.size > source.size) throw new SpikewireError('FORMAT', `${what} is truncated: its header announces ${JSON.stringify(header.shape)} values and no data follows`);
    const item = new Uint8Array(d.size);
    await source.read(header.dataOffset, item, signal);
    return { first: numberAt(decodeValues(d, item, 1, what), 0, what), length };
  } finally {
    await source.close();
  }
}

function tryHeader(bytes: Uint8Array, what: string) {
  try {
    return readNpyHeader(bytes, { name: what });
  } catch (error) {
    // Only "the header goes on past these bytes" is worth a second read.
    if (error instanceof SpikewireError && /truncated: its header declares/.test(error.message) && bytes.length === HEAD_BYTES) return null;
    throw error;
  }
}

/** A whole numeric .npy file as float64 values (`np.load`), `FORMAT` unless it is one. */
export async function readNpyNumbers(reader: FolderReader, rel: string): Promise<Float64Array> {
  const what = `${reader.name}/${rel}`;
  const array = decodeNpy(await reader.readFile(rel), { name: what });
  if (array.shape.length !== 1) throw new SpikewireError('FORMAT', `${what}: expected a 1-D array, got shape ${JSON.stringify(array.shape)}`);
  const values = array.values;
  if (values instanceof Float64Array) return values;
  return Float64Array.from({ length: array.shape[0] }, (_, i) => numberAt(values, i, what));
}

/** A whole .npy file (any dtype the reader knows, object arrays excepted). */
export async function readNpyFile(reader: FolderReader, rel: string) {
  return decodeNpy(await reader.readFile(rel), { name: `${reader.name}/${rel}` });
}
