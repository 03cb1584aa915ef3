// Arbitraries that damage real files: byte-level mutations of a fixture's bytes (flips, cuts,
// inserted and overwritten runs, optionally aimed at the byte ranges that matter, such as a zip's
// directory) and structural mutations of a fixture's JSON value (keys dropped, replaced, retyped;
// deep nesting, huge numbers, long strings, '__proto__' and 'constructor' keys). Shrinking keeps the
// fixture and shrinks the damage, so a failure names the smallest change that breaks the code.
import fc from 'fast-check';

/** A byte range [start, end) to aim mutations at. */
export type Range = readonly [start: number, end: number];

type ByteEdit =
  | { op: 'flip'; at: number; mask: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'overwrite'; at: number; bytes: number[] };

/** Opcodes and values that parsers give meaning to: aimed insertions reach deeper than noise. */
const MEANINGFUL = [0x00, 0x01, 0x0a, 0x28, 0x2e, 0x5d, 0x61, 0x7d, 0x80, 0x85, 0x8c, 0x8d, 0x8e, 0x93, 0x94, 0x95, 0xff];

function edit(size: number, hot: readonly Range[]): fc.Arbitrary<ByteEdit> {
  const anywhere = fc.integer({ min: 0, max: Math.max(0, size - 1) });
  const position = hot.length === 0 ? anywhere : fc.oneof(anywhere, ...hot.map(([s, e]) => fc.integer({ min: s, max: Math.max(s, e - 1) })));
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...MEANINGFUL));
  return fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ op: fc.constant('cut' as const), at: position }),
    fc.record({ op: fc.constant('insert' as const), at: position, bytes: fc.array(byte, { minLength: 1, maxLength: 12 }) }),
    fc.record({ op: fc.constant('overwrite' as const), at: position, bytes: fc.array(byte, { minLength: 1, maxLength: 8 }) }),
  );
}

function apply(base: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let out = base.slice();
  for (const e of edits) {
    const at = Math.min(e.at, out.length);
    if (e.op === 'flip') {
      if (at < out.length) out[at] ^= e.mask;
    } else if (e.op === 'cut') out = out.slice(0, at);
    else if (e.op === 'insert') out = Uint8Array.from([...out.subarray(0, at), ...e.bytes, ...out.subarray(at)]);
    else for (let i = 0; i < e.bytes.length && at + i < out.length; i++) out[at + i] = e.bytes[i];
  }
  return out;
}

/** `base` with 1–`maxEdits` byte edits, half of them aimed into `hot` ranges when given. */
export function mutatedBytes(base: Uint8Array, hot: readonly Range[] = [], maxEdits = 4): fc.Arbitrary<Uint8Array> {
  return fc.array(edit(base.length, hot), { minLength: 1, maxLength: maxEdits }).map((edits) => apply(base, edits));
}

// ---------------------------------------------------------------------------------------------------
// JSON values

type Path = (string | number)[];

// Edits aim at the first levels only: an earlier edit may have put 5,000 levels there.
const MAX_EDIT_DEPTH = 40;

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length >= MAX_EDIT_DEPTH) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

/** Sets an own property, even '__proto__' (plain assignment would change the prototype instead). */
function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

/** Values that size computations or probe lookups: what a hostile dict puts where a value goes. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null, 0, -1, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, -1e308, Number.MAX_SAFE_INTEGER, '', '__proto__', 'constructor',
    'toString', '../../..', '/etc', '<i2', '>f8', '|u1', 'int16', true, [], {}, [null], [[]], ['a', 1],
  ),
  fc.integer({ min: 1, max: 3 }).map((n) => 'x'.repeat(10 ** (n + 2))),
  fc.constantFrom(50, 1100, 2000).map(nested),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
  fc.jsonValue({ maxDepth: 3 }),
);

type JsonEdit = { at: number; op: 'drop' | 'replace' | 'retype' | 'addKey'; value: unknown; key: string };

function applyJson(base: unknown, edits: readonly JsonEdit[]): unknown {
  let root: unknown = JSON.parse(JSON.stringify(base));
  for (const e of edits) {
    const all = paths(root);
    const path = all[e.at % all.length];
    if (path.length === 0) {
      if (e.op === 'replace') root = e.value;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const key = path[path.length - 1];
    const current = parent[key];
    if (e.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (e.op === 'replace') setOwn(parent, key, e.value);
    else if (e.op === 'retype') {
      setOwn(parent, key, Array.isArray(current) ? Object.fromEntries(current.map((v, i) => [i, v])) : typeof current === 'object' && current !== null
        ? Object.values(current) : typeof current === 'string' ? [current] : String(current));
    } else if (current && typeof current === 'object' && !Array.isArray(current)) setOwn(current as Record<string, unknown>, e.key, e.value);
  }
  return root;
}

/** `base` (a JSON value) with 1–`maxEdits` structural edits. */
export function mutatedJson(base: unknown, maxEdits = 3): fc.Arbitrary<unknown> {
  const op = fc.constantFrom('drop', 'replace', 'replace', 'retype', 'addKey') as fc.Arbitrary<JsonEdit['op']>;
  const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'class', 'kwargs', 'properties', 'relative_paths'), fc.string({ maxLength: 8 }));
  const one = fc.record({ at: fc.nat(), op, value: hostileValue, key });
  return fc.array(one, { minLength: 1, maxLength: maxEdits }).map((edits) => applyJson(base, edits));
}

/** One JSON or .npy file of a folder (path → bytes) mutated: JSON structurally, .npy bytes aimed at the header. */
export function mutatedFolderFile(files: ReadonlyMap<string, Uint8Array>): fc.Arbitrary<{ name: string; bytes: Uint8Array }> {
  const names = [...files.keys()].filter((n) => n.endsWith('.json') || n.endsWith('.npy'));
  return fc.constantFrom(...names).chain((name) => {
    const bytes = files.get(name)!;
    const mutated = name.endsWith('.json')
      ? mutatedJson(JSON.parse(new TextDecoder().decode(bytes))).map((d) => new TextEncoder().encode(JSON.stringify(d)))
      : mutatedBytes(bytes, [[0, 128]], 2);
    return mutated.map((b) => ({ name, bytes: b }));
  });
}
