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

/** a·b, numpy's complex multiply: (ar·br − ai·bi) + (ar·bi + ai·br)i, no fused operations. */
export const cmul = (a: Complex, b: Complex): Complex => cx(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);

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

/**
 * sqrt(x² + y²) rounded as glibc's hypot does (correctly rounded in practice): the squares and
 * their sum are carried in double-double, then one Newton step on the square root. Math.hypot is
 * allowed an ulp more, which would move filter coefficients off scipy's.
 */
export function hypot(x: number, y: number): number {
  let a = Math.abs(x);
  let b = Math.abs(y);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === Infinity || b === Infinity ? Infinity : NaN;
  if (a < b) [a, b] = [b, a];
  if (b === 0) return a;
  // scale into a safe range (powers of two are exact)
  let scale = 1;
  if (a > 2 ** 500) {
    scale = 2 ** 600;
    a *= 2 ** -600;
    b *= 2 ** -600;
  } else if (b < 2 ** -500) {
    scale = 2 ** -600;
    a *= 2 ** 600;
    b *= 2 ** 600;
  }
  const [ah, al] = twoProduct(a, a);
  const [bh, bl] = twoProduct(b, b);
  const s = ah + bh;
  const e = ah - s + bh + al + bl; // (ah + bh - s) exact since |ah| >= |bh|, plus the low parts
  const r = Math.sqrt(s + e);
  // one correction: r += (s + e - r²) / (2r), with r² exact
  const [rh, rl] = twoProduct(r, r);
  const corrected = r + (s - rh + e - rl) / (2 * r);
  return corrected * scale;
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

/** numpy's square of a complex128: (r·r − i·i) + (r·i + i·r)i. */
export const csquare = (a: Complex): Complex => cx(a.re * a.re - a.im * a.im, a.re * a.im + a.im * a.re);

/** True when the imaginary part is exactly zero (numpy's `isreal`). */
export const isReal = (a: Complex): boolean => a.im === 0;

/** Product of the values, left to right (numpy's `prod` reduction); 1 for none. */
export function cprod(values: readonly Complex[]): Complex {
  if (values.length === 0) return cx(1, 0);
  let acc = values[0];
  for (let i = 1; i < values.length; i++) acc = cmul(acc, values[i]);
  return acc;
}
