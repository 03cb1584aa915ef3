// The public form of the catalogue probe builder: loads the catalogue, then builds.
import type { Probe } from '../probe.js';
import { buildFromCatalogue } from './build.js';
import { loadNeuropixelsCatalogue } from './catalogue.js';

/**
 * A Neuropixels probe with every electrode of `partNumber` (e.g. "NP1000", "NP2013"; SpikeGLX's
 * `imDatPrb_pn`), as ProbeInterface's `build_neuropixels_probe`: contact ids `e<electrode>` (or
 * `s<shank>e<electrode>`), square contacts, the shank outlines, and the catalogue's annotations.
 * An unknown part number is an UNSUPPORTED error.
 */
export async function buildNeuropixelsProbe(partNumber: string): Promise<Probe> {
  return buildFromCatalogue(await loadNeuropixelsCatalogue(), partNumber, 'buildNeuropixelsProbe');
}
