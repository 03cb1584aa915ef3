// Values of a parsed .meta as neo reads them: Python's int() and float() of text, and the
// KeyError a missing key raises, as FORMAT errors naming the file and the key.
import { SpikewireError, describe } from '../../errors.js';
import type { SpikeglxMeta } from '../../probe/neuropixels/spikeglx-meta.js';

/** Python's `float(text)`: decimal and exponent forms, inf / infinity / nan in any case; null otherwise. */
export function pyFloat(text: string): number | null {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (!m) return null;
  if (m[2].toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

/** A text value of the meta, or `FORMAT` naming the missing key. */
export function metaValue(meta: SpikeglxMeta, key: string, where: string): string {
  const v = Object.hasOwn(meta, key) ? meta[key] : undefined;
  if (v === undefined) throw new SpikewireError('FORMAT', `${where}: the .meta has no ${key} key`);
  if (typeof v !== 'string') throw new SpikewireError('FORMAT', `${where}: ${key} must be a value, got the table ${describe(v)}`);
  return v;
}

/** A `~` table of the meta (its entries without the header), or `FORMAT` naming the missing key. */
export function metaList(meta: SpikeglxMeta, key: string, where: string): string[] {
  const v = Object.hasOwn(meta, key) ? meta[key] : undefined;
  if (v === undefined) throw new SpikewireError('FORMAT', `${where}: the .meta has no ~${key} table`);
  if (!Array.isArray(v)) throw new SpikewireError('FORMAT', `${where}: ${key} must be a ~ table, got ${describe(v)}`);
  return v;
}

/** A number of the meta (Python's float()), or `FORMAT`. */
export function metaFloat(meta: SpikeglxMeta, key: string, where: string): number {
  const v = pyFloat(metaValue(meta, key, where));
  if (v === null) throw new SpikewireError('FORMAT', `${where}: ${key} ${describe(meta[key])} is not a number`);
  return v;
}
