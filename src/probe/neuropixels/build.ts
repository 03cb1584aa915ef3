// A Neuropixels probe with every electrode of its part number, from the catalogue (ProbeInterface's
// build_neuropixels_probe): positions, square contacts, contact ids `e<electrode>` /
// `s<shank>e<electrode>`, the contour of each shank with its tip, and the probe-level annotations.
import { SpikewireError, describe } from '../../errors.js';
import { markAllFloat, markFloat } from '../json-floats.js';
import { Probe } from '../probe.js';
import { probeSpec, specNumber, hasEntry } from './catalogue.js';
import type { NeuropixelsCatalogue } from './catalogue-types.js';

/**
 * Distance from the centre of the bottom electrode row to the top of the shank tip (µm): a constant
 * of Neuropixels probes that the catalogue does not hold (ProbeInterface hard-codes it too).
 */
const ELECTRODE_TO_TIP_TOP_UM = 11;

/** ProbeInterface's fallback probe length when the catalogue gives none (µm). */
const DEFAULT_PROBE_LENGTH_UM = 10_000;

/** The canonical contact id of an electrode: `e<electrode>`, or `s<shank>e<electrode>` on multi-shank probes. */
export function neuropixelsContactId(electrode: number, shank: number | null): string {
  return shank === null ? `e${electrode}` : `s${shank}e${electrode}`;
}

/** Python's `int(text)` of a catalogue field that holds a number (e.g. "10000"): truncated toward zero. */
function probeLength(spec: Readonly<Record<string, string>>): number {
  return hasEntry(spec, 'shank_tip_to_base_um') ? Math.trunc(specNumber(spec, 'shank_tip_to_base_um')) : DEFAULT_PROBE_LENGTH_UM;
}

/** A list of numbers that Python holds as floats (written `12.0`). */
function floats(values: number[]): number[] {
  markAllFloat(values);
  return values;
}

/**
 * Picks contacts of the full catalogue probe: given every contact id (in catalogue order), returns
 * the indices to keep, in the order wanted.
 */
export type ContactPicker = (contactIds: readonly string[]) => number[];

/**
 * The catalogue probe of `partNumber` as ProbeInterface's `build_neuropixels_probe` makes it (every
 * electrode of every shank), or - with `pick` - the same probe already sliced to the picked
 * contacts (what ProbeInterface's `get_slice` of it gives, without building thousands of contacts
 * that are dropped at once). `where` names the caller in error messages.
 */
export function buildFromCatalogue(catalogue: NeuropixelsCatalogue, partNumber: unknown, where: string, pick?: ContactPicker): Probe {
  const spec = probeSpec(catalogue, partNumber, where);
  const numShanks = Math.trunc(specNumber(spec, 'num_shanks'));
  const cols = Math.trunc(specNumber(spec, 'cols_per_shank'));
  const perShank = cols * Math.trunc(specNumber(spec, 'rows_per_shank'));
  const xPitch = specNumber(spec, 'electrode_pitch_horz_um');
  const yPitch = specNumber(spec, 'electrode_pitch_vert_um');
  const evenOffset = specNumber(spec, 'even_row_horz_offset_left_edge_to_leftmost_electrode_center_um');
  const oddOffset = specNumber(spec, 'odd_row_horz_offset_left_edge_to_leftmost_electrode_center_um');
  const multiShank = numShanks !== 1;
  const shankPitch = multiShank ? specNumber(spec, 'shank_pitch_um') : 0;
  const width = specNumber(spec, 'electrode_size_horz_direction_um');
  // Sizes come from a file we ship, but a bad entry must not make us allocate without bound.
  if (!(numShanks >= 1 && perShank >= 1 && numShanks * perShank <= 1 << 20)) {
    throw new SpikewireError('FORMAT', `Neuropixels catalogue entry ${describe(partNumber)}: ${numShanks} shanks of ${perShank} electrodes, expected 1 to ${1 << 20} electrodes`);
  }

  const positions: number[][] = [];
  const contactIds: string[] = [];
  const shankIds: number[] = [];
  for (let s = 0; s < numShanks; s++) {
    for (let e = 0; e < perShank; e++) {
      const row = Math.floor(e / cols);
      const col = e % cols;
      // Even rows (0, 2, ...) sit `evenOffset - oddOffset` further right than odd rows (staggered layouts).
      const stagger = ((row + 1) % 2) * (evenOffset - oddOffset);
      positions.push([col * xPitch + stagger + s * shankPitch, row * yPitch]);
      contactIds.push(neuropixelsContactId(e, multiShank ? s : null));
      shankIds.push(s);
    }
  }

  const keep = pick === undefined ? null : pick(contactIds);
  const picked = <T>(list: T[]): T[] => (keep === null ? list : keep.map((i) => list[i]!));

  const probe = new Probe({ ndim: 2, siUnits: 'um', modelName: partNumber as string, manufacturer: 'imec' });
  probe.description = spec.description ?? null;
  const shapeParams = { width };
  markFloat(shapeParams, 'width');
  probe.setContacts({ positions: picked(positions), shapes: 'square', shankIds: multiShank ? picked(shankIds) : null, shapeParams });
  probe.setContactIds(picked(contactIds));

  // One five-point outline per shank (top-left, base-left, tip, base-right, top-right), shifted so
  // that the centre of the first column of the bottom row is the origin.
  const shankWidth = specNumber(spec, 'shank_width_um');
  const tipLength = specNumber(spec, 'tip_length_um');
  const length = probeLength(spec);
  const outline = [[0, length], [0, 0], [shankWidth / 2, -tipLength], [shankWidth, 0], [shankWidth, length]] as const;
  const contour: number[][] = [];
  const shankTips: number[][] = [];
  for (let s = 0; s < numShanks; s++) {
    const dx = s * shankPitch - oddOffset;
    for (const [x, y] of outline) contour.push(floats([x + dx, y - ELECTRODE_TO_TIP_TOP_UM]));
    shankTips.push(floats([outline[2][0] + dx, outline[2][1] - ELECTRODE_TO_TIP_TOP_UM]));
  }
  probe.setPlanarContour(contour);
  probe.annotate({ shank_tips: shankTips });

  const lfRate = specNumber(spec, 'lf_sample_frequency_hz');
  const annotations: Record<string, unknown> = {
    adc_bit_depth: Math.trunc(specNumber(spec, 'adc_bit_depth')),
    num_readout_channels: Math.trunc(specNumber(spec, 'num_readout_channels')),
    ap_sample_frequency_hz: specNumber(spec, 'ap_sample_frequency_hz'),
    lf_sample_frequency_hz: lfRate,
    adc_range_vpp: specNumber(spec, 'adc_range_vpp'),
  };
  for (const k of ['ap_sample_frequency_hz', 'lf_sample_frequency_hz', 'adc_range_vpp']) markFloat(annotations, k);
  // A gain that cannot be changed (one value in the list) is a property of the probe.
  const apGains = gainList(spec, 'ap_gain_list');
  if (apGains.length === 1) {
    annotations.ap_gain = apGains[0];
    markFloat(annotations, 'ap_gain');
  }
  if (lfRate > 0) {
    const lfGains = gainList(spec, 'lf_gain_list');
    if (lfGains.length === 1) {
      annotations.lf_gain = lfGains[0];
      markFloat(annotations, 'lf_gain');
    }
  }
  probe.annotate(annotations);
  // Which ADC samples which readout channel: kept as the catalogue's text, turned into per-contact
  // annotations once the contacts are in readout-channel order (see adc.ts).
  const muxType = spec.mux_table_format_type;
  if (muxType !== undefined && hasEntry(catalogue.z_mux_tables, muxType)) probe.annotate({ adc_sampling_table: catalogue.z_mux_tables[muxType] });
  return probe;
}

/** The gains of a catalogue list such as "50,125,250,500" (an empty list when the field is absent). */
function gainList(spec: Readonly<Record<string, string>>, field: string): number[] {
  const text = hasEntry(spec, field) ? spec[field]! : '';
  const gains = text.split(',').map((g) => (g.trim() === '' ? NaN : Number(g)));
  if (gains.some((g) => !Number.isFinite(g))) {
    throw new SpikewireError('FORMAT', `Neuropixels catalogue entry ${describe(spec.part_number)}: ${field} is ${describe(text)}, expected comma-separated numbers`);
  }
  return gains;
}
