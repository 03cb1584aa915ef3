// Which ADC samples each readout channel, and when (ProbeInterface's
// `_annotate_probe_with_adc_sampling_info`): the catalogue's table "(numAdcs,channelsPerAdc)(slot 0)(slot 1)..."
// lists, per sampling slot, the readout channel each ADC converts. Contacts must be in readout
// channel order (contact i = readout channel i) when this runs.
import { SpikewireError, describe } from '../../errors.js';
import type { Probe } from '../probe.js';
import { parseIntText } from './spikeglx-meta.js';

/** Adds `num_adcs`, `num_channels_per_adc` and the per-contact `adc_group`, `adc_sample_order`. */
export function annotateAdcSampling(probe: Probe): void {
  const table = probe.annotations.adc_sampling_table;
  if (table === undefined || table === null) return;
  const bad = () => new SpikewireError('FORMAT', `adc_sampling_table ${describe(table)}: expected "(numAdcs,channelsPerAdc)(ch ch ...)..."`);
  if (typeof table !== 'string') throw bad();
  const groups = table.split(')(');
  const head = groups[0]!.slice(1).split(',').map(parseIntText);
  if (head.length !== 2 || head[0] === null || head[1] === null) throw bad();
  probe.annotate({ num_adcs: head[0], num_channels_per_adc: head[1] });

  // slots[t][a]: the readout channel that ADC a converts at time slot t.
  const slots = groups.slice(1).map((g) => g.replace(/[()]/g, '').split(' ').map((v) => {
    const n = parseIntText(v);
    if (n === null) throw bad();
    return n;
  }));
  const numAdcs = slots.length === 0 ? 0 : slots[0]!.length;
  if (slots.some((s) => s.length !== numAdcs)) throw bad();
  const n = probe.getContactCount();
  const adcGroup = new Array<number>(n).fill(0);
  const sampleOrder = new Array<number>(n).fill(0);
  for (let adc = 0; adc < numAdcs; adc++) {
    // Channels past the probe's readout count are placeholders (e.g. 128 in the NP1200 table) and
    // do not take a place in the ADC's sequence.
    let order = 0;
    for (const slot of slots) {
      const ch = slot[adc]!;
      if (ch >= n) continue;
      if (ch < 0) throw bad();
      adcGroup[ch] = adc;
      sampleOrder[ch] = order++;
    }
  }
  probe.annotateContacts({ adc_group: adcGroup, adc_sample_order: sampleOrder });
}
