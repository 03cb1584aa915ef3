// The .prb channel-group format (klusta / spyking-circus / tridesclous): a Python file that assigns
// `channel_groups = {group: {'channels': [...], 'geometry': {channel: (x, y)}}}`. ProbeInterface reads
// it with exec(); here a small parser reads the literal subset such files use (dicts, lists, tuples,
// numbers, strings, True/False/None, range(), list(), names assigned earlier, + - * / on numbers) and
// refuses anything else with a FORMAT error, so a .prb file never runs code.
import { SpikewireError, describe } from '../errors.js';
import { floatRepr } from '../python/pyjson.js';
import { MAX_CONTACTS, MAX_PRB_ITEMS, MAX_PRB_NESTING, MAX_PRB_STRING } from './limits.js';
import { Probe } from './probe.js';
import { ProbeGroup } from './probegroup.js';
import { isProbeFileText, type ReadFile, type WriteFile } from './text-or-path.js';

/** A Python value as read from a .prb file (dicts are Maps, since keys are often ints). */
type PyValue = number | string | boolean | null | PyValue[] | Map<number | string | boolean | null, PyValue>;

/** The cursor over a .prb file's text, with error messages that give the line. */
class Tokenizer {
  pos = 0;
  constructor(
    readonly text: string,
    readonly source: string,
  ) {}

  fail(what: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length;
    throw new SpikewireError('FORMAT', `${this.source} line ${line}: ${what}`);
  }

  /** Skips spaces, comments, and newlines when `newlines` (inside brackets they do not end a statement). */
  skip(newlines: boolean): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f') this.pos++;
      else if (c === '\\' && t[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      else if (c === '\n' && newlines) this.pos++;
      else break;
    }
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  eat(ch: string, newlines: boolean): boolean {
    this.skip(newlines);
    if (this.text.startsWith(ch, this.pos)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  expect(ch: string, newlines: boolean): void {
    if (!this.eat(ch, newlines)) this.fail(`expected '${ch}', found ${JSON.stringify(this.text.slice(this.pos, this.pos + 12))}`);
  }

  name(): string | null {
    const m = /[A-Za-z_][A-Za-z0-9_.]*/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found) return null;
    this.pos = m.lastIndex;
    return found[0];
  }
}

/** A Python number literal: 0x / 0o / 0b integers, decimal integers and floats, `_` between digits. */
const NUMBER = /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?/y;

/** Reads the statements of a .prb file into a map of the names it assigns (lowercased, as ProbeInterface does). */
function parsePrbText(text: string, source: string): Map<string, PyValue> {
  const t: Tokenizer = new Tokenizer(text, source);
  const vars = new Map<string, PyValue>();
  // Values built by range(), list() and `+` count against one budget for the whole file, so a short
  // text cannot ask for more memory than any real probe needs.
  let built = 0;
  const spend = (count: number, what: string): void => {
    built += count;
    if (built > MAX_PRB_ITEMS) t.fail(`${what} builds too many values (more than ${MAX_PRB_ITEMS} in the file; a probe has at most ${MAX_CONTACTS} contacts)`);
  };
  let depth = 0;
  const nest = (): void => {
    if (++depth > MAX_PRB_NESTING) t.fail(`nesting deeper than ${MAX_PRB_NESTING} levels`);
  };
  const range = (args: PyValue[]): number[] => {
    if (args.length === 0 || args.length > 3) t.fail(`range() takes 1 to 3 integers, got ${args.length} arguments`);
    const nums = args.map((a) => {
      if (typeof a !== 'number' || !Number.isSafeInteger(a)) t.fail(`range() takes integers, got ${describe(a)}`);
      return a;
    });
    const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
    if (step === 0) t.fail('range() needs a non-zero step');
    // Python's len(range(start, stop, step)), checked before a single value is made.
    const length = Math.max(0, Math.ceil((stop - start) / step));
    spend(length, `range(${nums.join(', ')})`);
    return Array.from({ length }, (_, k) => start + k * step);
  };
  const asList = (v: PyValue): PyValue[] => {
    if (Array.isArray(v)) {
      spend(v.length, 'list()');
      return v.slice();
    }
    if (v instanceof Map) {
      spend(v.size, 'list()');
      return [...v.keys()];
    }
    if (typeof v === 'string') {
      spend(v.length, 'list()');
      return [...v];
    }
    return t.fail(`list() of ${describe(v)} is not supported`);
  };
  const arith = (op: string, a: PyValue, b: PyValue): PyValue => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (op === '+') return a + b;
      if (op === '-') return a - b;
      if (op === '*') return a * b;
      return a / b;
    }
    if (op === '+' && Array.isArray(a) && Array.isArray(b)) {
      spend(a.length + b.length, 'list +');
      return [...a, ...b];
    }
    if (op === '+' && typeof a === 'string' && typeof b === 'string') {
      if (a.length + b.length > MAX_PRB_STRING) t.fail(`string + builds a string longer than ${MAX_PRB_STRING} characters`);
      return a + b;
    }
    return t.fail(`cannot compute ${describe(a)} ${op} ${describe(b)}`);
  };
  // expr := term (('+' | '-') term)* ; term := unary (('*' | '/') unary)* ; unary := '-' unary | atom
  const expr = (nl: boolean): PyValue => {
    let v = term(nl);
    for (;;) {
      t.skip(nl);
      const c = t.peek();
      if (c !== '+' && c !== '-') return v;
      t.pos++;
      v = arith(c, v, term(nl));
    }
  };
  const term = (nl: boolean): PyValue => {
    let v = unary(nl);
    for (;;) {
      t.skip(nl);
      const c = t.peek();
      if ((c !== '*' && c !== '/') || t.text[t.pos + 1] === c) return v;
      t.pos++;
      v = arith(c, v, unary(nl));
    }
  };
  const unary = (nl: boolean): PyValue => {
    t.skip(nl);
    const sign = t.peek();
    if (sign !== '-' && sign !== '+') return atom(nl);
    t.pos++;
    nest();
    const v = unary(nl);
    depth--;
    if (sign === '+') return v;
    if (typeof v !== 'number') t.fail(`cannot negate ${describe(v)}`);
    return -v;
  };
  /** The items up to `close`; `trailingComma` tells `(x,)` (a tuple) from `(x)`. */
  const items = (close: string): { list: PyValue[]; trailingComma: boolean } => {
    const list: PyValue[] = [];
    nest();
    for (;;) {
      if (t.eat(close, true)) {
        depth--;
        return { list, trailingComma: list.length > 0 };
      }
      list.push(expr(true));
      if (!t.eat(',', true)) {
        t.expect(close, true);
        depth--;
        return { list, trailingComma: false };
      }
    }
  };
  const atom = (nl: boolean): PyValue => {
    t.skip(nl);
    const c = t.peek();
    if (c === '[') {
      t.pos++;
      return items(']').list;
    }
    if (c === '(') {
      t.pos++;
      const { list, trailingComma } = items(')');
      // (x) is x; (x,) and (x, y) are tuples, read as lists
      return list.length === 1 && !trailingComma ? list[0]! : list;
    }
    if (c === '{') {
      t.pos++;
      nest();
      const map = new Map<number | string | boolean | null, PyValue>();
      for (;;) {
        if (t.eat('}', true)) {
          depth--;
          return map;
        }
        const key = expr(true);
        if (Array.isArray(key) || key instanceof Map) t.fail(`dict keys must be numbers or strings, got ${describe(key)}`);
        t.expect(':', true);
        map.set(key as number | string | boolean | null, expr(true));
        if (!t.eat(',', true)) {
          t.expect('}', true);
          depth--;
          return map;
        }
      }
    }
    if (c === '"' || c === "'") {
      const m = c === '"' ? /"((?:[^"\\\n]|\\.)*)"/y : /'((?:[^'\\\n]|\\.)*)'/y;
      m.lastIndex = t.pos;
      const found = m.exec(t.text);
      if (!found) t.fail('unterminated string');
      t.pos = m.lastIndex;
      return found![1]!.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
    }
    NUMBER.lastIndex = t.pos;
    const n = NUMBER.exec(t.text);
    if (n) {
      t.pos = NUMBER.lastIndex;
      // JavaScript's Number reads 0x / 0o / 0b and decimals alike once Python's `_` separators are gone.
      return Number(n[0].replace(/_/g, ''));
    }
    const name = t.name();
    if (name === null) return t.fail(`unexpected ${JSON.stringify(t.text.slice(t.pos, t.pos + 12))}`);
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    if (t.eat('(', false)) {
      const args = items(')').list;
      if (name === 'range') return range(args);
      if (name === 'list' || name === 'tuple') return args.length === 0 ? [] : asList(args[0]!);
      if (name === 'dict' && args.length === 0) return new Map();
      return t.fail(`calling ${name}() is not supported in a .prb file (only range, list, tuple)`);
    }
    const v = vars.get(name);
    if (v === undefined) return t.fail(`unknown name ${name} (only names assigned earlier in the file can be used)`);
    return v;
  };

  for (;;) {
    t.skip(true);
    if (t.pos >= text.length) return new Map([...vars].map(([k, v]) => [k.toLowerCase(), v]));
    const start = t.pos;
    const name = t.name();
    if (name === 'import' || name === 'from') {
      // "import numpy as np" and the like: nothing of theirs can be used here, skip the line.
      while (t.pos < text.length && text[t.pos] !== '\n') t.pos++;
      continue;
    }
    if (name === null || !t.eat('=', false) || t.peek() === '=') {
      t.pos = start;
      t.fail(`expected "name = value", found ${JSON.stringify(text.slice(start, start + 20))} (loops and other code are not supported)`);
    }
    vars.set(name, expr(false));
    t.skip(false);
    if (t.pos < text.length && t.peek() !== '\n' && t.peek() !== ';') t.fail(`unexpected ${JSON.stringify(text.slice(t.pos, t.pos + 12))} after the value of ${name}`);
    if (t.peek() === ';') t.pos++;
  }
}

/** Reads a channel position from a geometry dict, by channel (Python: `geometry[c]`). */
function position(geometry: PyValue, channel: number, where: string): number[] {
  if (!(geometry instanceof Map)) throw new SpikewireError('FORMAT', `${where}.geometry: expected a dict {channel: (x, y)}, got ${describe(geometry)}`);
  const pos = geometry.get(channel);
  if (pos === undefined) throw new SpikewireError('FORMAT', `${where}.geometry: no position for channel ${channel}`);
  if (!Array.isArray(pos) || pos.length !== 2 || !pos.every((v) => typeof v === 'number')) {
    throw new SpikewireError('FORMAT', `${where}.geometry[${channel}]: expected (x, y), got ${describe(pos)}`);
  }
  return pos as number[];
}

/**
 * A ProbeGroup from the text of a .prb file (ProbeInterface's `read_prb`): one probe per channel
 * group, contacts as circles of radius 5 at the geometry positions, an automatic 'tip' contour, and
 * the group's channels as device channel indices.
 */
export function parsePrb(text: string, source = 'PRB file'): ProbeGroup {
  const vars = parsePrbText(text, source);
  const groups = vars.get('channel_groups');
  if (!(groups instanceof Map)) throw new SpikewireError('FORMAT', `${source}: no channel_groups dict: this is not a standard PRB file`);
  const probes: Probe[] = [];
  const labels: string[] = [];
  for (const [key, g] of groups) {
    const where = `${source}: channel_groups[${describe(key)}]`;
    if (!(g instanceof Map)) throw new SpikewireError('FORMAT', `${where}: expected a dict with channels and geometry, got ${describe(g)}`);
    const channels = g.get('channels');
    if (!Array.isArray(channels) || !channels.every((c) => typeof c === 'number' && Number.isInteger(c))) {
      throw new SpikewireError('FORMAT', `${where}.channels: expected a list of channel numbers, got ${describe(channels)}`);
    }
    const chans = channels as number[];
    const positions = chans.map((c) => position(g.get('geometry') ?? null, c, where));
    // What the model refuses (a channel below -1) is a fault of the file here.
    try {
      const probe = new Probe({ ndim: 2, siUnits: 'um' });
      probe.setContacts({ positions, shapes: 'circle', shapeParams: { radius: 5 } });
      probe.createAutoShape('tip');
      probe.setDeviceChannelIndices(chans);
      probes.push(probe);
      labels.push(where);
    } catch (e) {
      if (e instanceof SpikewireError) throw new SpikewireError('FORMAT', `${where}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return ProbeGroup._fromProbes(probes, (i) => labels[i]!);
}

/**
 * Reads a .prb file (ProbeInterface's `read_prb`): its text, a Blob / File, bytes, or a path. A
 * string with a line break or a '{' is the file's text (every .prb file holds the channel_groups
 * dict); any other string is a path, '=' and all (`'/data/run=1/probe.prb'`), read with `readFile`.
 */
export async function readPrbWith(input: string | Blob | Uint8Array | ArrayBuffer, readFile: ReadFile): Promise<ProbeGroup> {
  if (typeof input === 'string') {
    if (isProbeFileText(input)) return parsePrb(input);
    const bytes = await readFile(input);
    return parsePrb(new TextDecoder().decode(bytes), input);
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) return parsePrb(await input.text());
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return parsePrb(new TextDecoder().decode(input));
  throw new SpikewireError('INVALID_ARGUMENT', `readPrb: expected PRB text, a Blob or a path, got ${describe(input)}`);
}

/** Options of {@link writePrb} (ProbeInterface's `write_prb` keywords in camelCase). */
export interface WritePrbOptions {
  /** Written as `total_nb_channels = N` (spyking-circus needs it). */
  totalNbChannels?: number | null;
  /** Written as `radius = R` (spyking-circus needs it). */
  radius?: number | null;
  /** One channel group per probe (default) or per shank. */
  groupMode?: 'by_probe' | 'by_shank';
}

/** Python's repr of a number as the PRB text shows it: ints as ints, floats with Python's float repr. */
function pyNumber(v: number, isFloat: boolean): string {
  return isFloat || !Number.isInteger(v) ? floatRepr(v) : String(v);
}

/**
 * The text of a .prb file for a probe or group (ProbeInterface's `write_prb` layout): one channel
 * group per probe (or shank), its connected channels (device indices, -1 left out) and their
 * positions. Every probe must be wired. Shapes, contours and ids are not part of the format.
 */
export function writePrbText(probeOrGroup: Probe | ProbeGroup, opts: WritePrbOptions = {}): string {
  const group = probeOrGroup instanceof Probe ? [probeOrGroup] : probeOrGroup instanceof ProbeGroup ? probeOrGroup.probes : null;
  if (group === null) throw new SpikewireError('INVALID_ARGUMENT', `writePrb: needs a Probe or a ProbeGroup, got ${describe(probeOrGroup)}`);
  const groupMode = opts.groupMode ?? 'by_probe';
  if (groupMode !== 'by_probe' && groupMode !== 'by_shank') {
    throw new SpikewireError('INVALID_ARGUMENT', `groupMode: expected 'by_probe' or 'by_shank', got ${describe(groupMode)}`);
  }
  if (group.length === 0) throw new SpikewireError('INVALID_ARGUMENT', 'writePrb: the probe group must have at least one probe');
  for (const p of group) {
    if (p.deviceChannelIndices === null) throw new SpikewireError('INVALID_ARGUMENT', 'writePrb: for the PRB format device_channel_indices must be set');
  }
  // Positions are float64 arrays in ProbeInterface, so they print as `0.0`.
  const floatPositions = true;
  const parts: { positions: number[][]; channels: number[] }[] = [];
  for (const p of group) {
    if (groupMode === 'by_probe') parts.push({ positions: p.contactPositions!, channels: p.deviceChannelIndices! });
    else for (const s of p.getShanks()) parts.push({ positions: s.contactPositions, channels: s.deviceChannelIndices! });
  }
  let out = '';
  if (opts.totalNbChannels !== undefined && opts.totalNbChannels !== null) out += `total_nb_channels = ${pyNumber(opts.totalNbChannels, false)}\n`;
  if (opts.radius !== undefined && opts.radius !== null) out += `radius = ${pyNumber(opts.radius, false)}\n`;
  out += 'channel_groups = {\n';
  parts.forEach(({ positions, channels }, groupIndex) => {
    out += `    ${groupIndex}:\n`;
    out += '        {\n';
    const keep = channels.map((c) => c >= 0);
    out += `           'channels': [${channels.filter((_, i) => keep[i]).join(', ')}],\n`;
    out += "           'geometry':  {\n";
    positions.forEach((pos, i) => {
      if (!keep[i]) return;
      out += `               ${channels[i]}: [${pos.map((v) => pyNumber(v, floatPositions)).join(', ')}],\n`;
    });
    out += '           }\n';
    out += '       },\n';
  });
  out += '}\n';
  return out;
}

/**
 * ProbeInterface's `write_prb`. Without a path: returns the text. With a path: writes the file with
 * `writeFile`.
 */
export function writePrbWith(probeOrGroup: Probe | ProbeGroup, path: string | undefined, opts: WritePrbOptions, writeFile: WriteFile): string | Promise<void> {
  if (path === undefined) return writePrbText(probeOrGroup, opts);
  return (async () => {
    const text = writePrbText(probeOrGroup, opts);
    await writeFile(path, text);
  })();
}
