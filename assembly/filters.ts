// IIR filtering of interleaved float64 chunks (time-major: frames x channels, channels side by side),
// with the arithmetic of scipy's sosfilt (Cython) and lfilter (direct form II transposed, C) so that
// results are bit-equal. SIMD lanes are two adjacent channels (f64x2); the scalar build runs the
// same recursion one channel at a time. Every operation is a separate rounded mul / add / sub (wasm
// SIMD has no fused multiply-add, scipy's builds use none).

/** Address of the first row visited: row 0, or the last row when going backward. */
// @ts-ignore: decorator
@inline function firstRow(base: usize, nf: usize, row: usize, reverse: i32): usize {
  return reverse ? base + (nf - 1) * row : base;
}

/** Bytes from one visited row to the next (negative going backward). */
// @ts-ignore: decorator
@inline function rowStep(row: usize, reverse: i32): isize {
  return reverse ? -(<isize>row) : <isize>row;
}

/** Channels handled two at a time by f64x2 lanes (none in the scalar build). */
// @ts-ignore: decorator
@inline function vectorChannels(nc: usize): usize {
  return ASC_FEATURE_SIMD ? nc & ~(<usize>1) : 0;
}

/**
 * Second-order sections along time, per channel, `numFrames` rows of `numChannels` float64 from
 * `src` into `dst` (the same address filters in place).
 *
 * - `sos`: f64[nSections][6] = b0 b1 b2 a0 a1 a2 (a0 must be 1, as scipy requires);
 * - `zi`: f64[nSections][2][numChannels], the filter state, read and updated (final state out);
 * - `reverse` != 0: rows are visited from the last to the first (the backward pass of a
 *   forward-backward filter without reversing copies).
 * Per sample and section: y = b0*x + z0; z0 = (b1*x - a1*y) + z1; z1 = b2*x - a2*y.
 */
export function sosfilt(
  src: usize, dst: usize, numFrames: i32, numChannels: i32, sos: usize, nSections: i32, zi: usize, reverse: i32,
): void {
  if (numFrames <= 0 || numChannels <= 0 || nSections <= 0) return;
  const nc = <usize>numChannels;
  const ns = <usize>nSections;
  const row = nc << 3;
  const nf = <usize>numFrames;
  let s0 = firstRow(src, nf, row, reverse);
  let d0 = firstRow(dst, nf, row, reverse);
  const step = rowStep(row, reverse);
  const pairs = vectorChannels(nc);
  for (let t: usize = 0; t < nf; t++) {
    if (ASC_FEATURE_SIMD) {
      // eight channels per step: the coefficient splats serve four vectors, and four independent
      // dependency chains run side by side (the section recursion itself is serial)
      const octs = nc & ~(<usize>7);
      for (let c: usize = 0; c < octs; c += 8) {
        const p = s0 + (c << 3);
        let x0 = v128.load(p, 0, 8);
        let x1 = v128.load(p, 16, 8);
        let x2 = v128.load(p, 32, 8);
        let x3 = v128.load(p, 48, 8);
        let z = zi + (c << 3);
        let q = sos;
        for (let s: usize = 0; s < ns; s++) {
          const b0 = v128.load64_splat(q);
          const y0 = f64x2.add(f64x2.mul(b0, x0), v128.load(z, 0, 8));
          const y1 = f64x2.add(f64x2.mul(b0, x1), v128.load(z, 16, 8));
          const y2 = f64x2.add(f64x2.mul(b0, x2), v128.load(z, 32, 8));
          const y3 = f64x2.add(f64x2.mul(b0, x3), v128.load(z, 48, 8));
          const b1 = v128.load64_splat(q, 8);
          const a1 = v128.load64_splat(q, 32);
          const u = z + row;
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, x0), f64x2.mul(a1, y0)), v128.load(u, 0, 8)), 0, 8);
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, x1), f64x2.mul(a1, y1)), v128.load(u, 16, 8)), 16, 8);
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, x2), f64x2.mul(a1, y2)), v128.load(u, 32, 8)), 32, 8);
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(b1, x3), f64x2.mul(a1, y3)), v128.load(u, 48, 8)), 48, 8);
          const b2 = v128.load64_splat(q, 16);
          const a2 = v128.load64_splat(q, 40);
          v128.store(u, f64x2.sub(f64x2.mul(b2, x0), f64x2.mul(a2, y0)), 0, 8);
          v128.store(u, f64x2.sub(f64x2.mul(b2, x1), f64x2.mul(a2, y1)), 16, 8);
          v128.store(u, f64x2.sub(f64x2.mul(b2, x2), f64x2.mul(a2, y2)), 32, 8);
          v128.store(u, f64x2.sub(f64x2.mul(b2, x3), f64x2.mul(a2, y3)), 48, 8);
          x0 = y0;
          x1 = y1;
          x2 = y2;
          x3 = y3;
          z += row << 1;
          q += 48;
        }
        const d = d0 + (c << 3);
        v128.store(d, x0, 0, 8);
        v128.store(d, x1, 16, 8);
        v128.store(d, x2, 32, 8);
        v128.store(d, x3, 48, 8);
      }
      const quads = octs;
      for (let c: usize = quads; c < pairs; c += 2) {
        let x = v128.load(s0 + (c << 3), 0, 8);
        let z = zi + (c << 3);
        let q = sos;
        for (let s: usize = 0; s < ns; s++) {
          const z0 = v128.load(z, 0, 8);
          const z1 = v128.load(z + row, 0, 8);
          const y = f64x2.add(f64x2.mul(v128.load64_splat(q), x), z0);
          v128.store(z, f64x2.add(f64x2.sub(f64x2.mul(v128.load64_splat(q, 8), x), f64x2.mul(v128.load64_splat(q, 32), y)), z1), 0, 8);
          v128.store(z + row, f64x2.sub(f64x2.mul(v128.load64_splat(q, 16), x), f64x2.mul(v128.load64_splat(q, 40), y)), 0, 8);
          x = y;
          z += row << 1;
          q += 48;
        }
        v128.store(d0 + (c << 3), x, 0, 8);
      }
    }
    for (let c: usize = pairs; c < nc; c++) {
      let x = load<f64>(s0 + (c << 3));
      let z = zi + (c << 3);
      let q = sos;
      for (let s: usize = 0; s < ns; s++) {
        const y = load<f64>(q) * x + load<f64>(z);
        store<f64>(z, load<f64>(q, 8) * x - load<f64>(q, 32) * y + load<f64>(z + row));
        store<f64>(z + row, load<f64>(q, 16) * x - load<f64>(q, 40) * y);
        x = y;
        z += row << 1;
        q += 48;
      }
      store<f64>(d0 + (c << 3), x);
    }
    s0 += step;
    d0 += step;
  }
}

/**
 * Direct form II transposed filter (scipy's lfilter) along time, per channel, `src` into `dst`
 * (the same address filters in place).
 *
 * - `b`, `a`: f64[nTaps] each, already divided by a[0] (scipy normalises before filtering);
 * - `zi`: f64[nTaps - 1][numChannels], the state, read and updated (unused when nTaps == 1);
 * - `reverse` != 0: rows from the last to the first.
 * Per sample: y = z[0] + b[0]*x; z[k] = (z[k+1] + x*b[k+1]) - y*a[k+1]; z[last] = x*b[n-1] - y*a[n-1].
 */
export function lfilter(
  src: usize, dst: usize, numFrames: i32, numChannels: i32, b: usize, a: usize, nTaps: i32, zi: usize, reverse: i32,
): void {
  if (numFrames <= 0 || numChannels <= 0 || nTaps <= 0) return;
  const nc = <usize>numChannels;
  const nt = <usize>nTaps;
  const row = nc << 3;
  let s0 = firstRow(src, <usize>numFrames, row, reverse);
  let d0 = firstRow(dst, <usize>numFrames, row, reverse);
  const step = rowStep(row, reverse);
  const pairs = vectorChannels(nc);
  const nf = <usize>numFrames;
  const b0 = load<f64>(b);
  for (let t: usize = 0; t < nf; t++) {
    if (nt == 1) {
      for (let c: usize = 0; c < nc; c++) store<f64>(d0 + (c << 3), load<f64>(s0 + (c << 3)) * b0);
    } else {
      if (ASC_FEATURE_SIMD) {
        for (let c: usize = 0; c < pairs; c += 2) {
          const x = v128.load(s0 + (c << 3), 0, 8);
          let z = zi + (c << 3);
          const y = f64x2.add(v128.load(z, 0, 8), f64x2.mul(f64x2.splat(b0), x));
          for (let k: usize = 1; k < nt - 1; k++) {
            const next = v128.load(z + row, 0, 8);
            const bx = f64x2.mul(x, v128.load64_splat(b + (k << 3)));
            const ay = f64x2.mul(y, v128.load64_splat(a + (k << 3)));
            v128.store(z, f64x2.sub(f64x2.add(next, bx), ay), 0, 8);
            z += row;
          }
          const last = (nt - 1) << 3;
          v128.store(z, f64x2.sub(f64x2.mul(x, v128.load64_splat(b + last)), f64x2.mul(y, v128.load64_splat(a + last))), 0, 8);
          v128.store(d0 + (c << 3), y, 0, 8);
        }
      }
      for (let c: usize = pairs; c < nc; c++) {
        const x = load<f64>(s0 + (c << 3));
        let z = zi + (c << 3);
        const y = load<f64>(z) + b0 * x;
        for (let k: usize = 1; k < nt - 1; k++) {
          store<f64>(z, load<f64>(z + row) + x * load<f64>(b + (k << 3)) - y * load<f64>(a + (k << 3)));
          z += row;
        }
        const last = (nt - 1) << 3;
        store<f64>(z, x * load<f64>(b + last) - y * load<f64>(a + last));
        store<f64>(d0 + (c << 3), y);
      }
    }
    s0 += step;
    d0 += step;
  }
}
