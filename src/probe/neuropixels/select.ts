// Picking the electrodes a recording reads out of the catalogue probe, by contact id or by index.
import { SpikewireError, describe } from '../../errors.js';
import type { ContactPicker } from './build.js';

/**
 * A picker of the contacts whose ids are `wanted`, in that order (ProbeInterface slices the catalogue
 * probe the same way). An id the probe does not have, or one given twice, is a FORMAT error: the
 * file describes electrodes that this part number does not have.
 */
export function pickByIds(wanted: readonly string[], where: string): ContactPicker {
  return (contactIds) => {
    const index = new Map<string, number>();
    contactIds.forEach((id, i) => index.set(id, i));
    return pickUnique(wanted.map((id, k) => {
      const i = index.get(id);
      if (i === undefined) throw new SpikewireError('FORMAT', `${where}: electrode ${describe(id)} (entry ${k}) is not an electrode of this probe (${contactIds.length} electrodes)`);
      return i;
    }), (k) => `electrode ${describe(wanted[k])}`, where);
  };
}

/** A picker of the contacts at `indices` (indices into the catalogue probe's contacts). */
export function pickByIndices(indices: readonly number[], where: string): ContactPicker {
  return (contactIds) => {
    indices.forEach((i, k) => {
      if (!(i >= 0 && i < contactIds.length)) throw new SpikewireError('FORMAT', `${where}: electrode index ${i} (entry ${k}) is not in [0, ${contactIds.length})`);
    });
    return pickUnique(indices.slice(), (k) => `electrode index ${indices[k]}`, where);
  };
}

/** `indices`, or a FORMAT error naming the first one picked twice. */
function pickUnique(indices: number[], name: (k: number) => string, where: string): number[] {
  const seen = new Set<number>();
  indices.forEach((i, k) => {
    if (seen.has(i)) throw new SpikewireError('FORMAT', `${where}: ${name(k)} is selected twice (entry ${k})`);
    seen.add(i);
  });
  return indices;
}
