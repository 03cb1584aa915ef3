// The filters/ cases built from their sources as the fixtures' chains say.
import { bandpassFilter, causalFilter, filter, highpassFilter, notchFilter, type BaseRecording, type FilterRecording } from '../../src/index.js';
import { camelOptions, openSource } from './helpers.js';

/** Every filters/ case built from s16 (gaussian is another preprocessor; unsigned_to_signed_bandpass needs unsignedToSigned). */
export const FILTER_CASES = [
  'bandpass_ba', 'bandpass_bessel', 'bandpass_custom', 'bandpass_default', 'bandpass_float32', 'bandpass_float64', 'bandpass_forward',
  'bandpass_reflect_padding', 'causal_backward_ba', 'causal_default', 'filter_highpass_band', 'filter_lowpass_coeff', 'highpass_custom_direction',
  'highpass_default', 'notch',
];

const BUILD: Record<string, (rec: BaseRecording, opts: any) => FilterRecording> = {
  filter, bandpass_filter: bandpassFilter, highpass_filter: highpassFilter, notch_filter: notchFilter, causal_filter: causalFilter,
};

/** The case's recording built from its source as the fixture's chain says. */
export async function buildCase(e: any): Promise<FilterRecording> {
  const source = await openSource(e.source);
  const step = e.chain[0];
  return BUILD[step.function](source, camelOptions(step.kwargs));
}
