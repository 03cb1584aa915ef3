// The statistics-based cases of the preprocessing fixtures (stats_based/*) and how each is built in
// this API: the chain's steps before the statistics step, then the step itself.
import {
  bandpassFilter, blankSaturation, center, correctLsb, highpassFilter, highpassSpatialFilter, normalizeByQuantile, scale, whiten, zscore, type BaseRecording,
} from '../../src/index.js';
import { camelOptions, openSource } from './helpers.js';

/** Every stats_based case whose statistics come from seeded random chunks drawn here. */
export const RANDOM_CHUNK_CASES = [
  'center_median', 'zscore_default', 'zscore_int', 'normalize_by_quantile_by_channel', 'normalize_by_quantile_pool',
  'whiten_global_apply_mean', 'whiten_local', 'blank_saturation_quantile', 'highpass_spatial_filter',
];

/** One step of a chain that is not a statistics step (the parents of the stats cases). */
export function applyPlain(rec: BaseRecording, step: { function: string; kwargs: Record<string, any> }): BaseRecording {
  const o = camelOptions<any>(step.kwargs);
  switch (step.function) {
    case 'bandpass_filter': return bandpassFilter(rec, o);
    case 'highpass_filter': return highpassFilter(rec, o);
    case 'scale': return scale(rec, o);
  }
  throw new Error(`no step ${step.function}`);
}

/** The recording the case's last step is applied to (its statistics are drawn from it). */
export async function buildParent(e: any): Promise<BaseRecording> {
  let rec = await openSource(e.source);
  for (const step of e.chain.slice(0, -1)) rec = applyPlain(rec, step);
  return rec;
}

/** The statistics step of a case, in this API (asynchronous: the random chunks are read first). */
export async function applyStats(rec: BaseRecording, step: { function: string; kwargs: Record<string, any> }): Promise<BaseRecording> {
  const o = camelOptions<any>(step.kwargs);
  switch (step.function) {
    case 'center': return center(rec, o);
    case 'zscore': return zscore(rec, o);
    case 'normalize_by_quantile': return normalizeByQuantile(rec, o);
    case 'blank_saturation': return blankSaturation(rec, o);
    case 'correct_lsb': return correctLsb(rec, o);
    case 'whiten': return whiten(rec, o);
    case 'highpass_spatial_filter': return highpassSpatialFilter(rec, { ...o, randomSliceKwargs: camelOptions(step.kwargs.random_slice_kwargs ?? {}) });
  }
  throw new Error(`no statistics step ${step.function}`);
}

/** The fixture's chain applied to its source. */
export async function buildCase(e: any): Promise<BaseRecording> {
  return applyStats(await buildParent(e), e.chain[e.chain.length - 1]);
}
