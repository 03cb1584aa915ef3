// What an Open Ephys settings.xml says about its Neuropixels probes without building them
// (ProbeInterface's `has_neuropixels_probes` and `get_saved_channel_indices_from_openephys_settings`),
// and the helpers the probe reader (openephys-probes.ts) shares.
import { SpikewireError, describe } from '../../errors.js';
import { findAll, findFirst, iterElements, parseXml, type XmlElement } from '../xml.js';
import { parseIntText } from './spikeglx-meta.js';

/** A settings.xml as text or already parsed (its root element). */
export type OpenephysSettings = string | XmlElement;

const NP_PROBE_TAGS = new Set(['NP_PROBE', 'NEUROPIXELSV1E', 'NEUROPIXELSV1F', 'NEUROPIXELSV2E']);

/** The root element of a settings file given as text or as parsed XML. */
export function settingsRoot(settings: OpenephysSettings, where: string): XmlElement {
  if (typeof settings === 'string') return parseXml(settings, { source: `${where}: settings.xml` });
  if (settings !== null && typeof settings === 'object' && typeof settings.tag === 'string' && Array.isArray(settings.children)) return settings;
  throw new SpikewireError('INVALID_ARGUMENT', `${where}: settings must be the settings.xml text or its parsed root element, got ${describe(settings)}`);
}

/** A probe name from a STREAM name: without "-AP" / "-LFP" (every occurrence, as Python's str.replace). */
export function probeNameOfStream(name: string): string {
  return name.split('-AP').join('').split('-LFP').join('');
}

/**
 * Whether the settings describe Neuropixels probe geometry (an NP_PROBE or ONIX Neuropixels element
 * under a PROCESSOR); with `streamName`, only under a processor one of whose STREAM probe names is
 * part of `streamName`. Text that is not XML gives false, as in ProbeInterface.
 */
export function hasNeuropixelsProbes(settings: OpenephysSettings, streamName?: string | null): boolean {
  let root: XmlElement;
  try {
    root = settingsRoot(settings, 'hasNeuropixelsProbes');
  } catch (error) {
    if (error instanceof SpikewireError && error.code === 'FORMAT') return false;
    throw error;
  }
  for (const processor of iterElements(root)) {
    if (processor.tag !== 'PROCESSOR') continue;
    let hasProbe = false;
    for (const e of iterElements(processor)) {
      if (NP_PROBE_TAGS.has(e.tag)) {
        hasProbe = true;
        break;
      }
    }
    if (!hasProbe) continue;
    if (streamName === undefined || streamName === null) return true;
    for (const stream of findAll(processor, 'STREAM')) {
      const name = stream.attributes.name ?? '';
      if (name.includes('ADC')) continue;
      const probeName = probeNameOfStream(name);
      if (probeName !== '' && String(streamName).includes(probeName)) return true;
    }
  }
  return false;
}

/** The error for settings that do not hold what a Neuropixels probe needs. */
export function settingsError(where: string, what: string): SpikewireError {
  return new SpikewireError('FORMAT', `${where}: settings.xml ${what}`);
}

/** An integer attribute value, or a FORMAT error. */
export function intAttribute(value: string | undefined, where: string, what: string): number {
  const n = value === undefined ? null : parseIntText(value);
  if (n === null) throw settingsError(where, `${what} ${describe(value)} is not an integer`);
  return n;
}

/**
 * The channels the Record Node saves for `streamName` (ProbeInterface's
 * `get_saved_channel_indices_from_openephys_settings`): null when every channel is saved (states
 * "ALL" / "NONE" or none given), else the indices whose `recording_state` character is 1.
 */
export function getSavedChannelIndicesFromOpenephysSettings(settings: OpenephysSettings, streamName?: string | null): number[] | null {
  const where = 'getSavedChannelIndicesFromOpenephysSettings';
  const root = settingsRoot(settings, where);
  const chain = findFirst(root, 'SIGNALCHAIN');
  if (chain === null) throw settingsError(where, 'has no SIGNALCHAIN');
  const recordNode = chain.children.find((p) => p.tag === 'PROCESSOR' && (p.attributes.name ?? '').includes('Record Node'));
  const custom = recordNode === undefined ? null : findFirst(recordNode, 'CUSTOM_PARAMETERS');
  if (custom === null) return null;
  const streams = findAll(custom, 'STREAM');
  if (!streams.some((s) => s.attributes.recording_state !== undefined && s.attributes.recording_state !== 'ALL' && s.attributes.recording_state !== 'NONE')) return null;
  let stream = streams[0]!;
  if (streams.length > 1) {
    if (streamName === undefined || streamName === null) {
      throw new SpikewireError('INVALID_ARGUMENT', `${where}: more than one stream has custom parameters (${streams.map((s) => s.attributes.name).join(', ')}): give streamName`);
    }
    // ProbeInterface takes the first stream whose name is part of streamName (and warns when several are).
    const match = streams.find((s) => String(streamName).includes(s.attributes.name ?? '\u0000'));
    if (match === undefined) throw settingsError(where, `has no Record Node stream whose name is part of ${describe(streamName)}`);
    stream = match;
  }
  const state = stream.attributes.recording_state;
  if (state === undefined || state === 'ALL' || state === 'NONE') return null;
  const saved: number[] = [];
  for (let i = 0; i < state.length; i++) {
    const digit = parseIntText(state[i]!);
    if (digit === null) throw settingsError(where, `recording_state ${describe(state)}: character ${i} is not a digit`);
    if (digit === 1) saved.push(i);
  }
  return saved;
}
