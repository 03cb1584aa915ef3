// The Chebyshev type I lowpass scipy.signal.decimate designs (cheby1(n, rp, Wn, output='sos')):
// scipy's cheb1ap prototype, then the same prewarp, lp2lp, bilinear and zpk2sos steps as
// iirfilter's other families (filter-design.ts).
import { SpikewireError, describe } from '../errors.js';
import { cx, cneg, cprod, tan, type Complex } from './complex.js';
import { bilinearZpk, lp2lpZpk, zpk2sos, type Zpk } from './filter-design.js';

/** scipy's cheb1ap(N, rp): the analog prototype with `rp` dB of passband ripple. */
export function cheb1ap(n: number, rp: number): Zpk {
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new SpikewireError('INVALID_ARGUMENT', `cheb1ap: order must be an integer from 1 to 100, got ${describe(n)}`);
  const eps = Math.sqrt(10 ** (0.1 * rp) - 1.0);
  const mu = (1.0 / n) * Math.asinh(1 / eps);
  const p: Complex[] = [];
  for (let m = -n + 1; m < n; m += 2) {
    const theta = (Math.PI * m) / (2 * n);
    // -sinh(mu + i·theta)
    p.push(cx(-(Math.sinh(mu) * Math.cos(theta)), -(Math.cosh(mu) * Math.sin(theta))));
  }
  let k = cprod(p.map(cneg)).re;
  if (n % 2 === 0) k = k / Math.sqrt(1 + eps * eps);
  return { z: [], p, k };
}

/** scipy.signal.cheby1(n, rp, wn, btype='low', output='sos') for a normalised `wn` in (0, 1). */
export function cheby1LowpassSos(n: number, rp: number, wn: number): Float64Array {
  if (!(wn > 0 && wn < 1)) throw new SpikewireError('INVALID_ARGUMENT', `cheby1: normalised critical frequency ${describe(wn)} must be in (0, 1)`);
  const warped = 4.0 * tan((Math.PI * wn) / 2.0);
  return zpk2sos(bilinearZpk(lp2lpZpk(cheb1ap(n, rp), warped), 2.0));
}
