import { SpikewireError, describe } from '../errors.js';
import { type Kernel, createKernel } from './kernel.js';

let shared: Promise<Kernel> | null = null;

function remember(promise: Promise<Kernel>): Promise<Kernel> {
  shared = promise;
  promise.then(
    () => {},
    () => {
      // a failed initialisation may be retried (e.g. by initKernel with a compiled module)
      if (shared === promise) shared = null;
    },
  );
  return promise;
}

/**
 * The shared default kernel, created on first call from the inline builds (SIMD, else scalar) unless
 * {@link initKernel} provided one. Every caller gets the same instance. If creating it fails (a
 * runtime that forbids compiling WebAssembly from bytes), the promise rejects and a later call or
 * {@link initKernel} may try again.
 */
export function getKernel(): Promise<Kernel> {
  return shared ?? remember(createKernel());
}

function isResponseLike(value: unknown): value is Response | Promise<Response> {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof Response !== 'undefined' && value instanceof Response) return true;
  return typeof (value as { then?: unknown }).then === 'function';
}

async function fromResponse(value: Response | Promise<Response>): Promise<Kernel> {
  const response = await value;
  if (!response.ok) {
    throw new SpikewireError('IO', `cannot load the WebAssembly kernel from ${response.url || 'a response'}: HTTP ${response.status}`);
  }
  return createKernel({ module: await response.arrayBuffer() });
}

/**
 * Initialises the shared kernel that {@link getKernel} returns. Only needed where compiling
 * WebAssembly from bytes is forbidden (Cloudflare Workers, Vercel edge): there, pass the compiled
 * module, e.g. `import wasm from 'spikewire/kernel.simd.wasm'; await initKernel(wasm)`.
 *
 * - no argument: creates the default kernel from the inline builds (SIMD, else scalar), if needed;
 * - a `WebAssembly.Module`: instantiates it; bytes (`BufferSource`): compiles them; a `Response`
 *   (or a promise of one, e.g. `fetch(url)`): reads its bytes and compiles them.
 *
 * The first kernel that initialises successfully stays: once the shared kernel exists (from an
 * earlier `initKernel` or `getKernel`), later calls resolve without changing it, so addresses that
 * callers hold remain valid. A failed initialisation can be retried.
 */
export async function initKernel(moduleOrBytes?: WebAssembly.Module | BufferSource | Response | Promise<Response>): Promise<void> {
  if (moduleOrBytes === undefined) {
    await getKernel();
    return;
  }
  let create: () => Promise<Kernel>;
  if (moduleOrBytes instanceof WebAssembly.Module || moduleOrBytes instanceof ArrayBuffer || ArrayBuffer.isView(moduleOrBytes)) {
    const module = moduleOrBytes;
    create = () => createKernel({ module });
  } else if (isResponseLike(moduleOrBytes)) {
    const response = moduleOrBytes;
    create = () => fromResponse(response);
  } else {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `initKernel: expected a WebAssembly.Module, bytes (ArrayBuffer / typed array) or a Response, got ${describe(moduleOrBytes)}`,
    );
  }
  // Keep an existing (or pending) shared kernel if it works; replace only a failed one.
  while (shared !== null) {
    const current = shared;
    try {
      await current;
      return;
    } catch {
      if (shared === current) shared = null;
    }
  }
  await remember(create());
}
