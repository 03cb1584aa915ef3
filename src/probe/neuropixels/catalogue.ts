// Where the Neuropixels catalogue comes from: a module of its own (catalogue-data.ts), loaded with
// import() the first time a Neuropixels probe is built, so that applications that never open one do
// not carry it, and loaded once.
import { SpikewireError, describe } from '../../errors.js';
import type { NeuropixelsCatalogue, NeuropixelsProbeSpec } from './catalogue-types.js';

let loading: Promise<NeuropixelsCatalogue> | undefined;

/** ProbeInterface's Neuropixels catalogue (loaded on first use, then shared). */
export function loadNeuropixelsCatalogue(): Promise<NeuropixelsCatalogue> {
  loading ??= import('./catalogue-data.js').then((m) => m.default);
  return loading;
}

/** Whether `key` is an own entry of a catalogue table (not something inherited such as "constructor"). */
export function hasEntry(table: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** The specification of `partNumber`, or a FORMAT error naming it and what the catalogue knows. */
export function probeSpec(catalogue: NeuropixelsCatalogue, partNumber: unknown, where: string): NeuropixelsProbeSpec {
  if (typeof partNumber === 'string' && hasEntry(catalogue.neuropixels_probes, partNumber)) return catalogue.neuropixels_probes[partNumber]!;
  throw new SpikewireError(
    'UNSUPPORTED',
    `${where}: probe part number ${describe(partNumber)} is not in the Neuropixels catalogue; expected one of ${Object.keys(catalogue.neuropixels_probes).join(', ')}`,
  );
}

/** A numeric field of a probe specification (the catalogue stores text), or a FORMAT error. */
export function specNumber(spec: NeuropixelsProbeSpec, field: string): number {
  const text = hasEntry(spec, field) ? spec[field] : undefined;
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) {
    throw new SpikewireError('FORMAT', `Neuropixels catalogue entry ${describe(spec.part_number)}: field ${field} is ${describe(text)}, expected a number`);
  }
  return value;
}
