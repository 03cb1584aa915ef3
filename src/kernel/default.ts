import { type KernelInput, kernelSourceOf } from './input.js';
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

/**
 * Initialises the shared kernel that {@link getKernel} returns. Only needed where compiling
 * WebAssembly from bytes is forbidden (Cloudflare Workers, Vercel edge): there, pass the compiled
 * module, e.g. `import wasm from 'spikewire/kernel.simd.wasm'; await initKernel(wasm)`.
 *
 * - no argument: creates the default kernel from the inline builds (SIMD, else scalar), if needed;
 * - anything of {@link KernelInput}: a `WebAssembly.Module` is instantiated; bytes, a `Response`, a
 *   `URL` or URL string (fetched; `file:` URLs and absolute paths read from disk in Node, Bun and
 *   Deno) are compiled; promises and module namespaces (`{ default }`) are unwrapped first.
 *
 * The first kernel that initialises successfully stays: once the shared kernel exists (from an
 * earlier `initKernel` or `getKernel`), later calls resolve without changing it, so addresses that
 * callers hold remain valid. A failed initialisation can be retried.
 */
export async function initKernel(input?: KernelInput): Promise<void> {
  if (input === undefined) {
    await getKernel();
    return;
  }
  // checked now, so that a wrong argument fails even when a kernel exists already
  const source = kernelSourceOf(input);
  const create = async () => createKernel({ module: await source() });
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
