// scipy.interpolate.interp1d as SpikeInterface's remove_artifacts calls it (fill_value='extrapolate'):
// 'linear' with scipy's own formula, and 'cubic', the not-a-knot interpolating cubic spline
// (make_interp_spline(x, y, k=3)), extrapolated with its end pieces. Columns of a row-major `y`
// (points × columns) are interpolated side by side.

/** scipy's searchsorted(x, v) clipped to [1, n - 1]: the interval [x[i-1], x[i]] used for `v`. */
function interval(x: ArrayLike<number>, v: number): number {
  let i = 0;
  while (i < x.length && x[i] < v) i++;
  return Math.min(Math.max(i, 1), x.length - 1);
}

/** interp1d(x, y, kind='linear', fill_value='extrapolate')(at): `at.length × columns`, row-major. */
export function interpLinear(x: ArrayLike<number>, y: Float64Array, columns: number, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length * columns);
  for (let j = 0; j < at.length; j++) {
    const hi = interval(x, at[j]);
    const lo = hi - 1;
    for (let c = 0; c < columns; c++) {
      const slope = (y[hi * columns + c] - y[lo * columns + c]) / (x[hi] - x[lo]);
      out[j * columns + c] = slope * (at[j] - x[lo]) + y[lo * columns + c];
    }
  }
  return out;
}

/** Solves the square system `a` (n × n, row-major, overwritten) · m = b (overwritten with m), partial pivoting. */
function solve(a: Float64Array, b: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j], a[k * n + j]];
      [b[k], b[p]] = [b[p], b[k]];
    }
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / a[k * n + k];
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < n; j++) s -= a[k * n + j] * b[j];
    b[k] = s / a[k * n + k];
  }
}

/**
 * interp1d(x, y, kind='cubic', fill_value='extrapolate')(at) for increasing `x` of at least 4
 * points: the not-a-knot cubic spline (third derivative continuous at x[1] and x[n-2]), solved for
 * its second derivatives at the points.
 */
export function interpCubic(x: ArrayLike<number>, y: Float64Array, columns: number, at: ArrayLike<number>): Float64Array {
  const n = x.length;
  const h = Float64Array.from({ length: n - 1 }, (_, i) => x[i + 1] - x[i]);
  const out = new Float64Array(at.length * columns);
  for (let c = 0; c < columns; c++) {
    const a = new Float64Array(n * n);
    const m = new Float64Array(n);
    a[0] = h[1];
    a[1] = -(h[0] + h[1]);
    a[2] = h[0];
    for (let i = 1; i < n - 1; i++) {
      a[i * n + i - 1] = h[i - 1];
      a[i * n + i] = 2 * (h[i - 1] + h[i]);
      a[i * n + i + 1] = h[i];
      m[i] = 6 * ((y[(i + 1) * columns + c] - y[i * columns + c]) / h[i] - (y[i * columns + c] - y[(i - 1) * columns + c]) / h[i - 1]);
    }
    a[(n - 1) * n + n - 3] = h[n - 2];
    a[(n - 1) * n + n - 2] = -(h[n - 3] + h[n - 2]);
    a[(n - 1) * n + n - 1] = h[n - 3];
    solve(a, m, n);
    for (let j = 0; j < at.length; j++) {
      const i = interval(x, at[j]) - 1;
      const hi = h[i];
      const l = x[i + 1] - at[j];
      const r = at[j] - x[i];
      const yl = y[i * columns + c];
      const yr = y[(i + 1) * columns + c];
      out[j * columns + c] = (m[i] * l * l * l + m[i + 1] * r * r * r) / (6 * hi) + (yl / hi - (m[i] * hi) / 6) * l + (yr / hi - (m[i + 1] * hi) / 6) * r;
    }
  }
  return out;
}
