// The .prb channel-group format (klusta / spyking-circus / tridesclous): a Python file that assigns
// `channel_groups = {group: {'channels': [...], 'geometry': {channel: (x, y)}}}`. ProbeInterface reads
// it with exec(); here a small parser reads the literal subset such files use (dicts, lists, tuples,
// numbers, strings, True/False/None, range(), list(), names assigned earlier, + - * / on numbers) and
// refuses anything else with a FORMAT error, so a .prb file never runs code.
import { SpikewireError, describe } from '../errors.js';
import { filePlatform } from '../io/platform.js';
import { floatRepr } from '../pyjson.js';
import { Probe } from './probe.js';
import { ProbeGroup } from './probegroup.js';

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

/** Reads the statements of a .prb file into a map of the names it assigns (lowercased, as ProbeInterface does). */
function parsePrbText(text: string, source: string): Map<string, PyValue> {
  const t: Tokenizer = new Tokenizer(text, source);
  const vars = new Map<string, PyValue>();
  const range = (args: PyValue[]): number[] => {
    const nums = args.map((a) => {
      if (typeof a !== 'number' || !Number.isInteger(a)) t.fail(`range() takes integers, got ${describe(a)}`);
      return a;
    });
    const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
    if (step === 0 || nums.length === 0 || nums.length > 3) t.fail('range() needs 1 to 3 arguments and a non-zero step');
    const out: number[] = [];
    for (let v = start; step > 0 ? v < stop : v > stop; v += step) out.push(v);
    return out;
  };
  const asList = (v: PyValue): PyValue[] => {
    if (Array.isArray(v)) return v.slice();
    if (v instanceof Map) return [...v.keys()];
    if (typeof v === 'string') return [...v];
    return t.fail(`list() of ${describe(v)} is not supported`);
  };
  const arith = (op: string, a: PyValue, b: PyValue): PyValue => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (op === '+') return a + b;
      if (op === '-') return a - b;
      if (op === '*') return a * b;
      return a / b;
    }
    if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
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
    if (t.peek() === '-') {
      t.pos++;
      const v = unary(nl);
      if (typeof v !== 'number') t.fail(`cannot negate ${describe(v)}`);
      return -v;
    }
    if (t.peek() === '+') {
      t.pos++;
      return unary(nl);
    }
    return atom(nl);
  };
  const items = (close: string): PyValue[] => {
    const out: PyValue[] = [];
    for (;;) {
      if (t.eat(close, true)) return out;
      out.push(expr(true));
      if (!t.eat(',', true)) {
        t.expect(close, true);
        return out;
      }
    }
  };
  const atom = (nl: boolean): PyValue => {
    t.skip(nl);
    const c = t.peek();
    if (c === '[') {
      t.pos++;
      return items(']');
    }
    if (c === '(') {
      t.pos++;
      const list = items(')');
      // (x) is x; (x,) and (x, y) are tuples, read as lists
      const inner = t.text.slice(0, t.pos).trimEnd();
      return list.length === 1 && !/,\s*\)$/.test(inner) ? list[0]! : list;
    }
    if (c === '{') {
      t.pos++;
      const map = new Map<number | string | boolean | null, PyValue>();
      for (;;) {
        if (t.eat('}', true)) return map;
        const key = expr(true);
        if (Array.isArray(key) || key instanceof Map) t.fail(`dict keys must be numbers or strings, got ${describe(key)}`);
        t.expect(':', true);
        map.set(key as number | string | boolean | null, expr(true));
        if (!t.eat(',', true)) {
          t.expect('}', true);
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
    const num = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
    num.lastIndex = t.pos;
    const n = num.exec(t.text);
    if (n) {
      t.pos = num.lastIndex;
      return Number(n[0]);
    }
    const name = t.name();
    if (name === null) return t.fail(`unexpected ${JSON.stringify(t.text.slice(t.pos, t.pos + 12))}`);
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    if (t.eat('(', false)) {
      const args = items(')');
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
  const group = new ProbeGroup();
  for (const [key, g] of groups) {
    const where = `${source}: channel_groups[${describe(key)}]`;
    if (!(g instanceof Map)) throw new SpikewireError('FORMAT', `${where}: expected a dict with channels and geometry, got ${describe(g)}`);
    const channels = g.get('channels');
    if (!Array.isArray(channels) || !channels.every((c) => typeof c === 'number' && Number.isInteger(c))) {
      throw new SpikewireError('FORMAT', `${where}.channels: expected a list of channel numbers, got ${describe(channels)}`);
    }
    const chans = channels as number[];
    const positions = chans.map((c) => position(g.get('geometry') ?? null, c, where));
    const probe = new Probe({ ndim: 2, siUnits: 'um' });
    probe.setContacts({ positions, shapes: 'circle', shapeParams: { radius: 5 } });
    probe.createAutoShape('tip');
    probe.setDeviceChannelIndices(chans);
    try {
      group.addProbe(probe);
    } catch (e) {
      if (e instanceof SpikewireError) throw new SpikewireError('FORMAT', `${where}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return group;
}

/**
 * Reads a .prb file (ProbeInterface's `read_prb`): its text, a Blob / File, bytes, or a path (a
 * string without a newline or '='; needs a file platform, e.g. `spikewire/node`).
 */
export async function readPrb(input: string | Blob | Uint8Array | ArrayBuffer): Promise<ProbeGroup> {
  if (typeof input === 'string') {
    if (input.includes('\n') || input.includes('=')) return parsePrb(input);
    const bytes = await filePlatform('reading PRB file', input).readFile(input);
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
 * ProbeInterface's `write_prb`. Without a path: returns the text. With a path: writes the file
 * (needs a file platform, e.g. `spikewire/node`).
 */
export function writePrb(probeOrGroup: Probe | ProbeGroup, path?: undefined, opts?: WritePrbOptions): string;
export function writePrb(probeOrGroup: Probe | ProbeGroup, path: string, opts?: WritePrbOptions): Promise<void>;
export function writePrb(probeOrGroup: Probe | ProbeGroup, path?: string, opts: WritePrbOptions = {}): string | Promise<void> {
  if (path === undefined) return writePrbText(probeOrGroup, opts);
  return (async () => {
    const text = writePrbText(probeOrGroup, opts);
    await filePlatform('writing PRB file', path).writeFile(path, text);
  })();
}
