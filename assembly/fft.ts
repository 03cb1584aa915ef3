// Real FFT of any length in float64. An even length n is computed through a complex FFT of n/2
// points (even samples as real parts, odd samples as imaginary parts, then one untangling pass),
// an odd length through a complex FFT of n points. The complex FFT is an iterative radix-2 for
// powers of two and Bluestein's chirp-z algorithm (through a power-of-two FFT of length
// m >= 2c - 1) for every other length c. The work area is prepared once per length (twiddles,
// chirp, the chirp's spectrum) by fftPrepare and then serves any number of transforms, e.g. every
// channel of a chunk.
//
// Work layout (f64 units), c = complex length (n/2 or n), m = Bluestein length (0 for powers of two):
//   [0, 2c)            complex buffer of length c (re, im interleaved)
//   [2c, 2c + p)       twiddles exp(-2*pi*i*k/P), k < P/2, for P = c (power of two) or m
//   Bluestein only: chirp w_k = exp(-i*pi*k^2/c) (2c), chirp spectrum B (2m), scratch A (2m)
//   even n only: untangling twiddles exp(-2*pi*i*k/n), k <= n/2 (n + 2)

/** True when n is a power of two (n >= 1). */
function isPow2(n: usize): bool {
  return (n & (n - 1)) == 0;
}

/** Largest prime factor the mixed-radix FFT takes directly (larger ones go through Bluestein). */
const MAX_RADIX: usize = 13;

/** True when every prime factor of n is at most MAX_RADIX (a mixed-radix length). */
function isSmooth(n: usize): bool {
  for (let p: usize = 2; p <= MAX_RADIX; p++) while (n % p == 0) n /= p;
  return n == 1;
}

/** The Bluestein length for n: the smallest power of two >= 2n - 1 (0 when n is a power of two or smooth). */
function bluesteinLength(n: usize): usize {
  if (isPow2(n) || isSmooth(n)) return 0;
  let m: usize = 1;
  while (m < 2 * n - 1) m <<= 1;
  return m;
}

/** Complex FFT length for a real transform of length n: n/2 for even n (packed), n for odd n. */
function complexLength(n: usize): usize {
  return (n & 1) == 0 && n >= 2 ? n >> 1 : n;
}

/**
 * f64 size of the complex FFT's part of the work area for length c (also the offset of the
 * untangling twiddles of an even real length): radix-2 2c + c, mixed radix 2c + 2c (second buffer)
 * + 2c (twiddles of the full circle), Bluestein 2c + m + 2c + 4m.
 */
function untangleOffset(c: usize): usize {
  if (isPow2(c)) return 3 * c;
  const m = bluesteinLength(c);
  return m ? 4 * c + 5 * m : 6 * c;
}

/** Bytes of work area that fftPrepare / rfft / irfft need for length n. */
export function fftWorkBytes(n: i32): usize {
  const nn = <usize>max(n, 1);
  const c = complexLength(nn);
  const f64s: usize = untangleOffset(c) + (c != nn ? nn + 2 : <usize>0);
  return f64s << 3;
}

/** Fills the twiddles (and for Bluestein, the chirp and its spectrum) of length n into `work`. */
export function fftPrepare(n: i32, work: usize): void {
  const nn = <usize>max(n, 1);
  const c = complexLength(nn);
  if (c != nn) {
    const ut = work + (untangleOffset(c) << 3);
    for (let k: usize = 0; k <= c; k++) {
      const angle = (-2.0 * Math.PI * <f64>k) / <f64>nn;
      store<f64>(ut + (k << 4), Math.cos(angle));
      store<f64>(ut + (k << 4), Math.sin(angle), 8);
    }
  }
  prepareComplex(c, work);
}

/** Twiddles, chirp and chirp spectrum of the complex FFT of length c. */
function prepareComplex(nn: usize, work: usize): void {
  if (!isPow2(nn) && isSmooth(nn)) {
    // exp(-2*pi*i*k/c) for the whole circle, after the two buffers
    const table = work + ((4 * nn) << 3);
    for (let k: usize = 0; k < nn; k++) {
      const angle = (-2.0 * Math.PI * <f64>k) / <f64>nn;
      store<f64>(table + (k << 4), Math.cos(angle));
      store<f64>(table + (k << 4), Math.sin(angle), 8);
    }
    return;
  }
  const m = bluesteinLength(nn);
  const p = m ? m : nn;
  const tw = work + ((2 * nn) << 3);
  for (let k: usize = 0; k < p >> 1; k++) {
    const angle = (-2.0 * Math.PI * <f64>k) / <f64>p;
    store<f64>(tw + (k << 4), Math.cos(angle));
    store<f64>(tw + (k << 4), Math.sin(angle), 8);
  }
  if (!m) return;
  const chirp = tw + (p << 3);
  const bSpec = chirp + ((2 * nn) << 3);
  // w_k = exp(-i*pi*k^2/c), with k^2 reduced modulo 2c so that the angle stays accurate
  const twoN = <u64>(2 * nn);
  for (let k: usize = 0; k < nn; k++) {
    const kk = <f64>((<u64>k * <u64>k) % twoN);
    const angle = (-Math.PI * kk) / <f64>nn;
    store<f64>(chirp + (k << 4), Math.cos(angle));
    store<f64>(chirp + (k << 4), Math.sin(angle), 8);
  }
  // B = FFT of b, b_k = conj(w_k) for |k| < c (wrapped), 0 elsewhere
  memory.fill(bSpec, 0, m << 4);
  for (let k: usize = 0; k < nn; k++) {
    const re = load<f64>(chirp + (k << 4));
    const im = -load<f64>(chirp + (k << 4), 8);
    store<f64>(bSpec + (k << 4), re);
    store<f64>(bSpec + (k << 4), im, 8);
    if (k > 0) {
      store<f64>(bSpec + ((m - k) << 4), re);
      store<f64>(bSpec + ((m - k) << 4), im, 8);
    }
  }
  radix2(bSpec, m, tw, false);
}

/** In-place iterative radix-2 FFT of length n (a power of two) with twiddles for length n. */
function radix2(buf: usize, n: usize, tw: usize, inverse: bool): void {
  if (n <= 1) return;
  // bit-reversal permutation
  for (let i: usize = 1, j: usize = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const pi = buf + (i << 4);
      const pj = buf + (j << 4);
      const r = load<f64>(pi);
      const m = load<f64>(pi, 8);
      store<f64>(pi, load<f64>(pj));
      store<f64>(pi, load<f64>(pj, 8), 8);
      store<f64>(pj, r);
      store<f64>(pj, m, 8);
    }
  }
  const sign: f64 = inverse ? -1.0 : 1.0;
  // first stage: twiddle 1, a plain sum and difference
  for (let start: usize = 0; start < n; start += 2) {
    const pa = buf + (start << 4);
    const ar = load<f64>(pa);
    const ai = load<f64>(pa, 8);
    const br = load<f64>(pa, 16);
    const bi = load<f64>(pa, 24);
    store<f64>(pa, ar + br);
    store<f64>(pa, ai + bi, 8);
    store<f64>(pa, ar - br, 16);
    store<f64>(pa, ai - bi, 24);
  }
  // later stages: blocks outer, so that each block's data stays in cache for all its butterflies
  for (let len: usize = 4; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = (n / len) << 4;
    for (let start: usize = 0; start < n; start += len) {
      let w = tw;
      let pa = buf + (start << 4);
      const end = pa + (half << 4);
      for (; pa < end; pa += 16) {
        const pb = pa + (half << 4);
        if (ASC_FEATURE_SIMD) {
          // (br + i bi) * (wr + i wi) as f64x2 [re, im]: b * [wr, wr] + swap(b) * [-wi, wi]
          const tw2 = v128.load(w, 0, 8);
          const wi = f64x2.mul(v128.shuffle<f64>(tw2, tw2, 1, 1), f64x2(-sign, sign));
          const b = v128.load(pb, 0, 8);
          const t = f64x2.add(f64x2.mul(b, v128.shuffle<f64>(tw2, tw2, 0, 0)), f64x2.mul(v128.shuffle<f64>(b, b, 1, 0), wi));
          const a = v128.load(pa, 0, 8);
          v128.store(pa, f64x2.add(a, t), 0, 8);
          v128.store(pb, f64x2.sub(a, t), 0, 8);
        } else {
          const wr = load<f64>(w);
          const wi = sign * load<f64>(w, 8);
          const br = load<f64>(pb);
          const bi = load<f64>(pb, 8);
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          const ar = load<f64>(pa);
          const ai = load<f64>(pa, 8);
          store<f64>(pa, ar + tr);
          store<f64>(pa, ai + ti, 8);
          store<f64>(pb, ar - tr);
          store<f64>(pb, ai - ti, 8);
        }
        w += stride;
      }
    }
  }
}

// Butterfly constants: sin(2*pi/3), cos and sin of 2*pi/5 and 4*pi/5.
const SIN3: f64 = 0.8660254037844386;
const COS5A: f64 = 0.30901699437494745;
const COS5B: f64 = -0.8090169943749475;
const SIN5A: f64 = 0.9510565162951535;
const SIN5B: f64 = 0.5877852522924731;

/** Smallest prime factor of n up to MAX_RADIX (n itself beyond): the radix of the next pass. */
function nextRadix(n: usize): usize {
  for (let p: usize = 2; p <= MAX_RADIX; p++) if (n % p == 0) return p;
  return n;
}

/**
 * Mixed-radix FFT (Stockham autosort, decimation in frequency; radix 2, 3, 5 butterflies, a
 * table DFT for 7, 11, 13) of the length-c buffer at buf,
 * ping-ponging with the second buffer at buf + 2c; every prime factor of c is at most MAX_RADIX.
 * Twiddles come from the full-circle table: exp(-2*pi*i*k/c) at table + 16k. The inverse is
 * conj(FFT(conj(x))).
 */
function mixedRadix(buf: usize, c: usize, inverse: bool): void {
  const other = buf + ((2 * c) << 3);
  const table = buf + ((4 * c) << 3);
  if (inverse) for (let k: usize = 0; k < c; k++) store<f64>(buf + (k << 4), -load<f64>(buf + (k << 4), 8), 8);
  let src = buf;
  let dst = other;
  let n = c;
  let s: usize = 1;
  while (n > 1) {
    const p = nextRadix(n);
    const m = n / p;
    const step = c / p; // table index of exp(-2*pi*i/p)
    for (let i: usize = 0; i < m; i++) {
      for (let q: usize = 0; q < s; q++) {
        const inBase = src + ((q + s * i) << 4);
        const inStride = (s * m) << 4;
        const outBase = dst + ((q + s * p * i) << 4);
        const outStride = s << 4;
        if (p == 2) {
          const sr = re(inBase, inStride, 0) - re(inBase, inStride, 1);
          const si = im(inBase, inStride, 0) - im(inBase, inStride, 1);
          twiddleStore(outBase, 0, re(inBase, inStride, 0) + re(inBase, inStride, 1), im(inBase, inStride, 0) + im(inBase, inStride, 1), table, 0);
          twiddleStore(outBase, outStride, sr, si, table, i * s);
        } else if (p == 3) {
          const sr = re(inBase, inStride, 1) + re(inBase, inStride, 2);
          const si = im(inBase, inStride, 1) + im(inBase, inStride, 2);
          const mr = re(inBase, inStride, 0) - 0.5 * sr;
          const mi = im(inBase, inStride, 0) - 0.5 * si;
          // -i * sin(2*pi/3) * (a1 - a2)
          const dr = SIN3 * (im(inBase, inStride, 1) - im(inBase, inStride, 2));
          const di = -SIN3 * (re(inBase, inStride, 1) - re(inBase, inStride, 2));
          twiddleStore(outBase, 0, re(inBase, inStride, 0) + sr, im(inBase, inStride, 0) + si, table, 0);
          twiddleStore(outBase, outStride, mr + dr, mi + di, table, i * s);
          twiddleStore(outBase, 2 * outStride, mr - dr, mi - di, table, 2 * i * s);
        } else if (p == 5) {
          const a0r = re(inBase, inStride, 0);
          const a0i = im(inBase, inStride, 0);
          const b1r = re(inBase, inStride, 1) + re(inBase, inStride, 4);
          const b1i = im(inBase, inStride, 1) + im(inBase, inStride, 4);
          const b2r = re(inBase, inStride, 2) + re(inBase, inStride, 3);
          const b2i = im(inBase, inStride, 2) + im(inBase, inStride, 3);
          const d1r = re(inBase, inStride, 1) - re(inBase, inStride, 4);
          const d1i = im(inBase, inStride, 1) - im(inBase, inStride, 4);
          const d2r = re(inBase, inStride, 2) - re(inBase, inStride, 3);
          const d2i = im(inBase, inStride, 2) - im(inBase, inStride, 3);
          const t1r = a0r + COS5A * b1r + COS5B * b2r;
          const t1i = a0i + COS5A * b1i + COS5B * b2i;
          const t2r = a0r + COS5B * b1r + COS5A * b2r;
          const t2i = a0i + COS5B * b1i + COS5A * b2i;
          const u1r = SIN5A * d1r + SIN5B * d2r;
          const u1i = SIN5A * d1i + SIN5B * d2i;
          const u2r = SIN5B * d1r - SIN5A * d2r;
          const u2i = SIN5B * d1i - SIN5A * d2i;
          twiddleStore(outBase, 0, a0r + b1r + b2r, a0i + b1i + b2i, table, 0);
          twiddleStore(outBase, outStride, t1r + u1i, t1i - u1r, table, i * s);
          twiddleStore(outBase, 2 * outStride, t2r + u2i, t2i - u2r, table, 2 * i * s);
          twiddleStore(outBase, 3 * outStride, t2r - u2i, t2i + u2r, table, 3 * i * s);
          twiddleStore(outBase, 4 * outStride, t1r - u1i, t1i + u1r, table, 4 * i * s);
        } else {
          // a DFT of size p from the table: c_t = sum_r a_r exp(-2*pi*i*r*t/p)
          for (let t: usize = 0; t < p; t++) {
            let cr = 0.0;
            let ci = 0.0;
            for (let r: usize = 0; r < p; r++) {
              const w = table + ((((r * t) % p) * step) << 4);
              const wr = load<f64>(w);
              const wi = load<f64>(w, 8);
              const ar = load<f64>(inBase + r * inStride);
              const ai = load<f64>(inBase + r * inStride, 8);
              cr += ar * wr - ai * wi;
              ci += ar * wi + ai * wr;
            }
            twiddleStore(outBase, t * outStride, cr, ci, table, t * i * s);
          }
        }
      }
    }
    n = m;
    s *= p;
    const swap = src;
    src = dst;
    dst = swap;
  }
  if (src != buf) memory.copy(buf, src, c << 4);
  if (inverse) for (let k: usize = 0; k < c; k++) store<f64>(buf + (k << 4), -load<f64>(buf + (k << 4), 8), 8);
}

/** Real part of input r of a butterfly (inputs `stride` bytes apart from `base`). */
// @ts-ignore: decorator
@inline function re(base: usize, stride: usize, r: usize): f64 {
  return load<f64>(base + r * stride);
}

/** Imaginary part of input r of a butterfly. */
// @ts-ignore: decorator
@inline function im(base: usize, stride: usize, r: usize): f64 {
  return load<f64>(base + r * stride, 8);
}

/** Stores (xr + i xi) * exp(-2*pi*i*k/c) (the table's entry k) at base + offset. */
// @ts-ignore: decorator
@inline function twiddleStore(base: usize, offset: usize, xr: f64, xi: f64, table: usize, k: usize): void {
  if (k == 0) {
    store<f64>(base + offset, xr);
    store<f64>(base + offset, xi, 8);
    return;
  }
  const wr = load<f64>(table + (k << 4));
  const wi = load<f64>(table + (k << 4), 8);
  store<f64>(base + offset, xr * wr - xi * wi);
  store<f64>(base + offset, xr * wi + xi * wr, 8);
}

/** In-place complex FFT (unnormalised; inverse = conjugate exponent) of the length-n buffer at work. */
function complexFft(nn: usize, work: usize, inverse: bool): void {
  const buf = work;
  const tw = work + ((2 * nn) << 3);
  if (isPow2(nn)) {
    radix2(buf, nn, tw, inverse);
    return;
  }
  const m = bluesteinLength(nn);
  if (!m) {
    mixedRadix(buf, nn, inverse);
    return;
  }
  const chirp = tw + (m << 3);
  const bSpec = chirp + ((2 * nn) << 3);
  const a = bSpec + ((2 * m) << 3);
  // the inverse transform is conj(FFT(conj(x)))
  const s: f64 = inverse ? -1.0 : 1.0;
  memory.fill(a, 0, m << 4);
  for (let k: usize = 0; k < nn; k++) {
    const xr = load<f64>(buf + (k << 4));
    const xi = s * load<f64>(buf + (k << 4), 8);
    const wr = load<f64>(chirp + (k << 4));
    const wi = load<f64>(chirp + (k << 4), 8);
    store<f64>(a + (k << 4), xr * wr - xi * wi);
    store<f64>(a + (k << 4), xr * wi + xi * wr, 8);
  }
  radix2(a, m, tw, false);
  for (let k: usize = 0; k < m; k++) {
    const ar = load<f64>(a + (k << 4));
    const ai = load<f64>(a + (k << 4), 8);
    const br = load<f64>(bSpec + (k << 4));
    const bi = load<f64>(bSpec + (k << 4), 8);
    store<f64>(a + (k << 4), ar * br - ai * bi);
    store<f64>(a + (k << 4), ar * bi + ai * br, 8);
  }
  radix2(a, m, tw, true);
  const inv = 1.0 / <f64>m;
  for (let k: usize = 0; k < nn; k++) {
    const cr = load<f64>(a + (k << 4)) * inv;
    const ci = load<f64>(a + (k << 4), 8) * inv;
    const wr = load<f64>(chirp + (k << 4));
    const wi = load<f64>(chirp + (k << 4), 8);
    store<f64>(buf + (k << 4), cr * wr - ci * wi);
    store<f64>(buf + (k << 4), s * (cr * wi + ci * wr), 8);
  }
}

/**
 * Real forward FFT of n samples of `src` taken every `srcStride` f64 (so one channel of an
 * interleaved chunk can be read in place) into n/2 + 1 complex values at `dst` (re, im f64 pairs),
 * numpy.fft.rfft's definition: X_k = sum_t x_t exp(-2*pi*i*k*t/n). `work` must be prepared for n.
 */
export function rfft(src: usize, srcStride: i32, n: i32, dst: usize, work: usize): void {
  if (n <= 0) return;
  const nn = <usize>n;
  const st = (<usize>srcStride) << 3;
  const c = complexLength(nn);
  if (c == nn) {
    for (let k: usize = 0; k < nn; k++) {
      store<f64>(work + (k << 4), load<f64>(src + k * st));
      store<f64>(work + (k << 4), 0.0, 8);
    }
    complexFft(nn, work, false);
    memory.copy(dst, work, ((nn >> 1) + 1) << 4);
    return;
  }
  // z_k = x_2k + i x_2k+1, Z = FFT_c(z); X_k = E_k + W^k O_k with E = (Z_k + conj Z_c-k)/2 and
  // O = (Z_k - conj Z_c-k)/(2i)
  for (let k: usize = 0; k < c; k++) {
    store<f64>(work + (k << 4), load<f64>(src + (2 * k) * st));
    store<f64>(work + (k << 4), load<f64>(src + (2 * k + 1) * st), 8);
  }
  complexFft(c, work, false);
  const ut = work + (untangleOffset(c) << 3);
  const z0r = load<f64>(work);
  const z0i = load<f64>(work, 8);
  store<f64>(dst, z0r + z0i);
  store<f64>(dst, 0.0, 8);
  store<f64>(dst + (c << 4), z0r - z0i);
  store<f64>(dst + (c << 4), 0.0, 8);
  for (let k: usize = 1; k < c; k++) {
    const ar = load<f64>(work + (k << 4));
    const ai = load<f64>(work + (k << 4), 8);
    const br = load<f64>(work + ((c - k) << 4));
    const bi = -load<f64>(work + ((c - k) << 4), 8);
    const er = 0.5 * (ar + br);
    const ei = 0.5 * (ai + bi);
    // -i * (a - b) / 2
    const dr = 0.5 * (ai - bi);
    const di = -0.5 * (ar - br);
    const wr = load<f64>(ut + (k << 4));
    const wi = load<f64>(ut + (k << 4), 8);
    store<f64>(dst + (k << 4), er + (wr * dr - wi * di));
    store<f64>(dst + (k << 4), ei + (wr * di + wi * dr), 8);
  }
}

/**
 * Real inverse FFT (numpy.fft.irfft with n output samples): the n/2 + 1 complex values at `src`
 * are completed by Hermitian symmetry (the imaginary parts of the DC term, and of the Nyquist term
 * for even n, are ignored), transformed, divided by n, and written every `dstStride` f64 at `dst`.
 */
export function irfft(src: usize, n: i32, dst: usize, dstStride: i32, work: usize): void {
  if (n <= 0) return;
  const nn = <usize>n;
  const half = nn >> 1;
  const st = (<usize>dstStride) << 3;
  const c = complexLength(nn);
  if (c == nn) {
    for (let k: usize = 0; k <= half; k++) {
      store<f64>(work + (k << 4), load<f64>(src + (k << 4)));
      store<f64>(work + (k << 4), load<f64>(src + (k << 4), 8), 8);
    }
    store<f64>(work, 0.0, 8);
    if ((nn & 1) == 0) store<f64>(work + (half << 4), 0.0, 8);
    for (let k: usize = half + 1; k < nn; k++) {
      store<f64>(work + (k << 4), load<f64>(work + ((nn - k) << 4)));
      store<f64>(work + (k << 4), -load<f64>(work + ((nn - k) << 4), 8), 8);
    }
    complexFft(nn, work, true);
    const inv = 1.0 / <f64>nn;
    for (let k: usize = 0; k < nn; k++) store<f64>(dst + k * st, load<f64>(work + (k << 4)) * inv);
    return;
  }
  // Z_k = E_k + i O_k with E = (X_k + conj X_c-k)/2, O = (X_k - conj X_c-k) / (2 W^k); z = IFFT_c(Z)
  const ut = work + (untangleOffset(c) << 3);
  for (let k: usize = 0; k < c; k++) {
    const ar = load<f64>(src + (k << 4));
    const ai = k == 0 ? 0.0 : load<f64>(src + (k << 4), 8);
    const br = load<f64>(src + ((c - k) << 4));
    const bi = k == 0 ? -0.0 : -load<f64>(src + ((c - k) << 4), 8);
    const er = 0.5 * (ar + br);
    const ei = 0.5 * (ai + bi);
    const dr = 0.5 * (ar - br);
    const di = 0.5 * (ai - bi);
    // O = D * conj(W^k)
    const wr = load<f64>(ut + (k << 4));
    const wi = -load<f64>(ut + (k << 4), 8);
    const or = dr * wr - di * wi;
    const oi = dr * wi + di * wr;
    store<f64>(work + (k << 4), er - oi);
    store<f64>(work + (k << 4), ei + or, 8);
  }
  complexFft(c, work, true);
  const inv = 1.0 / <f64>c;
  for (let k: usize = 0; k < c; k++) {
    store<f64>(dst + (2 * k) * st, load<f64>(work + (k << 4)) * inv);
    store<f64>(dst + (2 * k + 1) * st, load<f64>(work + (k << 4), 8) * inv);
  }
}
