// Neuropixels probes from what the acquisition software writes (ProbeInterface's neuropixels_tools):
// SpikeGLX .meta and Open Ephys settings.xml, built from ProbeInterface's catalogue, which is loaded
// only when a Neuropixels probe is built.
export { parseSpikeglxMeta, getSavedChannelIndicesFromSpikeglxMeta } from './spikeglx-meta.js';
export type { SpikeglxMeta, ParseSpikeglxMetaOptions } from './spikeglx-meta.js';
export { readSpikeglxProbe, readOpenephysProbe, buildNeuropixelsProbe } from './lazy.js';
export { getNeuropixelsSampleShiftsFromProbe, computeSaturationThresholdFromProbe } from './recording-values.js';
export type { ReadOpenephysProbeOptions } from './openephys.js';
export { hasNeuropixelsProbes, getSavedChannelIndicesFromOpenephysSettings } from './openephys-settings.js';
export type { OpenephysSettings } from './openephys-settings.js';
