// The Neuropixels probe of an Open Ephys recording from its settings.xml (ProbeInterface's
// `read_openephys_neuropixels`): the enabled probe chosen by stream name, probe name or serial
// number, cut from the catalogue probe of its part number, annotated, reduced to the channels the
// Record Node saves, wired 0..n-1.
import { SpikewireError, describe } from '../../errors.js';
import { markAllNumbersFloat } from '../json-floats.js';
import type { Probe } from '../probe.js';
import { annotateAdcSampling } from './adc.js';
import { buildFromCatalogue } from './build.js';
import { loadNeuropixelsCatalogue } from './catalogue.js';
import { parseOpenephysProbes, type OpenephysProbeInfo } from './openephys-probes.js';
import { getSavedChannelIndicesFromOpenephysSettings, settingsRoot, type OpenephysSettings } from './openephys-settings.js';
import { pickByIds, pickByIndices } from './select.js';

/** Options of {@link readOpenephysProbe}: at most one of streamName, probeName, serialNumber. */
export interface ReadOpenephysProbeOptions {
  /** Picks the probe whose name is part of this text (e.g. "Neuropix-PXI-100.ProbeA-AP"); also selects the saved channels. */
  streamName?: string | null;
  /** Picks the probe with exactly this name (e.g. "ProbeB"). */
  probeName?: string | null;
  /** Picks the probe with exactly this serial number. */
  serialNumber?: string | number | null;
  /** Undo the y offset of multi-shank positions written by Neuropix-PXI before GUI 0.6 (default true). */
  fixXPositionForOe5?: boolean;
}

const WHERE = 'readOpenephysProbe';

/**
 * The Neuropixels probe described by an Open Ephys settings.xml (text or parsed with parseXml), as
 * ProbeInterface's `read_openephys_neuropixels`. Loads the Neuropixels catalogue on first use.
 * Check hasNeuropixelsProbes first for streams that may carry no Neuropixels probe.
 */
export async function readOpenephysProbe(settings: OpenephysSettings, opts: ReadOpenephysProbeOptions = {}): Promise<Probe> {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new SpikewireError('INVALID_ARGUMENT', `${WHERE}: options must be an object ({ streamName, probeName, serialNumber, fixXPositionForOe5 }), got ${describe(opts)}`);
  }
  const { streamName = null, probeName = null, serialNumber = null, fixXPositionForOe5 = true } = opts ?? {};
  if (streamName !== null && typeof streamName !== 'string') throw new SpikewireError('INVALID_ARGUMENT', `${WHERE}: streamName must be a string, got ${describe(streamName)}`);
  if (probeName !== null && typeof probeName !== 'string') throw new SpikewireError('INVALID_ARGUMENT', `${WHERE}: probeName must be a string, got ${describe(probeName)}`);
  const given = Object.entries({ streamName, probeName, serialNumber }).filter(([, v]) => v !== null && v !== '');
  if (given.length > 1) {
    throw new SpikewireError('INVALID_ARGUMENT', `${WHERE}: give one of streamName, probeName or serialNumber, got ${given.map(([k, v]) => `${k} ${describe(v)}`).join(' and ')}`);
  }
  const root = settingsRoot(settings, WHERE);
  const catalogue = await loadNeuropixelsCatalogue();
  const infos = parseOpenephysProbes(catalogue, root, fixXPositionForOe5 !== false, WHERE);
  const info = selectProbe(infos, streamName, probeName, serialNumber === null ? null : String(serialNumber));

  // A Channel Map before the Record Node reorders the electrodes (the probe stays wired 0..n-1).
  const reorder = <T>(list: T[]): T[] => (info.customChannelMap === null ? list : info.customChannelMap.map((i) => list[i]!));
  const pick =
    info.selectedElectrodeIndices !== null
      ? pickByIndices(reorder(info.selectedElectrodeIndices), `${WHERE}: SELECTED_ELECTRODES`)
      : pickByIds(reorder(info.contactIds!), `${WHERE}: electrode positions of ${info.name} (is probe_part_number right?)`);
  let probe = buildFromCatalogue(catalogue, info.partNumber, WHERE, pick);

  probe.serialNumber = info.serialNumber ?? null;
  probe.name = info.name;
  probe.annotate({ part_number: info.partNumber ?? null });
  if (info.slot !== undefined) probe.annotate({ slot: info.slot });
  if (info.port !== undefined) probe.annotate({ port: info.port });
  if (info.dock !== undefined) probe.annotate({ dock: info.dock });
  if (info.settingsChannelKeys !== null) {
    probe.annotateContacts({ settings_channel_key: reorder(info.settingsChannelKeys) });
  }
  annotateAdcSampling(probe);
  if (probe.annotations.ap_gain === undefined) {
    // written as "<gain>x", e.g. "500x"; Python float()s it, so the annotation is a float
    const gains: Record<string, number> = {};
    if (info.apGain !== undefined) gains.ap_gain = gainValue(info.apGain, 'apGainValue');
    if (info.lfGain !== undefined) gains.lf_gain = gainValue(info.lfGain, 'lfpGainValue');
    annotateFloats(probe, gains);
  }

  const saved = getSavedChannelIndicesFromOpenephysSettings(root, streamName);
  if (saved !== null) {
    const n = probe.getContactCount();
    const bad = saved.find((c) => c >= n);
    if (bad !== undefined) throw new SpikewireError('FORMAT', `${WHERE}: recording_state saves channel ${bad}, but probe ${info.name} has ${n} channels`);
    probe = probe.getSlice(saved);
  }
  probe.setDeviceChannelIndices(Array.from({ length: probe.getContactCount() }, (_, i) => i));
  return probe;
}

/** The probe `streamName` / `probeName` / `serialNumber` points at, as ProbeInterface chooses it. */
function selectProbe(infos: OpenephysProbeInfo[], streamName: string | null, probeName: string | null, serialNumber: string | null): OpenephysProbeInfo {
  const names = infos.map((p) => p.name);
  if (infos.length > 1) {
    let found: OpenephysProbeInfo | undefined;
    if (streamName) {
      found = infos.find((p) => streamName.includes(p.name)) ?? infos.find((p) => p.serialNumber !== undefined && streamName.includes(p.serialNumber));
      if (!found) throw new SpikewireError('NOT_FOUND', `${WHERE}: the stream ${describe(streamName)} is not associated to an available probe: ${describe(names)}`);
    } else if (probeName) {
      found = infos.find((p) => p.name === probeName);
      if (!found) throw new SpikewireError('NOT_FOUND', `${WHERE}: probeName ${describe(probeName)} is not one of the available probes ${describe(names)}`);
    } else if (serialNumber) {
      found = infos.find((p) => p.serialNumber === serialNumber);
      if (!found) throw new SpikewireError('NOT_FOUND', `${WHERE}: serialNumber ${describe(serialNumber)} is not one of ${describe(infos.map((p) => p.serialNumber ?? null))}`);
    } else {
      throw new SpikewireError('INVALID_ARGUMENT', `${WHERE}: the settings describe more than one probe (${names.join(', ')}): give streamName, probeName or serialNumber`);
    }
    return found;
  }
  const only = infos[0]!;
  if (streamName && !streamName.includes(only.name)) throw new SpikewireError('NOT_FOUND', `${WHERE}: streamName ${describe(streamName)} does not name the probe of the settings, ${describe(only.name)}`);
  if (probeName && probeName !== only.name) throw new SpikewireError('NOT_FOUND', `${WHERE}: probeName ${describe(probeName)} is not the probe of the settings, ${describe(only.name)}`);
  if (serialNumber && serialNumber !== only.serialNumber) throw new SpikewireError('NOT_FOUND', `${WHERE}: serialNumber ${describe(serialNumber)} is not the serial number of the probe of the settings, ${describe(only.serialNumber ?? null)}`);
  return only;
}

/** A gain written "500x": its number. */
function gainValue(text: string, field: string): number {
  const t = text.slice(0, -1).trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n)) throw new SpikewireError('FORMAT', `${WHERE}: NP_PROBE ${field} ${describe(text)} is not a gain like "500x"`);
  return n;
}

/** Annotates numbers that Python holds as floats (written 500.0). */
function annotateFloats(probe: Probe, values: Record<string, number>): void {
  const marked = { ...values };
  markAllNumbersFloat(marked);
  probe.annotate(marked);
}
