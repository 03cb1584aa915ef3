// Python's spelling of floats and json.dumps(indent=4) text; expected strings are what CPython 3.11
// prints for the same values (the Python expression is given next to each).
import { describe, expect, it } from 'vitest';
import { floatRepr, parsePythonJson, pyFloat, stringifyPythonJson } from '../../src/python/pyjson.js';
import { readFixtureText } from '../helpers/fixtures.js';

describe('floatRepr', () => {
  it('writes floats as repr(float) does', () => {
    expect(floatRepr(1)).toBe('1.0'); // repr(1.0)
    expect(floatRepr(0.195)).toBe('0.195'); // repr(0.195)
    expect(floatRepr(1e-5)).toBe('1e-05'); // repr(1e-05)
    expect(floatRepr(1e16)).toBe('1e+16'); // repr(1e16)
    expect(floatRepr(123456789012345.6)).toBe('123456789012345.6'); // repr(123456789012345.6)
    expect(floatRepr(-0)).toBe('-0.0'); // repr(-0.0)
  });
});

describe('stringifyPythonJson', () => {
  it('writes json.dumps(indent=4) text', () => {
    // json.dumps({"a": 1.0, "b": [1, 2.5], "c": "µ", "d": float("nan"), "e": [], "f": {}, "g": None, "h": True}, indent=4)
    const want = '{\n    "a": 1.0,\n    "b": [\n        1,\n        2.5\n    ],\n    "c": "\\u00b5",\n    "d": NaN,\n    "e": [],\n    "f": {},\n    "g": null,\n    "h": true\n}';
    expect(stringifyPythonJson({ a: pyFloat(1), b: [1, 2.5], c: 'µ', d: NaN, e: [], f: {}, g: null, h: true })).toBe(want);
    // json.dumps([0.0, 80.0], indent=4): float arrays stay floats
    expect(stringifyPythonJson(Float64Array.from([0, 80]))).toBe('[\n    0.0,\n    80.0\n]');
  });

  it('reads back fixture JSON with bare NaN and rewrites a dump byte for byte', async () => {
    const text = await readFixtureText('recordings/float32_string_ids/frame_slice.dump.json');
    // every number in this dump is an integer in Python too (frames), so plain parsing round-trips
    expect(stringifyPythonJson(parsePythonJson(text))).toBe(text);
    expect(parsePythonJson('{"x": [NaN, -Infinity, "NaN"]}')).toEqual({ x: [NaN, -Infinity, 'NaN'] });
    expect(() => parsePythonJson('{"x": ', 'a.json')).toThrow(/a\.json is not valid JSON/);
  });
});
