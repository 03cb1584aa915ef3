// Picking the electrodes a recording reads out of a full catalogue probe, by contact id.
import { SpikewireError, describe } from '../../errors.js';
import type { Probe } from '../probe.js';

/**
 * The contacts of `full` whose ids are `contactIds`, in that order (ProbeInterface slices the
 * catalogue probe the same way). An id the probe does not have, or one given twice, is a FORMAT
 * error: the file describes electrodes that this part number does not have.
 */
export function selectContacts(full: Probe, contactIds: readonly string[], where: string): Probe {
  const index = new Map<string, number>();
  (full.contactIds ?? []).forEach((id, i) => index.set(id, i));
  const picked: number[] = [];
  const seen = new Set<number>();
  contactIds.forEach((id, k) => {
    const i = index.get(id);
    if (i === undefined) {
      throw new SpikewireError('FORMAT', `${where}: electrode ${describe(id)} (entry ${k}) is not an electrode of probe ${describe(full.modelName)} (${full.getContactCount()} electrodes)`);
    }
    if (seen.has(i)) throw new SpikewireError('FORMAT', `${where}: electrode ${describe(id)} is selected twice (entry ${k})`);
    seen.add(i);
    picked.push(i);
  });
  return full.getSlice(picked);
}
