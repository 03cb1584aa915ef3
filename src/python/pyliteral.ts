// The small piece of Python literal syntax that .npy headers use: numpy writes the header with
// repr() and reads it with ast.literal_eval, so reading and writing it exactly needs both halves.
import { SpikewireError } from '../errors.js';
import { markTuple } from './tuple.js';

/** A Python value a .npy header may hold; tuples are arrays marked as tuples (python/tuple.ts: a .npy shape must be one). */
export type PyLiteral = string | number | bigint | boolean | null | PyLiteral[] | Map<PyLiteral, PyLiteral>;

/**
 * Parses a Python literal (dict, tuple, list, str, int, float, True/False/None) as ast.literal_eval
 * would, for .npy headers. Malformed text is a `FORMAT` error that names `what` and the position.
 */
export function parsePyLiteral(text: string, what: string): PyLiteral {
  let i = 0;
  const fail = (why: string): never => {
    throw new SpikewireError('FORMAT', `${what} is not a valid Python literal: ${why} at character ${i} of ${JSON.stringify(text.slice(0, 200))}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (depth: number): PyLiteral => {
    if (depth > 64) fail('nesting is too deep');
    ws();
    const c = text[i];
    if (c === undefined) return fail('unexpected end');
    if (c === '{') {
      i++;
      const map = new Map<PyLiteral, PyLiteral>();
      ws();
      while (text[i] !== '}') {
        const k = value(depth + 1);
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        map.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== '}') fail("expected ',' or '}'");
      }
      i++;
      return map;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyLiteral[] = [];
      let comma = false;
      ws();
      while (text[i] !== close) {
        items.push(value(depth + 1));
        ws();
        comma = false;
        if (text[i] === ',') {
          i++;
          comma = true;
          ws();
        } else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
      i++;
      if (c === '[') return items;
      // (x) is just x in parentheses; (x,) and () are tuples.
      return items.length === 1 && !comma ? items[0] : markTuple(items);
    }
    if (c === "'" || c === '"' || ((c === 'u' || c === 'U') && (text[i + 1] === "'" || text[i + 1] === '"'))) {
      if (c === 'u' || c === 'U') i++;
      return str();
    }
    const word = /^(True|False|None)\b/.exec(text.slice(i, i + 6));
    if (word) {
      i += word[1].length;
      return word[1] === 'True' ? true : word[1] === 'False' ? false : null;
    }
    // Python 2 era headers wrote longs with an 'L' suffix (numpy's _filter_header drops it).
    const num = /^[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)[lL]?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      const t = num[0].replace(/[lL]$/, '');
      if (/^[-+]?\d+$/.test(t)) {
        const n = Number(t);
        return Number.isSafeInteger(n) ? n : BigInt(t);
      }
      return Number(t);
    }
    return fail(`unexpected ${JSON.stringify(c)}`);
  };
  const str = (): string => {
    const quote = text[i++];
    let out = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const hex = (n: number) => {
        const h = text.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) fail('bad escape');
        i += n;
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff) fail('bad code point');
        return String.fromCodePoint(cp);
      };
      switch (e) {
        case '\\': out += '\\'; break;
        case "'": out += "'"; break;
        case '"': out += '"'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'a': out += '\x07'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '0': out += '\0'; break;
        case '\n': break;
        case 'x': out += hex(2); break;
        case 'u': out += hex(4); break;
        case 'U': out += hex(8); break;
        default: fail(`unknown escape \\${e}`);
      }
    }
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail('trailing text');
  return result;
}

// Python's str.isprintable() is False for categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (bar ASCII space).
// The JS engine's Unicode tables may be a version ahead of Python 3.11's (14.0): only characters
// assigned since then can differ.
const NON_PRINTABLE = /^[\p{C}\p{Z}]$/u;

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`, Python's escapes (non-printable characters as \x, \u, \U). */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x7f) out += ch;
    // Lone surrogates (category Cs) reach here as single code units.
    else if ((cp >= 0xd800 && cp <= 0xdfff) || NON_PRINTABLE.test(ch)) {
      if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/** Python's `repr(tuple_of_ints)`: `()`, `(6,)`, `(7, 2)`. */
export function pyTupleRepr(items: readonly (number | string)[]): string {
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(', ')})`;
}
