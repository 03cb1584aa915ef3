// initKernel in Node with what Node and Bun hand over: a file: URL (import.meta.resolve), its href,
// an absolute path, a Buffer. Node's fetch cannot read file: URLs, so these are read from disk.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CORE_SCALAR_WASM_HEX } from '../../src/kernel/generated/kernel-scalar.js';
import { decodeHex } from '../../src/kernel/wasm.js';

let dir = '';
let file = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spikewire-kernel-'));
  file = join(dir, 'kernel.scalar.wasm');
  await writeFile(file, decodeHex(CORE_SCALAR_WASM_HEX));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Initialises a freshly imported loader with `input`; its kernel's `simd` (false: the scalar file was used). */
async function simdAfter(input: unknown): Promise<boolean> {
  vi.resetModules();
  const { initKernel, getKernel } = await import('../../src/kernel/default.js');
  await initKernel(input as never);
  return (await getKernel()).simd;
}

describe('initKernel reads files in Node', () => {
  it('a file: URL', async () => expect(await simdAfter(pathToFileURL(file))).toBe(false));
  it('a file: URL string (import.meta.resolve gives one)', async () => expect(await simdAfter(pathToFileURL(file).href)).toBe(false));
  it('an absolute path (what Bun gives for an imported file)', async () => expect(await simdAfter(file)).toBe(false));
  it('a Node Buffer', async () => {
    const { readFile } = await import('node:fs/promises');
    expect(await simdAfter(await readFile(file))).toBe(false);
  });

  it('a missing file: IO naming the URL', async () => {
    vi.resetModules();
    const { initKernel } = await import('../../src/kernel/default.js');
    const error = await initKernel(pathToFileURL(join(dir, 'missing.wasm'))).then(() => null, (e: unknown) => e);
    expect((error as { code?: string }).code).toBe('IO');
    expect((error as Error).message).toMatch(/missing\.wasm/);
  });
});
