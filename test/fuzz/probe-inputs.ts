// Arbitraries for the probe fuzz suite: text edits of real .prb / JSON files, Python literals as a
// .prb file may hold them (every number notation, strings, tuples, ranges with huge bounds, deep
// nesting), and structural damage to a ProbeInterface JSON value (keys dropped or retyped, arrays cut
// or grown, NaN / Infinity and '__proto__' where the format has numbers and keys).
import fc from 'fast-check';

/** Python source tokens that a .prb reader gives meaning to: inserted, they reach past the tokenizer. */
const PY_TOKENS = [
  '[', ']', '(', ')', '{', '}', ',', ':', '=', '\n', '\\\n', '#', "'", '"', '-', '+', '*', '/', '**', ';',
  'range(', 'list(', 'tuple(', 'dict()', 'None', 'True', '1e400', '0x', '0b2', '1_', '_1', '.', 'j',
  'range(10**12)', 'range(1000000000000)', 'range(-1, 1e9)', '__import__("os")', 'channel_groups = ', 'geometry', 'channels',
  '[' .repeat(300), '-'.repeat(300), "'é€😀'", '\u0000', '\u2028',
];

/** Tokens for JSON text: numbers Python's json writes and reads, and broken structure. */
const JSON_TOKENS = ['NaN', 'Infinity', '-Infinity', '1e400', '-0', '[', ']', '{', '}', ',', ':', '"', '\\', 'null', '"__proto__"', '[]', '{}', '9'.repeat(400)];

type TextEdit = { op: 'insert'; at: number; token: string } | { op: 'delete'; at: number; length: number } | { op: 'repeat'; at: number; length: number; times: number };

function textEdit(tokens: readonly string[]): fc.Arbitrary<TextEdit> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant('insert' as const), at, token: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 6, unit: 'binary' })) }),
    fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 50 }) }),
  );
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    if (e.op === 'insert') out = out.slice(0, at) + e.token + out.slice(at);
    else if (e.op === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else out = out.slice(0, at) + out.slice(at, at + e.length).repeat(e.times) + out.slice(at + e.length);
  }
  return out;
}

/** One of `texts` with 1 to 6 edits (insertions of meaningful tokens - of Python, JSON or the given list -, cuts, repeated runs). */
export function editedText(texts: readonly string[], kind: 'python' | 'json' | readonly string[]): fc.Arbitrary<string> {
  const tokens = typeof kind !== 'string' ? kind : kind === 'python' ? PY_TOKENS : JSON_TOKENS;
  return fc.tuple(fc.constantFrom(...texts), fc.array(textEdit(tokens), { minLength: 1, maxLength: 6 })).map(([text, edits]) => applyEdits(text, edits));
}

/** A Python integer in one of its notations (decimal, 0x, 0o, 0b, `_` separators, signs, huge). */
const pyInt: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 400 }).map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.nat().map((n) => `0x${n.toString(16)}`),
  fc.nat().map((n) => `0o${n.toString(8)}`),
  fc.nat(255).map((n) => `0b${n.toString(2)}`),
  fc.nat().map((n) => String(n).replace(/(\d)(?=(\d{3})+$)/g, '$1_')),
);

/** A Python float in its notations: fractions, exponents, `.5`, `5.`, overflow to inf. */
const pyFloat: fc.Arbitrary<string> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v).replace('Infinity', '1e400')),
  fc.constantFrom('.5', '5.', '1e3', '1E-3', '1_0.2_5', '1e400', '-1e400', '0.0', '-0.0'),
);

/** A Python string literal, any quote, unicode and escapes included. */
const pyString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("'", '"'), fc.string({ maxLength: 12, unit: 'grapheme' }))
  .map(([q, s]) => q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n') + q);

/** range() and list() calls with small or huge bounds (a .prb file's usual way to list channels). */
const pyCall: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('range', 'list(range', 'tuple(range'), fc.array(pyInt, { minLength: 0, maxLength: 4 }))
  .map(([name, args]) => (name === 'range' ? `range(${args.join(', ')})` : `${name}(${args.join(', ')}))`));

/** Python literals as a .prb file holds them: numbers, strings, names, calls, lists, tuples, dicts, nested. */
export const pyLiteral: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    pyInt,
    pyFloat,
    pyString,
    fc.constantFrom('True', 'False', 'None', 'geom', 'undefined_name', 'np.array([1])'),
    pyCall,
    fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(', ')}]`),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => (items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    fc.tuple(tie('value'), fc.constantFrom('+', '-', '*', '/'), tie('value')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.integer({ min: 1, max: 400 }), tie('value')).map(([n, v]) => `${'['.repeat(n)}${v}${']'.repeat(n)}`),
  ),
})).value;

/** A whole .prb text built from literals: a channel group whose parts are random, or random assignments. */
export const prbFromLiterals: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(pyLiteral, pyLiteral).map(([channels, geometry]) => `channel_groups = {0: {'channels': ${channels}, 'geometry': ${geometry}}}\n`),
  fc
    .tuple(pyLiteral, fc.array(fc.nat(40), { minLength: 1, maxLength: 6 }))
    .map(([geom, chans]) => `geom = ${geom}\nchannel_groups = {1: {'channels': [${chans.join(', ')}], 'geometry': geom}}\n`),
  // Well-formed groups (channels with a position each), numbers in every notation: mostly valid.
  fc
    .tuple(fc.array(fc.tuple(pyInt, pyFloat, pyFloat), { minLength: 1, maxLength: 8 }), fc.boolean())
    .map(([rows, asList]) => {
      const chans = [...new Set(rows.map(([c]) => c))];
      const geometry = rows.map(([c, x, y]) => (asList ? `${c}: [${x}, ${y}]` : `${c}: (${x}, ${y})`)).join(', ');
      return `channel_groups = {0: {'channels': [${chans.join(', ')}], 'geometry': {${geometry}}}}\n`;
    }),
  fc.array(fc.tuple(fc.constantFrom('a', 'b', 'channel_groups', 'CHANNEL_GROUPS', 'radius'), pyLiteral), { minLength: 1, maxLength: 4 }).map((stmts) => stmts.map(([n, v]) => `${n} = ${v}`).join('\n')),
);

/** A JSON value that does not belong where it lands. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, '', 'circle', -1, 0, 2.5, 1e308, [], {}, [[]], [null], { radius: -1 }, ['front', 'side'], 'NaN'),
  fc.jsonValue({ maxDepth: 3 }),
);

type JsonEdit = { path: number[]; op: 'drop' | 'retype' | 'cut' | 'grow' | 'nan' | 'proto'; value: unknown; size: number };

/** Walks to a container inside `root` by child indices (each taken modulo the container's size). */
function containerAt(root: unknown, path: readonly number[]): { parent: Record<string, unknown> | unknown[]; key: string | number } | null {
  let parent: unknown = null;
  let key: string | number = '';
  let node: unknown = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') break;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[step % keys.length]!;
    node = (node as Record<string | number, unknown>)[key];
  }
  return parent === null ? null : { parent: parent as Record<string, unknown>, key };
}

function applyJsonEdit(root: unknown, e: JsonEdit): void {
  const at = containerAt(root, e.path);
  if (at === null) return;
  const { parent, key } = at;
  const target = (parent as Record<string | number, unknown>)[key];
  if (e.op === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (e.op === 'retype') (parent as Record<string | number, unknown>)[key] = e.value;
  else if (e.op === 'cut' && Array.isArray(target)) target.length = Math.min(target.length, e.size % (target.length + 1));
  else if (e.op === 'grow' && Array.isArray(target)) {
    // Grown by repeating its own items, so the array stays plausible but its length is off.
    const copy = target.slice();
    for (let i = 0; i < e.size && copy.length > 0; i++) target.push(copy[i % copy.length]);
  } else if (e.op === 'nan') (parent as Record<string | number, unknown>)[key] = NAN_MARK;
  else if (e.op === 'proto' && !Array.isArray(parent)) {
    Object.defineProperty(parent, '__proto__', { value: e.value, enumerable: true, writable: true, configurable: true });
  }
}

/** Stands for a bare NaN / Infinity in the text (JSON.stringify cannot write them). */
const NAN_MARK = '\u0000nan\u0000';

/** JSON text of one of `texts` after 1 to 5 structural edits, NaN / Infinity written as Python's json does. */
export function damagedJson(texts: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    op: fc.constantFrom('drop', 'retype', 'cut', 'grow', 'nan', 'proto') as fc.Arbitrary<JsonEdit['op']>,
    value: wrongValue,
    size: fc.oneof(fc.nat(10), fc.constant(300)),
  });
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 5 }), fc.constantFrom('NaN', 'Infinity', '-Infinity'))
    .map(([text, edits, nan]) => {
      const value = JSON.parse(text) as unknown;
      for (const e of edits) applyJsonEdit(value, e);
      return JSON.stringify(value).split(JSON.stringify(NAN_MARK)).join(nan);
    });
}

/** Memory sizes and durations: SpikeInterface's forms, near misses and noise. */
export const sizeText: fc.Arbitrary<string> = fc.oneof(
  // SpikeInterface's own forms: a number and a suffix
  fc
    .tuple(fc.oneof(fc.nat(100_000).map(String), fc.double({ min: 1e-3, max: 1e6, noNaN: true }).map(String)), fc.constantFrom('k', 'M', 'G', 'Ki', 'Mi', 'Gi', 's', 'ms', ''))
    .map(([n, unit]) => n + unit),
  fc
    .tuple(
      fc.constantFrom('', ' ', '+', '-'),
      fc.oneof(pyInt, pyFloat, fc.constantFrom('inf', 'nan', '1'.repeat(2000), '', '.')),
      fc.constantFrom('', ' '),
      fc.constantFrom('', 'k', 'K', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'KiB', 'MiB', 'MB', 'B', 'ki', 's', 'ms', 'S', 'MS', 'h', 'min'),
      fc.constantFrom('', ' ', 'B', '\n'),
    )
    .map((parts) => parts.join('')),
  fc.string({ maxLength: 12 }),
);
