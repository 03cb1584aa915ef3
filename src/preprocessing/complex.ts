// Complex float64 arithmetic that rounds the way numpy's complex128 loops do, so that filter
// design written with it gives scipy's coefficients to the last bit (or within an ulp where numpy
// defers to libm). Values are small immutable objects: filter design handles a few dozen of them.

/** A complex float64 value. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/** `re + im·i`. */
export const cx = (re: number, im = 0): Complex => ({ re, im });

/** a + b, as numpy adds complex128 (each part separately). */
export const cadd = (a: Complex, b: Complex): Complex => cx(a.re + b.re, a.im + b.im);

/** a − b, as numpy subtracts complex128. */
export const csub = (a: Complex, b: Complex): Complex => cx(a.re - b.re, a.im - b.im);

/**
 * a·b as numpy's vectorised complex multiply computes it on x86-64 with FMA (fused multiply-add/sub):
 * fma(ar, br, −ai·bi) + fma(ar, bi, ai·br)i. That is what the reference numbers were made with.
 */
export const cmul = (a: Complex, b: Complex): Complex => cx(fma(a.re, b.re, -(a.im * b.im)), fma(a.re, b.im, a.im * b.re));

/** a·b without fused operations (numpy's scalar loop, used by its product reduction). */
export const cmulPlain = (a: Complex, b: Complex): Complex => cx(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);

/** −a. */
export const cneg = (a: Complex): Complex => cx(-a.re, -a.im);

/** The complex conjugate. */
export const conj = (a: Complex): Complex => cx(a.re, -a.im);

/**
 * a / b with numpy's complex128 division (Smith's method, the branch chosen by |br| ≥ |bi|): a real
 * divisor d therefore gives (ar + ai·0)·(1/d), not ar/d, which is what scipy's results carry.
 */
export function cdiv(a: Complex, b: Complex): Complex {
  const absR = Math.abs(b.re);
  const absI = Math.abs(b.im);
  if (absR >= absI) {
    if (absR === 0 && absI === 0) return cx(a.re / absR, a.im / absR);
    const rat = b.im / b.re;
    const scl = 1.0 / (b.re + b.im * rat);
    return cx((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl);
  }
  const rat = b.re / b.im;
  const scl = 1.0 / (b.im + b.re * rat);
  return cx((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl);
}

/**
 * Fused multiply-add a·b + c with one rounding (JavaScript has none): the exact product as a
 * double-double plus c, summed with error-free transformations. Correctly rounded except for
 * rare double-rounding ties, which the filter design never meets.
 */
export function fma(a: number, b: number, c: number): number {
  const [ph, pl] = twoProduct(a, b);
  if (!Number.isFinite(ph)) return a * b + c;
  const s = ph + c;
  const v = s - ph;
  const e = ph - (s - v) + (c - v);
  return s + (e + pl);
}

/** Exact product a·b as hi + lo (Dekker's split; no fma in JavaScript). */
export function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const SPLIT = 134217729; // 2^27 + 1
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** glibc's hypot kernel without fma (Borges' correction of the naive square root), for ax ≥ ay. */
function hypotKernel(ax: number, ay: number): number {
  let h = Math.sqrt(ax * ax + ay * ay);
  let t1: number;
  let t2: number;
  if (h <= 2.0 * ay) {
    const delta = h - ay;
    t1 = ax * (2.0 * delta - ax);
    t2 = (delta - 2.0 * (ax - ay)) * delta;
  } else {
    const delta = h - ax;
    t1 = 2.0 * delta * (ax - 2.0 * ay);
    t2 = (4.0 * delta - ay) * ay + delta * delta;
  }
  h -= (t1 + t2) / (2.0 * h);
  return h;
}

/**
 * sqrt(x² + y²) exactly as glibc's hypot computes it (the libm function behind numpy's hypot and
 * complex sqrt): Math.hypot differs in the last bit for about a third of arguments, enough to move
 * band-pass poles off scipy's.
 */
export function hypot(x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    return Math.abs(x) === Infinity || Math.abs(y) === Infinity ? Infinity : NaN;
  }
  const a = Math.abs(x);
  const b = Math.abs(y);
  const ax = a < b ? b : a;
  const ay = a < b ? a : b;
  const EPS = 2 ** -54;
  const SCALE = 2 ** -600;
  if (ax > 2 ** 511) {
    if (ay <= ax * EPS) return ax + ay;
    return hypotKernel(ax * SCALE, ay * SCALE) / SCALE;
  }
  if (ay < 2 ** -511) {
    if (ax >= ay / EPS) return ax + ay;
    return hypotKernel(ax / SCALE, ay / SCALE) * SCALE;
  }
  if (ay <= ax * EPS) return ax + ay;
  return hypotKernel(ax, ay);
}

/** |a|, numpy's complex absolute value (libm hypot). */
export const cabs = (a: Complex): number => hypot(a.re, a.im);

/** Principal square root, glibc's csqrt for finite arguments (what numpy's sqrt calls). */
export function csqrt(z: Complex): Complex {
  const { re, im } = z;
  if (im === 0) {
    if (re < 0) return cx(0, Object.is(im, -0) ? -Math.sqrt(-re) : Math.sqrt(-re));
    return cx(Math.abs(Math.sqrt(re)), Object.is(im, -0) ? -0 : 0);
  }
  if (re === 0) {
    const r = Math.sqrt(0.5 * Math.abs(im));
    return cx(r, im < 0 ? -r : r);
  }
  const d = hypot(re, im);
  let r: number;
  let s: number;
  if (re > 0) {
    r = Math.sqrt(0.5 * (d + re));
    s = 0.5 * (im / r);
  } else {
    s = Math.sqrt(0.5 * (d - re));
    r = Math.abs(0.5 * (im / s));
  }
  return cx(r, im < 0 ? -Math.abs(s) : Math.abs(s));
}

/** numpy's square of a complex128: its vectorised complex multiply of a by itself. */
export const csquare = (a: Complex): Complex => cmul(a, a);

/** True when the imaginary part is exactly zero (numpy's `isreal`). */
export const isReal = (a: Complex): boolean => a.im === 0;

/** Product of the values, left to right (numpy's `prod` reduction); 1 for none. */
export function cprod(values: readonly Complex[]): Complex {
  if (values.length === 0) return cx(1, 0);
  let acc = values[0];
  for (let i = 1; i < values.length; i++) acc = cmulPlain(acc, values[i]);
  return acc;
}

/**
 * tan(x) correctly rounded for |x| < 2 (double-double Taylor series of sin and cos, then one
 * division): glibc's tan, which numpy and scipy use, is correctly rounded there, and Math.tan may
 * be an ulp off, which would move prewarped band edges and every coefficient after them.
 */
export function tan(x: number): number {
  if (!(Math.abs(x) < 2)) return Math.tan(x);
  // sin = sum (-1)^k x^(2k+1)/(2k+1)!, cos = sum (-1)^k x^(2k)/(2k)!, terms as double-doubles
  const [x2h, x2l] = twoProduct(x, x);
  let termH = x;
  let termL = 0;
  let sinH = 0;
  let sinL = 0;
  let cosH = 0;
  let cosL = 0;
  let cTermH = 1;
  let cTermL = 0;
  for (let k = 0; k < 40; k++) {
    [sinH, sinL] = ddSum(sinH, sinL, termH, termL);
    [cosH, cosL] = ddSum(cosH, cosL, cTermH, cTermL);
    // next terms: term *= -x^2 / ((2k+2)(2k+3)), cTerm *= -x^2 / ((2k+1)(2k+2))
    [termH, termL] = ddDiv(ddMul2(termH, termL, -x2h, -x2l), (2 * k + 2) * (2 * k + 3));
    [cTermH, cTermL] = ddDiv(ddMul2(cTermH, cTermL, -x2h, -x2l), (2 * k + 1) * (2 * k + 2));
    if (Math.abs(termH) < 1e-40 && Math.abs(cTermH) < 1e-40) break;
  }
  // sin / cos in double-double: q = s/c, r = s - q*c, q + r/c
  const q = sinH / cosH;
  const [pH, pL] = ddMul2(q, 0, cosH, cosL);
  const [rH, rL] = ddSum(sinH, sinL, -pH, -pL);
  return q + (rH + rL) / cosH;
}

function ddSum(ah: number, al: number, bh: number, bl: number): [number, number] {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + al + bl;
  const h = s + e;
  return [h, e - (h - s)];
}

function ddMul2(ah: number, al: number, bh: number, bl: number): [number, number] {
  const [p, e] = twoProduct(ah, bh);
  const t = e + ah * bl + al * bh;
  const h = p + t;
  return [h, t - (h - p)];
}

function ddDiv([ah, al]: [number, number], d: number): [number, number] {
  const q = ah / d;
  const [ph, pl] = twoProduct(q, d);
  const r = (ah - ph - pl + al) / d;
  const h = q + r;
  return [h, r - (h - q)];
}
