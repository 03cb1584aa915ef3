import { SpikewireError } from '../errors.js';
import { isAbsolutePath, relativePath } from '../paths.js';
import type { PropertyColumn } from './properties.js';

/**
 * The SpikeInterface version whose dict, JSON and folder formats spikewire writes: dicts say so in
 * their "version" field, as SpikeInterface's own do.
 */
export const SPIKEINTERFACE_VERSION = '0.105.0';

/** SpikeInterface's description of an extractor: enough to rebuild it (`load`). */
export interface ExtractorDict {
  class: string;
  module: string;
  version: string;
  kwargs: Record<string, unknown>;
  annotations: Record<string, unknown>;
  properties: Record<string, unknown>;
  relative_paths: boolean;
  /** ProbeInterface's dict of the attached probes (SpikeInterface main). */
  probegroup?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Options of `toDict`, as SpikeInterface's `to_dict`. */
export interface ToDictOptions {
  /** All annotations (default: only SpikeInterface's main ones, `name` and `is_filtered`). */
  includeAnnotations?: boolean;
  /** All properties (default: only the main ones, null when unset). */
  includeProperties?: boolean;
  /** Make every kwarg whose name contains "path" relative to this folder (needs `recursive`). */
  relativeTo?: string | null;
  /** Describe nested recordings as dicts too (default: they stay objects, as in SpikeInterface). */
  recursive?: boolean;
  /**
   * The form property values take in the dict, given each property's column (default: a copy of the
   * values, as getProperty gives them). Pickles hold numpy arrays of the column's dtype here.
   */
  propertyValue?: (column: PropertyColumn) => unknown;
}

/** Annotations SpikeInterface always writes (null when unset). */
export const MAIN_ANNOTATIONS = ['name', 'is_filtered'] as const;
/**
 * Fields that are Python floats in SpikeInterface's dicts. JSON cannot tell 30000.0 from 30000, so
 * dumps write these as floats and loads read them back as float64.
 */
export const FLOAT_FIELDS: ReadonlySet<string> = new Set([
  'sampling_frequency', 't_starts', 't_start', 'gain_to_uV', 'offset_to_uV', 'gain_to_physical_unit', 'offset_to_physical_unit',
  // preprocessing kwargs SpikeInterface holds as floats
  'local_radius', 'margin_ms', 'inter_sample_shift', 'gain', 'offset', 'a_min', 'a_max', 'abs_threshold', 'quantile_threshold',
  'fill_value', 'freq_min', 'freq_max', 'band', 'freq', 'coeff',
  'scale', 'median', 'q1', 'q2', 'radius_um', 'int_scale', 'eps', 'W', 'M', 'rms_values', 'agc_window_length_s', 'highpass_butter_wn', 'epsilon',
  'sigma_um', 'p', 'weights', 'ms_before', 'ms_after', 'fit_sample_spacing', 'psd_hf_threshold', 'dead_channel_threshold', 'noisy_channel_threshold',
  'outside_channel_threshold', 'nyquist_threshold', 'chunk_duration_s', 'welch_window_ms', 'neighborhood_r2_threshold', 'neighborhood_r2_radius_um',
]);

/** Properties SpikeInterface always writes (null when unset). */
export const MAIN_PROPERTIES = ['group', 'gain_to_uV', 'offset_to_uV', 'gain_to_physical_unit', 'offset_to_physical_unit', 'physical_unit'] as const;

/**
 * SpikeInterface's `make_paths_relative`: every kwarg whose name contains "path" (strings or lists of
 * strings, in nested dicts too) becomes relative to `folder`. Nested dicts keep their own
 * `relative_paths` flag; only the top-level one says how to read the dict.
 */
export function makePathsRelative(dict: ExtractorDict, folder: string): ExtractorDict {
  const convert = (p: unknown): unknown => {
    if (typeof p !== 'string') return p;
    if (!isAbsolutePath(p)) {
      throw new SpikewireError('INVALID_ARGUMENT', `cannot make ${JSON.stringify(p)} relative to ${JSON.stringify(folder)}: it is not an absolute path`);
    }
    return relativePath(folder, p);
  };
  return mapPaths(dict, convert) as ExtractorDict;
}

/** True when every path kwarg is an absolute file path (URLs and relative paths cannot be rebased). */
export function canMakePathsRelative(dict: ExtractorDict): boolean {
  let ok = true;
  mapPaths(dict, (p) => {
    if (typeof p === 'string' && !isAbsolutePath(p)) ok = false;
    return p;
  });
  return ok;
}

/** Applies `convert` to every path kwarg (names containing "path") in a dict and its nested dicts. */
export function mapPaths(value: unknown, convert: (p: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapPaths(v, convert));
  if (!isExtractorDict(value)) return value;
  const mapped = (name: string, v: unknown): unknown => {
    if (name.includes('path')) return Array.isArray(v) ? v.map(convert) : convert(v);
    if (isExtractorDict(v) || Array.isArray(v)) return mapPaths(v, convert);
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && Object.values(v).some(isExtractorDict)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapPaths(x, convert)]));
    }
    return v;
  };
  // fromEntries defines own keys: a '__proto__' kwarg stays a kwarg, never the object's prototype.
  const kwargs = Object.fromEntries(Object.entries(value.kwargs).map(([name, v]) => [name, mapped(name, v)]));
  return { ...value, kwargs };
}

/** True for objects shaped like an {@link ExtractorDict}. */
export function isExtractorDict(value: unknown): value is ExtractorDict {
  return typeof value === 'object' && value !== null && typeof (value as ExtractorDict).class === 'string'
    && typeof (value as ExtractorDict).kwargs === 'object' && (value as ExtractorDict).kwargs !== null;
}
