// The Neuropixels probes an Open Ephys settings.xml describes (ProbeInterface's
// `_parse_openephys_settings`): per enabled probe its part and serial numbers, name, slot / port /
// dock, gains, and the electrodes it reads - given directly (SELECTED_ELECTRODES, newer plugins) or
// worked out from the electrode positions (CHANNELS + ELECTRODE_XPOS / YPOS, older plugins).
import { SpikewireError, describe } from '../../errors.js';
import { findAll, findFirst, type XmlElement } from '../xml.js';
import { neuropixelsContactId } from './build.js';
import { hasEntry, probeSpec, specNumber } from './catalogue.js';
import type { NeuropixelsCatalogue } from './catalogue-types.js';
import { hasNeuropixelsProbes, intAttribute, probeNameOfStream, settingsError } from './openephys-settings.js';
import { parseVersion, versionBefore } from './version.js';

/** One enabled probe of a settings file. */
export interface OpenephysProbeInfo {
  partNumber: string | undefined;
  serialNumber: string | undefined;
  name: string;
  slot: string | undefined;
  port: string | undefined;
  dock: string | undefined;
  apGain: string | undefined;
  lfGain: string | undefined;
  /** SELECTED_ELECTRODES: indices into the catalogue probe's contacts, or null. */
  selectedElectrodeIndices: number[] | null;
  /** Contact ids worked out from CHANNELS and the electrode positions, or null. */
  contactIds: string[] | null;
  /** The CHANNELS attribute names ("CH0", ...) sorted by channel number, or null. */
  settingsChannelKeys: string[] | null;
  /** The channel order of a Channel Map processor placed before the Record Node, or null. */
  customChannelMap: number[] | null;
}

/** A finite number attribute value (Python's float() of a position), or a FORMAT error. */
function floatAttribute(value: string | undefined, where: string, what: string): number {
  const t = value?.trim() ?? '';
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n)) throw settingsError(where, `${what} ${describe(value)} is not a finite number`);
  return n;
}

/** Every enabled Neuropixels probe of the settings, as ProbeInterface reads them. */
export function parseOpenephysProbes(
  catalogue: NeuropixelsCatalogue,
  root: XmlElement,
  fixXPositionForOe5: boolean,
  where: string,
): OpenephysProbeInfo[] {
  if (!hasNeuropixelsProbes(root)) throw settingsError(where, 'has no Neuropixels probe geometry (no NP_PROBE element)');
  const info = findFirst(root, 'INFO');
  const version = info === null ? null : findFirst(info, 'VERSION');
  if (version === null) throw settingsError(where, 'has no INFO/VERSION');
  const oeVersion = parseVersion(version.text, `${where}: settings.xml INFO/VERSION`);

  let neuropix: XmlElement | null = null;
  let onebox: XmlElement | null = null;
  let onix: XmlElement | null = null;
  let channelMap: XmlElement | null = null;
  let channelMapPosition: number | null = null;
  let recordNodePosition: number | null = null;
  let counter = 0;
  for (const chain of findAll(root, 'SIGNALCHAIN')) {
    for (const processor of chain.children) {
      if (processor.tag !== 'PROCESSOR') continue;
      const name = processor.attributes.name;
      if (name === undefined) throw settingsError(where, `has a PROCESSOR without a name`);
      if (name.includes('Neuropix-PXI')) neuropix = processor;
      if (name.includes('OneBox')) onebox = processor;
      if (name.includes('ONIX')) onix = processor;
      if (name.includes('Channel Map')) {
        channelMap = processor;
        channelMapPosition = counter;
      }
      if (name.includes('Record Node')) recordNodePosition = counter;
      counter++;
    }
  }
  const channelMapFirst = channelMapPosition !== null && recordNodePosition !== null && channelMapPosition < recordNodePosition;

  if (neuropix !== null && onebox !== null) throw settingsError(where, 'has both a Neuropix-PXI and a OneBox processor; expected one');
  let processor = onix ?? onebox ?? neuropix;
  if (neuropix !== null) {
    const library = parseVersion(neuropix.attributes.libraryVersion, `${where}: Neuropix-PXI libraryVersion`);
    if (versionBefore(library, parseVersion('0.3.3', ''))) {
      throw new SpikewireError('UNSUPPORTED', `${where}: electrode locations are written from Neuropix-PXI version 0.3.3 on; this file has ${neuropix.attributes.libraryVersion}`);
    }
  }
  if (processor === null) throw settingsError(where, 'has no Neuropix-PXI, OneBox or ONIX processor in its SIGNALCHAIN');
  const nodeId = processor.attributes.NodeId ?? processor.attributes.nodeId;

  // Probe names from the processor's STREAMs (GUI 0.6 and later).
  const streams = findAll(processor, 'STREAM');
  const hasStreams = streams.length > 0;
  let probeNames: string[] = [];
  for (const stream of streams) {
    const name = stream.attributes.name;
    if (name === undefined) throw settingsError(where, `has a STREAM without a name`);
    if (name.includes('ADC')) continue;
    const probeName = probeNameOfStream(name);
    if (!probeNames.includes(probeName)) probeNames.push(probeName);
  }
  if (processor === onix) probeNames = probeNames.filter((n) => n.includes('Probe'));

  // A Channel Map placed before the Record Node reorders (and subsets) what is recorded.
  let customMaps: number[][] | null = null;
  if (channelMap !== null && channelMapFirst) {
    const custom = findFirst(channelMap, 'CUSTOM_PARAMETERS');
    if (custom === null) throw settingsError(where, 'has a Channel Map processor without CUSTOM_PARAMETERS');
    const maps = findAll(custom, 'STREAM');
    customMaps = [];
    findAll(channelMap, 'STREAM').forEach((stream, i) => {
      if ((stream.attributes.name ?? '').includes('ADC')) return;
      const map = maps[i];
      if (map === undefined) throw settingsError(where, `Channel Map has no custom map for stream ${i}`);
      customMaps!.push(findAll(map, 'CH').map((ch) => intAttribute(ch.attributes.index, where, 'Channel Map CH index')));
    });
  }

  // GUI < 0.9 keeps NP_PROBE in the EDITOR, later versions in EDITOR/CUSTOM_PARAMETERS.
  const editor = findFirst(processor, 'EDITOR');
  if (editor === null) throw settingsError(where, `processor ${describe(processor.attributes.name)} has no EDITOR`);
  let npProbes: XmlElement[];
  if (versionBefore(oeVersion, parseVersion('0.9.0', ''))) {
    npProbes = findAll(editor, 'NP_PROBE');
  } else {
    const custom = findFirst(editor, 'CUSTOM_PARAMETERS');
    if (custom === null) throw settingsError(where, 'has no EDITOR/CUSTOM_PARAMETERS (GUI 0.9 and later keep the probes there)');
    if (processor === onix) {
      npProbes = [];
      for (const tag of ['NEUROPIXELSV1E', 'NEUROPIXELSV1F', 'NEUROPIXELSV2E']) {
        const parents = findAll(custom, tag);
        if (parents.length === 0) continue;
        npProbes = [parents[0]!];
        if (tag === 'NEUROPIXELSV2E') {
          // a 2.0 headstage holds two probes
          npProbes = [0, 1].map((a) => {
            const probe = findFirst(parents[0]!, `PROBE${a}`);
            if (probe === null) throw settingsError(where, `NEUROPIXELSV2E has no PROBE${a}`);
            return probe;
          });
        }
        break;
      }
    } else {
      npProbes = findAll(custom, 'NP_PROBE');
    }
  }
  if (npProbes.length === 0) throw settingsError(where, 'has no NP_PROBE element');
  // Neuropix-PXI 0.7.0 can disable probes: only enabled ones count.
  npProbes = npProbes.filter((p) => (p.attributes.isEnabled ?? '1') === '1');
  if (npProbes.length === 0) throw settingsError(where, 'has no enabled probe');
  if (!hasStreams) probeNames = npProbes.map((_, i) => `${nodeId}.${i}`);
  else if (npProbes.length < probeNames.length) throw settingsError(where, `has ${npProbes.length} NP_PROBE entries for the probes ${probeNames.join(', ')}`);

  return npProbes.map((npProbe, index) => {
    const a = npProbe.attributes;
    const partNumber = a.probe_part_number || a.probePartNumber;
    const serialNumber = a.probe_serial_number || a.probeSerialNumber;
    let name: string;
    if (a.custom_probe_name !== undefined && a.custom_probe_name !== serialNumber) name = a.custom_probe_name;
    else {
      const n = probeNames[index];
      if (n === undefined) throw settingsError(where, `has more enabled probes (${npProbes.length}) than probe streams (${probeNames.join(', ')})`);
      name = n;
    }
    // Quad-base probes: one stream name for 4 shanks, so the shank is appended.
    if (a.shank !== undefined) {
      const suffix = `-${intAttribute(a.shank, where, 'NP_PROBE shank') + 1}`;
      if (!name.includes(suffix)) {
        name = `${name}${suffix}`;
        probeNames[index] = name;
      }
    }
    const probeInfo: OpenephysProbeInfo = {
      partNumber, serialNumber, name, slot: a.slot, port: a.port, dock: a.dock, apGain: a.apGainValue, lfGain: a.lfpGainValue,
      selectedElectrodeIndices: null, contactIds: null, settingsChannelKeys: null, customChannelMap: null,
    };
    const selected = findFirst(npProbe, 'SELECTED_ELECTRODES');
    if (selected !== null) {
      probeInfo.selectedElectrodeIndices = Object.values(selected.attributes).map((v) => intAttribute(v, where, 'SELECTED_ELECTRODES value'));
      if (customMaps !== null) probeInfo.customChannelMap = customMap(customMaps, index, probeInfo.selectedElectrodeIndices.length, where);
    } else {
      const positionsInfo = electrodesFromPositions(catalogue, npProbe, partNumber, versionBefore(oeVersion, parseVersion('0.6.0', '')) && fixXPositionForOe5, where);
      probeInfo.settingsChannelKeys = positionsInfo.keys;
      probeInfo.contactIds = positionsInfo.contactIds;
      if (customMaps !== null) probeInfo.customChannelMap = customMap(customMaps, index, positionsInfo.keys.length, where);
    }
    return probeInfo;
  });
}

/** The first `count` entries of probe `index`'s custom channel map (the SYNC channel is left out). */
function customMap(maps: number[][], index: number, count: number, where: string): number[] {
  const map = maps[index];
  if (map === undefined) throw settingsError(where, `Channel Map has no map for probe ${index}`);
  const picked = map.slice(0, count);
  for (const i of picked) if (i < 0 || i >= count) throw settingsError(where, `Channel Map index ${i} is not in [0, ${count})`);
  if (new Set(picked).size !== picked.length) throw settingsError(where, `Channel Map repeats a channel`);
  return picked;
}

/**
 * Older plugins write no electrode indices: each channel's electrode is worked out from its position
 * (ELECTRODE_XPOS / YPOS) with the catalogue's pitches and stagger, as ProbeInterface does.
 */
function electrodesFromPositions(
  catalogue: NeuropixelsCatalogue,
  npProbe: XmlElement,
  partNumber: string | undefined,
  fixOe5: boolean,
  where: string,
): { keys: string[]; contactIds: string[] } {
  const channels = findFirst(npProbe, 'CHANNELS');
  if (channels === null) throw settingsError(where, 'NP_PROBE has neither SELECTED_ELECTRODES nor CHANNELS');
  const entries = Object.entries(channels.attributes).map(([key, value]) => ({ key, value, id: intAttribute(key.slice(2), where, `CHANNELS attribute name ${key}: channel number`) }));
  // sorted by channel number (CH10 after CH9)
  entries.sort((x, y) => x.id - y.id);
  const keys = entries.map((e) => e.key);
  let shankIds: number[] | null = null;
  if (entries.every((e) => e.value.includes(':'))) shankIds = entries.map((e) => intAttribute(e.value.split(':')[1], where, `CHANNELS ${e.key} shank`));
  else if (entries.every((e) => e.key.includes('_'))) shankIds = entries.map((e) => intAttribute(e.key.split('_')[1], where, `CHANNELS ${e.key} shank`));

  const xpos = findFirst(npProbe, 'ELECTRODE_XPOS');
  const ypos = findFirst(npProbe, 'ELECTRODE_YPOS');
  if (xpos === null || ypos === null) throw settingsError(where, 'NP_PROBE has no ELECTRODE_XPOS or ELECTRODE_YPOS');
  const xs = keys.map((k) => floatAttribute(hasEntry(xpos.attributes, k) ? xpos.attributes[k] : undefined, where, `ELECTRODE_XPOS ${k}`));
  const ys = keys.map((k) => floatAttribute(hasEntry(ypos.attributes, k) ? ypos.attributes[k] : undefined, where, `ELECTRODE_YPOS ${k}`));

  const spec = probeSpec(catalogue, partNumber, where);
  const shankPitch = specNumber(spec, 'shank_pitch_um');
  // Neuropix-PXI before GUI 0.6 added the shank pitch to y on multi-shank probes.
  if (fixOe5 && shankIds !== null) ys.forEach((_, i) => (ys[i] = ys[i]! - shankPitch * shankIds![i]!));
  // x from the first column (of the first shank used)
  let offset = xs.length === 0 ? NaN : xs.reduce((m, x) => Math.min(m, x), Infinity);
  if (shankIds !== null) offset -= shankIds.reduce((m, s) => Math.min(m, s), Infinity) * shankPitch;
  const yPitch = specNumber(spec, 'electrode_pitch_vert_um');
  const xPitch = specNumber(spec, 'electrode_pitch_horz_um');
  const cols = Math.trunc(specNumber(spec, 'cols_per_shank'));
  const stagger = specNumber(spec, 'even_row_horz_offset_left_edge_to_leftmost_electrode_center_um') - specNumber(spec, 'odd_row_horz_offset_left_edge_to_leftmost_electrode_center_um');
  const numShanks = Math.trunc(specNumber(spec, 'num_shanks'));
  if (numShanks > 1 && shankIds === null) throw settingsError(where, `CHANNELS of the ${numShanks}-shank probe ${describe(partNumber)} give no shank ("bank:shank" values)`);

  const contactIds = keys.map((key, i) => {
    const x = xs[i]! - offset;
    const y = ys[i]!;
    // Python's np.mod: the result has the divisor's sign
    const rowParity = (((y / yPitch + 1) % 2) + 2) % 2;
    const rowStagger = rowParity === 1 ? stagger : 0;
    const shank = numShanks > 1 ? shankIds![i]! : 0;
    const electrode = Math.trunc(xPitch === 0 ? (cols * y) / yPitch : (x - rowStagger - shankPitch * shank) / xPitch + (cols * y) / yPitch);
    if (!Number.isFinite(electrode)) throw settingsError(where, `the position (${xs[i]}, ${y}) of ${key} gives no electrode`);
    return neuropixelsContactId(electrode, shankIds === null ? null : shankIds[i]!);
  });
  return { keys, contactIds };
}
