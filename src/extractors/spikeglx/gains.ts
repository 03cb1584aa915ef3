// Per-channel gains of one SpikeGLX file as neo computes them (`extract_stream_info`), in the
// file's own unit: µV for imec probes, V for NI-DAQ and OneBox. The arithmetic keeps neo's order
// of operations so that every value is the same float64.
import { SpikewireError, describe } from '../../errors.js';
import type { SpikeglxFileInfo } from './discovery.js';
import { parseIntText as pyInt } from '../../probe/neuropixels/spikeglx-meta.js';
import { metaFloat, metaList, metaValue, pyFloat } from './meta-values.js';

/** A Neuropixels catalogue entry (text fields, as ProbeInterface's JSON holds them). */
export type NeuropixelsFeatures = Readonly<Record<string, string>>;

/** Finds the catalogue entry of a part number (undefined when the catalogue has none). */
export type FeaturesLookup = (partNumber: string) => NeuropixelsFeatures | undefined;

/** Gains and unit of one file's columns. */
export interface SpikeglxGains {
  /** Gain of every column of the .bin. */
  readonly gains: Float64Array;
  /** 'uV' for imec probes, 'V' otherwise. */
  readonly units: 'uV' | 'V';
}

/** neo's `_is_1_0_probe`: "1.0" in the datasheet, description or databus decoder of the entry. */
function isNeuropixels10(features: NeuropixelsFeatures): boolean {
  const text = (k: string) => (Object.hasOwn(features, k) && typeof features[k] === 'string' ? features[k] : '');
  return `${text('datasheet')}${text('description')}${text('databus_decoder')}`.includes('1.0');
}

/** 1 / float(text), or `FORMAT` for text that is no number or zero (Python's ZeroDivisionError). */
function inverse(text: string, what: string, where: string): number {
  const v = pyFloat(text);
  if (v === null || v === 0) throw new SpikewireError('FORMAT', `${where}: ${what} ${describe(text)} must be a non-zero number`);
  return 1.0 / v;
}

/**
 * The column gains of one file. imec: Neuropixels 1.0 probes take `imAiRangeMax / 512 × 1/G × 1e6`
 * with G the AP (field 3) or LF (field 4) gain of the k-th `~imroTbl` entry for column k — the k-th
 * entry even when `snsSaveChanSubset` saved other channels (neo's behaviour, kept); other probes
 * `imAiRangeMax / imMaxInt × 1/imChan0apGain × 1e6` (imMaxInt 8192 and the catalogue gain when
 * absent); the last column gets G = 1. NI-DAQ: `niAiRangeMax / 32768` over niMNGain / niMAGain for the
 * MN / MA columns. OneBox: `obAiRangeMax / obMaxInt`. Errors are `FORMAT` (a missing or bad key,
 * an unknown part number).
 */
export function spikeglxGains(info: SpikeglxFileInfo, lookup: FeaturesLookup, where: string): SpikeglxGains {
  const { meta, numChan } = info;
  if (info.fname.split('.').at(-2)!.includes('imec')) {
    let partNumber = Object.hasOwn(meta, 'imDatPrb_pn') ? metaValue(meta, 'imDatPrb_pn', where) : null;
    if (partNumber === null && Object.hasOwn(meta, 'imProbeOpt')) partNumber = 'NP1010'; // Phase3A, as ProbeInterface
    if (partNumber === null) throw new SpikewireError('FORMAT', `${where}: could not determine the probe part number (no imDatPrb_pn)`);
    const features = lookup(partNumber);
    if (features === undefined) throw new SpikewireError('FORMAT', `${where}: probe part number ${describe(partNumber)} is not in the Neuropixels catalogue`);
    const perChannel = new Float64Array(numChan).fill(1);
    let factor: number;
    if (isNeuropixels10(features)) {
      const field = info.streamKind === 'ap' ? 3 : info.streamKind === 'lf' ? 4 : -1;
      if (field < 0) throw new SpikewireError('FORMAT', `${where}: stream kind ${describe(info.streamKind)} of a Neuropixels 1.0 file must be ap or lf`);
      const imro = metaList(meta, 'imroTbl', where);
      for (let c = 0; c < numChan - 1; c++) {
        const entry = imro[c];
        const value = entry === undefined ? undefined : entry.split(' ')[field];
        if (value === undefined) throw new SpikewireError('FORMAT', `${where}: ~imroTbl entry ${c} ${describe(entry)} has no gain field ${field}`);
        perChannel[c] = inverse(value, `~imroTbl entry ${c} gain`, where);
      }
      factor = metaFloat(meta, 'imAiRangeMax', where) / 512;
    } else {
      let inv: number;
      if (Object.hasOwn(meta, 'imChan0apGain')) {
        inv = inverse(metaValue(meta, 'imChan0apGain', where), 'imChan0apGain', where);
      } else {
        const list = (Object.hasOwn(features, 'ap_gain_list') ? features.ap_gain_list : '').split(',');
        if (list.length > 1) throw new SpikewireError('FORMAT', `${where}: the catalogue lists several AP gains (${list.join(',')}) for ${partNumber} and the .meta has no imChan0apGain`);
        inv = inverse(list[0], 'catalogue ap_gain_list', where);
      }
      for (let c = 0; c < numChan - 1; c++) perChannel[c] = inv;
      let maxInt = 8192;
      if (Object.hasOwn(meta, 'imMaxInt')) {
        const v = pyInt(metaValue(meta, 'imMaxInt', where));
        if (v === null || v === 0) throw new SpikewireError('FORMAT', `${where}: imMaxInt ${describe(meta.imMaxInt)} must be a non-zero integer`);
        maxInt = v;
      }
      factor = metaFloat(meta, 'imAiRangeMax', where) / maxInt;
    }
    return { gains: perChannel.map((g) => factor * g * 1e6), units: 'uV' };
  }
  if (meta.typeThis === 'obx') {
    const maxInt = pyInt(metaValue(meta, 'obMaxInt', where));
    if (maxInt === null || maxInt === 0) throw new SpikewireError('FORMAT', `${where}: obMaxInt ${describe(meta.obMaxInt)} must be a non-zero integer`);
    const factor = metaFloat(meta, 'obAiRangeMax', where) / maxInt;
    return { gains: new Float64Array(numChan).fill(factor), units: 'V' };
  }
  const counts = metaValue(meta, 'snsMnMaXaDw', where).split(',').map((s) => pyInt(s));
  if (counts.length !== 4 || counts.some((c) => c === null)) throw new SpikewireError('FORMAT', `${where}: snsMnMaXaDw ${describe(meta.snsMnMaXaDw)} must be four integers`);
  const [mn, ma] = counts as number[];
  const perChannel = new Float64Array(numChan).fill(1);
  // numpy slices clip at the array's ends (negative starts count from the end: not in real files).
  if (mn < 0 || ma < 0) throw new SpikewireError('FORMAT', `${where}: snsMnMaXaDw ${describe(meta.snsMnMaXaDw)} has negative counts`);
  const mnGain = inverse(metaValue(meta, 'niMNGain', where), 'niMNGain', where);
  const maGain = inverse(metaValue(meta, 'niMAGain', where), 'niMAGain', where);
  for (let c = 0; c < Math.min(mn, numChan); c++) perChannel[c] = mnGain;
  for (let c = mn; c < Math.min(mn + ma, numChan); c++) perChannel[c] = maGain;
  const factor = metaFloat(meta, 'niAiRangeMax', where) / 32768;
  return { gains: perChannel.map((g) => g * factor), units: 'V' };
}
