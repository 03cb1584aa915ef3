// What initKernel accepts, turned into what createKernel takes (a compiled module or bytes). Every
// runtime and bundler hands the raw .wasm file over in its own shape: esbuild's binary loader gives
// bytes, wrangler a WebAssembly.Module, vite's `?url` a URL string, webpack's `new URL(...)` a URL,
// a dynamic import() a module namespace, fetch() a Response; this file accepts each of them.
import { SpikewireError, describe } from '../errors.js';
import type { KernelSource } from './wasm.js';

/**
 * What {@link initKernel} accepts: a compiled `WebAssembly.Module`; the bytes of one (ArrayBuffer,
 * typed array, Node Buffer); a `Response` (or a promise of anything here, e.g. `fetch(url)` or
 * `import('spikewire/kernel.simd.wasm')`); a `URL` or URL string (fetched, or read from disk for
 * `file:` URLs and absolute paths where there is no page); a module namespace `{ default: ... }`.
 */
export type KernelInput =
  // lib.dom declares WebAssembly.Module as an empty interface, which a number satisfies: `object` keeps primitives out
  | (WebAssembly.Module & object)
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | URL
  | string
  | PromiseLike<KernelInput>
  | { readonly default: KernelInput };

const ACCEPTS =
  'a WebAssembly.Module, bytes (ArrayBuffer / typed array / Buffer), a Response, a URL or URL string, ' +
  'a promise of one of these, or a module namespace { default: ... }';

/** Module namespaces, promises and responses nest; deeper than this is not something a tool hands over. */
const MAX_DEPTH = 4;

function invalid(value: unknown, why = ''): SpikewireError {
  return new SpikewireError('INVALID_ARGUMENT', `initKernel: expected ${ACCEPTS}, got ${describe(value)}${why}`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function isResponse(value: unknown): value is Response {
  if (typeof Response !== 'undefined' && value instanceof Response) return true;
  // Responses from another realm or a polyfill: duck-typed on what is used here
  return typeof value === 'object' && value !== null
    && typeof (value as Response).arrayBuffer === 'function' && typeof (value as Response).ok === 'boolean';
}

/** The page's address where there is one (browsers, workers); null in Node, Bun, Deno scripts. */
function pageBase(): string | null {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : null;
}

/**
 * The URL a string names: an absolute URL; or, relative to the page, one that starts with `/`, `./`
 * or `../`; or, where there is no page, an absolute file path. A bare name (`kernel.wasm`) is
 * refused: it looks like a package specifier, which only the importer can resolve.
 */
export function urlOf(text: string): URL {
  try {
    return new URL(text);
  } catch {
    // not absolute: relative to the page, or a path on disk
  }
  const base = pageBase();
  if (/^\.{0,2}\//.test(text)) {
    if (base !== null) return new URL(text, base);
    if (text.startsWith('/')) return new URL(`file://${encodeURI(text).replace(/[?#]/g, encodeURIComponent)}`);
  }
  throw invalid(
    text,
    base === null
      ? ': a string must be an absolute URL or an absolute file path (resolve a package file with import.meta.resolve(\'spikewire/kernel.simd.wasm\'))'
      : ': a string must be an absolute URL or start with "/", "./" or "../"',
  );
}

/** The runtime's `fs` module where it offers one to any module (Node ≥ 20.16, Bun, Deno), else null. */
function builtinFs(): { promises: { readFile(url: URL): Promise<Uint8Array> } } | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return null;
  // The plain name, not the "node"-prefixed one: the universal bundle must not mention Node built-ins.
  return (proc.getBuiltinModule('fs') as ReturnType<typeof builtinFs>) ?? null;
}

/** The bytes at `url`: read from disk for `file:` URLs where fetch cannot (Node), fetched otherwise. */
export async function readUrl(url: URL): Promise<Uint8Array | ArrayBuffer> {
  if (url.protocol === 'file:') {
    const fs = builtinFs();
    if (fs !== null) {
      try {
        return await fs.promises.readFile(url);
      } catch (cause) {
        throw new SpikewireError('IO', `initKernel: cannot read ${url.href}: ${(cause as Error)?.message ?? cause}`, { cause });
      }
    }
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new SpikewireError('IO', `initKernel: cannot fetch ${url.href}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
  return responseBytes(response);
}

async function responseBytes(response: Response): Promise<ArrayBuffer> {
  if (!response.ok) {
    throw new SpikewireError('IO', `initKernel: cannot load the WebAssembly kernel from ${response.url || 'a response'}: HTTP ${response.status}`);
  }
  return response.arrayBuffer();
}

/**
 * Checks `value` synchronously, so that a wrong argument fails at the call: a function that turns
 * it into a compiled module or bytes, or an `INVALID_ARGUMENT` error naming what was given.
 */
export function kernelSourceOf(value: unknown, depth = 0): () => Promise<KernelSource> {
  if (depth > MAX_DEPTH) throw invalid(value, ' (nested too deeply)');
  if (value instanceof WebAssembly.Module || value instanceof ArrayBuffer) return () => Promise.resolve(value);
  if (ArrayBuffer.isView(value)) {
    // as plain bytes: V8's WebAssembly.instantiate refuses a DataView, though it is a BufferSource
    const bytes = new Uint8Array(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength);
    return () => Promise.resolve(bytes);
  }
  if (typeof URL !== 'undefined' && value instanceof URL) return () => readUrl(value) as Promise<KernelSource>;
  if (typeof value === 'string') {
    const url = urlOf(value);
    return () => readUrl(url) as Promise<KernelSource>;
  }
  if (isResponse(value)) return () => responseBytes(value);
  if (isThenable(value)) return async () => kernelSourceOf(await value, depth + 1)();
  if (typeof value === 'object' && value !== null && 'default' in value) {
    return kernelSourceOf((value as { default: unknown }).default, depth + 1);
  }
  throw invalid(value);
}
