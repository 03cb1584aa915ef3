// Zeros of the ordinary Bessel polynomial y_N, as scipy's besselap needs them. scipy finds them with
// Aberth iterations on exp(1/x)·K_{N+1/2}(1/x) and Newton polishing (accurate to about an ulp); here
// the same Campos–Calderón starting points and Aberth iterations run on the polynomial itself, and
// Newton steps in double-double arithmetic then give each zero to the last bit.
import { type Complex, cadd, cdiv, cmul, cneg, conj, csub, cx, twoProduct } from './complex.js';
import { SpikewireError } from '../errors.js';

/** Double-double value hi + lo. */
type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const v = s - a;
  return [s, a - (s - v) + (b - v)];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return quick(s, e + a[1] + b[1]);
}

function quick(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProduct(a[0], b[0]);
  return quick(p, e + a[0] * b[1] + a[1] * b[0]);
}

const ddNeg = (a: DD): DD => [-a[0], -a[1]];

/** Complex double-double value. */
interface CDD {
  re: DD;
  im: DD;
}

function cddMul(a: CDD, b: CDD): CDD {
  return {
    re: ddAdd(ddMul(a.re, b.re), ddNeg(ddMul(a.im, b.im))),
    im: ddAdd(ddMul(a.re, b.im), ddMul(a.im, b.re)),
  };
}

/** Coefficients c_k = (N+k)! / ((N−k)! k! 2^k) of y_N, k = 0..N, exact (BigInt), as double-doubles. */
function besselCoefficients(n: number): DD[] {
  const out: DD[] = [];
  for (let k = 0; k <= n; k++) {
    let num = 1n;
    for (let j = n - k + 1; j <= n + k; j++) num *= BigInt(j);
    let den = 1n;
    for (let j = 2; j <= k; j++) den *= BigInt(j);
    den *= 1n << BigInt(k);
    const c = num / den;
    const hi = Number(c);
    const lo = Number(c - BigInt(hi));
    out.push([hi, lo]);
  }
  return out;
}

/** y_N(x) and y_N'(x) in double-double complex arithmetic (Horner). */
function evaluate(coef: DD[], x: CDD): [CDD, CDD] {
  const n = coef.length - 1;
  let p: CDD = { re: coef[n], im: [0, 0] };
  let d: CDD = { re: [0, 0], im: [0, 0] };
  for (let k = n - 1; k >= 0; k--) {
    const dx = cddMul(d, x);
    d = { re: ddAdd(dx.re, p.re), im: ddAdd(dx.im, p.im) };
    const px = cddMul(p, x);
    p = { re: ddAdd(px.re, coef[k]), im: px.im };
  }
  return [p, d];
}

const toC = (a: CDD): Complex => cx(a.re[0] + a.re[1], a.im[0] + a.im[1]);

/** numpy's polyval for an ascending coefficient list (Horner from the highest power). */
function polyval(x: number, c: number[]): number {
  let y = 0;
  for (let i = c.length - 1; i >= 0; i--) y = y * x + c[i];
  return y;
}

/** Campos–Calderón approximations of the N zeros (scipy's `_campos_zeros`), in scipy's order. */
function camposZeros(n: number): Complex[] {
  if (n === 1) return [cx(-1, 0)];
  const s = polyval(n, [0, 0, 2, 0, -3, 1]);
  const b3 = polyval(n, [16, -8]) / s;
  const b2 = polyval(n, [-24, -12, 12]) / s;
  const b1 = polyval(n, [8, 24, -12, -2]) / s;
  const b0 = polyval(n, [0, -6, 0, 5, -1]) / s;
  const r = polyval(n, [0, 0, 2, 1]);
  const a1 = polyval(n, [-6, -6]) / r;
  const a2 = 6 / r;
  const out: Complex[] = [];
  for (let k = 1; k <= n; k++) out.push(cx(polyval(k, [0, a1, a2]), polyval(k, [b0, b1, b2, b3])));
  return out;
}

/** Largest order accepted: the iterations are checked to converge up to here. */
export const MAX_BESSEL_ORDER = 50;

/**
 * The N zeros of the ordinary Bessel polynomial y_N, in scipy's order (`_bessel_zeros`), complex
 * conjugates made exactly symmetric as scipy does.
 */
export function besselZeros(n: number): Complex[] {
  if (n === 0) return [];
  const coef = besselCoefficients(n);
  const x = camposZeros(n);
  const lift = (z: Complex): CDD => ({ re: [z.re, 0], im: [z.im, 0] });
  // Aberth–Ehrlich iterations (simultaneous), as scipy's _aberth, on the polynomial.
  let converged = false;
  for (let iteration = 0; iteration < 100 && !converged; iteration++) {
    converged = true;
    const alpha: Complex[] = [];
    for (let k = 0; k < n; k++) {
      const [p, d] = evaluate(coef, lift(x[k]));
      alpha.push(cneg(cdiv(toC(p), toC(d))));
    }
    for (let k = 0; k < n; k++) {
      let beta = cx(0, 0);
      for (let j = 0; j < n; j++) if (j !== k) beta = cadd(beta, cdiv(cx(1, 0), csub(x[k], x[j])));
      x[k] = cadd(x[k], cdiv(alpha[k], cadd(cx(1, 0), cmul(alpha[k], beta))));
      if (!Number.isFinite(x[k].re) || !Number.isFinite(x[k].im)) {
        throw new SpikewireError('UNSUPPORTED', `Bessel filter of order ${n}: the root finder diverged`);
      }
      if (Math.hypot(alpha[k].re, alpha[k].im) > 1e-15 * Math.max(1, Math.hypot(x[k].re, x[k].im))) converged = false;
    }
  }
  // Newton polishing in double-double: the update is computed from an accurate residual.
  for (let k = 0; k < n; k++) {
    let z: CDD = lift(x[k]);
    for (let step = 0; step < 3; step++) {
      const [p, d] = evaluate(coef, z);
      const delta = cdiv(toC(p), toC(d));
      z = { re: ddAdd(z.re, [-delta.re, 0]), im: ddAdd(z.im, [-delta.im, 0]) };
    }
    x[k] = toC(z);
  }
  // Exact symmetry: mean of x and the reversed conjugates, as numpy computes it ((a + b) / 2).
  const sym = x.map((z, k) => {
    const s = cadd(z, conj(x[n - 1 - k]));
    return cdiv(s, cx(2, 0));
  });
  let sum = cx(0, 0);
  for (const z of sym) sum = cadd(sum, z);
  if (Math.hypot(sum.re + 1, sum.im) > 1e-13) {
    throw new SpikewireError('UNSUPPORTED', `Bessel filter of order ${n}: the zeros are inaccurate (sum ${sum.re}, expected -1)`);
  }
  return sym;
}

/** a_last = (2N)! / (N! 2^N), the constant term of the reverse Bessel polynomial, as a float. */
export function besselLastCoefficient(n: number): number {
  let num = 1n;
  for (let j = n + 1; j <= 2 * n; j++) num *= BigInt(j);
  return Number(num >> BigInt(n));
}
