// What a recording reader derives from a Neuropixels probe (SpikeInterface's neuropixels_utils): the
// `inter_sample_shift` property (when, within one sample period, each channel was converted) and the
// `saturation_threshold_uV` annotation.
import type { Probe } from '../probe.js';

/** An annotation that is a number, or null. */
function numberAnnotation(probe: Probe, key: string): number | null {
  const v = probe.annotations[key];
  return typeof v === 'number' ? v : null;
}

/**
 * Each contact's sampling delay as a fraction of the sample period (SpikeInterface's
 * `get_neuropixels_sample_shifts_from_probe`): `adc_sample_order / int(num_channels_per_adc *
 * (1 + lf_rate / ap_rate))` (13 cycles per sample on 1.0 probes, 16 on 2.0). Null (SpikeInterface
 * warns and sets nothing) when the probe lacks the ADC annotations.
 */
export function getNeuropixelsSampleShiftsFromProbe(probe: Probe): Float64Array | null {
  const perAdc = numberAnnotation(probe, 'num_channels_per_adc');
  const apRate = numberAnnotation(probe, 'ap_sample_frequency_hz');
  const lfRate = numberAnnotation(probe, 'lf_sample_frequency_hz');
  const order = probe.contactAnnotations.adc_sample_order;
  if (perAdc === null || apRate === null || lfRate === null || order === undefined) return null;
  const cycles = Math.trunc(perAdc * (1 + lfRate / apRate));
  return Float64Array.from(order as ArrayLike<number>, (o) => Number(o) / cycles);
}

/**
 * The level (µV) at which a Neuropixels stream saturates (SpikeInterface's
 * `compute_saturation_threshold_from_probe`): `adc_range_vpp / 2 / gain * 1e6` with the probe's
 * `lf_gain` when the stream name contains "lf" (any case), else its `ap_gain`. Null when either is missing.
 */
export function computeSaturationThresholdFromProbe(probe: Probe, streamName: string): number | null {
  const range = numberAnnotation(probe, 'adc_range_vpp');
  const gain = numberAnnotation(probe, String(streamName).toLowerCase().includes('lf') ? 'lf_gain' : 'ap_gain');
  if (range === null || gain === null) return null;
  return (range / 2 / gain) * 1e6;
}
