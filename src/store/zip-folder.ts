// A zip as a folder-like store (the FolderReader contract of folder-access.ts): a binary folder in one
// file, read from any byte source (a path, a URL by HTTP ranges, a Blob, bytes). Stored entries are
// read by range, so the traces of a zip saved by spikewire are never read whole.
import { inflateSync } from 'fflate';
import { SpikewireError, describe } from '../errors.js';
import { BlobSource } from './blob-source.js';
import { HttpSource, isHttpUrl } from './http-source.js';
import { MemorySource } from './memory-source.js';
import { filePlatform } from './platform.js';
import type { ByteSource } from './source.js';
import { isSafeRelativePath, type FolderReader } from './folder-access.js';

interface ZipEntry {
  /** Offset of the local header. */
  header: number;
  method: number;
  /** CRC-32 of the uncompressed bytes. */
  crc: number;
  compressedSize: number;
  size: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readRange(source: ByteSource, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await source.read(position, out);
  return out;
}

/** A source over bytes [offset, offset + size) of another source: a stored zip entry, read by range. */
class RangeSource implements ByteSource {
  constructor(private readonly parent: ByteSource, private readonly offset: number, readonly size: number, readonly name: string) {}
  read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (position < 0 || position + into.byteLength > this.size) {
      return Promise.reject(new SpikewireError('IO', `${this.name}: read of ${into.byteLength} bytes at ${position} is past its ${this.size} bytes`));
    }
    return this.parent.read(this.offset + position, into, signal);
  }
  async close(): Promise<void> {}
}

/**
 * A folder inside a zip, read lazily from any byte source: the central directory first, then each
 * file when asked. Stored entries (how spikewire and `zip -0` write traces) are read by range without
 * inflating anything; compressed entries are inflated whole, which suits the small JSON and .npy files.
 */
export async function zipFolder(source: ByteSource, name = source.name): Promise<FolderReader & { close(): Promise<void> }> {
  const tailLength = Math.min(source.size, 65557);
  if (source.size < 22) throw new SpikewireError('FORMAT', `${name} is not a zip: ${source.size} bytes`);
  const tail = await readRange(source, source.size - tailLength, tailLength);
  const view = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (view.getUint32(i, true) === EOCD) { eocd = i; break; }
  if (eocd < 0) throw new SpikewireError('FORMAT', `${name} is not a zip: no end of central directory`);
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (dirOffset === 0xffffffff || count === 0xffff) throw new SpikewireError('UNSUPPORTED', `${name} is a zip64 archive: spikewire reads zips under 4 GiB`);
  if (dirOffset + dirSize > source.size) throw new SpikewireError('FORMAT', `${name}: the central directory lies past the end of the file`);
  // Each record is at least 46 bytes and at most 46 + three 16-bit lengths: a size outside that is a lie.
  if (dirSize < count * 46 || dirSize > count * (46 + 3 * 0xffff)) {
    throw new SpikewireError('FORMAT', `${name}: damaged central directory (${dirSize} bytes for ${count} entries)`);
  }
  const dir = await readRange(source, dirOffset, dirSize);
  const dv = new DataView(dir.buffer);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let p = 0, i = 0; i < count; i++) {
    if (p + 46 > dir.length || dv.getUint32(p, true) !== CENTRAL) throw new SpikewireError('FORMAT', `${name}: damaged central directory (entry ${i})`);
    const nameLength = dv.getUint16(p + 28, true);
    const next = p + 46 + nameLength + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
    if (next > dir.length) throw new SpikewireError('FORMAT', `${name}: damaged central directory (entry ${i} runs past its end)`);
    const entryName = checkEntryName(decoder.decode(dir.subarray(p + 46, p + 46 + nameLength)), name);
    const entry: ZipEntry = {
      method: dv.getUint16(p + 10, true),
      crc: dv.getUint32(p + 16, true),
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      header: dv.getUint32(p + 42, true),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.header === 0xffffffff) {
      throw new SpikewireError('UNSUPPORTED', `${name}/${entryName} is a zip64 entry: spikewire reads zips under 4 GiB`);
    }
    entries.set(entryName, entry);
    p = next;
  }
  // The recording may sit at the root or inside one top folder (a zipped folder).
  let prefix = '';
  if (!entries.has('binary.json') && !entries.has('si_folder.json')) {
    const top = [...entries.keys()].find((k) => /^[^/]+\/(si_folder|binary)\.json$/.test(k));
    if (top) prefix = top.slice(0, top.indexOf('/') + 1);
  }
  const names = [...entries.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  const entry = (rel: string): ZipEntry => {
    const e = entries.get(prefix + rel);
    if (!e) throw new SpikewireError('NOT_FOUND', `${name} has no ${rel}`);
    return e;
  };
  const dataOffset = async (rel: string, e: ZipEntry): Promise<number> => {
    if (e.header + 30 > source.size) throw new SpikewireError('FORMAT', `${name}/${rel}: its local header lies past the end of the zip (truncated?)`);
    const local = await readRange(source, e.header, 30);
    const lv = new DataView(local.buffer);
    if (lv.getUint32(0, true) !== LOCAL) throw new SpikewireError('FORMAT', `${name}: damaged local header at ${e.header}`);
    const offset = e.header + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
    // A truncated or damaged zip: say so now, not at the first read of the entry.
    if (offset + e.compressedSize > source.size) {
      throw new SpikewireError('FORMAT', `${name}/${rel}: its ${e.compressedSize} bytes at ${offset} run past the end of the zip (${source.size} bytes): the zip is truncated or damaged`);
    }
    return offset;
  };
  const inflate = async (rel: string, e: ZipEntry): Promise<Uint8Array> => {
    const raw = await readRange(source, await dataOffset(rel, e), e.compressedSize);
    let out: Uint8Array;
    if (e.method === 0) out = raw;
    else if (e.method === 8) out = inflateEntry(raw, e, `${name}/${rel}`);
    else throw new SpikewireError('UNSUPPORTED', `${name}/${rel} uses zip compression method ${e.method}`);
    if (out.length !== e.size) throw new SpikewireError('FORMAT', `${name}/${rel} holds ${out.length} bytes; the zip says ${e.size}: the zip is damaged`);
    if (crc32(out) !== e.crc) throw new SpikewireError('FORMAT', `${name}/${rel} fails its CRC-32 check: the zip is damaged`);
    return out;
  };
  return {
    name,
    async list(rel = '') {
      const base = rel ? `${rel.replace(/\/$/, '')}/` : '';
      const children = new Set<string>();
      for (const n of names) {
        if (!n.startsWith(base) || n === base) continue;
        const rest = n.slice(base.length);
        children.add(rest.split('/')[0]);
      }
      if (rel && children.size === 0 && !names.includes(base)) throw new SpikewireError('NOT_FOUND', `${name} has no folder ${rel}`);
      return [...children].filter(Boolean);
    },
    async exists(rel) {
      return entries.has(prefix + rel) || names.some((n) => n.startsWith(`${rel}/`));
    },
    async readFile(rel) {
      return inflate(rel, entry(rel));
    },
    async openSource(rel) {
      const e = entry(rel);
      if (e.method === 0) {
        if (e.size !== e.compressedSize) throw new SpikewireError('FORMAT', `${name}/${rel}: a stored entry of ${e.compressedSize} bytes that claims to hold ${e.size}`);
        return new RangeSource(source, await dataOffset(rel, e), e.size, `${name}/${rel}`);
      }
      return new MemorySource(await inflate(rel, e), `${name}/${rel}`);
    },
    close: () => source.close(),
  };
}

// DEFLATE cannot expand its input more than 1032 to 1: a larger claimed size is a lie (or a bomb).
const MAX_DEFLATE_RATIO = 1032;

/** Inflates one deflated entry into exactly its claimed size; fflate's errors become `FORMAT`. */
function inflateEntry(deflated: Uint8Array, e: ZipEntry, what: string): Uint8Array {
  if (e.size > deflated.length * MAX_DEFLATE_RATIO + 64) {
    throw new SpikewireError('FORMAT', `${what} claims ${e.size} bytes from ${deflated.length} deflated bytes, more than DEFLATE can produce: the zip is damaged`);
  }
  // One byte of room beyond the claimed size shows an entry that inflates to more than it says.
  const room = new Uint8Array(e.size + 1);
  let out: Uint8Array;
  try {
    out = inflateSync(deflated, { out: room });
  } catch (error) {
    throw new SpikewireError('FORMAT', `${what} is damaged: its deflated data does not inflate (${(error as Error).message})`, { cause: error });
  }
  return out;
}

/** The CRC-32 (IEEE 802.3, as zip uses) of `bytes`. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/**
 * An entry name as a safe relative path, or `FORMAT` naming it: no absolute paths, drive letters,
 * '..' parts, backslashes or NULs. The reader only looks names up, but they travel on (listings,
 * property keys, saves elsewhere) and must never point outside the folder.
 */
function checkEntryName(entryName: string, zipName: string): string {
  if (!isSafeRelativePath(entryName.replace(/\/$/, ''))) {
    throw new SpikewireError('FORMAT', `${zipName} holds an entry named ${describe(entryName)}, which is not a plain relative path inside the zip`);
  }
  return entryName;
}

/** Opens a zip from a path (with a file system), a URL, a Blob / File, bytes or a ByteSource. */
export async function openZip(input: unknown, signal?: AbortSignal): Promise<FolderReader & { close(): Promise<void> }> {
  let source: ByteSource;
  if (isHttpUrl(input)) source = await HttpSource.open(input as string | URL, { signal });
  else if (typeof input === 'string') source = await filePlatform('opening zip', input).openFile(input);
  else if (typeof Blob !== 'undefined' && input instanceof Blob) source = new BlobSource(input);
  else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) source = new MemorySource(input as ArrayBuffer, 'zip');
  else if (input && typeof (input as ByteSource).read === 'function') source = input as ByteSource;
  else throw new SpikewireError('INVALID_ARGUMENT', `cannot open a zip from ${describe(input)}`);
  try {
    return await zipFolder(source);
  } catch (error) {
    await source.close().catch(() => {});
    throw error;
  }
}
