// .npy reading and writing against what numpy wrote for the SpikeInterface fixtures (every .npy
// under recordings/*/saved and release-0.104.8/recordings/*/saved), plus hand-made files for the
// cases the fixtures do not cover (v2/v3 headers, Fortran order, big-endian, |S, 0-d, empty, damage).
import { describe, expect, it } from 'vitest';
import {
  NumpyArray,
  columnToNpy,
  columnToNumpyArray,
  npyToColumn,
  readNpy,
  readNpyHeader,
  structuredFields,
  writeNpy,
} from '../../src/formats/npy.js';
import { unpickle } from '../../src/formats/pickle.js';
import { decodeArrayEntry, listFixtureDir, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';

interface SavedNpy {
  npy_format_version: [number, number];
  descr: string | [string, string][];
  dtype_str: string;
  shape: number[];
  fortran_order: boolean;
  data_offset: number;
  header_text: string;
  hasobject_pickled: boolean;
  file_size: number;
  values: { dtype: string; shape: number[]; data: unknown; dtype_descr?: [string, string][] };
}

interface NpyCase {
  rel: string;
  key: string;
  expected: SavedNpy;
  loaded?: { dtype: string; shape: number[]; data: unknown; b64?: string };
}

const ROOTS = ['recordings', 'release-0.104.8/recordings'];

/** Every .npy the fixtures describe in an expected.json `saved_npy`, with its description. */
async function fixtureNpys(): Promise<NpyCase[]> {
  const out: NpyCase[] = [];
  for (const root of ROOTS) {
    for (const name of await listFixtureDir(root)) {
      const expected = await readFixtureJson(`${root}/${name}/expected.json`);
      for (const [key, entry] of Object.entries((expected.saved_npy ?? {}) as Record<string, SavedNpy>)) {
        const prop = /^properties\/(.+)\.npy$/.exec(key)?.[1];
        out.push({ rel: `${root}/${name}/saved/${key}`, key, expected: entry, loaded: prop ? expected.loaded?.properties?.[prop] : undefined });
      }
    }
  }
  return out;
}

/** Every .npy file present under the fixtures' saved folders (to be sure none is left untested). */
async function fixtureNpyFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const root of ROOTS) {
    for (const name of await listFixtureDir(root)) {
      const saved = `${root}/${name}/saved`;
      let entries: string[];
      try {
        entries = await listFixtureDir(saved);
      } catch {
        continue;
      }
      for (const f of entries) if (f.endsWith('.npy')) out.push(`${saved}/${f}`);
      if (entries.includes('properties')) {
        for (const f of await listFixtureDir(`${saved}/properties`)) if (f.endsWith('.npy')) out.push(`${saved}/properties/${f}`);
      }
    }
  }
  return out.sort();
}

const cases = await fixtureNpys();
const files = await fixtureNpyFiles();

/** Plain JS values of a record, in field order (the fixtures list structured rows as value lists). */
const recordRow = (rec: Record<string, unknown>) => Object.values(rec);

describe('readNpy on the fixtures', () => {
  it('covers every .npy file of the fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
    expect(cases.map((c) => c.rel).sort()).toEqual(files);
  });

  for (const c of cases) {
    it(`reads ${c.rel}`, async () => {
      const bytes = await readFixtureBytes(c.rel);
      const e = c.expected;
      expect(bytes.length).toBe(e.file_size);
      const header = readNpyHeader(bytes);
      expect(header.version).toEqual(e.npy_format_version);
      expect(header.headerText).toBe(e.header_text);
      expect(header.dataOffset).toBe(e.data_offset);
      const npy = readNpy(bytes, { name: c.rel });
      expect(npy.dtype).toBe(e.dtype_str);
      expect(npy.shape).toEqual(e.shape);
      expect(npy.fortranOrder).toBe(e.fortran_order);
      if (npy.fields) {
        expect(npy.fields.map((f) => [f.name, f.dtype])).toEqual(e.descr);
        expect((npy.values as Record<string, unknown>[]).map(recordRow)).toEqual(e.values.data);
      } else {
        const want = decodeArrayEntry(e.values as never);
        expect(npy.values).toEqual(want.values);
      }
    });
  }
});

describe('writeNpy reproduces numpy byte for byte', () => {
  for (const c of cases) {
    it(`write(read(${c.rel})) is identical`, async () => {
      const bytes = await readFixtureBytes(c.rel);
      expect(writeNpy(readNpy(bytes))).toEqual(bytes);
    });
  }
});

describe('property columns', () => {
  for (const c of cases.filter((x) => x.key.startsWith('properties/'))) {
    it(`npyToColumn / columnToNpy round-trip ${c.rel}`, async () => {
      const bytes = await readFixtureBytes(c.rel);
      const column = npyToColumn(readNpy(bytes));
      expect(column.dtype).toBe(c.expected.dtype_str);
      expect(column.shape).toEqual(c.expected.shape);
      if (c.loaded && !('fields' in column)) {
        // What SpikeInterface's get_property gives after loading the folder.
        const want = decodeArrayEntry(c.loaded as never, { int64: 'number' });
        const flat = c.expected.shape.length > 1 ? (column.values as unknown[][]).flat() : Array.from(column.values as ArrayLike<unknown>);
        expect(flat).toEqual(Array.from(want.values as ArrayLike<unknown>));
      }
      expect(columnToNpy(column)).toEqual(bytes);
    });
  }

  it('gives the column shapes and value types properties use', async () => {
    const base = 'recordings/properties_annotations_zoo/saved/properties';
    const col = async (name: string) => npyToColumn(readNpy(await readFixtureBytes(`${base}/${name}.npy`)));
    expect(await col('group')).toEqual({ dtype: '<i8', kind: 'i', shape: [7], values: [0, 0, 1, 1, 2, 2, 2] });
    expect((await col('gain_to_uV')).values).toBeInstanceOf(Float64Array);
    expect((await col('impedance_kohm')).values).toBeInstanceOf(Float32Array);
    expect((await col('serial')).values).toEqual(Uint8Array.from([200, 201, 202, 203, 204, 205, 206]));
    expect(await col('is_reference')).toMatchObject({ kind: 'b', values: [true, false, false, false, false, false, false] });
    expect(await col('brain_area')).toMatchObject({ dtype: '<U6', kind: 'U', values: ['CA1', 'CA3', 'DG', 'µ-area', 'Ctx-L5', 'th', 'x'] });
    expect(await col('label_obj')).toEqual({ dtype: '|O', kind: 'O', shape: [7], values: [null, 'lbl1', 'lbl2', null, 'lbl4', 'lbl5', null] });
    const xy = await col('xy_custom');
    expect(xy.shape).toEqual([7, 2]);
    expect(xy.values).toEqual([[0, -0], [1.5, -2], [3, -4], [4.5, -6], [6, -8], [7.5, -10], [9, -12]]);
  });

  it('reads contact_vector.npy (structured) as records and as field arrays', async () => {
    const npy = readNpy(await readFixtureBytes('release-0.104.8/recordings/linear_probe_permuted/saved/properties/contact_vector.npy'));
    expect(npy.dtype).toBe('|V840');
    expect(npy.fields![3]).toEqual({ name: 'contact_shapes', dtype: '<U64', shape: [], offset: 24 });
    expect((npy.values as Record<string, unknown>[])[0]).toEqual({
      probe_index: 0, x: 0, y: 80, contact_shapes: 'circle', radius: 6, contact_ids: '4', device_channel_indices: 0,
      si_units: 'um', plane_axis_x_0: 1, plane_axis_x_1: 0, plane_axis_y_0: 0, plane_axis_y_1: 1,
    });
    const byField = structuredFields(npy);
    expect(byField.contact_ids).toEqual(['4', '2', '1', '3', '5', '0']);
    expect(byField.device_channel_indices).toEqual([0, 1, 2, 3, 4, 5]);
    const column = npyToColumn(npy);
    expect(column).toMatchObject({ dtype: '|V840', kind: 'O', shape: [6] });
  });

  it('widens <U to the longest string and writes int64 numbers', () => {
    const bytes = columnToNpy({ dtype: '<U2', kind: 'U', shape: [3], values: ['a', 'µµµ', ''] });
    const back = readNpy(bytes);
    expect(back.dtype).toBe('<U3');
    expect(back.values).toEqual(['a', 'µµµ', '']);
    expect(columnToNumpyArray({ dtype: '<U1', kind: 'U', shape: [2], values: ['', ''] }).dtype).toBe('<U1');
    const ints = readNpy(columnToNpy({ dtype: '<i8', kind: 'i', shape: [3], values: [1, -2, 2 ** 40] }));
    expect(ints.values).toEqual(BigInt64Array.from([1n, -2n, 2n ** 40n]));
    const rows = readNpy(columnToNpy({ dtype: '<i8', kind: 'i', shape: [2, 2], values: [[1, 2], [3, 4]] }));
    expect(npyToColumn(rows).values).toEqual([[1, 2], [3, 4]]);
    const column = readNpy(columnToNpy({ dtype: '<f8', kind: 'f', shape: [2, 1], values: [[1.5], [2.5]] }));
    expect(npyToColumn(column).values).toEqual([[1.5], [2.5]]);
  });

  it('keeps int64 beyond 2^53 as bigint', () => {
    const npy = readNpy(writeNpy({ dtype: '<i8', shape: [2], values: [1n, 2n ** 60n] }));
    expect(npyToColumn(npy).values).toEqual(BigInt64Array.from([1n, 2n ** 60n]));
  });

  it('refuses arrays that are no channel property with UNSUPPORTED naming them', () => {
    expectCode(() => npyToColumn(readNpy(writeNpy({ dtype: '<f8', shape: [], values: [1] })), { name: 'props/x.npy' }), 'UNSUPPORTED', /props\/x\.npy.*0-d/);
    expectCode(() => npyToColumn(readNpy(writeNpy({ dtype: '<c16', shape: [1], values: [1, 2] }))), 'UNSUPPORTED', /<c16/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Hand-made files

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A .npy file with any header text (padded as numpy pads it) and any data. */
function handMade(header: string, data: Uint8Array, version = 1): Uint8Array {
  const body = version === 3 ? new TextEncoder().encode(header) : enc(header);
  const prefix = version === 1 ? 10 : 12;
  const hlen = body.length + 1;
  const pad = 64 - ((prefix + hlen) % 64);
  const out = new Uint8Array(prefix + hlen + pad + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, hlen + pad, true);
  else view.setUint32(8, hlen + pad, true);
  out.set(body, prefix);
  out.fill(0x20, prefix + body.length, prefix + hlen + pad - 1);
  out[prefix + hlen + pad - 1] = 0x0a;
  out.set(data, prefix + hlen + pad);
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('hand-made .npy files', () => {
  it('writes numpy headers: spacing, shape text, 64-byte alignment', () => {
    const text = (a: Parameters<typeof writeNpy>[0]) => readNpyHeader(writeNpy(a)).headerText;
    expect(text({ dtype: '<f8', shape: [6], values: new Float64Array(6) })).toBe(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }" + ' '.repeat(20) + ' '.repeat(40) + '\n',
    );
    expect(text({ dtype: '<f8', shape: [7, 2], values: new Float64Array(14) })).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(7, 2\), \} +\n$/);
    // 0-d: no growth spaces
    expect(text({ dtype: '<i4', shape: [], values: [5] })).toMatch(/^\{'descr': '<i4', 'fortran_order': False, 'shape': \(\), \} +\n$/);
    for (const shape of [[], [0], [3], [1, 2, 3], [123456789]]) {
      const out = writeNpy({ dtype: '|u1', shape, values: new Uint8Array(shape.reduce((a, b) => a * b, 1)) });
      expect(readNpyHeader(out).dataOffset % 64).toBe(0);
    }
  });

  it('reads and writes 0-d and empty arrays', () => {
    const zero = readNpy(writeNpy({ dtype: '<f8', shape: [], values: [2.5] }));
    expect(zero).toEqual(new NumpyArray('<f8', [], Float64Array.of(2.5), false));
    const empty = readNpy(writeNpy({ dtype: '<i2', shape: [0], values: [] }));
    expect(empty.shape).toEqual([0]);
    expect(empty.values).toEqual(new Int16Array(0));
    const empty2 = readNpy(writeNpy({ dtype: '<U3', shape: [0, 4], values: [] }));
    expect(empty2.shape).toEqual([0, 4]);
    expect(empty2.values).toEqual([]);
  });

  it('reads Fortran-order data into C order and writes it back in Fortran order', () => {
    // np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)): memory order 0 3 1 4 2 5
    const data = bytesOf(Int32Array.from([0, 3, 1, 4, 2, 5]));
    const file = handMade("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }" + ' '.repeat(20), data);
    const npy = readNpy(file);
    expect(npy.fortranOrder).toBe(true);
    expect(npy.values).toEqual(Int32Array.from([0, 1, 2, 3, 4, 5]));
    expect(writeNpy(npy)).toEqual(file);
    // 3-D, strings
    const s = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const f3 = readNpy(writeNpy({ dtype: '<U1', shape: [2, 2, 2], values: s, fortranOrder: true }));
    expect(f3.values).toEqual(s);
  });

  it('reads big-endian data as little-endian values and writes big-endian on request', () => {
    const be = new Uint8Array(16);
    new DataView(be.buffer).setFloat64(0, 1.5, false);
    new DataView(be.buffer).setFloat64(8, -2, false);
    const file = handMade("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }" + ' '.repeat(20), be);
    const npy = readNpy(file);
    expect(npy.dtype).toBe('<f8');
    expect(npy.values).toEqual(Float64Array.of(1.5, -2));
    expect(writeNpy({ ...npy, dtype: '>f8' })).toEqual(file);
    for (const [dtype, values] of [
      ['>i2', Int16Array.of(1, -2, 300)],
      ['>u4', Uint32Array.of(1, 2 ** 31)],
      ['>i8', BigInt64Array.of(-1n, 2n ** 62n)],
      ['>f4', Float32Array.of(0.5, -3)],
      ['>U3', ['ab', 'µ€x']],
    ] as const) {
      const back = readNpy(writeNpy({ dtype, shape: [values.length], values: values as never }));
      expect(back.dtype).toBe(dtype.replace('>', '<'));
      expect(back.values).toEqual(values);
    }
  });

  it('reads and writes |S strings as latin-1 and <U as UTF-32', () => {
    const data = enc('ab\0\0abcdx\0y\0');
    const file = handMade("{'descr': '|S4', 'fortran_order': False, 'shape': (3,), }" + ' '.repeat(20), data);
    const npy = readNpy(file);
    expect(npy.values).toEqual(['ab', 'abcd', 'x\0y']);
    expect(writeNpy(npy)).toEqual(file);
    const u = readNpy(writeNpy({ dtype: '<U2', shape: [2], values: ['😀', 'é'] }));
    expect(u.values).toEqual(['😀', 'é']);
    expectCode(() => writeNpy({ dtype: '|S2', shape: [1], values: ['€'] }), 'INVALID_ARGUMENT', /latin-1/);
    expectCode(() => writeNpy({ dtype: '<U2', shape: [1], values: ['abc'] }), 'INVALID_ARGUMENT', /at most 2 characters/);
  });

  it('reads every numeric dtype', () => {
    const all = [
      ['|i1', Int8Array.of(-1, 2)], ['|u1', Uint8Array.of(255, 0)], ['<i2', Int16Array.of(-300, 2)], ['<u2', Uint16Array.of(65535, 1)],
      ['<i4', Int32Array.of(-5, 7)], ['<u4', Uint32Array.of(4e9, 1)], ['<i8', BigInt64Array.of(-5n, 7n)], ['<u8', BigUint64Array.of(2n ** 64n - 1n, 0n)],
      ['<f4', Float32Array.of(1.5, NaN)], ['<f8', Float64Array.of(-0, Infinity)], ['<f2', Float32Array.of(1.5, 65504)],
      ['<c8', Float32Array.of(1, 2, 3, 4)], ['<c16', Float64Array.of(1, -1, 0.5, 0)], ['<M8[ns]', BigInt64Array.of(0n, 10n)],
      ['<m8[s]', BigInt64Array.of(-1n, 5n)], ['|b1', [true, false]],
    ] as const;
    for (const [dtype, values] of all) {
      const bytes = writeNpy({ dtype, shape: [2], values: values as never });
      const back = readNpy(bytes);
      expect(back.dtype, dtype).toBe(dtype);
      expect(back.values, dtype).toEqual(values);
      expect(writeNpy(back)).toEqual(bytes);
    }
    // float16 rounding as numpy: 1/3 -> 0.333251953125
    expect(readNpy(writeNpy({ dtype: '<f2', shape: [1], values: [1 / 3] })).values).toEqual(Float32Array.of(0.333251953125));
  });

  it('uses format 2.0 for long headers and 3.0 for non-latin-1 field names', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `field_${i}`);
    const fields = names.map((name, i) => ({ name, dtype: '|u1', shape: [], offset: i }));
    const rec = Object.fromEntries(names.map((n, i) => [n, i % 256]));
    const v2 = writeNpy({ dtype: `|V${names.length}`, shape: [1], values: [rec], fields });
    expect(Array.from(v2.subarray(6, 8))).toEqual([2, 0]);
    expect(readNpyHeader(v2).dataOffset % 64).toBe(0);
    expect((readNpy(v2).values as Record<string, unknown>[])[0]).toEqual(rec);
    const v3 = writeNpy({ dtype: '|V8', shape: [1], values: [{ 'Δx': 1.5 }], fields: [{ name: 'Δx', dtype: '<f8', shape: [], offset: 0 }] });
    expect(Array.from(v3.subarray(6, 8))).toEqual([3, 0]);
    expect(readNpyHeader(v3).headerText).toMatch(/^\{'descr': \[\('Δx', '<f8'\)\], /);
    expect(readNpy(v3).values).toEqual([{ 'Δx': 1.5 }]);
    // A v2 header written by hand reads too.
    const hand = handMade("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", bytesOf(Int16Array.of(7, 8)), 2);
    expect(readNpy(hand).values).toEqual(Int16Array.of(7, 8));
  });

  it('reads structured dtypes with padding, sub-arrays and nesting', () => {
    const header =
      "{'descr': [('a', '<i4'), ('', '|V4'), ('b', '<f8', (2,)), ('c', [('x', '|u1'), ('y', '<U1')])], 'fortran_order': False, 'shape': (2,), }";
    const rec = new Uint8Array(29);
    const dv = new DataView(rec.buffer);
    dv.setInt32(0, 7, true);
    dv.setFloat64(8, 1.5, true);
    dv.setFloat64(16, 2.5, true);
    rec[24] = 9;
    dv.setUint32(25, 'z'.codePointAt(0)!, true);
    const file = handMade(header, Uint8Array.from([...rec, ...rec]));
    const npy = readNpy(file);
    expect(npy.dtype).toBe('|V29');
    expect(npy.values).toEqual([{ a: 7, b: [1.5, 2.5], c: { x: 9, y: 'z' } }, { a: 7, b: [1.5, 2.5], c: { x: 9, y: 'z' } }]);
    expect(npy.fields!.map((f) => [f.name, f.offset])).toEqual([['a', 0], ['b', 8], ['c', 24]]);
    // numpy writes the padding back as ('', '|V4') and the growth spaces after the header.
    expect(readNpyHeader(writeNpy(npy)).headerText.startsWith(header)).toBe(true);
    expect(writeNpy(npy).subarray(-58)).toEqual(file.subarray(-58));
  });

  it('reads object arrays through the restricted unpickler, names the property when it refuses', async () => {
    const fixture = await readFixtureBytes('recordings/properties_annotations_zoo/saved/properties/label_obj.npy');
    // Replace the pickled global numpy.ndarray with builtins.eval (same length: the file stays well formed).
    const bad = fixture.slice();
    const at = indexOf(bad, enc('\x8c\x05numpy\x94\x8c\x07ndarray'));
    bad.set(enc('\x8c\x05posix\x94\x8c\x07systemx'), at);
    const err = expectCode(() => readNpy(bad, { name: 'properties/label_obj.npy' }), 'UNSUPPORTED', /label_obj\.npy.*posix\.systemx/);
    expect(err.message).toMatch(/nothing was executed/);
    // An object array of plain values round-trips.
    const values = [{ radius: 6 }, null, 'x', [1, 2.5], 3n ** 40n];
    const back = readNpy(writeNpy({ dtype: '|O', shape: [5], values }));
    expect(back.values).toEqual(values);
    expect(npyToColumn(back).values).toEqual(values);
  });

  it('refuses bad magic, truncated files and lying headers with FORMAT errors naming the problem', async () => {
    const good = await readFixtureBytes('recordings/properties_annotations_zoo/saved/properties/gain_to_uV.npy');
    expectCode(() => readNpy(enc('PK\x03\x04 not numpy at all'), { name: 'x.npy' }), 'FORMAT', /x\.npy.*bad magic/);
    expectCode(() => readNpy(new Uint8Array(0)), 'FORMAT', /truncated: 0 bytes/);
    expectCode(() => readNpy(good.subarray(0, 5)), 'FORMAT', /truncated/);
    expectCode(() => readNpy(good.subarray(0, 9)), 'FORMAT', /truncated inside its header length/);
    expectCode(() => readNpy(good.subarray(0, 100)), 'FORMAT', /header declares 118 bytes/);
    expectCode(() => readNpy(good.subarray(0, good.length - 1), { name: 'gain.npy' }), 'FORMAT', /gain\.npy" is truncated or its header lies: shape \[7\] of <f8 needs 56 bytes of data, 55 follow/);
    // A header that claims more elements than the data holds.
    const lying = handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (1000,), }", new Uint8Array(16));
    expectCode(() => readNpy(lying), 'FORMAT', /needs 8000 bytes of data, 16 follow/);
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (10000000000000,), }", new Uint8Array(0))), 'FORMAT', /elements/);
    // Headers that are not what numpy writes.
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'shape': (1,), }", new Uint8Array(8))), 'FORMAT', /keys/);
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", new Uint8Array(8))), 'FORMAT', /fortran_order/);
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': [1], }", new Uint8Array(8))), 'FORMAT', /shape/);
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", new Uint8Array(8))), 'FORMAT', /shape/);
    expectCode(() => readNpy(handMade("{'descr': 'zz9', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))), 'FORMAT', /zz9/);
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", new Uint8Array(8))), 'FORMAT', /Python literal/);
    expectCode(() => readNpy(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } __import__('os')", new Uint8Array(8))), 'FORMAT', /trailing/);
    const v9 = good.slice();
    v9[6] = 9;
    expectCode(() => readNpy(v9), 'UNSUPPORTED', /version 9\.0/);
    expectCode(() => readNpy(handMade("{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16))), 'UNSUPPORTED', /long double/);
    // A truncated object-array pickle.
    const obj = await readFixtureBytes('recordings/properties_annotations_zoo/saved/properties/label_obj.npy');
    expectCode(() => readNpy(obj.subarray(0, obj.length - 20)), 'FORMAT', /pickle data is truncated/);
  });

  it('rejects bad values with INVALID_ARGUMENT naming them', () => {
    expectCode(() => writeNpy({ dtype: '<f8', shape: [3], values: [1, 2] }), 'INVALID_ARGUMENT', /2 values for 3 elements/);
    expectCode(() => writeNpy({ dtype: '<i8', shape: [1], values: [1.5] }), 'INVALID_ARGUMENT', /1\.5.*integer/);
    expectCode(() => writeNpy({ dtype: '<f8', shape: [1], values: ['x'] }), 'INVALID_ARGUMENT', /"x".*number/);
    expectCode(() => writeNpy({ dtype: '<u8', shape: [1], values: [-1] }), 'INVALID_ARGUMENT', /range/);
    expectCode(() => writeNpy({ dtype: '<f8', shape: [-1], values: [] }), 'INVALID_ARGUMENT', /shape/);
  });

  it('unpickles the fixture object payload as numpy does', async () => {
    const obj = await readFixtureBytes('recordings/properties_annotations_zoo/saved/properties/label_obj.npy');
    const arr = unpickle(obj.subarray(128));
    expect(arr).toEqual(new NumpyArray('|O', [7], [null, 'lbl1', 'lbl2', null, 'lbl4', 'lbl5', null], false));
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}
