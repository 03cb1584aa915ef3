// Python keeps `12` (int) and `12.0` (float) apart and writes them back as it read them; JavaScript
// numbers cannot. ProbeInterface files carry such floats in free-form places (annotations like
// `"ap_sample_frequency_hz": 30000.0`, shape params like `{"width": 12.0}`), so a byte-identical
// round trip needs to remember, per container and key, which integral numbers were floats.
//
// The memory lives in a WeakMap beside the values, not in them: the model's annotations stay plain
// objects with plain numbers (deep-equal to JSON.parse output), and a value that the user replaces
// simply loses its mark. Copies made with cloneJson keep the marks.
import { PyFloat } from '../python/pyjson.js';
import { SpikewireError } from '../errors.js';
import { MAX_JSON_NESTING } from './limits.js';

/** Per container: the keys (or array indices) whose numbers are Python floats, or `true` for all. */
const floatKeys = new WeakMap<object, Set<string | number> | true>();

/**
 * Containers built by {@link parseJsonKeepingFloats}: for those, an unmarked integral number is known
 * to have been written as a Python int. Elsewhere (JSON.parse output, hand-made dicts) it is unknown.
 */
const fromText = new WeakSet<object>();

/** Whether `container` came from {@link parseJsonKeepingFloats} (so its int / float marks are complete). */
export function isParsedText(container: unknown): boolean {
  return container !== null && typeof container === 'object' && fromText.has(container);
}

/** Remembers that `container[key]` holds a Python float. */
export function markFloat(container: object, key: string | number): void {
  const marks = floatKeys.get(container);
  if (marks === true) return;
  if (marks) marks.add(key);
  else floatKeys.set(container, new Set([key]));
}

/** Remembers that every number directly inside `container` is a Python float (a numpy float array row). */
export function markAllFloat(container: object): void {
  floatKeys.set(container, true);
}

/** Whether `container[key]` was marked as a Python float. */
export function isMarkedFloat(container: object, key: string | number): boolean {
  const marks = floatKeys.get(container);
  return marks === true || (marks !== undefined && marks.has(key));
}

/** Whether a value counts as a Python float where it sits: a non-integer, a non-finite number, or marked. */
export function isPyFloat(container: object, key: string | number, value: unknown): boolean {
  if (typeof value !== 'number') return false;
  return !Number.isInteger(value) || isMarkedFloat(container, key);
}

/** Whether anything inside `value` (recursively) is a Python float. */
export function containsFloat(value: unknown): boolean {
  if (value instanceof Float32Array || value instanceof Float64Array) return value.length > 0;
  if (Array.isArray(value)) return value.some((v, i) => isPyFloat(value, i, v) || containsFloat(v));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.entries(value).some(([k, v]) => isPyFloat(value, k, v) || containsFloat(v));
  }
  return false;
}

/** Marks every number found anywhere inside `value` as a float (numpy's promotion of a whole array). */
export function markAllNumbersFloat(value: unknown): void {
  if (Array.isArray(value)) {
    if (value.some((v) => typeof v === 'number')) markAllFloat(value);
    for (const v of value) markAllNumbersFloat(v);
  } else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'number') markFloat(value, k);
      else markAllNumbersFloat(v);
    }
  }
}

/**
 * Stores `value` under `key` as an own, enumerable property. A plain assignment with the key
 * '__proto__' would replace the object's prototype instead; in Python's dicts (and JSON.parse) that
 * key is ordinary data, and so it stays here.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A deep copy of a JSON-like value that keeps the float marks. Typed arrays are copied as typed
 * arrays; anything that is not plain data (functions, class instances) is kept by reference. Data
 * nested deeper than MAX_JSON_NESTING levels, or that contains itself, is an `INVALID_ARGUMENT` error.
 */
export function cloneJson<T>(value: T, depth = 0): T {
  if (depth > MAX_JSON_NESTING && value !== null && typeof value === 'object') {
    throw new SpikewireError('INVALID_ARGUMENT', `data nested more than ${MAX_JSON_NESTING} levels deep (or containing itself) cannot be copied as JSON`);
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => cloneJson(v, depth + 1));
    copyMarks(value, out);
    return out as T;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return (value as unknown as { slice(): T }).slice();
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, cloneJson(v, depth + 1));
    copyMarks(value, out);
    return out as T;
  }
  return value;
}

function copyMarks(from: object, to: object): void {
  const marks = floatKeys.get(from);
  if (marks !== undefined) floatKeys.set(to, marks === true ? true : new Set(marks));
}

/**
 * A copy of `value` ready for `stringifyPythonJson`: numbers that are Python floats become
 * {@link PyFloat}, so `12.0` is written back as `12.0`, not `12`.
 */
export function withPyFloats(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => (typeof v === 'number' && isMarkedFloat(value, i) ? new PyFloat(v) : withPyFloats(v)));
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      setOwn(out, k, typeof v === 'number' && isMarkedFloat(value, k) ? new PyFloat(v) : withPyFloats(v));
    }
    return out;
  }
  return value;
}

/**
 * Parses JSON text as Python's `json.load` does, remembering which numbers were floats (written with
 * a fraction or an exponent, or Python's bare `NaN` / `Infinity` / `-Infinity`). Malformed text is a
 * `FORMAT` error naming `source` and the offset.
 */
export function parseJsonKeepingFloats(text: string, source = 'JSON text'): unknown {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new SpikewireError('FORMAT', `${source} is not valid JSON: ${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  let depth = 0;
  // Returns [value, isFloat].
  const value = (): [unknown, boolean] => {
    ws();
    if (i >= n) fail('unexpected end');
    const ch = text[i]!;
    if ((ch === '{' || ch === '[') && depth >= MAX_JSON_NESTING) fail(`arrays and objects nested deeper than ${MAX_JSON_NESTING} levels`);
    if (ch === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      fromText.add(obj);
      ws();
      if (text[i] === '}') {
        i++;
        return [obj, false];
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = string();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        depth++;
        const [v, isFloat] = value();
        depth--;
        // Python's dict keeps the last of duplicate keys, as JSON.parse does.
        setOwn(obj, key, v);
        if (isFloat) markFloat(obj, key);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return [obj, false];
        }
        fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const arr: unknown[] = [];
      fromText.add(arr);
      ws();
      if (text[i] === ']') {
        i++;
        return [arr, false];
      }
      for (;;) {
        depth++;
        const [v, isFloat] = value();
        depth--;
        if (isFloat) markFloat(arr, arr.length);
        arr.push(v);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return [arr, false];
        }
        fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return [string(), false];
    if (text.startsWith('true', i)) {
      i += 4;
      return [true, false];
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return [false, false];
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return [null, false];
    }
    if (text.startsWith('NaN', i)) {
      i += 3;
      return [NaN, true];
    }
    if (text.startsWith('Infinity', i)) {
      i += 8;
      return [Infinity, true];
    }
    if (text.startsWith('-Infinity', i)) {
      i += 9;
      return [-Infinity, true];
    }
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const found = m.exec(text);
    if (!found) fail(`unexpected character ${JSON.stringify(ch)}`);
    i = m.lastIndex;
    return [Number(found![0]), found![1] !== undefined || found![2] !== undefined];
  };
  const string = (): string => {
    // Find the closing quote, then let JSON.parse decode the escapes (exactly JSON's rules).
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) i += 2;
      else i++;
    }
    if (i >= n) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('bad string');
    }
  };
  const [result] = value();
  ws();
  if (i < n) fail('unexpected text after the value');
  return result;
}
