// IMRO ("imec readout") tables: `(header)(entry)(entry)...`, the electrodes a Neuropixels probe reads
// and their settings, as SpikeGLX writes them in `~imroTbl` (ProbeInterface's `_parse_imro_string`
// and `_get_imro_active_contact_ids`). The fields of each table format come from the catalogue.
import { SpikewireError, describe } from '../../errors.js';
import { MAX_CONTACTS } from '../limits.js';
import { hasEntry } from './catalogue.js';
import type { NeuropixelsCatalogue } from './catalogue-types.js';
import { neuropixelsContactId } from './build.js';
import { parseIntText } from './spikeglx-meta.js';

/** A parsed IMRO table: its header fields and, per entry field, one value per entry. */
export interface ImroTable {
  /** Header fields by the catalogue's names ('type' stays text unless the old 3-field header made it 0). */
  header: Record<string, string | number>;
  /** Entry fields in the catalogue's order (e.g. channel, bank, ref_id, ap_gain, lf_gain, ap_hipas_flt). */
  fields: Map<string, number[]>;
}

/** The names inside a catalogue field list such as "(channel bank ref_id)" or "(type,num_channels)". */
function fieldNames(text: string, separator: string): string[] {
  return text.replace(/[()]/g, '').split(separator);
}

/** The error for a bad IMRO table, naming the part that is wrong. */
function imroError(what: string): SpikewireError {
  return new SpikewireError('FORMAT', `imroTbl: ${what}`);
}

/** Parses an IMRO table with the field layout the catalogue gives for its type (or part number). */
export function parseImro(catalogue: NeuropixelsCatalogue, text: string): ImroTable {
  // Python: header, *entries, _ = text.strip().split(")")
  const parts = text.trim().split(')');
  if (parts.length < 2) throw imroError(`expected "(header)(entry)...", got ${describe(text)}`);
  const headerParts = parts[0]!.slice(1).split(',');
  const first = headerParts[0]!;
  const rest = headerParts.slice(1).map((v) => {
    const n = parseIntText(v);
    if (n === null) throw imroError(`header value ${describe(v)} of ${describe(parts[0] + ')')} is not an integer`);
    return n;
  });
  const headerValues: (string | number)[] = [first, ...rest];

  let format: string;
  const probes = catalogue.neuropixels_probes;
  const typeToFormat = catalogue.z_imro_format_type_to_imro_format;
  if (headerValues.length === 3) format = typeToFormat['0']!; // Phase3A: 3-field header, no type code
  else if (hasEntry(probes, first)) format = probes[first]!.imro_table_format_type!;
  else if (hasEntry(typeToFormat, first)) format = typeToFormat[first]!;
  else {
    const types = Object.keys(typeToFormat).sort((a, b) => Number(a) - Number(b));
    throw new SpikewireError('UNSUPPORTED', `imroTbl: unknown header first field ${describe(first)}; expected a probe part number from the catalogue or one of ${types.join(', ')}`);
  }
  const elementFields = catalogue.z_imro_formats[`${format}_elm_flds`];
  const headerFields = catalogue.z_imro_formats[`${format}_hdr_flds`];
  if (elementFields === undefined || headerFields === undefined) throw imroError(`the catalogue has no fields for IMRO format ${describe(format)}`);

  const header: Record<string, string | number> = Object.create(null);
  fieldNames(headerFields, ',').forEach((name, i) => {
    if (i < headerValues.length) header[name] = headerValues[i]!;
  });
  if (headerValues.length === 3) header.type = 0;

  const names = fieldNames(elementFields, ' ');
  const fields = new Map<string, number[]>(names.map((n) => [n, []]));
  const entries = parts.slice(1, -1);
  if (entries.length > MAX_CONTACTS) throw imroError(`${entries.length} entries, expected at most ${MAX_CONTACTS}`);
  entries.forEach((entry, k) => {
    const values = entry.slice(1).split(' ');
    // Python's zip() ignores extra values; a missing one would leave the columns of unequal length.
    if (values.length < names.length) throw imroError(`entry ${k} ${describe(entry + ')')} has ${values.length} values, expected ${names.length} (${names.join(' ')})`);
    names.forEach((name, i) => {
      const n = parseIntText(values[i]!);
      if (n === null) throw imroError(`entry ${k} ${describe(entry + ')')}: ${name} ${describe(values[i])} is not an integer`);
      fields.get(name)!.push(n);
    });
  });
  return { header, fields };
}

/**
 * The contact ids of the electrodes an IMRO table reads, in entry (readout channel) order. Formats
 * without an electrode field are resolved as ProbeInterface does: bank * 384 + channel for 1.0-like
 * probes, the group / bank addressing of SpikeGLX's IMROTbl_T1110 for NP1110. Adds the 'electrode'
 * (and for NP1110 'channel') field to `table`.
 */
export function imroContactIds(table: ImroTable): string[] {
  const { fields } = table;
  if (!fields.has('electrode') && fields.has('channel')) {
    const bank = fields.get('bank') ?? fields.get('bank_mask');
    if (bank === undefined) throw imroError(`entries have a channel but neither bank nor bank_mask field`);
    fields.set('electrode', fields.get('channel')!.map((c, i) => bank[i]! * 384 + c));
  }
  if (!fields.has('electrode') && fields.has('group')) resolveNp1110(table);
  const electrodes = fields.get('electrode');
  if (electrodes === undefined) throw imroError(`cannot tell the electrodes from the fields ${[...fields.keys()].join(', ')}`);
  const shanks = fields.get('shank');
  return electrodes.map((e, i) => neuropixelsContactId(e, shanks === undefined ? null : shanks[i]!));
}

/** SpikeGLX's NP1110 (UHD, 8 x 768 electrodes) addressing: 24 groups of 16 channels, two banks per group. */
function resolveNp1110(table: ImroTable): void {
  const colMode = table.header.col_mode; // 0 inner, 1 outer, 2 all
  const bankA = table.fields.get('bankA');
  const bankB = table.fields.get('bankB');
  if (typeof colMode !== 'number' || bankA === undefined || bankB === undefined || bankA.length < 24 || bankB.length < 24) {
    throw imroError(`an NP1110 table needs a col_mode header field and 24 (group bankA bankB) entries, got ${bankA?.length ?? 0}`);
  }
  const colTable = [0, 3, 1, 2, 1, 2, 0, 3];
  const groupIndex = (ch: number) => 2 * Math.floor((ch % 384) / 32) + ((ch % 384) & 1);
  const col = (ch: number, bank: number) => {
    const groupCol = colTable[4 * (bank & 1) + (groupIndex(ch) % 4)]!;
    const crossed = Math.floor(bank / 4) & 1;
    const inGroupCol = (Math.floor(((ch % 64) % 32) / 2) & 1) ^ crossed;
    return ch & 1 ? 2 * groupCol + (1 - inGroupCol) : 2 * groupCol + inGroupCol;
  };
  const row = (ch: number, bank: number) => {
    const groupRow = Math.floor(groupIndex(ch) / 4);
    const inGroupRow = Math.floor(((ch % 64) % 32) / 4);
    return 48 * bank + (ch & 1 ? 8 * groupRow + (7 - inGroupRow) : 8 * groupRow + inGroupRow);
  };
  const pickBank = (ch: number, a: number, b: number) => {
    if (colMode === 2) return a;
    const c = col(ch, a);
    const odd = (c & 1) === 1;
    // Outer columns take bank A on the outside of each half, inner columns on the inside.
    if (c <= 3) return colMode === 1 ? (odd ? b : a) : odd ? a : b;
    return colMode === 1 ? (odd ? a : b) : odd ? b : a;
  };
  const electrodes: number[] = [];
  for (let ch = 0; ch < 384; ch++) {
    const g = groupIndex(ch);
    const bank = pickBank(ch, bankA[g]!, bankB[g]!);
    electrodes.push(8 * row(ch, bank) + col(ch, bank));
  }
  table.fields.set('electrode', electrodes);
  table.fields.set('channel', Array.from({ length: 384 }, (_, i) => i));
}
