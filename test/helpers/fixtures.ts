import { parsePythonJson as parseJson } from '../../src/python/pyjson.js';

/**
 * Reading the SpikeInterface oracle fixtures from tests, in Node and in the browser project alike.
 *
 * Fixtures live in `test/fixtures/spikeinterface` in the repository (env SPIKEWIRE_FIXTURES overrides).
 * Every `rel` path is relative to that folder, e.g. `recordings/int16_gain_offset/expected.json`.
 *
 * - Node: reads the disk with node:fs/promises (imported dynamically, so the browser never loads it).
 * - Browser: calls the custom commands defined in vitest.config.ts (`spikewireFixture*`). They run in
 *   the Vitest Node process and send back base64 / text / lists.
 */

/** One numpy array as the fixtures store it ("array entry"). */
export interface ArrayEntry {
  /** numpy dtype `.str`, e.g. '<i2', '<f4', '<i8', '<U4', '|b1', '|O' */
  dtype: string;
  dtype_name?: string;
  shape: number[];
  /** Nested lists (C order); NaN/Inf as the strings "NaN" / "Infinity" / "-Infinity". Object arrays: already flat. */
  data: unknown;
  /** Base64 of the little-endian C-order bytes (numeric and bool dtypes only). */
  b64?: string;
  [key: string]: unknown;
}

export type NumericValues =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface DecodedArray {
  /** numpy dtype `.str` as in the entry */
  dtype: string;
  /** numpy dtype name ('int16', 'float32', 'str128', ...) when the entry has it */
  dtypeName: string | undefined;
  shape: number[];
  /**
   * The values in C order. Numeric dtypes: a typed array (decoded from `b64` when present, so exact,
   * else built from `data`); int64 / uint64: BigInt64Array / BigUint64Array (or number[] with
   * `{ int64: 'number' }`); float16: number[]; bool: boolean[]; strings: string[]; anything else: `flat`.
   */
  values: NumericValues | number[] | boolean[] | string[] | unknown[];
  /** `data` flattened to plain JS values; "NaN"/"Infinity"/"-Infinity" become numbers for float dtypes. */
  flat: unknown[];
}

export interface DecodeOptions {
  /** How to return int64 / uint64 values: 'bigint' (default) = BigInt64Array / BigUint64Array, 'number' = number[]. */
  int64?: 'bigint' | 'number';
}

// ---------------------------------------------------------------------------------------------------
// Environment

/** True when running in the browser project (a real page), false in Node. */
export const inBrowser: boolean = typeof window !== 'undefined' && typeof document !== 'undefined';

type Stat = { exists: boolean; size: number; isDirectory: boolean };
interface FixtureCommands {
  spikewireFixtureRead(rel: string, encoding: 'base64' | 'utf8'): Promise<string>;
  spikewireFixtureStat(rel: string): Promise<Stat>;
  spikewireFixtureList(rel: string): Promise<string[]>;
  spikewireFixtureRoot(): Promise<string>;
}

let commandsPromise: Promise<FixtureCommands> | undefined;
function browserCommands(): Promise<FixtureCommands> {
  // 'vitest/browser' only exists inside browser mode: import it lazily, on this branch only.
  commandsPromise ??= import('vitest/browser').then((m) => m.commands as unknown as FixtureCommands);
  return commandsPromise;
}

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');
let nodeModules: Promise<{ fs: NodeFs; path: NodePath; url: typeof import('node:url') }> | undefined;
function node() {
  // Hidden specifiers: the browser build of the tests must never see a node: import.
  const load = (spec: string) => import(/* @vite-ignore */ spec);
  nodeModules ??= Promise.all([load('node:fs/promises'), load('node:path'), load('node:url')]).then(([fs, path, url]) => ({
    fs,
    path,
    url,
  }));
  return nodeModules;
}

function nodeEnv(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name] || undefined;
}

async function nodeFixturePath(rel: string): Promise<string> {
  const { path, url } = await node();
  const root = nodeFixturesRoot(path, url);
  const abs = path.resolve(root, rel);
  const inside = path.relative(root, abs);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new Error(`fixture path ${JSON.stringify(rel)} leaves the fixtures folder ${root}`);
  }
  return abs;
}

function nodeFixturesRoot(path: NodePath, url: typeof import('node:url')): string {
  // test/helpers/fixtures.ts -> repo root is ../.., fixtures are test/fixtures/spikeinterface from there.
  const repoRoot = url.fileURLToPath(new URL('../../', import.meta.url));
  return path.resolve(repoRoot, nodeEnv('SPIKEWIRE_FIXTURES') ?? 'test/fixtures/spikeinterface');
}

// ---------------------------------------------------------------------------------------------------
// Reading

/** The absolute folder the fixtures are read from (in the browser: the Node-side path). */
export async function fixturesRoot(): Promise<string> {
  if (inBrowser) return (await browserCommands()).spikewireFixtureRoot();
  const { path, url } = await node();
  return nodeFixturesRoot(path, url);
}

/** Node only: the absolute path of a fixture file, for APIs that take file paths. Throws in the browser. */
export async function fixturePath(rel: string): Promise<string> {
  if (inBrowser) throw new Error(`fixturePath(${JSON.stringify(rel)}) is Node-only; read the bytes with readFixtureBytes in the browser`);
  return nodeFixturePath(rel);
}

/** The bytes of a fixture file. */
export async function readFixtureBytes(rel: string): Promise<Uint8Array> {
  if (inBrowser) return base64ToBytes(await (await browserCommands()).spikewireFixtureRead(rel, 'base64'));
  const { fs } = await node();
  const buf = await fs.readFile(await nodeFixturePath(rel));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The text of a fixture file (UTF-8). */
export async function readFixtureText(rel: string): Promise<string> {
  if (inBrowser) return (await browserCommands()).spikewireFixtureRead(rel, 'utf8');
  const { fs } = await node();
  return fs.readFile(await nodeFixturePath(rel), 'utf8');
}

/**
 * A fixture JSON file, parsed. Python's json writes bare NaN / Infinity / -Infinity in a few files;
 * those become the JS numbers.
 */
export async function readFixtureJson(rel: string): Promise<any> {
  const text = await readFixtureText(rel);
  try {
    return parsePythonJson(text);
  } catch (e) {
    throw new Error(`fixture ${rel}: ${(e as Error).message}`);
  }
}

/** Whether a fixture file or folder exists. */
export async function fixtureExists(rel: string): Promise<boolean> {
  if (inBrowser) return (await (await browserCommands()).spikewireFixtureStat(rel)).exists;
  const { fs } = await node();
  try {
    await fs.stat(await nodeFixturePath(rel));
    return true;
  } catch {
    return false;
  }
}

/** Whether a fixture path is a folder. */
export async function fixtureIsDirectory(rel: string): Promise<boolean> {
  if (inBrowser) return (await (await browserCommands()).spikewireFixtureStat(rel)).isDirectory;
  const { fs } = await node();
  try {
    return (await fs.stat(await nodeFixturePath(rel))).isDirectory();
  } catch {
    return false;
  }
}

/** The sorted names in a fixture folder (files and subfolders, not recursive). */
export async function listFixtureDir(rel: string): Promise<string[]> {
  if (inBrowser) return (await browserCommands()).spikewireFixtureList(rel);
  const { fs } = await node();
  return (await fs.readdir(await nodeFixturePath(rel))).sort();
}

/** Lowercase hex SHA-256 of some bytes (WebCrypto: works in Node and in the browser). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------------------------------------------
// JSON and base64

/** JSON.parse that also accepts Python's bare NaN, Infinity and -Infinity: the library's own reader. */
export function parsePythonJson(text: string): any {
  return parseJson(text);
}

/** Decodes standard base64 into bytes. */
export function base64ToBytes(b64: string): Uint8Array {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof fromBase64 === 'function') return fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Array entries

const TYPED: Record<string, new (buffer: ArrayBuffer) => NumericValues> = {
  i1: Int8Array,
  u1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  i8: BigInt64Array,
  u8: BigUint64Array,
  f4: Float32Array,
  f8: Float64Array,
};

function parseDtype(dtype: string): { order: string; kind: string; size: number } {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(dtype);
  if (!m) return { order: '', kind: dtype, size: 0 };
  return { order: m[1]!, kind: m[2]!, size: m[3] ? Number(m[3]) : 0 };
}

function flatten(data: unknown, depth: number, out: unknown[]): unknown[] {
  if (depth > 0 && Array.isArray(data)) for (const x of data) flatten(x, depth - 1, out);
  else out.push(data);
  return out;
}

function nonFinite(v: unknown): unknown {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity' || v === 'inf') return Infinity;
  if (v === '-Infinity' || v === '-inf') return -Infinity;
  return v;
}

function float16(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Decodes one fixture "array entry" ({dtype, dtype_name, shape, data, b64?}).
 * See {@link DecodedArray} for what `values` holds per dtype.
 */
export function decodeArrayEntry(entry: ArrayEntry, options: DecodeOptions = {}): DecodedArray {
  if (entry === null || typeof entry !== 'object' || typeof entry.dtype !== 'string' || !Array.isArray(entry.shape)) {
    throw new TypeError(`not an array entry: ${JSON.stringify(entry)?.slice(0, 200)}`);
  }
  const { dtype, shape } = entry;
  const { order, kind, size } = parseDtype(dtype);
  const count = shape.reduce((a, b) => a * b, 1);

  let flat: unknown[];
  if (kind === 'O') flat = Array.isArray(entry.data) ? [...entry.data] : [entry.data];
  else flat = flatten(entry.data, shape.length, []);
  if (kind === 'f' || kind === 'c') flat = flat.map(nonFinite);

  const structured = kind === 'V';
  if (!structured && kind !== 'O' && flat.length !== count) {
    throw new Error(`array entry ${dtype} shape [${shape}] has ${flat.length} values in data, expected ${count}`);
  }

  let values: DecodedArray['values'];
  const key = `${kind}${size}`;
  if (kind === 'b') {
    values = typeof entry.b64 === 'string' ? Array.from(base64ToBytes(entry.b64), (b) => b !== 0) : flat.map(Boolean);
  } else if (kind === 'U' || kind === 'S') {
    values = flat.map((v) => String(v));
  } else if (key === 'f2') {
    if (typeof entry.b64 === 'string') {
      const bytes = base64ToBytes(entry.b64);
      const halves: number[] = [];
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        halves.push(float16(order === '>' ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]! | (bytes[i + 1]! << 8)));
      }
      values = halves;
    } else values = flat.map(Number);
  } else if (TYPED[key]) {
    const Ctor = TYPED[key]!;
    if (typeof entry.b64 === 'string') {
      const bytes = base64ToBytes(entry.b64);
      if (bytes.length !== count * size) {
        throw new Error(`array entry ${dtype} shape [${shape}]: b64 has ${bytes.length} bytes, expected ${count * size}`);
      }
      const copy = bytes.slice(); // aligned, owned buffer
      if (order === '>' && size > 1) {
        for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
      }
      values = new Ctor(copy.buffer);
    } else if (kind === 'i' && size === 8) {
      values = BigInt64Array.from(flat, (v) => BigInt(v as number));
    } else if (kind === 'u' && size === 8) {
      values = BigUint64Array.from(flat, (v) => BigInt(v as number));
    } else {
      const arr = new Ctor(new ArrayBuffer(count * size)) as Exclude<NumericValues, BigInt64Array | BigUint64Array>;
      for (let i = 0; i < count; i++) arr[i] = Number(flat[i]);
      values = arr;
    }
    if (size === 8 && (kind === 'i' || kind === 'u') && options.int64 === 'number') {
      values = Array.from(values as BigInt64Array | BigUint64Array, Number);
    }
  } else {
    values = flat;
  }

  return { dtype, dtypeName: entry.dtype_name, shape: [...shape], values, flat };
}
