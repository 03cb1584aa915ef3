// ProbeInterface for spikewire: the Probe / ProbeGroup model, generators, the ProbeInterface JSON and
// .prb formats, and SVG pictures. Depends on nothing but errors.ts and python/: text, bytes and
// Blobs in, text out. Reading and writing paths is formats/probe-files.ts's (it passes the file platform).

export { Probe, Shank } from './probe.js';
export type {
  ProbeOptions,
  SetContactsOptions,
  ProbeDict,
  ContactSide,
  ContactAnnotationValues,
  ProbeNumpyArray,
  ProbeNumpyField,
  ProbeNumpyInput,
} from './probe.js';
export { ProbeGroup } from './probegroup.js';
export type { ProbeGroupDict, GlobalDeviceChannelIndices, UniqueIdOptions } from './probegroup.js';
export type { ContactShape, ContactShapeParams, PlaneAxes, AutoShapeType } from './shapes.js';
export {
  generateDummyProbe,
  generateDummyProbeGroup,
  generateLinearProbe,
  generateMultiColumnsProbe,
  generateMultiShank,
  generateTetrode,
  combineProbes,
} from './generators.js';
export type { DummyProbeOptions, LinearProbeOptions, MultiColumnsProbeOptions, MultiShankOptions, TetrodeOptions } from './generators.js';
export {
  PROBEINTERFACE_VERSION,
  parseProbeinterface,
  readProbeinterfaceWith,
  writeProbeinterfaceWith,
  writeProbeinterfaceText,
} from './io-json.js';
export type { ProbeInterfaceJson, ProbeInterfaceInput } from './io-json.js';
export { parsePrb, readPrbWith, writePrbWith, writePrbText } from './prb.js';
export type { WritePrbOptions } from './prb.js';
export type { ReadFile, WriteFile } from './text-or-path.js';
export { plotProbe } from './plot.js';
export type { PlotProbeOptions, PlotStyle } from './plot.js';
export { COLORMAP_NAMES } from './colormaps.js';
export type { Colormap } from './colormaps.js';
export {
  parseSpikeglxMeta,
  getSavedChannelIndicesFromSpikeglxMeta,
  readSpikeglxProbe,
  buildNeuropixelsProbe,
  getNeuropixelsSampleShiftsFromProbe,
  computeSaturationThresholdFromProbe,
  readOpenephysProbe,
  hasNeuropixelsProbes,
  getSavedChannelIndicesFromOpenephysSettings,
} from './neuropixels/index.js';
export { parseXml } from './xml.js';
export type { XmlElement, ParseXmlOptions } from './xml.js';
export type {
  SpikeglxMeta,
  ParseSpikeglxMetaOptions,
  ReadOpenephysProbeOptions,
  OpenephysSettings,
} from './neuropixels/index.js';
