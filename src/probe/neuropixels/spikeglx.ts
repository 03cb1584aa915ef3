// The probe of a SpikeGLX recording from its .meta (ProbeInterface's `read_spikeglx`): the catalogue
// probe of `imDatPrb_pn`, the electrodes of `~imroTbl` in readout channel order, their IMRO settings
// and ADC slots as contact annotations, then only the channels saved in the file (`snsSaveChanSubset`),
// wired 0..n-1.
import { SpikewireError } from '../../errors.js';
import type { Probe } from '../probe.js';
import { annotateAdcSampling } from './adc.js';
import { buildFromCatalogue } from './build.js';
import { loadNeuropixelsCatalogue, probeSpec } from './catalogue.js';
import { imroContactIds, parseImro } from './imro.js';
import { pickByIds } from './select.js';
import { getSavedChannelIndicesFromSpikeglxMeta, metaDict, metaText } from './spikeglx-meta.js';

/** IMRO entry fields that become contact annotations, and their ProbeInterface names. */
const IMRO_ANNOTATIONS: Readonly<Record<string, string>> = {
  channel: 'channel_ids',
  bank: 'banks',
  bank_mask: 'banks',
  ref_id: 'references',
  ap_gain: 'ap_gains',
  lf_gain: 'lf_gains',
  ap_hipas_flt: 'ap_hp_filters',
};

/**
 * The probe of a SpikeGLX imec stream, from its .meta text (or the dict of
 * `parseSpikeglxMeta(text, { tables: 'text' })`), as ProbeInterface's `read_spikeglx`. Loads the
 * Neuropixels catalogue on first use.
 */
export async function readSpikeglxProbe(meta: string | Readonly<Record<string, unknown>>): Promise<Probe> {
  const where = 'readSpikeglxProbe';
  const dict = metaDict(meta, where);
  if (Array.isArray(dict.imroTbl)) {
    throw new SpikewireError('INVALID_ARGUMENT', `${where}: imroTbl is a list without its header (neo's parsing): pass the .meta text, or parseSpikeglxMeta(text, { tables: 'text' })`);
  }
  const imroText = metaText(dict, 'imroTbl', where);
  if (imroText === undefined) throw new SpikewireError('FORMAT', `${where}: the meta has no imroTbl key (not the .meta of an imec probe stream)`);
  // Phase3A probes have "imProbeOpt" and no part number: the catalogue calls them NP1010.
  const partNumber = metaText(dict, 'imProbeOpt', where) !== undefined ? 'NP1010' : metaText(dict, 'imDatPrb_pn', where);
  const catalogue = await loadNeuropixelsCatalogue();
  probeSpec(catalogue, partNumber, where); // an unknown part number is the first thing to report, as in ProbeInterface
  const imro = parseImro(catalogue, imroText);
  let probe = buildFromCatalogue(catalogue, partNumber, where, pickByIds(imroContactIds(imro), `${where}: imroTbl`));

  const annotations: Record<string, number[]> = {};
  for (const [field, values] of imro.fields) {
    const name = IMRO_ANNOTATIONS[field];
    if (name !== undefined && values.length > 0) annotations[name] = values;
  }
  checkLengths(annotations, probe.getContactCount());
  probe.annotateContacts(annotations);
  annotateAdcSampling(probe);

  if (probe.annotations.ap_gain === undefined) {
    // Settable gains: the IMRO header's, or the first entry's (every channel has the same).
    const apGain = imro.header.ap_gain ?? imro.fields.get('ap_gain')?.[0];
    const lfGain = imro.header.lf_gain ?? imro.fields.get('lf_gain')?.[0];
    if (apGain !== undefined) probe.annotate({ ap_gain: apGain });
    if (lfGain !== undefined) probe.annotate({ lf_gain: lfGain });
  }

  // IMRO picks the acquired electrodes; the file may hold only some of them (ids past the contacts
  // are the sync channel).
  const count = probe.getContactCount();
  const saved = getSavedChannelIndicesFromSpikeglxMeta(dict).filter((c) => c < count);
  if (saved.length !== count) probe = sliceSaved(probe, saved, where);

  const serial = metaText(dict, 'imDatPrb_sn', where) || metaText(dict, 'imProbeSN', where);
  probe.annotate({
    serial_number: serial ?? null,
    part_number: partNumber ?? null,
    port: metaText(dict, 'imDatPrb_port', where) ?? null,
    slot: metaText(dict, 'imDatPrb_slot', where) ?? null,
  });
  probe.setDeviceChannelIndices(Array.from({ length: probe.getContactCount() }, (_, i) => i));
  return probe;
}

/** Every IMRO column must have one value per selected contact. */
function checkLengths(annotations: Record<string, number[]>, n: number): void {
  for (const [name, values] of Object.entries(annotations)) {
    if (values.length !== n) throw new SpikewireError('FORMAT', `imroTbl: ${values.length} values of ${name} for ${n} electrodes`);
  }
}

/** The saved channels of the probe, or a FORMAT error naming a repeated one. */
function sliceSaved(probe: Probe, saved: number[], where: string): Probe {
  const seen = new Set<number>();
  for (const c of saved) {
    if (seen.has(c)) throw new SpikewireError('FORMAT', `${where}: snsSaveChanSubset lists channel ${c} twice`);
    seen.add(c);
  }
  return probe.getSlice(saved);
}

