// SpikeInterface's IIR filter preprocessors (filter.py): FilterRecording and its bandpass, highpass
// and notch variants, and causal_filter. Coefficients come from filter-design.ts (bit-equal with
// scipy); each read takes the parent chunk with its margins (clipped at the segment's ends, or
// reflect-padded), filters it in the kernel in the requested direction, drops the margins and
// rounds half to even into integer output dtypes.
import type { DType, TypedArray } from '../dtype.js';
import { numpyDTypeString } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { lfilter, sosfilt } from '../kernel/index.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';
import { iirfilter, iirnotch, type FilterFamily } from './filter-design.js';
import { baPasses, filtfiltAt, sosPasses, type Passes } from './filtering.js';

const DIRECTIONS = ['forward-backward', 'forward', 'backward'] as const;
const FILTER_MODES = ['sos', 'ba'] as const;
const BTYPES = ['bandpass', 'highpass'] as const;
const FTYPES = ['butter', 'bessel'] as const;
const RIPPLE_FTYPES = ['cheby1', 'cheby2', 'ellip'];
/** Below this freqMin (Hz) the high-pass filters refuse to build unless told to ignore it. */
const HIGHPASS_ERROR_THRESHOLD_HZ = 100;

/** Direction of a filter pass (SpikeInterface's `direction`). */
export type FilterDirection = (typeof DIRECTIONS)[number];

/**
 * User coefficients: SOS as rows of 6 (or a flat array of whole rows) with `filterMode: 'sos'`,
 * `[b, a]` (or `{ b, a }`) with `filterMode: 'ba'`.
 */
export type FilterCoefficients = readonly (readonly number[])[] | ArrayLike<number> | { b: ArrayLike<number>; a: ArrayLike<number> };

/** Options shared by every filter (SpikeInterface's `filter_kwargs`, camelCased). */
export interface FilterKwargs {
  /** Cutoff in Hz: one frequency for 'highpass', [low, high] for 'bandpass'. */
  band?: number | readonly number[];
  /** 'bandpass' (default) or 'highpass'. */
  btype?: 'bandpass' | 'highpass';
  /** Order of the designed filter (default 5). */
  filterOrder?: number;
  /** Filter family: 'butter' (default) or 'bessel'. */
  ftype?: string;
  /** Coefficient form: second-order sections ('sos', default) or numerator/denominator ('ba'). */
  filterMode?: 'sos' | 'ba';
  /** Pad the margins at the segment's ends by reflection instead of clipping them. */
  addReflectPadding?: boolean;
  /** Coefficients to use instead of designing them (any response, lowpass included). */
  coeff?: FilterCoefficients | null;
  /** 'forward-backward' (default, zero phase), 'forward' or 'backward' (one causal pass). */
  direction?: FilterDirection;
}

/** Options of {@link filter}: the filter keywords plus the margin (mandatory) and output dtype. */
export interface FilterOptions extends FilterKwargs {
  /** Margin read on each side of a chunk, in ms (no default: it must be given). */
  marginMs?: number;
  /** Output sample type (default: the parent's); unsigned types are refused. */
  dtype?: DType | string | null;
}

/** Options of {@link bandpassFilter}. */
export interface BandpassFilterOptions extends Omit<FilterKwargs, 'band'> {
  /** High-pass cutoff in Hz (default 300). */
  freqMin?: number;
  /** Low-pass cutoff in Hz (default 6000). */
  freqMax?: number;
  /** Margin in ms, or 'auto' (default): 5 periods of freqMin. */
  marginMs?: number | 'auto';
  /** Output sample type (default: the parent's). */
  dtype?: DType | string | null;
  /** Build even when freqMin is below 100 Hz. */
  ignoreLowFreqError?: boolean;
}

/** Options of {@link highpassFilter}. */
export interface HighpassFilterOptions extends Omit<FilterKwargs, 'band' | 'btype'> {
  /** Cutoff in Hz (default 300). */
  freqMin?: number;
  /** Margin in ms, or 'auto' (default): 5 periods of freqMin. */
  marginMs?: number | 'auto';
  /** Output sample type (default: the parent's). */
  dtype?: DType | string | null;
  /** Build even when freqMin is below 100 Hz. */
  ignoreLowFreqError?: boolean;
}

/** Options of {@link notchFilter}. */
export interface NotchFilterOptions extends Omit<FilterKwargs, 'coeff' | 'filterMode'> {
  /** Frequency removed, in Hz (default 3000). */
  freq?: number;
  /** Quality factor (default 30). */
  q?: number;
  /** Margin in ms, or 'auto' (default): 5/π · q/freq s. */
  marginMs?: number | 'auto';
  /** Output sample type (default: the parent's). */
  dtype?: DType | string | null;
}

/** Options of {@link causalFilter}: those of {@link filter}, direction 'forward' or 'backward', margin 5 ms by default. */
export interface CausalFilterOptions extends Omit<FilterOptions, 'direction'> {
  /** 'forward' (default) or 'backward'. */
  direction?: 'forward' | 'backward';
}

/** SpikeInterface's snake_case names of the filter keywords, in its order. */
const KWARG_NAMES: Record<keyof FilterKwargs, string> = {
  band: 'band', btype: 'btype', filterOrder: 'filter_order', ftype: 'ftype', filterMode: 'filter_mode',
  coeff: 'coeff', addReflectPadding: 'add_reflect_padding', direction: 'direction',
};

/** The designed or given coefficients of one filter, as the segments apply them. */
type Coefficients = { mode: 'sos'; sos: Float64Array } | { mode: 'ba'; b: Float64Array; a: Float64Array };

/** How the option names of the cutoffs read in messages (a subclass names them freqMin / freqMax). */
type BandNames = readonly [string, string?];

/** What FilterRecording's constructor needs besides the parent. */
interface FilterSetup extends FilterOptions {
  fn: string;
  bandNames: BandNames;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Coefficients given by the user → the float64 arrays the kernel runs, and the kwargs' nested lists. */
function userCoefficients(fn: string, coeff: FilterCoefficients, mode: 'sos' | 'ba'): { coefficients: Coefficients; stored: unknown } {
  const numbers = (v: unknown, what: string): Float64Array => {
    check(v !== null && typeof v === 'object' && typeof (v as ArrayLike<unknown>).length === 'number' && Array.from(v as ArrayLike<unknown>).every(isNumber),
      'INVALID_ARGUMENT', () => `${fn}: ${what} must be finite numbers, got ${describe(v)}`);
    return Float64Array.from(v as ArrayLike<number>);
  };
  if (mode === 'ba') {
    const pair = Array.isArray(coeff) ? coeff : coeff !== null && typeof coeff === 'object' && 'b' in coeff ? [coeff.b, coeff.a] : null;
    check(pair !== null && pair.length === 2, 'INVALID_ARGUMENT', () => `${fn}: with filterMode 'ba', coeff must be [b, a], got ${describe(coeff)}`);
    const b = numbers(pair[0], 'coeff b');
    const a = numbers(pair[1], 'coeff a');
    check(b.length > 0 && a.length > 0 && a[0] !== 0, 'INVALID_ARGUMENT', () => `${fn}: coeff [b, a] needs non-empty b and a with a[0] ≠ 0, got ${describe(coeff)}`);
    return { coefficients: { mode, b, a }, stored: [Array.from(b), Array.from(a)] };
  }
  const rows = Array.isArray(coeff) && coeff.every((r) => Array.isArray(r)) ? (coeff as number[][]) : null;
  const flat = rows ? numbers(rows.flat(), 'coeff') : numbers(coeff, 'coeff');
  check((rows === null || rows.every((r) => r.length === 6)) && flat.length > 0 && flat.length % 6 === 0, 'INVALID_ARGUMENT',
    () => `${fn}: with filterMode 'sos', coeff must be rows of 6 second-order-section coefficients, got ${describe(coeff)}`);
  const stored = Array.from({ length: flat.length / 6 }, (_, s) => Array.from(flat.subarray(s * 6, s * 6 + 6)));
  return { coefficients: { mode, sos: flat }, stored };
}

/** iirfilter with the arguments FilterRecording passes, its errors named in this API's options. */
function designFilter(fn: string, band: unknown, btype: 'bandpass' | 'highpass', order: unknown, ftype: unknown, mode: 'sos' | 'ba', fs: number, names: BandNames): Coefficients {
  check(Number.isInteger(order) && (order as number) >= 1, 'INVALID_ARGUMENT', () => `${fn}: filterOrder must be a positive integer, got ${describe(order)}`);
  if (typeof ftype === 'string' && RIPPLE_FTYPES.includes(ftype)) {
    throw new SpikewireError('UNSUPPORTED', `${fn}: ftype ${describe(ftype)} needs ripple parameters (rp/rs), which filters do not take; use 'butter' or 'bessel'`);
  }
  const family = checkChoice(fn, 'ftype', ftype, FTYPES) as FilterFamily;
  const freqs = btype === 'highpass' ? [band] : Array.isArray(band) ? band : [band];
  const label = (i: number) => (btype === 'highpass' ? names[0] : names[1] === undefined ? `${names[0]}[${i}]` : names[i]!);
  if (btype === 'bandpass') {
    check(freqs.length === 2, 'INVALID_ARGUMENT', () => `${fn}: a bandpass filter needs ${names[1] === undefined ? `${names[0]} [low, high]` : `${names[0]} and ${names[1]}`}, got ${describe(band)}`);
  }
  freqs.forEach((f, i) => {
    check(isNumber(f) && f > 0, 'INVALID_ARGUMENT', () => `${fn}: ${label(i)} must be a positive frequency in Hz, got ${describe(f)}`);
    check((f as number) < fs / 2, 'INVALID_ARGUMENT', () => `${fn}: ${label(i)} ${f} Hz must be below the Nyquist frequency (${fs / 2} Hz)`);
  });
  if (freqs.length === 2) {
    check((freqs[0] as number) < (freqs[1] as number), 'INVALID_ARGUMENT', () => `${fn}: ${label(0)} (${freqs[0]} Hz) must be below ${label(1)} (${freqs[1]} Hz)`);
  }
  const wn = btype === 'highpass' ? (freqs[0] as number) : (freqs as number[]);
  if (mode === 'sos') return { mode, sos: iirfilter(order as number, wn, { btype, ftype: family, output: 'sos', fs }) };
  const { b, a } = iirfilter(order as number, wn, { btype, ftype: family, output: 'ba', fs });
  return { mode, b, a };
}

/**
 * SpikeInterface's FilterRecording: an IIR filter (designed with scipy's iirfilter, or given as
 * coefficients) applied lazily chunk by chunk, each chunk read with `marginMs` on each side.
 * Filtering zeroes `offset_to_uV` and annotates `is_filtered`; integer outputs are rounded half to even.
 */
export class FilterRecording extends BasePreprocessor {
  static override readonly className: string = 'FilterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.filter.FilterRecording';
  /** Margin in frames: `int(marginMs * fs / 1000)`. */
  readonly marginSamples: number;
  /** The coefficients every segment applies. */
  readonly coefficients: Coefficients;
  /** The direction of the passes. */
  readonly direction: FilterDirection;

  constructor(recording: BaseRecording, opts: FilterOptions = {}, setup: Partial<FilterSetup> = {}) {
    const fn = setup.fn ?? 'filter';
    checkPreprocessorArgs(fn, recording, opts);
    const band = opts.band ?? [300.0, 6000.0];
    const btype = opts.btype ?? 'bandpass';
    const filterOrder = opts.filterOrder ?? 5;
    const ftype = opts.ftype ?? 'butter';
    const filterMode = checkChoice(fn, 'filterMode', opts.filterMode ?? 'sos', FILTER_MODES);
    const addReflectPadding = opts.addReflectPadding ?? false;
    const direction = checkChoice(fn, 'direction', opts.direction ?? 'forward-backward', DIRECTIONS);
    check(typeof addReflectPadding === 'boolean', 'INVALID_ARGUMENT', () => `${fn}: addReflectPadding must be true or false, got ${describe(addReflectPadding)}`);
    const fs = recording.getSamplingFrequency();
    let coefficients: Coefficients;
    let storedCoeff: unknown = null;
    if (opts.coeff === undefined || opts.coeff === null) {
      const bt = checkChoice(fn, 'btype', btype, BTYPES);
      coefficients = designFilter(fn, band, bt, filterOrder, ftype, filterMode, fs, setup.bandNames ?? ['band']);
    } else {
      ({ coefficients, stored: storedCoeff } = userCoefficients(fn, opts.coeff, filterMode));
    }
    const dtype = fixDtype(fn, recording, opts.dtype);
    const marginMs = opts.marginMs;
    check(marginMs !== undefined && marginMs !== null, 'INVALID_ARGUMENT', () => `${fn}: marginMs must be given (the margin in ms read on each side of a chunk)`);
    check(isNumber(marginMs) && marginMs >= 0, 'INVALID_ARGUMENT', () => `${fn}: marginMs must be a non-negative number of ms, got ${describe(marginMs)}`);
    super(recording, { dtype });
    this.annotate({ is_filtered: true });
    // set_channel_offsets(0) in SpikeInterface: an int64 column of zeros
    if (this.getPropertyKeys().includes('offset_to_uV')) this.setProperty('offset_to_uV', new Array<number>(this.getNumChannels()).fill(0));
    this.marginSamples = Math.trunc((marginMs * fs) / 1000.0);
    this.coefficients = coefficients;
    this.direction = direction;
    // scipy's edge extension runs in the chunk's own dtype (numpy wraps int16); unsigned chunks are
    // converted to float32 first, as SpikeInterface does
    const parentDtype = recording.getDtype();
    const chunkDtype: DType = parentDtype.startsWith('u') ? 'float32' : parentDtype;
    for (const segment of recording.segments) {
      this.addRecordingSegment(new FilterRecordingSegment(segment, dtype, chunkDtype, coefficients, this.marginSamples, addReflectPadding, direction));
    }
    this._kwargs = {
      recording,
      band: Array.isArray(band) ? [...band] : band,
      btype,
      filter_order: filterOrder,
      ftype,
      filter_mode: filterMode,
      coeff: storedCoeff,
      margin_ms: marginMs,
      add_reflect_padding: addReflectPadding,
      dtype: numpyDTypeString(dtype),
      direction,
    };
  }
}

/** The filter keywords the user gave, in SpikeInterface's snake_case (they follow a subclass's own kwargs). */
function passedFilterKwargs(opts: object, allowed: readonly (keyof FilterKwargs)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(opts)) {
    if (value === undefined || !(allowed as readonly string[]).includes(key)) continue;
    out[KWARG_NAMES[key as keyof FilterKwargs]] = key === 'band' && Array.isArray(value) ? [...value] : value;
  }
  return out;
}

/** The passed filter keywords as stored: user coefficients as FilterRecording keeps them (nested lists). */
function storedFilterKwargs(filterKwargs: Record<string, unknown>, filterRecordingKwargs: Record<string, unknown>): Record<string, unknown> {
  return 'coeff' in filterKwargs && filterKwargs.coeff !== null ? { ...filterKwargs, coeff: filterRecordingKwargs.coeff } : filterKwargs;
}

/** Refuses options a subclass does not take (SpikeInterface raises TypeError for them). */
function checkKnownOptions(fn: string, opts: object, own: readonly string[], filterKwargs: readonly string[]): void {
  for (const key of Object.keys(opts)) {
    check(own.includes(key) || filterKwargs.includes(key), 'INVALID_ARGUMENT',
      () => `${fn}: unknown option ${describe(key)} (accepted: ${[...own, ...filterKwargs].join(', ')})`);
  }
}

/** SpikeInterface's checks of a high-pass cutoff: refused below 100 Hz unless ignored, a warning for a short margin. */
function highpassCheck(fn: string, freqMin: unknown, marginMs: number, ignoreLowFreqError: unknown): void {
  check(isNumber(freqMin) && freqMin > 0, 'INVALID_ARGUMENT', () => `${fn}: freqMin must be a positive frequency in Hz, got ${describe(freqMin)}`);
  check(typeof ignoreLowFreqError === 'boolean', 'INVALID_ARGUMENT', () => `${fn}: ignoreLowFreqError must be true or false, got ${describe(ignoreLowFreqError)}`);
  if (freqMin < HIGHPASS_ERROR_THRESHOLD_HZ && !ignoreLowFreqError) {
    throw new SpikewireError('INVALID_ARGUMENT',
      `${fn}: freqMin ${freqMin} Hz is too low and may cause artifacts during chunk processing (below ${HIGHPASS_ERROR_THRESHOLD_HZ} Hz); ` +
        `set ignoreLowFreqError: true to build it anyway, and process it in large chunks`);
  }
  const auto = autoMarginMs(freqMin);
  if (isNumber(marginMs) && marginMs < auto) {
    console.warn(`spikewire: The provided marginMs (${marginMs} ms) is smaller than the recommended margin for the given freqMin (${freqMin} Hz). ` +
      `This may lead to artifacts at the edges of chunks during processing. Consider increasing marginMs to at least ${auto} ms.`);
  }
}

/** SpikeInterface's adjust_margin_ms_for_highpass: 5 periods of the cutoff, in ms. */
const autoMarginMs = (freqMin: number) => 5 * (1000.0 / freqMin);

/**
 * The options of the high-pass subclasses: freqMin (300 Hz by default), marginMs ('auto' → 5 periods
 * of freqMin), SpikeInterface's low-cutoff checks, and the filter keywords passed on.
 */
function highpassOptions(fn: string, opts: BandpassFilterOptions | HighpassFilterOptions, own: readonly string[], allowed: readonly (keyof FilterKwargs)[]) {
  check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `${fn}: options must be an object, got ${describe(opts)}`);
  checkKnownOptions(fn, opts, own, allowed);
  const freqMin = opts.freqMin ?? 300.0;
  const ignoreLowFreqError = opts.ignoreLowFreqError ?? false;
  const given = opts.marginMs ?? 'auto';
  const marginMs = given === 'auto' && isNumber(freqMin) ? autoMarginMs(freqMin) : (given as number);
  highpassCheck(fn, freqMin, marginMs, ignoreLowFreqError);
  return { freqMin, marginMs, ignoreLowFreqError, filterKwargs: passedFilterKwargs(opts, allowed) };
}

const BANDPASS_OWN = ['freqMin', 'freqMax', 'marginMs', 'dtype', 'ignoreLowFreqError'];
const BANDPASS_FILTER_KWARGS: (keyof FilterKwargs)[] = ['btype', 'filterOrder', 'ftype', 'filterMode', 'coeff', 'addReflectPadding', 'direction'];

/** SpikeInterface's BandpassFilterRecording: a band-pass FilterRecording from freqMin to freqMax, margin 'auto' by default. */
export class BandpassFilterRecording extends FilterRecording {
  static override readonly className: string = 'BandpassFilterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.filter.BandpassFilterRecording';

  constructor(recording: BaseRecording, opts: BandpassFilterOptions = {}) {
    const fn = 'bandpassFilter';
    const { freqMin, marginMs, ignoreLowFreqError, filterKwargs } = highpassOptions(fn, opts, BANDPASS_OWN, BANDPASS_FILTER_KWARGS);
    const freqMax = opts.freqMax ?? 6000.0;
    super(recording, { ...opts, band: [freqMin, freqMax], marginMs }, { fn, bandNames: ['freqMin', 'freqMax'] });
    this._kwargs = {
      recording, freq_min: freqMin, freq_max: freqMax, margin_ms: marginMs, dtype: this._kwargs.dtype, ignore_low_freq_error: ignoreLowFreqError,
      ...storedFilterKwargs(filterKwargs, this._kwargs),
    };
  }
}

const HIGHPASS_FILTER_KWARGS: (keyof FilterKwargs)[] = ['filterOrder', 'ftype', 'filterMode', 'coeff', 'addReflectPadding', 'direction'];

/** SpikeInterface's HighpassFilterRecording: a high-pass FilterRecording at freqMin, margin 'auto' by default. */
export class HighpassFilterRecording extends FilterRecording {
  static override readonly className: string = 'HighpassFilterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.filter.HighpassFilterRecording';

  constructor(recording: BaseRecording, opts: HighpassFilterOptions = {}) {
    const fn = 'highpassFilter';
    const { freqMin, marginMs, ignoreLowFreqError, filterKwargs } = highpassOptions(fn, opts, ['freqMin', 'marginMs', 'dtype', 'ignoreLowFreqError'], HIGHPASS_FILTER_KWARGS);
    super(recording, { ...opts, band: freqMin, btype: 'highpass', marginMs }, { fn, bandNames: ['freqMin'] });
    this._kwargs = {
      recording, freq_min: freqMin, margin_ms: marginMs, dtype: this._kwargs.dtype, ignore_low_freq_error: ignoreLowFreqError,
      ...storedFilterKwargs(filterKwargs, this._kwargs),
    };
  }
}

const NOTCH_FILTER_KWARGS: (keyof FilterKwargs)[] = ['band', 'btype', 'filterOrder', 'ftype', 'addReflectPadding', 'direction'];

/** SpikeInterface's NotchFilterRecording: scipy's iirnotch at `freq` with quality factor `q`, as b/a, margin 'auto' by default. */
export class NotchFilterRecording extends FilterRecording {
  static override readonly className: string = 'NotchFilterRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.filter.NotchFilterRecording';

  constructor(recording: BaseRecording, opts: NotchFilterOptions = {}) {
    const fn = 'notchFilter';
    checkPreprocessorArgs(fn, recording, opts);
    checkKnownOptions(fn, opts, ['freq', 'q', 'marginMs', 'dtype'], NOTCH_FILTER_KWARGS);
    const freq = opts.freq ?? 3000;
    const q = opts.q ?? 30;
    check(isNumber(q) && q > 0, 'INVALID_ARGUMENT', () => `${fn}: q must be a positive quality factor, got ${describe(q)}`);
    const fs = recording.getSamplingFrequency();
    check(isNumber(freq) && freq > 0 && freq < fs / 2, 'INVALID_ARGUMENT', () => `${fn}: freq must be a frequency in Hz between 0 and the Nyquist frequency (${fs / 2} Hz), got ${describe(freq)}`);
    let marginMs = opts.marginMs ?? 'auto';
    if (marginMs === 'auto') marginMs = (5 / Math.PI) * (q / freq) * 1000.0;
    const nyquist = 0.5 * fs;
    const { b, a } = iirnotch(freq / nyquist, q);
    const filterKwargs = passedFilterKwargs(opts, NOTCH_FILTER_KWARGS);
    super(recording, { ...opts, coeff: [Array.from(b), Array.from(a)], filterMode: 'ba', marginMs }, { fn });
    this._kwargs = { recording, freq, q, margin_ms: marginMs, dtype: this._kwargs.dtype, ...filterKwargs };
  }
}

/** numpy's round(): half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Filters one segment: the parent chunk with margins, the passes in the kernel, the margins dropped. */
class FilterRecordingSegment extends BasePreprocessorSegment {
  constructor(
    parentSegment: BaseRecordingSegment, dtype: DType, private readonly chunkDtype: DType, private readonly coefficients: Coefficients,
    private readonly margin: number, private readonly addReflectPadding: boolean, private readonly direction: FilterDirection,
  ) {
    super(parentSegment, dtype);
    this.passes = direction !== 'forward-backward' ? null : coefficients.mode === 'sos' ? sosPasses(coefficients.sos) : baPasses(coefficients.b, coefficients.a);
  }

  /** The forward-backward filter, built once (coefficients, steady state, padlen). */
  private readonly passes: Passes | null;

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame } = request;
    const chunk = await this.readParentChunk(request, this.margin, { addReflectPadding: this.addReflectPadding, dtype: this.chunkDtype });
    const frames = endFrame - startFrame;
    const round = isIntegerDtype(this.dtype);
    if (this.direction === 'forward-backward') {
      // the chunk stays in linear memory from the parent's samples to the rounded rows
      try {
        await filtfiltAt(kernel, this.passes!, chunk, out, chunk.leftMargin, frames, round);
      } finally {
        kernel.free(chunk.address);
      }
      return;
    }
    let x: TypedArray;
    try {
      x = kernel.view(chunk.dtype, chunk.address, chunk.numFrames * chunk.numChannels).slice();
    } finally {
      kernel.free(chunk.address);
    }
    const k = chunk.numChannels;
    const c = this.coefficients;
    const opts = { kernel, direction: this.direction };
    const y = (c.mode === 'sos' ? await sosfilt(c.sos, x, k, opts) : await lfilter(c.b, c.a, x, k, opts)).y;
    const rows = y.subarray(chunk.leftMargin * k, (chunk.leftMargin + frames) * k);
    const target = kernel.view('float64', out, frames * k) as Float64Array;
    if (round) for (let i = 0; i < rows.length; i++) target[i] = roundHalfEven(rows[i]);
    else target.set(rows);
  }
}

/** SpikeInterface's `filter`: a lazy {@link FilterRecording} of `recording` (`marginMs` is required). */
export function filter(recording: BaseRecording, opts: FilterOptions = {}): FilterRecording {
  return new FilterRecording(recording, opts);
}

/** SpikeInterface's `bandpass_filter`: a lazy {@link BandpassFilterRecording} (300-6000 Hz Butterworth order 5 by default). */
export function bandpassFilter(recording: BaseRecording, opts: BandpassFilterOptions = {}): BandpassFilterRecording {
  return new BandpassFilterRecording(recording, opts);
}

/** SpikeInterface's `highpass_filter`: a lazy {@link HighpassFilterRecording} (300 Hz Butterworth order 5 by default). */
export function highpassFilter(recording: BaseRecording, opts: HighpassFilterOptions = {}): HighpassFilterRecording {
  return new HighpassFilterRecording(recording, opts);
}

/** SpikeInterface's `notch_filter`: a lazy {@link NotchFilterRecording} (3000 Hz, q = 30 by default). */
export function notchFilter(recording: BaseRecording, opts: NotchFilterOptions = {}): NotchFilterRecording {
  return new NotchFilterRecording(recording, opts);
}

/**
 * SpikeInterface's `causal_filter`: a {@link FilterRecording} with one pass, 'forward' (default) or
 * 'backward', and a 5 ms margin by default.
 */
export function causalFilter(recording: BaseRecording, opts: CausalFilterOptions = {}): FilterRecording {
  check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `causalFilter: options must be an object, got ${describe(opts)}`);
  const direction = checkChoice('causalFilter', 'direction', opts.direction ?? 'forward', ['forward', 'backward'] as const);
  return new FilterRecording(recording, {
    band: [300.0, 6000.0], btype: 'bandpass', filterOrder: 5, ftype: 'butter', filterMode: 'sos', marginMs: 5.0, addReflectPadding: false, coeff: null, dtype: null,
    ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    direction,
  }, { fn: 'causalFilter' });
}

const CLASS_PREFIX = 'spikeinterface.preprocessing.filter.';

/** Options in this API's names from a dict's snake_case kwargs (the parent left out). */
function camelKwargs(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs)
    .filter(([k]) => k !== 'recording' && !k.startsWith('_'))
    .map(([k, v]) => [k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), v]));
}

/** Rebuilds a filter recording from its SpikeInterface class path, dict kwargs and rebuilt parent (for load()). */
export function filterFromDict(classPath: string, kwargs: Record<string, unknown>, parent: BaseRecording): FilterRecording {
  const opts = camelKwargs(kwargs);
  // SpikeInterface's _handle_kwargs_backward_compatibility: dicts written before
  // ignore_low_freq_error existed load whatever their freq_min
  if (/(Bandpass|Highpass)FilterRecording$/.test(classPath) && !('ignore_low_freq_error' in kwargs)) opts.ignoreLowFreqError = true;
  switch (classPath.slice(CLASS_PREFIX.length)) {
    case 'BandpassFilterRecording':
      return new BandpassFilterRecording(parent, opts);
    case 'HighpassFilterRecording':
      return new HighpassFilterRecording(parent, opts);
    case 'NotchFilterRecording':
      return new NotchFilterRecording(parent, opts);
    default:
      return new FilterRecording(parent, opts);
  }
}
