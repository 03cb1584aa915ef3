// The restricted unpickler and the pickle writer, against SpikeInterface's dump_to_pickle fixtures,
// CPython's own pickler output, and hand-made hostile or damaged pickles.
import { describe, expect, it } from 'vitest';
import { NumpyArray, PICKLE_GLOBALS, isTuple, numpyToPlain, pickle, tuple, unpickle } from '../../src/formats/pickle.js';
import { decodeValues, descrFrom, elementCount, reorder, type NpyField } from '../../src/formats/ndarray.js';
import { PyFloat } from '../../src/python/pyjson.js';
import { readFixtureBytes, readFixtureJson, sha256Hex } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';
import { rng } from '../helpers/random.js';

// Generous timeout for the tests that pickle a few hundred kilobytes (frames need > 64 KiB).
const SLOW = 60_000;

const CASES = [
  'float32_string_ids', 'float64_t_starts', 'int16_gain_offset', 'int16_per_channel_gains_int_ids_3seg', 'int16_time_vector',
  'linear_probe_permuted', 'many_segments_1ch', 'multi_columns_probe', 'multi_shank_groups', 'probegroup_2probes',
  'properties_annotations_zoo', 'saved_from_channel_slice', 'uint16_centered',
];

interface PickleFixture {
  rel: string;
  expectedRel: string;
  absolute: boolean;
}

const FIXTURES: PickleFixture[] = [
  ...CASES.flatMap((c) => [
    { rel: `recordings/${c}/source.dump.pkl`, expectedRel: `recordings/${c}/source.dump.expected.json`, absolute: false },
    { rel: `recordings/${c}/source.dump_abs.pkl`, expectedRel: `recordings/${c}/source.dump.expected.json`, absolute: true },
  ]),
  { rel: 'tutorial_small/my_recording.pkl', expectedRel: 'tutorial_small/my_recording.expected.json', absolute: false },
  { rel: 'tutorial_small/my_recording_abs.pkl', expectedRel: 'tutorial_small/my_recording.expected.json', absolute: true },
];

// Python memoizes by object identity: in these dumps SpikeInterface's dict holds distinct but equal
// string objects ('gain_to_uV' as a kwargs key and a property key; the second probe's keys), which
// Python writes twice and spikewire (equal strings are equal in JS) writes once. Same values.
const NOT_BYTE_IDENTICAL = new Set([
  'recordings/int16_per_channel_gains_int_ids_3seg/source.dump.pkl',
  'recordings/int16_per_channel_gains_int_ids_3seg/source.dump_abs.pkl',
  'recordings/probegroup_2probes/source.dump.pkl',
  'recordings/probegroup_2probes/source.dump_abs.pkl',
]);

/**
 * Checks a value against the fixtures' type description: 'str' | 'int' | 'float' | 'bool' |
 * 'NoneType', {ndarray: dtype, shape}, lists (their first 4 items described), dicts.
 */
function checkStructure(value: unknown, desc: unknown, path: string): void {
  if (typeof desc === 'string') {
    const ok: Record<string, (v: unknown) => boolean> = {
      str: (v) => typeof v === 'string',
      int: (v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint',
      float: (v) => typeof v === 'number',
      bool: (v) => typeof v === 'boolean',
      NoneType: (v) => v === null,
      bytes: (v) => v instanceof Uint8Array,
    };
    expect(ok[desc]?.(value), `${path}: expected ${desc}, got ${String(value)}`).toBe(true);
    return;
  }
  if (Array.isArray(desc)) {
    expect(Array.isArray(value), `${path}: expected a list`).toBe(true);
    const list = value as unknown[];
    if (desc.length < 4) expect(list.length, path).toBe(desc.length);
    else expect(list.length, path).toBeGreaterThanOrEqual(desc.length);
    desc.forEach((d, i) => checkStructure(list[i], d, `${path}[${i}]`));
    return;
  }
  const d = desc as Record<string, unknown>;
  if (typeof d.ndarray === 'string' && Array.isArray(d.shape) && Object.keys(d).length === 2) {
    expect(value, path).toBeInstanceOf(NumpyArray);
    const arr = value as NumpyArray;
    expect(arr.dtype, path).toBe(d.ndarray);
    expect(arr.shape, path).toEqual(d.shape);
    expect((arr.values as ArrayLike<unknown>).length, path).toBe(elementCount(arr.shape) * (arr.dtype.includes('c') ? 2 : 1));
    return;
  }
  expect(value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype, `${path}: expected a dict`).toBe(true);
  expect(Object.keys(value as object), path).toEqual(Object.keys(d));
  for (const [k, v] of Object.entries(d)) checkStructure((value as Record<string, unknown>)[k], v, `${path}.${k}`);
}

/** True when a NumpyArray sits anywhere inside `v`. */
function hasNumpy(v: unknown, seen = new Set<unknown>()): boolean {
  if (v instanceof NumpyArray) return true;
  if (v === null || typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  const items = v instanceof Map ? [...v.values()] : Array.isArray(v) ? v : Object.values(v);
  return items.some((x) => hasNumpy(x, seen));
}

describe('unpickle reads SpikeInterface dump_to_pickle files', () => {
  for (const f of FIXTURES) {
    it(`reads ${f.rel} as source.dump.expected.json describes it`, async () => {
      const bytes = await readFixtureBytes(f.rel);
      const expected = await readFixtureJson(f.expectedRel);
      expect(bytes[0]).toBe(0x80);
      expect(bytes[1]).toBe(expected.protocol);
      const dict = unpickle(bytes) as Record<string, any>;
      checkStructure(dict, expected.structure, 'dict');
      expect(dict.class).toBe(expected.class);
      expect(dict.relative_paths).toBe(!f.absolute);
      expect(hasNumpy(dict)).toBe(expected.globals.includes('numpy.ndarray'));
      if (f.absolute) {
        const { file_paths: paths, ...rest } = dict.kwargs;
        const { file_paths: relPaths, ...wantRest } = expected.kwargs_json;
        expect(rest).toEqual(wantRest);
        expect(paths.length).toBe(relPaths.length);
        for (const p of paths) expect(p).toMatch(/^\/home\/user\/si-fixtures\//);
      } else {
        expect(dict.kwargs).toEqual(expected.kwargs_json);
      }
    });

    it(`round-trips ${f.rel}: unpickle(pickle(unpickle(x))) equals unpickle(x)`, async () => {
      const bytes = await readFixtureBytes(f.rel);
      const once = unpickle(bytes);
      expect(unpickle(pickle(once))).toEqual(once);
      expect(unpickle(pickle(once, { protocol: 3 }))).toEqual(once);
      const exact = pickle(unpickle(bytes, { pyFloats: true }));
      if (NOT_BYTE_IDENTICAL.has(f.rel)) expect(unpickle(exact, { pyFloats: true })).toEqual(unpickle(bytes, { pyFloats: true }));
      else expect(exact).toEqual(bytes);
    });
  }

  it('rebuilds the arrays with their values', async () => {
    const dict = unpickle(await readFixtureBytes('recordings/properties_annotations_zoo/source.dump.pkl')) as any;
    expect(dict.properties.gain_to_uV).toEqual(new NumpyArray('<f8', [7], new Float64Array(7).fill(0.195), false));
    expect(dict.properties.group).toEqual(new NumpyArray('<i8', [7], BigInt64Array.from([0n, 0n, 1n, 1n, 2n, 2n, 2n]), false));
    expect(dict.annotations).toEqual({
      is_filtered: false, experimenter: 'Ada Lovelace', session_id: 42, temperature_c: 36.6, tags: ['rat', 'awake', 'µ'],
      nested: { rig: 'B', filters: [300, 6000] }, flag: true, nothing: null,
    });
    const probe = (unpickle(await readFixtureBytes('recordings/probegroup_2probes/source.dump.pkl')) as any).probegroup.probes[1];
    expect(probe.contact_shapes.values).toEqual(new Array(8).fill('circle'));
    expect(probe.contact_shape_params).toEqual(new NumpyArray('|O', [8], new Array(8).fill(0).map(() => ({ radius: 6 })), false));
    expect(probe.contact_plane_axes.shape).toEqual([8, 2, 2]);
    expect(Array.from(probe.contact_plane_axes.values.subarray(0, 4))).toEqual([1, 0, 0, 1]);
  });

  it('turns the arrays into the values the JSON dump holds (numpyToPlain)', async () => {
    for (const c of ['properties_annotations_zoo', 'probegroup_2probes', 'int16_per_channel_gains_int_ids_3seg']) {
      const dict = numpyToPlain(unpickle(await readFixtureBytes(`recordings/${c}/source.dump.pkl`))) as any;
      const json = await readFixtureJson(`recordings/${c}/source.dump.json`);
      const props = Object.fromEntries(Object.entries(dict.properties).map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>)]));
      // The JSON dump also lists the unset main properties as null; the pickle leaves them out.
      expect(Object.keys(props).length).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(props)) expect(v, k).toEqual(json.properties[k]);
      if (json.probegroup) {
        const probes = dict.probegroup.probes.map((p: any) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>) : v])));
        expect(probes).toEqual(json.probegroup.probes);
      }
    }
    expect(numpyToPlain(new NumpyArray('<f8', [], Float64Array.of(2.5)))).toBe(2.5);
    expect(numpyToPlain([new NumpyArray('<i8', [2, 2], BigInt64Array.of(1n, 2n, 3n, 4n))])).toEqual([[[1, 2], [3, 4]]]);
  });

  it("keeps lone surrogates, as Python's surrogatepass does", () => {
    const s = 'a\ud800b\udfff';
    const out = pickle(s);
    expect(hex(out)).toBe('8004950c000000000000008c0861eda08062edbfbf942e'); // pickle.dumps('a\ud800b\udfff', protocol=4)
    expect(unpickle(out)).toBe(s);
  });

  it('marks tuples, keeps floats apart on request', async () => {
    const v = unpickle(pickle({ t: tuple(1, 2), l: [1, 2], f: new PyFloat(3) }), { pyFloats: true }) as any;
    expect(isTuple(v.t)).toBe(true);
    expect(isTuple(v.l)).toBe(false);
    expect(v.f).toEqual(new PyFloat(3));
    expect((unpickle(pickle({ f: new PyFloat(3) })) as any).f).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------------
// The writer against CPython

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/**
 * Values described as JSON ($tuple, $bytes, $float, $int, $dict, $nd), so that the same value can
 * be built in Python. The expected bytes below are what CPython 3.11's C pickler wrote for these
 * values (protocol 4), with numpy arrays reduced as numpy 2 reduces them (the numpy-specific bytes
 * are checked against real numpy output by the fixture tests above).
 */
function build(v: any): any {
  if (Array.isArray(v)) return v.map(build);
  if (v && typeof v === 'object') {
    if ('$tuple' in v) return tuple(...v.$tuple.map(build));
    if ('$bytes' in v) return unhex(v.$bytes);
    if ('$float' in v) return new PyFloat(v.$float);
    if ('$int' in v) return BigInt(v.$int);
    if ('$dict' in v) return new Map(v.$dict.map(([k, x]: any) => [build(k), build(x)]));
    if ('$nd' in v) {
      const n = v.$nd;
      const fields: NpyField[] | undefined = n.fields;
      let values: any;
      if ('list' in n) values = build(n.list);
      else {
        values = decodeValues(descrFrom(n.dtype, fields, 'test'), unhex(n.hex), elementCount(n.shape), 'test');
        if (n.fortran) values = reorder(values, n.shape, true);
      }
      return new NumpyArray(n.dtype, n.shape, values, n.fortran, fields);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x)]));
  }
  return v;
}

const f8hex = (xs: number[]) => hex(new Uint8Array(Float64Array.from(xs).buffer));
const u32hex = (xs: number[]) => hex(new Uint8Array(Uint32Array.from(xs).buffer));
const range = (n: number, f: (i: number) => any) => Array.from({ length: n }, (_, i) => f(i));
const nd = (dtype: string, shape: number[], data: { hex?: string; list?: unknown[] }, fortran = false, fields?: NpyField[]) => ({
  $nd: { dtype, shape, fortran, ...data, ...(fields ? { fields } : {}) },
});

const CPYTHON: Record<string, { value: unknown; bytes: number; sha256?: string; hex?: string }> = {
  atoms: {
    value: {
      a: 1, b: [1, 2.5, null, true, false], c: { $tuple: [1, 2] }, big: { $int: '1180591620717411303424' }, neg: { $int: '-1099511627776' },
      negs: [-1, -128, -129, -256, -32768, -2147483648, { $int: '-2147483649' }, 255, 256, 65535, 65536, 2147483647, { $int: '2147483648' }],
      s: 'µ', bytes: { $bytes: '7879' }, e: { $bytes: '' }, one: { $bytes: '62' }, one2: { $bytes: '62' }, f: { $float: 3 }, f2: -0.5,
    },
    bytes: 233,
    hex:
      '800495de000000000000007d94288c0161944b018c0162945d94284b014740040000000000004e8889658c0163944b014b0286948c03626967948a09000000' +
      '0000000000408c036e6567948a060000000000ff8c046e656773945d94284affffffff4a80ffffff4a7fffffff4a00ffffff4a0080ffff4a000000808a05ff' +
      'ffff7fff4bff4d00014dffff4a000001004affffff7f8a050000008000658c0173948c02c2b5948c0562797465739443027879948c0165944300948c036f6e' +
      '6594430162948c046f6e65329468118c0166944740080000000000008c0266329447bfe0000000000000752e',
  },
  bigints: {
    value: [
      { $int: (2n ** 64n).toString() }, { $int: (-(2n ** 64n)).toString() }, { $int: (2n ** 63n - 1n).toString() }, { $int: (-(2n ** 63n)).toString() },
      { $int: (2n ** 2100n).toString() }, { $int: (-(2n ** 2100n)).toString() }, { $int: '-255' }, { $int: '-32769' },
      { $int: (-(2n ** 31n) - 1n).toString() }, { $int: (-(2n ** 39n)).toString() },
    ],
    bytes: 618,
    sha256: '1b519f2c53d5f89d2b811ff655d3b49e1251aee5cae8e683e4c2465b6af10220',
  },
  strings: { value: ['x'.repeat(300), '😀é', 'a', 'a', 'bb', 'bb', 'z'.repeat(70000), 'tail'], bytes: 70366, sha256: '92e3aa5ae0eb195ee171f665870320f58361f684fb599d09fe807304b7fd9113' },
  batches: {
    value: {
      l1000: range(1000, (i) => i), l1001: range(1001, (i) => i), l2500: range(2500, (i) => i * 7), one: [5], none: [], d1: { k: 1 }, d0: {},
      d1000: Object.fromEntries(range(1000, (i) => ['k' + i, i])), d2001: Object.fromEntries(range(2001, (i) => ['q' + i, i])),
    },
    bytes: 43362,
    sha256: '0b0351c6fb8a9de4d6038ccc137cab86a6bb354ec22959baf7f69d3f0bf0fea3',
  },
  tuples: {
    value: [{ $tuple: [] }, { $tuple: [1] }, { $tuple: [1, 2] }, { $tuple: [1, 2, 3] }, { $tuple: [1, 2, 3, 4] }, { $tuple: [{ $tuple: [] }, { $tuple: ['a', [1]] }] }],
    bytes: 60,
    hex: '80049531000000000000005d9428294b0185944b014b0286944b014b024b038794284b014b024b034b047494298c0161945d944b016186948694652e',
  },
  frames_floats: { value: range(20000, (i) => i + 0.25), bytes: 180072, sha256: 'f08543546ef8b20d79d483e523941d580a4666b8ec74e256843214a043dd17a2' },
  frames_strings: { value: range(5000, (i) => 'str_' + i + '_' + 'y'.repeat(i % 50)), bytes: 181432, sha256: '43fd5db16f0bc82b500b8c9792d26d71096bc27db90552679677a0abac23b0b8' },
  frames_big: {
    value: { a: { $bytes: '00'.repeat(70000) }, b: 'w'.repeat(70000), c: [1, 2, 3], d: { $bytes: 'ff'.repeat(65535) }, e: { $bytes: 'ee'.repeat(65536) } },
    bytes: 271168,
    sha256: '733f3339ea033c055c1428375322f9e2de6703b8d7b1d87cc3f1264866181194',
  },
  dicts_nonstr: {
    value: { $dict: [[1, 'a'], [{ $tuple: [1, 2] }, 'b'], [null, 3], ['x', 4]] },
    bytes: 41,
    hex: '8004951e000000000000007d94284b018c0161944b014b0286948c0162944e4b038c0178944b04752e',
  },
  arrays: {
    value: {
      f8: nd('<f8', [3], { hex: f8hex([1, 2.5, -3]) }),
      f8b: nd('<f8', [2], { hex: f8hex([7, 8]) }),
      i8: nd('<i8', [2], { hex: '0100000000000000ffffffffffffffff' }),
      f4f: nd('<f4', [2, 3], { hex: hex(new Uint8Array(Float32Array.from([0, 3, 1, 4, 2, 5]).buffer)) }, true),
      u5: nd('<U5', [2], { hex: u32hex([104, 105, 0, 0, 0, 181, 0, 0, 0, 0]) }),
      u5b: nd('<U5', [1], { hex: u32hex([104, 105, 0, 0, 0]) }),
      s3: nd('|S3', [2], { hex: '616263780000' }),
      obj: nd('|O', [3], { list: [{ radius: 6 }, null, 'lbl'] }),
      obj1: nd('|O', [1], { list: ['only'] }),
      b1: nd('|b1', [3], { hex: '010001' }),
      u1one: nd('|u1', [1], { hex: '62' }),
      zero_d: nd('<i4', [], { hex: '05000000' }),
      empty: nd('<f8', [0], { hex: '' }),
      big: nd('<f8', [10000], { hex: f8hex(range(10000, (i) => i / 3)) }),
      rec: nd('|V20', [1], { hex: f8hex([1.5]) + u32hex([97, 98, 0]) }, false, [
        { name: 'x', dtype: '<f8', shape: [], offset: 0 },
        { name: 'nm', dtype: '<U3', shape: [], offset: 8 },
      ]),
    },
    bytes: 81254,
    sha256: '74b5347317d4d6ae52267ed17295894c23a8646c0d4938e73c666ef8fc83357c',
  },
};

describe('pickle writes what CPython writes', () => {
  for (const [name, c] of Object.entries(CPYTHON)) {
    it(name, async () => {
      const out = pickle(build(c.value));
      expect(out.length).toBe(c.bytes);
      if (c.hex) expect(hex(out)).toBe(c.hex);
      if (c.sha256) expect(await sha256Hex(out)).toBe(c.sha256);
      // and reads its own output back
      const back = unpickle(out);
      expect(pickle(back, {})).toEqual(pickle(unpickle(pickle(back))));
    }, SLOW);
  }

  it('writes protocol 3 as CPython does', () => {
    // pickle.dumps({'a': [1, 'x', b'y', (1, 2)], 'b': 2.5, 'c': 'x'}, protocol=3)
    const out = pickle({ a: [1, 'x', Uint8Array.of(0x79), tuple(1, 2)], b: 2.5, c: 'x' }, { protocol: 3 });
    expect(hex(out)).toBe(
      '80037d71002858010000006171015d7102284b01580100000078710343017971044b014b0286710565580100000062710647400400000000000058010000006371076803752e',
    );
  });

  it('writes numpy 1.x module names on request', () => {
    const out = pickle(new NumpyArray('<f8', [1], Float64Array.of(1)), { numpyCore: 'numpy.core' });
    expect(new TextDecoder('latin1').decode(out)).toContain('numpy.core.multiarray');
    expect(unpickle(out)).toEqual(new NumpyArray('<f8', [1], Float64Array.of(1), false));
  });

  it('writes typed arrays as numpy arrays, Maps and Sets, shared and cyclic references', () => {
    const shared = { x: 1 };
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    const value = { f: Float32Array.of(1, 2), i: BigInt64Array.of(5n), m: new Map<unknown, unknown>([[1, 'one'], ['1', 'str']]), s: new Set([1, 'a']), a: shared, b: shared, c: cyclic, u: undefined };
    const back = unpickle(pickle(value)) as any;
    expect(back.f).toEqual(new NumpyArray('<f4', [2], Float32Array.of(1, 2), false));
    expect(back.i).toEqual(new NumpyArray('<i8', [1], BigInt64Array.of(5n), false));
    expect(back.m).toEqual(new Map<unknown, unknown>([[1, 'one'], ['1', 'str']]));
    expect(back.s).toEqual(new Set([1, 'a']));
    expect(back.a).toBe(back.b);
    expect(back.c[1]).toBe(back.c);
    expect('u' in back).toBe(false);
  });

  it('refuses values that are not plain data', () => {
    expectCode(() => pickle({ f: () => 1 }), 'INVALID_ARGUMENT', /function/);
    expectCode(() => pickle(new Date(0)), 'INVALID_ARGUMENT', /Date/);
    expectCode(() => pickle(Symbol('x')), 'INVALID_ARGUMENT', /symbol/);
    expectCode(() => pickle(new Set([1]), { protocol: 3 }), 'INVALID_ARGUMENT', /protocol 4/);
    expectCode(() => pickle(1, { protocol: 2 as never }), 'INVALID_ARGUMENT', /protocol/);
    expectCode(() => pickle(new NumpyArray('<f8', [3], Float64Array.of(1))), 'INVALID_ARGUMENT', /1 values for shape \[3\]/);
    const t = tuple<unknown>(1);
    t.push(t);
    expectCode(() => pickle(t), 'INVALID_ARGUMENT', /contains itself/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Reading other pickles

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cat = (...parts: (string | Uint8Array | number[])[]) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? latin1(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};
const short = (s: string) => cat([0x8c, s.length], s);

describe('unpickle reads every protocol', () => {
  it('reads protocol 0 and 2 pickles', () => {
    // pickle.dumps({'a': 1, 'b': [1.5, 'µ', None, True], 'c': (2,)}, protocol=0)
    const p0 = latin1("(dp0\nVa\np1\nI1\nsVb\np2\n(lp3\nF1.5\naV\xb5\np4\naNaI01\nasVc\np5\n(I2\ntp6\ns.");
    expect(unpickle(p0)).toEqual({ a: 1, b: [1.5, 'µ', null, true], c: [2] });
    // the same plus 'big': 2**70, protocol=2
    const p2 = unhex(
      '80027d71002858010000006171014b0158010000006271025d710328473ff80000000000005802000000c2b571044e886558010000006371054b02857106580300000062696771078a09000000000000000040752e',
    );
    expect(unpickle(p2)).toEqual({ a: 1, b: [1.5, 'µ', null, true], c: [2], big: 2n ** 70n });
    expect(unpickle(latin1("(lp0\nL12345678901234567890L\naS'a\\nb'\np1\na(dp2\ng1\nI3\nsa."))).toEqual([12345678901234567890n, 'a\nb', { 'a\nb': 3 }]);
  });

  it('reads numpy protocol 5 arrays (_frombuffer), numpy scalars, numpy 1.x names', () => {
    const dtypeF8 = cat(short('numpy'), [0x94], short('dtype'), [0x94, 0x93, 0x94], short('f8'), [0x94, 0x89, 0x88, 0x87, 0x94, 0x52, 0x94],
      '(K\x03', short('<'), [0x94], 'NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t', [0x94, 0x62]);
    const data = new Uint8Array(Float64Array.of(1, 2, 3, 4, 5, 6).buffer);
    // numpy.asfortranarray(np.arange(1., 7.).reshape(2, 3)) pickled with protocol 5: Fortran-order bytes
    const fortranData = new Uint8Array(Float64Array.of(1, 4, 2, 5, 3, 6).buffer);
    const p5 = cat([0x80, 0x05], short('numpy._core.numeric'), [0x94], short('_frombuffer'), [0x94, 0x93, 0x94, 0x28, 0x96],
      [48, 0, 0, 0, 0, 0, 0, 0], fortranData, [0x94], dtypeF8, 'K\x02K\x03', [0x86, 0x94], short('F'), [0x94, 0x74, 0x94, 0x52, 0x94, 0x2e]);
    expect(unpickle(p5)).toEqual(new NumpyArray('<f8', [2, 3], Float64Array.from(new Float64Array(data.buffer)), true));
    // numpy.float64(2.5) and numpy.int64(7) as numpy 1.x pickles them
    const scalar = (bytes: number[]) => cat([0x80, 0x04], short('numpy.core.multiarray'), [0x94], short('scalar'), [0x94, 0x93, 0x94], dtypeF8, [0x43, 8], bytes, [0x86, 0x94, 0x52, 0x94, 0x2e]);
    expect(unpickle(scalar(Array.from(new Uint8Array(Float64Array.of(2.5).buffer))))).toBe(2.5);
    const dtypeI8 = cat(short('numpy'), [0x94], short('dtype'), [0x94, 0x93, 0x94], short('i8'), [0x94, 0x89, 0x88, 0x87, 0x94, 0x52, 0x94],
      '(K\x03', short('>'), [0x94], 'NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t', [0x94, 0x62]);
    const bigEndianScalar = cat([0x80, 0x04], short('numpy._core.multiarray'), [0x94], short('scalar'), [0x94, 0x93, 0x94], dtypeI8, [0x43, 8], [0, 0, 0, 0, 0, 0, 0, 7], [0x86, 0x94, 0x52, 0x94, 0x2e]);
    expect(unpickle(bigEndianScalar)).toBe(7);
  });

  it('builds dicts safely: Maps for non-string or reordering keys, no prototype pollution', () => {
    expect(unpickle(pickle(new Map<unknown, unknown>([['b', 1], ['10', 2]])))).toEqual(new Map<unknown, unknown>([['b', 1], ['10', 2]]));
    expect(unpickle(pickle(new Map<unknown, unknown>([['10', 2], ['b', 1]])))).toEqual({ 10: 2, b: 1 });
    const evil = unpickle(pickle(new Map([['__proto__', { polluted: true }]]))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(evil)).toBe(Object.prototype);
    expect(Object.keys(evil)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Python's 1 == 1.0 == True: one key, first key kept, last value wins
    const dup = cat([0x80, 0x04, 0x7d, 0x28], 'K\x01', short('a'), [0x88], short('b'), 'G?\xf0\x00\x00\x00\x00\x00\x00', short('c'), [0x75, 0x2e]);
    expect(unpickle(dup)).toEqual(new Map([[1, 'c']]));
  });
});

// ---------------------------------------------------------------------------------------------------
// Hostile and damaged pickles

describe('the restricted unpickler refuses foreign globals and runs nothing', () => {
  const sentinel = globalThis as { __spikewirePwned?: boolean };

  const hostile: [string, Uint8Array, RegExp][] = [
    ['os.system via GLOBAL (protocol 0)', latin1("cos\nsystem\n(S'touch /tmp/pwned'\ntR."), /os\.system/],
    ['posix.system via GLOBAL (protocol 2)', latin1("\x80\x02cposix\nsystem\nq\x00X\x0b\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."), /posix\.system/],
    ['builtins.eval via STACK_GLOBAL (protocol 4)', cat([0x80, 0x04], short('builtins'), [0x94], short('eval'), [0x94, 0x93, 0x94], short('1+1'), [0x85, 0x52, 0x2e]), /builtins\.eval/],
    ['builtins.exec', cat([0x80, 0x04], short('builtins'), short('exec'), [0x93], short('x=1'), [0x85, 0x52, 0x2e]), /builtins\.exec/],
    ['subprocess.Popen via INST', latin1("(S'ls'\nisubprocess\nPopen\n."), /subprocess\.Popen/],
    ['a global that is only referenced', latin1('cbuiltins\ngetattr\n.'), /builtins\.getattr/],
    ['copyreg._reconstructor', latin1('ccopyreg\n_reconstructor\n.'), /copyreg\._reconstructor/],
    ['a numpy global that is not allowed', cat([0x80, 0x04], short('numpy.lib.format'), short('read_array'), [0x93, 0x2e]), /numpy\.lib\.format\.read_array/],
    ['numpy.load', cat([0x80, 0x04], short('numpy'), short('load'), [0x93, 0x2e]), /numpy\.load/],
  ];
  for (const [name, bytes, pattern] of hostile) {
    it(`refuses ${name} with UNSUPPORTED naming it`, () => {
      sentinel.__spikewirePwned = false;
      const err = expectCode(() => unpickle(bytes), 'UNSUPPORTED', pattern);
      expect(err.message).toMatch(/nothing was executed/);
      expect(err.message).toMatch(/at byte \d+/);
      expect(sentinel.__spikewirePwned).toBe(false);
    });
  }

  it('refuses a foreign global hidden inside a real SpikeInterface dump', async () => {
    const bytes = (await readFixtureBytes('recordings/int16_gain_offset/source.dump.pkl')).slice();
    const needle = hex(short('numpy._core.multiarray'));
    const at = hex(bytes).indexOf(needle) / 2;
    bytes.set(short('subprocess.xxxxxxxxxxx'), at); // same length: the pickle stays well formed
    expectCode(() => unpickle(bytes), 'UNSUPPORTED', /subprocess\.x+\._reconstruct/);
  });

  it('lists the globals it accepts', () => {
    expect(PICKLE_GLOBALS).toContain('numpy._core.multiarray._reconstruct');
    expect(PICKLE_GLOBALS).toContain('numpy.core.multiarray._reconstruct');
    expect(PICKLE_GLOBALS).toContain('numpy.ndarray');
    expect(PICKLE_GLOBALS).toContain('numpy.dtype');
    expect(PICKLE_GLOBALS.every((g) => g.startsWith('numpy.'))).toBe(true);
  });

  it('refuses persistent ids, the extension registry and out-of-band buffers', () => {
    expectCode(() => unpickle(latin1('\x80\x04K\x01Q.')), 'UNSUPPORTED', /persistent ids/);
    expectCode(() => unpickle(latin1('\x80\x04\x82\x01.')), 'UNSUPPORTED', /extension registry/);
    expectCode(() => unpickle(latin1('\x80\x05\x97.')), 'UNSUPPORTED', /out-of-band/);
    expectCode(() => unpickle(latin1('\x80\x06N.')), 'UNSUPPORTED', /protocol 6/);
  });

  it('calls allowed globals only the way numpy pickles do', () => {
    const dtype = cat([0x80, 0x04], short('numpy'), short('dtype'), [0x93]);
    expectCode(() => unpickle(cat(dtype, 'K\x01', [0x85, 0x52, 0x2e])), 'FORMAT', /numpy\.dtype of 1/);
    expectCode(() => unpickle(cat(short('a'), 'K\x01', [0x85, 0x52, 0x2e])), 'FORMAT', /calling a "a"/);
    expectCode(() => unpickle(cat([0x7d], 'K\x01', [0x62, 0x2e])), 'FORMAT', /BUILD on a dict/);
  });
});

describe('damaged pickles are FORMAT errors', () => {
  it('every truncation of a real dump', async () => {
    const bytes = await readFixtureBytes('recordings/properties_annotations_zoo/source.dump.pkl');
    for (let n = 0; n < bytes.length; n++) {
      expectCode(() => unpickle(bytes.subarray(0, n)), 'FORMAT', /truncated|corrupt/);
    }
    // bytes after STOP are ignored, as Python's pickle.loads ignores them
    expect(unpickle(cat(bytes, 'garbage'))).toEqual(unpickle(bytes));
  }, SLOW);

  it('names the problem', () => {
    expectCode(() => unpickle(latin1('\x80\x04\xff.')), 'FORMAT', /unknown opcode 0xff at byte 2/);
    expectCode(() => unpickle(latin1('\x80\x04t.')), 'FORMAT', /no MARK/);
    expectCode(() => unpickle(latin1('\x80\x04h\x05.')), 'FORMAT', /memo entry 5/);
    expectCode(() => unpickle(latin1('\x80\x04}K\x01a.')), 'FORMAT', /appending to a dict/);
    expectCode(() => unpickle(latin1('\x80\x04.')), 'FORMAT', /STOP with an empty stack/);
    expectCode(() => unpickle(latin1('\x80\x04(\x85.')), 'FORMAT', /stack underflow/);
    expectCode(() => unpickle(latin1('\x80\x04\x8c\x02\xff\xfe.')), 'FORMAT', /UTF-8/);
    expectCode(() => unpickle(latin1('\x80\x04\x95\xff\xff\xff\xff\xff\xff\x00\x00N.')), 'FORMAT', /truncated/);
    expectCode(() => unpickle(latin1('\x80\x04B\xff\xff\xff\x7fabc.')), 'FORMAT', /truncated.*needs 2147483647 more bytes/);
    expectCode(() => unpickle(latin1('\x80\x04]\x94}(h\x00K\x01u.')), 'FORMAT', /unhashable/);
    expectCode(() => unpickle('nope' as never), 'INVALID_ARGUMENT', /Uint8Array/);
  });

  it('random garbage never escapes as anything but a SpikewireError', () => {
    const next = rng(12345);
    const real = latin1('\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94K\x01u.');
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = trial % 2 ? Uint8Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 256)) : real.slice();
      if (trial % 2 === 0) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      try {
        unpickle(bytes);
      } catch (error) {
        expect((error as Error).name).toBe('SpikewireError');
        expect(['FORMAT', 'UNSUPPORTED']).toContain((error as { code: string }).code);
      }
    }
  }, SLOW);
});
