// initKernel with the shapes runtimes and bundlers hand a .wasm file over in: a module, bytes, a
// Response (or a promise of one), a URL or URL string, a module namespace. Each case loads the scalar
// build into a fresh copy of the kernel loader, so that the kernel it ends with (simd false) shows
// that the given input was used, not the inline default. Node and browser.
import { describe, expect, it } from 'vitest';
import { SpikewireError } from '../../src/errors.js';
import { CORE_SCALAR_WASM_HEX } from '../../src/kernel/generated/kernel-scalar.js';
import { decodeHex } from '../../src/kernel/wasm.js';

const scalar = decodeHex(CORE_SCALAR_WASM_HEX);
const dataUrl = `data:application/wasm;base64,${btoa(String.fromCharCode(...scalar))}`;

let copies = 0;

/**
 * initKernel and getKernel of a fresh copy of the loader (no shared kernel yet): imported under a new
 * query string, which both vitest projects load as a module of its own (vi.resetModules does not
 * reach modules in the browser project).
 */
async function freshLoader() {
  const url = new URL('../../src/kernel/default.ts', import.meta.url);
  url.searchParams.set('copy', String(++copies));
  const loader = (await import(/* @vite-ignore */ url.href)) as typeof import('../../src/kernel/default.js');
  /** Expects `promise` to reject with a SpikewireError of `code`, its message matching `pattern`. */
  const rejects = async (promise: Promise<unknown>, code: string, pattern: RegExp) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).code).toBe(code);
    expect((error as Error).message).toMatch(pattern);
    return error as Error;
  };
  return { ...loader, rejects };
}

/** Initialises a fresh loader with `input`; true when its kernel is the scalar build that was given. */
async function loadsScalar(input: unknown): Promise<boolean> {
  const { initKernel, getKernel } = await freshLoader();
  await initKernel(input as never);
  return (await getKernel()).simd === false;
}

describe('initKernel accepts what tools hand over', () => {
  it('each copy of the loader starts without a kernel (so that the cases below show their input was used)', async () => {
    const inline = await freshLoader();
    expect((await inline.getKernel()).simd).toBe(true);
    expect(await loadsScalar(scalar.slice())).toBe(true);
    expect((await inline.getKernel()).simd).toBe(true);
  });

  const cases: [string, () => unknown][] = [
    ['a WebAssembly.Module', () => WebAssembly.compile(scalar).then((m) => m)],
    ['an ArrayBuffer', () => scalar.slice().buffer],
    ['a Uint8Array', () => scalar.slice()],
    ['a Uint8Array inside a larger buffer', () => {
      const big = new Uint8Array(scalar.length + 16);
      big.set(scalar, 8);
      return big.subarray(8, 8 + scalar.length);
    }],
    ['a DataView', () => new DataView(scalar.slice().buffer)],
    ['a Response', () => new Response(scalar.slice())],
    ['a promise of a Response (fetch)', () => Promise.resolve(new Response(scalar.slice()))],
    ['a data: URL', () => new URL(dataUrl)],
    ['a URL string', () => dataUrl],
    ['a module namespace { default: bytes }', () => ({ default: scalar.slice() })],
    ['a promise of a module namespace (dynamic import)', () => Promise.resolve({ default: new URL(dataUrl) })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const input = make();
      // a promised module is awaited here so that the case is the module itself
      expect(await loadsScalar(name === 'a WebAssembly.Module' ? await input : input)).toBe(true);
    });
  }

  it('keeps an existing kernel and does not read the input', async () => {
    const { initKernel, getKernel } = await freshLoader();
    const first = await getKernel();
    let read = false;
    const response = { ok: true, status: 200, url: '', arrayBuffer: async () => ((read = true), scalar.slice().buffer) };
    await initKernel(response as unknown as Response);
    expect(await getKernel()).toBe(first);
    expect(read).toBe(false);
  });
});

describe('initKernel errors', () => {
  it('a number: INVALID_ARGUMENT naming it and what is accepted', async () => {
    const { initKernel, rejects } = await freshLoader();
    const e = await rejects(initKernel(12345 as never), 'INVALID_ARGUMENT', /initKernel: expected a WebAssembly\.Module.*got 12345/);
    expect(e.message).toMatch(/URL string/);
  });

  it('other values that are none of the accepted shapes', async () => {
    const { initKernel, rejects } = await freshLoader();
    for (const bad of [null, true, {}, [], () => 1, Symbol.iterator]) {
      await rejects(initKernel(bad as never), 'INVALID_ARGUMENT', /initKernel: expected/);
    }
    await rejects(initKernel({ default: 7 } as never), 'INVALID_ARGUMENT', /got 7/);
    await rejects(initKernel(Promise.resolve(42) as never), 'INVALID_ARGUMENT', /got 42/);
  });

  it('a bare name is not a URL (it looks like a package specifier)', async () => {
    const { initKernel, rejects } = await freshLoader();
    await rejects(initKernel('kernel.simd.wasm'), 'INVALID_ARGUMENT', /"kernel\.simd\.wasm"/);
  });

  it('an HTTP error or unreadable URL: IO; bytes that are not a kernel: UNSUPPORTED', async () => {
    const { initKernel, rejects } = await freshLoader();
    await rejects(initKernel(new Response('no', { status: 404 })), 'IO', /HTTP 404/);
    await rejects(initKernel(new URL('data:application/wasm;base64,AQID')), 'UNSUPPORTED', /cannot instantiate/);
  });
});
