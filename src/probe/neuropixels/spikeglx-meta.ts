// SpikeGLX .meta text: `key=value` lines, table keys prefixed `~` (e.g. `~imroTbl=(0,384)(0 0 0 500 250 1)...`).
import { SpikewireError, describe } from '../../errors.js';
import { MAX_CONTACTS } from '../limits.js';

/** A parsed .meta file: text values, and lists for the `~` table keys when parsed as neo does. */
export type SpikeglxMeta = Record<string, string | string[]>;

/** Options of {@link parseSpikeglxMeta}. */
export interface ParseSpikeglxMetaOptions {
  /**
   * 'lists' (default): neo's `read_meta_file`, what SpikeInterface's reader sees: a line must hold
   * exactly one `=` (others are dropped) and a `~` table becomes the list of its entries without the
   * header (`value[1:-1].split(")(")[1:]`). 'text': ProbeInterface's `parse_spikeglx_meta`: every line
   * is kept (the value is everything after the first `=`), a `~` table stays one text, header included.
   */
  tables?: 'lists' | 'text';
}

/** Python's `str.splitlines()` after text-mode reading: every line break Python knows. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/**
 * The key/value dict of a SpikeGLX .meta text (SpikeGLX writes CRLF lines, keys sorted). A key seen
 * twice keeps its last value, as a Python dict does.
 */
export function parseSpikeglxMeta(text: string, opts: ParseSpikeglxMetaOptions = {}): SpikeglxMeta {
  if (typeof text !== 'string') throw new SpikewireError('INVALID_ARGUMENT', `parseSpikeglxMeta: text must be a string (the .meta file's content), got ${describe(text)}`);
  const tables = opts.tables ?? 'lists';
  if (tables !== 'lists' && tables !== 'text') throw new SpikewireError('INVALID_ARGUMENT', `parseSpikeglxMeta: tables must be 'lists' or 'text', got ${describe(tables)}`);
  // A null prototype: keys are data ("__proto__" or "constructor" in a file must not reach Object's).
  const meta: SpikeglxMeta = Object.create(null);
  const lines = text.split(LINE_BREAKS);
  // str.splitlines() gives no empty last line for a text that ends with a line break.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const at = line.indexOf('=');
    if (tables === 'lists') {
      if (at < 0 || line.indexOf('=', at + 1) >= 0) continue;
      let key = line.slice(0, at);
      const value = line.slice(at + 1);
      if (key.startsWith('~')) {
        key = key.slice(1);
        meta[key] = value.slice(1, -1).split(')(').slice(1);
      } else {
        meta[key] = value;
      }
    } else {
      const key = at < 0 ? line : line.slice(0, at);
      meta[key.startsWith('~') ? key.slice(1) : key] = at < 0 ? '' : line.slice(at + 1);
    }
  }
  return meta;
}

/** A meta given as text or as a dict: the dict, ProbeInterface's way ('text' tables) for text. */
export function metaDict(meta: string | Readonly<Record<string, unknown>>, where: string): Readonly<Record<string, unknown>> {
  if (typeof meta === 'string') return parseSpikeglxMeta(meta, { tables: 'text' });
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw new SpikewireError('INVALID_ARGUMENT', `${where}: meta must be the .meta text or its dict (parseSpikeglxMeta), got ${describe(meta)}`);
  }
  return meta;
}

/** A text value of the meta dict, or undefined when the key is absent. */
export function metaText(meta: Readonly<Record<string, unknown>>, key: string, where: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(meta, key)) return undefined;
  const value = meta[key];
  if (typeof value !== 'string') throw new SpikewireError('INVALID_ARGUMENT', `${where}: meta key ${key} must be text, got ${describe(value)}`);
  return value;
}

/** Python's `int(text)` for the plain decimal integers SpikeGLX writes (surrounding spaces allowed). */
export function parseIntText(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return null;
  const value = Number(t);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * The channels saved in the .bin file, as ProbeInterface's `get_saved_channel_indices_from_spikeglx_meta`:
 * `snsSaveChanSubset` ("all", or a list like `0:63,128:191,768`, ranges inclusive) - indices among the
 * acquired channels, the sync channel included.
 */
export function getSavedChannelIndicesFromSpikeglxMeta(meta: string | Readonly<Record<string, unknown>>): number[] {
  const where = 'getSavedChannelIndicesFromSpikeglxMeta';
  const dict = metaDict(meta, where);
  const subset = metaText(dict, 'snsSaveChanSubset', where);
  if (subset === undefined) throw new SpikewireError('FORMAT', `${where}: the meta has no snsSaveChanSubset key`);
  const bad = (what: string) => new SpikewireError('FORMAT', `${where}: snsSaveChanSubset ${describe(subset)}: ${what}`);
  if (subset === 'all') {
    const n = parseIntText(metaText(dict, 'nSavedChans', where) ?? '');
    if (n === null || n < 0 || n > MAX_CONTACTS) throw bad(`with "all", nSavedChans must be a channel count in [0, ${MAX_CONTACTS}], got ${describe(dict.nSavedChans)}`);
    return Array.from({ length: n }, (_, i) => i);
  }
  const chans: number[] = [];
  for (const part of subset.split(',')) {
    const colon = part.indexOf(':');
    const ends = colon < 0 ? [part] : [part.slice(0, colon), part.slice(colon + 1)];
    const [start, stop] = ends.map(parseIntText);
    if (start === null || start === undefined || start < 0 || (colon >= 0 && (stop === null || stop === undefined || stop < 0))) {
      throw bad(`${describe(part)} is not a channel index or an inclusive range start:stop of indices`);
    }
    const last = colon < 0 ? start : stop!;
    // Bounded before any list is built: a hostile range must not allocate without end.
    if (last - start + 1 + chans.length > MAX_CONTACTS) throw bad(`more than ${MAX_CONTACTS} channels`);
    for (let c = start; c <= last; c++) chans.push(c);
  }
  return chans;
}
