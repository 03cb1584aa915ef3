// The published types say what the runtime does: a consumer file is type-checked (tsc --noEmit)
// against dist/types. Exact-type assertions fail the check when a type is wider or narrower than
// stated, and each `@ts-expect-error` fails it when the call it marks stops being an error.
//
// Needs a fresh `npm run build` (`npm test` builds first). Node-only.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tscBin = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const TIMEOUT = 120_000;
let tmp = '';

// Exact type equality (not mere assignability), and a call that only compiles when given `true`.
const PRELUDE = `type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
export function assert<T extends true>(): T | void {}
`;

const CONSUMER = `${PRELUDE}
import wasm from 'spikewire/kernel.simd.wasm';
import scalar from 'spikewire/kernel.scalar.wasm';
import {
  BaseRecording, ChannelSliceRecording, NumpyRecording, initKernel, load, loadExtractor,
  type KernelInput, type PropertyValue,
} from 'spikewire';

declare const any: BaseRecording;
declare const files: File[];
declare const fileList: FileList;
declare const handle: FileSystemDirectoryHandle;
const i16 = new NumpyRecording({ tracesList: [new Int16Array(8)], samplingFrequency: 1000, numChannels: 2 });
const f64 = new NumpyRecording({ tracesList: [{ data: new Float64Array(8), shape: [4, 2] }], samplingFrequency: 1000 });

export async function traces() {
  assert<Equal<ReturnType<typeof i16.getDtype>, 'int16'>>();
  { const v = await i16.getTraces(); assert<Equal<typeof v.data, Int16Array>>(); }
  { const v = await i16.getTraces({ startFrame: 1 }); assert<Equal<typeof v.dtype, 'int16'>>(); }
  { const v = await i16.getTraces({ returnInUV: true }); assert<Equal<typeof v.data, Float32Array>>(); }
  { const v = await i16.getTraces({ returnInUV: false }); assert<Equal<typeof v.data, Int16Array>>(); }
  // float64 without gains passes through unchanged in µV
  { const v = await f64.getTraces({ returnInUV: true }); assert<Equal<typeof v.data, Float32Array | Float64Array>>(); }
  // a recording whose dtype is not known statically
  { const v = await any.getTraces({ returnInUV: true }); assert<Equal<typeof v.data, Float32Array | Float64Array>>(); }
  for await (const chunk of i16.chunks({ chunkSize: 2 })) assert<Equal<typeof chunk.data, Int16Array>>();
  for await (const chunk of i16.chunks({ returnInUV: true })) assert<Equal<typeof chunk.data, Float32Array>>();
  const flag: boolean = Math.random() > 0.5;
  { const v = await i16.getTraces({ returnInUV: flag }); assert<Equal<typeof v.data, Int16Array | Float32Array>>(); }
}

export async function loading() {
  await load('{"class": "x", "kwargs": {}}');
  await load('/data/recording');
  await load(new URL('https://example.org/recording.zip'));
  await load(new Blob([]));
  await load(new Uint8Array(4));
  await load(new ArrayBuffer(4));
  await load(files);
  await load(fileList);
  await load(handle);
  await load({ class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', kwargs: {} });
  await loadExtractor('/data/recording.json');
  // @ts-expect-error a number is none of what load opens
  await load(12345);
  // @ts-expect-error a dict needs class and kwargs
  await load({ kwargs: {} });
  // @ts-expect-error a recording is not a source
  await load(any);
}

export async function saving() {
  const zip = await any.save({ format: 'zip' });
  assert<Equal<typeof zip.archive, string | Blob>>();
  const folder = await any.save({ folder: 'out' });
  // @ts-expect-error only a zip save has an archive
  folder.archive;
  const memory = await i16.save({ format: 'memory' });
  assert<Equal<ReturnType<typeof memory.getDtype>, 'int16'>>();
}

export function splitting() {
  const groups = any.splitBy('group');
  assert<Equal<typeof groups, Map<PropertyValue, ChannelSliceRecording>>>();
  assert<Equal<typeof any.splitBy extends (p: string, o: 'list') => infer R ? R : never, ChannelSliceRecording[]>>();
  groups.get(0);
  groups.get('shank0');
}

export async function kernel() {
  assert<Equal<typeof wasm, KernelInput>>();
  assert<Equal<typeof scalar, KernelInput>>();
  await initKernel(wasm);
  await initKernel(new URL('https://example.org/kernel.simd.wasm'));
  await initKernel('https://example.org/kernel.simd.wasm');
  await initKernel(fetch('/kernel.simd.wasm'));
  await initKernel(new Uint8Array(8));
  await initKernel(import('spikewire/kernel.simd.wasm'));
  // @ts-expect-error a number is none of what initKernel accepts
  await initKernel(12345);
}
`;

function tsc(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [tscBin, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, timeout: 90_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: String(stdout) + String(stderr) });
    });
  });
}

async function project(name: string, source: string): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'a.ts'), source);
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['ES2022', 'DOM'], target: 'ES2022', module: 'esnext', moduleResolution: 'bundler' },
    files: ['a.ts'],
  }));
  return dir;
}

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist', 'types', 'index.d.ts')) || !existsSync(join(repo, 'dist', 'kernel.wasm.d.ts'))) {
    throw new Error('dist/types is missing or stale: run `npm run build` (or `npm test`, which builds first)');
  }
  tmp = await mkdtemp(join(tmpdir(), 'spikewire-types-'));
  await mkdir(join(tmp, 'node_modules'), { recursive: true });
  await symlink(repo, join(tmp, 'node_modules', 'spikewire'), 'junction');
}, TIMEOUT);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('public types', () => {
  it('say what the runtime returns and refuse what it refuses', async () => {
    const r = await tsc(await project('consumer', CONSUMER));
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, TIMEOUT);

  it('the check can fail: a wrong claim about a type is reported', async () => {
    const wrong = `${PRELUDE}
import { NumpyRecording, load } from 'spikewire';
const i16 = new NumpyRecording({ tracesList: [new Int16Array(8)], samplingFrequency: 1000, numChannels: 2 });
export async function f() {
  { const v = await i16.getTraces(); assert<Equal<typeof v.data, Float32Array>>(); }
  // @ts-expect-error a string is a valid source: this directive is unused
  await load('recording.json');
}
`;
    const r = await tsc(await project('wrong', wrong));
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/TS2344/); // the Equal assertion
    expect(r.output).toMatch(/TS2578/); // the unused @ts-expect-error
  }, TIMEOUT);
});

describe('declarations for older TypeScript', () => {
  // TypeScript before 5.7 has no typed-array generics: `Uint8Array<ArrayBuffer>` in a .d.ts is an error
  // there (TS2315) unless consumers skip lib checks. The README's minimum (TypeScript 5.0) holds only
  // while the declarations use the plain names.
  it('no dist/types file uses typed-array or ArrayBufferView generics', async () => {
    const generic = /\b(?:(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array|ArrayBufferView|DataView)</g;
    const found: string[] = [];
    for (const name of await readdir(join(repo, 'dist', 'types'), { recursive: true })) {
      if (!String(name).endsWith('.d.ts')) continue;
      const text = await readFile(join(repo, 'dist', 'types', String(name)), 'utf8');
      for (const m of text.matchAll(generic)) found.push(`${name}: ${text.slice(m.index, m.index + 40).split('\n')[0]}`);
    }
    expect(found).toEqual([]);
  });
});
