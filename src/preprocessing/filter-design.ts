// IIR filter design equal to scipy.signal (iirfilter, iirnotch, zpk2sos, zpk2tf): the same analog
// prototypes, the same transformations in the same order of floating-point operations, and the same
// pole/zero pairing, so that SpikeInterface's filters get scipy's coefficients bit for bit.
import { SpikewireError, describe } from '../errors.js';
import { besselLastCoefficient, besselZeros, MAX_BESSEL_ORDER } from './bessel.js';
import {
  type Complex, cabs, cadd, cdiv, cmul, cneg, conj, cprod, csqrt, csquare, csub, cx, isReal, tan,
} from './complex.js';

export type { Complex } from './complex.js';

/** Zeros, poles and gain of a filter (scipy's `zpk`). */
export interface Zpk {
  /** Zeros. */
  z: Complex[];
  /** Poles. */
  p: Complex[];
  /** Gain. */
  k: number;
}

/** Numerator `b` and denominator `a` of a transfer function (scipy's `ba`), highest power first. */
export interface BaCoefficients {
  /** Numerator coefficients. */
  b: Float64Array;
  /** Denominator coefficients (`a[0]` is 1 for designed filters). */
  a: Float64Array;
}

/** Band types of {@link iirfilter} (scipy's names). */
export type FilterBandType = 'bandpass' | 'bandstop' | 'lowpass' | 'highpass';
/** Filter families of {@link iirfilter}: Butterworth and Bessel (scipy's `bessel` is phase-normalised). */
export type FilterFamily = 'butter' | 'bessel' | 'bessel_phase' | 'bessel_delay';
/** Output forms of {@link iirfilter}. */
export type FilterOutput = 'sos' | 'ba' | 'zpk';

/** Options of {@link iirfilter}: scipy.signal.iirfilter's keywords and defaults. */
export interface IirFilterOptions {
  /** Default 'bandpass'. */
  btype?: FilterBandType;
  /** Default 'butter'. */
  ftype?: FilterFamily;
  /** Default 'ba' (as scipy). */
  output?: FilterOutput;
  /** Sampling frequency; `Wn` is in its units. Default: `Wn` is normalised to Nyquist = 1. */
  fs?: number;
}

const BAND_TYPES: Record<string, FilterBandType> = {
  band: 'bandpass', bandpass: 'bandpass', pass: 'bandpass', bp: 'bandpass',
  bs: 'bandstop', bandstop: 'bandstop', bands: 'bandstop', stop: 'bandstop',
  l: 'lowpass', low: 'lowpass', lowpass: 'lowpass', lp: 'lowpass',
  high: 'highpass', highpass: 'highpass', h: 'highpass', hp: 'highpass',
};

/** The filter families scipy has that need ripple parameters FilterRecording never passes. */
const RIPPLE_FAMILIES = new Set(['cheby1', 'chebyshev1', 'chebyshevi', 'cheby2', 'chebyshev2', 'chebyshevii', 'ellip', 'elliptic', 'cauer']);

function invalid(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

function checkOrder(what: string, n: unknown, max = 1000): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    invalid(`${what}: filter order must be an integer from 0 to ${max}, got ${describe(n)}`);
  }
}

/** Analog Butterworth prototype of order N (scipy's buttap): poles on the unit circle, gain 1. */
export function buttap(n: number): Zpk {
  checkOrder('buttap', n);
  const p: Complex[] = [];
  for (let i = 0; i < n; i++) {
    const m = -n + 1 + 2 * i;
    // -exp(1j*pi*m/(2N)) as numpy evaluates it: (1j*pi)*m, then a complex division by 2N.
    const arg = cdiv(cx(0 * m - Math.PI * 0, Math.PI * m), cx(2 * n, 0));
    const e = Math.exp(arg.re);
    p.push(cx(-(e * Math.cos(arg.im)), -(e * Math.sin(arg.im))));
  }
  return { z: [], p, k: 1 };
}

/** Analog Bessel prototype of order N (scipy's besselap) with norm 'phase' (default) or 'delay'. */
export function besselap(n: number, norm: 'phase' | 'delay' = 'phase'): Zpk {
  checkOrder('besselap', n, MAX_BESSEL_ORDER);
  if (norm !== 'phase' && norm !== 'delay') {
    throw new SpikewireError('UNSUPPORTED', `besselap: norm must be 'phase' or 'delay', got ${describe(norm)}`);
  }
  if (n === 0) return { z: [], p: [], k: 1 };
  let p = besselZeros(n).map((x) => cdiv(cx(1, 0), x));
  const aLast = besselLastCoefficient(n);
  if (norm === 'delay') return { z: [], p, k: aLast };
  const factor = 10 ** (-Math.log10(aLast) / n);
  p = p.map((x) => cmul(x, cx(factor, 0)));
  return { z: [], p, k: 1 };
}

/** Relative degree (poles minus zeros); scipy refuses improper transfer functions. */
function relativeDegree(zpk: Zpk): number {
  const degree = zpk.p.length - zpk.z.length;
  if (degree < 0) invalid(`improper transfer function: ${zpk.z.length} zeros but only ${zpk.p.length} poles`);
  return degree;
}

/** Lowpass prototype to lowpass at `wo` rad/s (scipy's lp2lp_zpk). */
export function lp2lpZpk(zpk: Zpk, wo = 1.0): Zpk {
  const degree = relativeDegree(zpk);
  const w = cx(wo, 0);
  return { z: zpk.z.map((z) => cmul(w, z)), p: zpk.p.map((p) => cmul(w, p)), k: zpk.k * wo ** degree };
}

/** Lowpass prototype to highpass at `wo` rad/s (scipy's lp2hp_zpk). */
export function lp2hpZpk(zpk: Zpk, wo = 1.0): Zpk {
  const degree = relativeDegree(zpk);
  const w = cx(wo, 0);
  const z = zpk.z.map((x) => cdiv(w, x));
  for (let i = 0; i < degree; i++) z.push(cx(0, 0));
  const k = zpk.k * cdiv(cprod(zpk.z.map(cneg)), cprod(zpk.p.map(cneg))).re;
  return { z, p: zpk.p.map((x) => cdiv(w, x)), k };
}

/** Both branches x ± sqrt(x² − wo²) of each value, all '+' first (scipy's concatenation order). */
function shiftBoth(values: Complex[], wo: number): Complex[] {
  const wo2 = cx(wo ** 2, 0);
  const roots = values.map((x) => csqrt(csub(csquare(x), wo2)));
  return [...values.map((x, i) => cadd(x, roots[i])), ...values.map((x, i) => csub(x, roots[i]))];
}

/** Lowpass prototype to bandpass around `wo` with bandwidth `bw` (scipy's lp2bp_zpk). */
export function lp2bpZpk(zpk: Zpk, wo = 1.0, bw = 1.0): Zpk {
  const degree = relativeDegree(zpk);
  const scale = (x: Complex) => cdiv(cmul(x, cx(bw, 0)), cx(2, 0));
  const z = shiftBoth(zpk.z.map(scale), wo);
  for (let i = 0; i < degree; i++) z.push(cx(0, 0));
  return { z, p: shiftBoth(zpk.p.map(scale), wo), k: zpk.k * bw ** degree };
}

/** Lowpass prototype to bandstop around `wo` with bandwidth `bw` (scipy's lp2bs_zpk). */
export function lp2bsZpk(zpk: Zpk, wo = 1.0, bw = 1.0): Zpk {
  const degree = relativeDegree(zpk);
  const half = cx(bw / 2, 0);
  const z = shiftBoth(zpk.z.map((x) => cdiv(half, x)), wo);
  const p = shiftBoth(zpk.p.map((x) => cdiv(half, x)), wo);
  // numpy's +1j*wo: (0*wo - 1*0) + (0*0 + 1*wo)j
  for (let i = 0; i < degree; i++) z.push(cx(0, wo));
  for (let i = 0; i < degree; i++) z.push(cx(0, -wo));
  const k = zpk.k * cdiv(cprod(zpk.z.map(cneg)), cprod(zpk.p.map(cneg))).re;
  return { z, p, k };
}

/** Analog to digital by the bilinear transform at sampling rate `fs` (scipy's bilinear_zpk). */
export function bilinearZpk(zpk: Zpk, fs: number): Zpk {
  const degree = relativeDegree(zpk);
  const fs2 = cx(2.0 * fs, 0);
  const z = zpk.z.map((x) => cdiv(cadd(fs2, x), csub(fs2, x)));
  for (let i = 0; i < degree; i++) z.push(cx(-1, 0));
  const k = zpk.k * cdiv(cprod(zpk.z.map((x) => csub(fs2, x))), cprod(zpk.p.map((x) => csub(fs2, x)))).re;
  return { z, p: zpk.p.map((x) => cdiv(cadd(fs2, x), csub(fs2, x))), k };
}

/**
 * Polynomial with the given roots, highest power first (numpy's poly): repeated convolution with
 * [1, −root]. Each middle term is summed the way numpy's convolve does through BLAS zdotu
 * (real parts and imaginary parts accumulated separately, then combined), so that long
 * denominators keep scipy's last bits.
 */
export function poly(roots: readonly Complex[]): Complex[] {
  let a: Complex[] = [cx(1, 0)];
  for (const root of roots) {
    const w = cneg(root);
    const out: Complex[] = [a[0]];
    for (let i = 1; i < a.length; i++) {
      const x0 = a[i - 1];
      const x1 = a[i];
      const d0 = x0.re * w.re + x1.re;
      const d1 = x0.im * w.im + x1.im * 0;
      const d2 = x0.re * w.im + x1.re * 0;
      const d3 = x0.im * w.re + x1.im;
      out.push(cx(d0 - d1, d2 + d3));
    }
    const last = a[a.length - 1];
    out.push(cx(last.re * w.re - last.im * w.im, last.re * w.im + last.im * w.re));
    a = out;
  }
  return a;
}

/** True when the roots come in conjugate pairs (numpy's test: sorted imaginary parts equal). */
function conjugateSymmetric(roots: readonly Complex[]): boolean {
  const ims = roots.map((r) => r.im).sort((x, y) => x - y);
  const neg = roots.map((r) => -r.im).sort((x, y) => x - y);
  return ims.every((v, i) => v === neg[i]);
}

/** Transfer function b, a from zeros, poles and gain (scipy's zpk2tf). */
export function zpk2tf(zpk: Zpk): BaCoefficients {
  const real = (roots: Complex[]): Float64Array => {
    const c = poly(roots);
    if (!conjugateSymmetric(roots) && c.some((v) => v.im !== 0)) {
      invalid('zpk2tf: the roots are not in complex-conjugate pairs, so the polynomial is not real');
    }
    return Float64Array.from(c, (v) => v.re);
  };
  const b = real(zpk.z);
  for (let i = 0; i < b.length; i++) b[i] = zpk.k * b[i];
  return { b, a: real(zpk.p) };
}

const CPLX_TOL = 100 * Number.EPSILON;

/** Lexicographic stable sort by real part, then |imag| (numpy's lexsort((abs(imag), real))). */
function sortByRealThenImag(values: Complex[]): Complex[] {
  return values
    .map((v, i) => ({ v, i }))
    .sort((x, y) => x.v.re - y.v.re || Math.abs(x.v.im) - Math.abs(y.v.im) || x.i - y.i)
    .map((e) => e.v);
}

/**
 * Splits values into conjugate pairs (one per pair, positive imaginary part, averaged) and reals,
 * as scipy's `_cplxreal`: pairs sorted by real part then |imag|, reals sorted.
 */
export function cplxreal(values: readonly Complex[]): { zc: Complex[]; zr: number[] } {
  if (values.length === 0) return { zc: [], zr: [] };
  const z = sortByRealThenImag([...values]);
  const isRealish = z.map((v) => Math.abs(v.im) <= CPLX_TOL * cabs(v));
  const zr = z.filter((_, i) => isRealish[i]).map((v) => v.re);
  if (zr.length === z.length) return { zc: [], zr };
  const rest = z.filter((_, i) => !isRealish[i]);
  const zp = rest.filter((v) => v.im > 0);
  const zn = rest.filter((v) => v.im < 0);
  if (zp.length !== zn.length) invalid('complex value with no matching conjugate');
  // runs of (nearly) equal real parts are sorted by |imag|
  const same = zp.slice(1).map((v, i) => v.re - zp[i].re <= CPLX_TOL * cabs(zp[i]));
  for (let start = 0; start < same.length; ) {
    if (!same[start]) {
      start++;
      continue;
    }
    let stop = start;
    while (stop < same.length && same[stop]) stop++;
    for (const chunk of [zp, zn]) {
      const run = chunk.slice(start, stop + 1).map((v, i) => ({ v, i }));
      run.sort((x, y) => Math.abs(x.v.im) - Math.abs(y.v.im) || x.i - y.i);
      run.forEach((e, i) => (chunk[start + i] = e.v));
    }
    start = stop + 1;
  }
  zp.forEach((v, i) => {
    const c = conj(zn[i]);
    if (cabs(csub(v, c)) > CPLX_TOL * cabs(zn[i])) invalid('complex value with no matching conjugate');
  });
  return { zc: zp.map((v, i) => cdiv(cadd(v, conj(zn[i])), cx(2, 0))), zr };
}

/** Index of the first smallest value (numpy's argmin). */
function argmin(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}

/** Index in `from` of the element nearest to `to` that is real / complex / either (scipy's helper). */
function nearestIndex(from: Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = from
    .map((v, i) => ({ d: cabs(csub(v, to)), i }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((e) => e.i);
  if (which === 'any') return order[0];
  const found = order.find((i) => isReal(from[i]) === (which === 'real'));
  if (found === undefined) invalid(`zpk2sos: no ${which} zero left to pair`);
  return found;
}

/** One section [b0 b1 b2 a0 a1 a2] from up to two zeros and two poles (gain 1), right-aligned. */
function section(z: Complex[], p: Complex[]): number[] {
  const sos = [0, 0, 0, 0, 0, 0];
  const { b, a } = zpk2tf({ z, p, k: 1 });
  b.forEach((v, i) => (sos[3 - b.length + i] = v));
  a.forEach((v, i) => (sos[6 - a.length + i] = v));
  return sos;
}

/**
 * Second-order sections from zeros, poles and gain (scipy's zpk2sos with pairing 'nearest', the
 * default for digital filters): poles closest to the unit circle go last, each paired with its
 * nearest zeros; the gain goes into the first section. Returns `nSections × 6` values, row-major.
 */
export function zpk2sos(zpk: Zpk): Float64Array {
  let z = [...zpk.z];
  let p = [...zpk.p];
  if (z.length === 0 && p.length === 0) return Float64Array.from([zpk.k, 0, 0, 1, 0, 0]);
  while (p.length < z.length) p.push(cx(0, 0));
  while (z.length < p.length) z.push(cx(0, 0));
  const nSections = (p.length + 1) >> 1;
  if (p.length % 2 === 1) {
    p.push(cx(0, 0));
    z.push(cx(0, 0));
  }
  const split = (v: Complex[]) => {
    const { zc, zr } = cplxreal(v);
    return [...zc, ...zr.map((r) => cx(r, 0))];
  };
  z = split(z);
  p = split(p);
  const worst = (values: Complex[]) => argmin(values.map((v) => Math.abs(1 - cabs(v))));
  const take = (values: Complex[], i: number): Complex => values.splice(i, 1)[0];
  const countReal = (values: Complex[]) => values.filter(isReal).length;
  const sos = new Float64Array(nSections * 6);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, worst(p));
    let row: number[];
    if (isReal(p1) && countReal(p) === 0) {
      // the last real pole: a first-order section (padded with a pole and zero at the origin)
      const z1 = take(z, nearestIndex(z, p1, 'real'));
      row = section([z1, cx(0, 0)], [p1, cx(0, 0)]);
    } else if (p.length + 1 === z.length && !isReal(p1) && countReal(p) === 1 && countReal(z) === 1) {
      // one real pole and one real zero left: this complex pole must take a complex zero
      const z1 = take(z, nearestIndex(z, p1, 'complex'));
      row = section([z1, conj(z1)], [p1, conj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIdx = p.map((v, i) => (isReal(v) ? i : -1)).filter((i) => i >= 0);
        p2 = take(p, realIdx[worst(realIdx.map((i) => p[i]))]);
      } else {
        p2 = conj(p1);
      }
      if (z.length > 0) {
        const z1 = take(z, nearestIndex(z, p1, 'any'));
        if (!isReal(z1)) {
          row = section([z1, conj(z1)], [p1, p2]);
        } else if (z.length > 0) {
          const z2 = take(z, nearestIndex(z, p1, 'real'));
          row = section([z1, z2], [p1, p2]);
        } else {
          row = section([z1], [p1, p2]);
        }
      } else {
        row = section([], [p1, p2]);
      }
    }
    sos.set(row, si * 6);
  }
  for (let j = 0; j < 3; j++) sos[j] *= zpk.k;
  return sos;
}

function checkFrequency(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`iirfilter: ${name} must be a finite number, got ${describe(value)}`);
}

/**
 * Digital IIR filter design, as scipy.signal.iirfilter(N, Wn, btype, ftype, output, fs) for
 * Butterworth and Bessel filters: analog prototype, frequency prewarping, band transformation,
 * bilinear transform, then the requested form. `Wn` is one frequency (lowpass, highpass) or two
 * (bandpass, bandstop) in units of `fs` (or normalised to Nyquist = 1 without `fs`).
 * Returns the SOS matrix (`nSections × 6`, row-major) for `output: 'sos'`.
 */
export function iirfilter(n: number, wn: number | readonly number[], opts: IirFilterOptions & { output: 'sos' }): Float64Array;
/** As above, for `output: 'zpk'`: zeros, poles and gain. */
export function iirfilter(n: number, wn: number | readonly number[], opts: IirFilterOptions & { output: 'zpk' }): Zpk;
/** As above, for `output: 'ba'` (scipy's default): numerator and denominator. */
export function iirfilter(n: number, wn: number | readonly number[], opts?: IirFilterOptions & { output?: 'ba' }): BaCoefficients;
export function iirfilter(n: number, wn: number | readonly number[], opts: IirFilterOptions = {}): Float64Array | Zpk | BaCoefficients {
  const { ftype = 'butter', output = 'ba', fs } = opts;
  const btypeName = opts.btype ?? 'bandpass';
  checkOrder('iirfilter', n);
  const btype = typeof btypeName === 'string' ? BAND_TYPES[btypeName.toLowerCase()] : undefined;
  if (btype === undefined) invalid(`iirfilter: ${describe(btypeName)} is an invalid band type (bandpass, bandstop, lowpass, highpass)`);
  if (output !== 'sos' && output !== 'ba' && output !== 'zpk') invalid(`iirfilter: ${describe(output)} is not a valid output form (sos, ba, zpk)`);
  const list = typeof wn === 'number' ? [wn] : Array.isArray(wn) || ArrayBuffer.isView(wn) ? Array.from(wn as ArrayLike<number>) : null;
  if (list === null || list.length < 1 || list.length > 2) invalid(`iirfilter: Wn must be one or two frequencies, got ${describe(wn)}`);
  list.forEach((v, i) => checkFrequency(`Wn[${i}]`, v));
  let normalised = list;
  if (fs !== undefined) {
    if (typeof fs !== 'number' || !Number.isFinite(fs) || fs <= 0) invalid(`iirfilter: fs must be a positive number, got ${describe(fs)}`);
    normalised = list.map((v) => v / (fs / 2));
  }
  list.forEach((v, i) => {
    if (v <= 0) invalid(`iirfilter: critical frequency ${v} must be greater than 0`);
    if (normalised[i] >= 1) {
      invalid(fs !== undefined
        ? `iirfilter: critical frequency ${v} must be below Nyquist (${fs / 2} Hz)`
        : `iirfilter: normalised critical frequency ${v} must be below 1 (Nyquist)`);
    }
  });
  if (list.length === 2 && !(list[0] < list[1])) invalid(`iirfilter: Wn[0] (${list[0]}) must be less than Wn[1] (${list[1]})`);
  let proto: Zpk;
  const family = String(ftype).toLowerCase();
  if (family === 'butter' || family === 'butterworth') proto = buttap(n);
  else if (family === 'bessel' || family === 'bessel_phase') proto = besselap(n, 'phase');
  else if (family === 'bessel_delay') proto = besselap(n, 'delay');
  else if (RIPPLE_FAMILIES.has(family)) {
    throw new SpikewireError('UNSUPPORTED', `iirfilter: ftype ${describe(ftype)} needs ripple parameters (rp/rs), which are not supported; use 'butter' or 'bessel'`);
  } else invalid(`iirfilter: ${describe(ftype)} is not a valid IIR filter type (butter, bessel)`);
  // prewarp with fs = 2: 2*fs*tan(pi*Wn/fs)
  const warped = normalised.map((v) => 4.0 * tan((Math.PI * v) / 2.0));
  let analog: Zpk;
  if (btype === 'lowpass' || btype === 'highpass') {
    if (warped.length !== 1) invalid(`iirfilter: a ${btype} filter needs one critical frequency, got ${describe(list)}`);
    analog = btype === 'lowpass' ? lp2lpZpk(proto, warped[0]) : lp2hpZpk(proto, warped[0]);
  } else {
    if (warped.length !== 2) invalid(`iirfilter: a ${btype} filter needs two critical frequencies, got ${describe(list)}`);
    const bw = warped[1] - warped[0];
    const wo = Math.sqrt(warped[0] * warped[1]);
    analog = btype === 'bandpass' ? lp2bpZpk(proto, wo, bw) : lp2bsZpk(proto, wo, bw);
  }
  const digital = bilinearZpk(analog, 2.0);
  if (output === 'zpk') return digital;
  if (output === 'ba') return zpk2tf(digital);
  return zpk2sos(digital);
}

/**
 * Second-order IIR notch filter (scipy.signal.iirnotch): removes `w0` with quality factor `Q`;
 * `w0` is in units of `fs` (default 2, i.e. normalised to Nyquist = 1).
 */
export function iirnotch(w0: number, Q: number, fs = 2.0): BaCoefficients {
  if (typeof fs !== 'number' || !Number.isFinite(fs) || fs <= 0) invalid(`iirnotch: fs must be a positive number, got ${describe(fs)}`);
  if (typeof w0 !== 'number' || !Number.isFinite(w0)) invalid(`iirnotch: w0 must be a finite number, got ${describe(w0)}`);
  if (typeof Q !== 'number' || !Number.isFinite(Q) || Q <= 0) invalid(`iirnotch: Q must be a positive number, got ${describe(Q)}`);
  const w = (2 * w0) / fs;
  if (w > 1.0 || w < 0.0) invalid(`iirnotch: frequency ${w0} must be between 0 and Nyquist (${fs / 2})`);
  const bw = (w / Q) * Math.PI;
  const wPi = w * Math.PI;
  const beta = tan(bw / 2.0);
  const gain = 1.0 / (1.0 + beta);
  const cos = Math.cos(wPi);
  return {
    b: Float64Array.from([gain * 1.0, gain * (-2.0 * cos), gain * 1.0]),
    a: Float64Array.from([1.0, -2.0 * gain * cos, 2.0 * gain - 1.0]),
  };
}
