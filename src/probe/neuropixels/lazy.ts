// The public entry points that build Neuropixels probes. Their code and ProbeInterface's catalogue
// are loaded with import() on the first call (both at once), so an application that never opens a
// Neuropixels recording carries neither.
import type { Probe } from '../probe.js';
import { loadNeuropixelsCatalogue } from './catalogue.js';
import type { ReadOpenephysProbeOptions } from './openephys.js';
import type { OpenephysSettings } from './openephys-settings.js';

/**
 * The probe of a SpikeGLX imec stream, from its .meta text (or the dict of
 * `parseSpikeglxMeta(text, { tables: 'text' })`), as ProbeInterface's `read_spikeglx`: the catalogue
 * probe of `imDatPrb_pn`, the `~imroTbl` electrodes in readout channel order (contact ids
 * `e<electrode>` / `s<shank>e<electrode>`) with their IMRO settings and ADC slots as contact
 * annotations, only the channels of `snsSaveChanSubset`, wired 0..n-1.
 */
export async function readSpikeglxProbe(meta: string | Readonly<Record<string, unknown>>): Promise<Probe> {
  const [m] = await Promise.all([import('./spikeglx.js'), loadNeuropixelsCatalogue()]);
  return m.readSpikeglxProbe(meta);
}

/**
 * The Neuropixels probe an Open Ephys settings.xml (text, or parsed with parseXml) describes, as
 * ProbeInterface's `read_openephys_neuropixels`: the enabled probe chosen by `streamName`,
 * `probeName` or `serialNumber`, its electrodes from SELECTED_ELECTRODES or worked out from
 * ELECTRODE_XPOS / YPOS, reordered by a Channel Map placed before the Record Node, reduced to the
 * channels the Record Node saves, wired 0..n-1. Check {@link hasNeuropixelsProbes} first.
 */
export async function readOpenephysProbe(settings: OpenephysSettings, opts: ReadOpenephysProbeOptions = {}): Promise<Probe> {
  const [m] = await Promise.all([import('./openephys.js'), loadNeuropixelsCatalogue()]);
  return m.readOpenephysProbe(settings, opts);
}

/**
 * A Neuropixels probe with every electrode of `partNumber` (e.g. "NP1000", "NP2013"; SpikeGLX's
 * `imDatPrb_pn`), as ProbeInterface's `build_neuropixels_probe`. An unknown part number is an
 * UNSUPPORTED error.
 */
export async function buildNeuropixelsProbe(partNumber: string): Promise<Probe> {
  const [m, catalogue] = await Promise.all([import('./build.js'), loadNeuropixelsCatalogue()]);
  return m.buildFromCatalogue(catalogue, partNumber, 'buildNeuropixelsProbe');
}

