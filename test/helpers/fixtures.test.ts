// Smoke test of the fixture helpers; runs in the node AND the browser project.
import { describe, expect, it } from 'vitest';
import {
  decodeArrayEntry,
  fixtureExists,
  inBrowser,
  listFixtureDir,
  parsePythonJson,
  readFixtureBytes,
  readFixtureJson,
  readFixtureText,
  sha256Hex,
} from './fixtures.js';

const CASE = 'recordings/int16_gain_offset';

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

async function manifestEntry(path: string): Promise<ManifestFile> {
  const manifest = await readFixtureJson('manifest.json');
  const entry = (manifest.files as ManifestFile[]).find((f) => f.path === path);
  if (!entry) throw new Error(`${path} is not in manifest.json`);
  return entry;
}

describe(`fixture helpers (${inBrowser ? 'browser' : 'node'})`, () => {
  it('runs in the environment it claims', () => {
    expect(inBrowser).toBe(typeof document !== 'undefined');
  });

  it('reads expected.json and checks its size against the manifest', async () => {
    const entry = await manifestEntry(`${CASE}/expected.json`);
    const text = await readFixtureText(`${CASE}/expected.json`);
    expect(new TextEncoder().encode(text).length).toBe(entry.size);
    const expected = await readFixtureJson(`${CASE}/expected.json`);
    expect(expected.source.num_channels).toBeGreaterThan(0);
    expect(expected.source.dtype).toBe('<i2');
  });

  it('reads source/traces_seg0.raw: size and sha256 as in the manifest and expected.json', async () => {
    const entry = await manifestEntry(`${CASE}/source/traces_seg0.raw`);
    const bytes = await readFixtureBytes(`${CASE}/source/traces_seg0.raw`);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(entry.size);
    expect(await sha256Hex(bytes)).toBe(entry.sha256);

    const expected = await readFixtureJson(`${CASE}/expected.json`);
    const src = expected.source;
    expect(bytes.length).toBe(src.segments[0].num_samples * src.num_channels * 2);
  });

  it('lists folders and tells whether files exist', async () => {
    expect(await listFixtureDir(`${CASE}/source`)).toEqual(['traces_seg0.raw', 'traces_seg1.raw']);
    expect(await fixtureExists(`${CASE}/expected.json`)).toBe(true);
    expect(await fixtureExists(`${CASE}/source`)).toBe(true);
    expect(await fixtureExists(`${CASE}/no-such-file.json`)).toBe(false);
    await expect(readFixtureBytes(`${CASE}/no-such-file.raw`)).rejects.toThrow();
  });

  it('refuses paths outside the fixtures folder', async () => {
    await expect(readFixtureBytes('../../main/package.json')).rejects.toThrow(/leaves the fixtures folder/);
  });

  it('parses Python JSON with bare NaN / Infinity (properties_annotations_zoo)', async () => {
    const d = await readFixtureJson('recordings/properties_annotations_zoo/source.to_dict_full_relative.json');
    expect(d.class).toMatch(/BinaryRecordingExtractor/);
    expect(parsePythonJson('[NaN, -Infinity, Infinity, "NaN", 1]')).toEqual([NaN, -Infinity, Infinity, 'NaN', 1]);
    expect(parsePythonJson('{"a": "x NaN \\" Infinity", "b": NaN}')).toEqual({ a: 'x NaN " Infinity', b: NaN });
  });

  it('decodes the array entries of expected.json', async () => {
    const expected = await readFixtureJson(`${CASE}/expected.json`);
    const ids = decodeArrayEntry(expected.source.channel_ids);
    expect(ids.shape).toEqual([expected.source.num_channels]);
    expect(ids.flat.length).toBe(expected.source.num_channels);

    const w = expected.source.windows.find((x: any) => x.traces && x.traces.b64 && !x.return_in_uV);
    const t = decodeArrayEntry(w.traces);
    expect(t.values).toBeInstanceOf(Int16Array);
    expect(Array.from(t.values as Int16Array)).toEqual(t.flat);
    expect((t.values as Int16Array).length).toBe(t.shape[0]! * t.shape[1]!);

    const ws = expected.source.windows.find((x: any) => x.traces && x.traces.b64 && x.return_in_uV);
    const s = decodeArrayEntry(ws.traces);
    expect(s.values).toBeInstanceOf(Float32Array);
    expect(Array.from(s.values as Float32Array)).toEqual(s.flat);
  });

  it('decodes each dtype family', () => {
    const i8 = decodeArrayEntry({ dtype: '<i8', shape: [3], data: [0, -1, 2], b64: 'AAAAAAAAAAD//////////wIAAAAAAAAA' });
    expect(i8.values).toEqual(new BigInt64Array([0n, -1n, 2n]));
    expect(decodeArrayEntry({ dtype: '<i8', shape: [3], data: [0, -1, 2] }, { int64: 'number' }).values).toEqual([0, -1, 2]);
    expect(decodeArrayEntry({ dtype: '<i8', shape: [2], data: [5, 6] }).values).toEqual(new BigInt64Array([5n, 6n]));

    const f8 = decodeArrayEntry({ dtype: '<f8', shape: [2, 2], data: [[1.5, 'NaN'], ['Infinity', '-Infinity']] });
    expect(f8.flat).toEqual([1.5, NaN, Infinity, -Infinity]);
    expect(f8.values).toBeInstanceOf(Float64Array);
    expect(Array.from(f8.values as Float64Array)).toEqual([1.5, NaN, Infinity, -Infinity]);

    // b64 wins over data and is exact: 0x7fc00000 = NaN, 0x3f800000 = 1 (little-endian bytes)
    const f4 = decodeArrayEntry({ dtype: '<f4', shape: [2], data: ['NaN', 1], b64: 'AADAfwAAgD8=' });
    expect(Array.from(f4.values as Float32Array)).toEqual([NaN, 1]);

    const b = decodeArrayEntry({ dtype: '|b1', dtype_name: 'bool', shape: [3], data: [true, false, true], b64: 'AQAB' });
    expect(b.values).toEqual([true, false, true]);
    expect(b.dtypeName).toBe('bool');

    const u = decodeArrayEntry({ dtype: '<U4', shape: [2], data: ['NaN', 'µ-a'] });
    expect(u.values).toEqual(['NaN', 'µ-a']);

    const o = decodeArrayEntry({ dtype: '|O', shape: [3], data: [null, 'x', 2] });
    expect(o.values).toEqual([null, 'x', 2]);

    const u2 = decodeArrayEntry({ dtype: '<u2', shape: [1, 2], data: [[65535, 1]], b64: '//8BAA==' });
    expect(u2.values).toEqual(new Uint16Array([65535, 1]));

    expect(decodeArrayEntry({ dtype: '<f2', shape: [2], data: [1, -2], b64: 'ADwAwA==' }).values).toEqual([1, -2]);

    const be = decodeArrayEntry({ dtype: '>i2', shape: [1], data: [1], b64: 'AAE=' });
    expect(be.values).toEqual(new Int16Array([1]));

    expect(() => decodeArrayEntry({ dtype: '<i2', shape: [3], data: [1, 2] })).toThrow(/expected 3/);
  });
});
