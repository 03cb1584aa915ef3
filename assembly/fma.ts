// Fused multiply-add in software: x * y + z with one rounding (to nearest, ties to even), for
// reproducing BLAS dot products, which accumulate with hardware FMA where numpy runs. WebAssembly
// has no deterministic scalar FMA. The algorithm is Go's math.FMA (128-bit integer significands);
// WebAssembly shifts count modulo 64, so every shift that may reach 64 goes through sl / sr.

const UVINF: u64 = 0x7ff0000000000000;
const FRAC_MASK: u64 = (<u64>1 << 52) - 1;
const BIAS: i32 = 1023;

/** x << n, 0 when n is outside 0..63 (as Go's unsigned shifts). */
@inline function sl(x: u64, n: i64): u64 {
  return n < 0 || n >= 64 ? 0 : x << <u64>n;
}

/** x >> n, 0 when n is outside 0..63. */
@inline function sr(x: u64, n: i64): u64 {
  return n < 0 || n >= 64 ? 0 : x >> <u64>n;
}

@inline function nonzero(x: u64): u64 {
  return x != 0 ? 1 : 0;
}

// Two-word results of the helpers below (the kernel has no managed objects).
let r1: u64 = 0;
let r2: u64 = 0;

function shl2(u1: u64, u2: u64, n: i64): void {
  r1 = sl(u1, n) | sr(u2, 64 - n) | sl(u2, n - 64);
  r2 = sl(u2, n);
}

function shr2(u1: u64, u2: u64, n: i64): void {
  r2 = sr(u2, n) | sl(u1, 64 - n) | sr(u1, n - 64);
  r1 = sr(u1, n);
}

// Shifts right by n, ORing every bit shifted out into bit 0 (sticky bit).
function shrcompress(u1: u64, u2: u64, n: i64): void {
  if (n == 0) {
    r1 = u1; r2 = u2;
  } else if (n == 64) {
    r1 = 0; r2 = u1 | nonzero(u2);
  } else if (n >= 128) {
    r1 = 0; r2 = nonzero(u1 | u2);
  } else if (n < 64) {
    shr2(u1, u2, n);
    r2 |= nonzero(u2 & (sl(1, n) - 1));
  } else {
    shr2(u1, u2, n);
    r2 |= nonzero((u1 & (sl(1, n - 64) - 1)) | u2);
  }
}

// Full 64 x 64 -> 128-bit product into r1 (high) : r2 (low).
function mul64(x: u64, y: u64): void {
  const x0 = x & 0xffffffff, x1 = x >> 32;
  const y0 = y & 0xffffffff, y1 = y >> 32;
  const w0 = x0 * y0;
  const t = x1 * y0 + (w0 >> 32);
  let w1 = t & 0xffffffff;
  const w2 = t >> 32;
  w1 += x0 * y1;
  r1 = x1 * y1 + w2 + (w1 >> 32);
  r2 = x * y;
}

let sExp: i32 = 0;
let sMant: u64 = 0;

// Biased exponent and significand with the implicit bit (subnormals normalised).
function split(b: u64): void {
  let exp = <i32>(b >> 52) & 0x7ff;
  let mantissa = b & FRAC_MASK;
  if (exp == 0) {
    const shift = <i32>clz(mantissa) - 11;
    mantissa <<= <u64>shift;
    exp = 1 - shift;
  } else {
    mantissa |= <u64>1 << 52;
  }
  sExp = exp;
  sMant = mantissa;
}

/** x * y + z rounded once (IEEE fusedMultiplyAdd, round to nearest even). */
export function fmaF64(x: f64, y: f64, z: f64): f64 {
  const bx = reinterpret<u64>(x), by = reinterpret<u64>(y), bz = reinterpret<u64>(z);
  if (x == 0.0 || y == 0.0 || z == 0.0 || (bx & UVINF) == UVINF || (by & UVINF) == UVINF) return x * y + z;
  if ((bz & UVINF) == UVINF) return z;
  const xs = <u32>(bx >> 63), ys = <u32>(by >> 63);
  let zs = <u32>(bz >> 63);
  split(bx); const xe = sExp, xm = sMant;
  split(by); const ye = sExp, ym = sMant;
  split(bz); let ze = sExp; const zmRaw = sMant;
  let pe: i32 = xe + ye - BIAS + 1;
  mul64(xm << 10, ym << 11);
  let pm1 = r1, pm2 = r2;
  let zm1: u64 = zmRaw << 10, zm2: u64 = 0;
  let ps = xs ^ ys;
  const is62zero = <i64>((~pm1 >> 62) & 1);
  shl2(pm1, pm2, is62zero);
  pm1 = r1; pm2 = r2;
  pe -= <i32>is62zero;
  if (pe < ze || (pe == ze && pm1 < zm1)) {
    const ts = ps; ps = zs; zs = ts;
    const te = pe; pe = ze; ze = te;
    const t1 = pm1; pm1 = zm1; zm1 = t1;
    const t2 = pm2; pm2 = zm2; zm2 = t2;
  }
  if (ps != zs && pe == ze && pm1 == zm1 && pm2 == zm2) return 0;
  shrcompress(zm1, zm2, <i64>(pe - ze));
  zm1 = r1; zm2 = r2;
  let m: u64;
  if (ps == zs) {
    const lo = pm2 + zm2;
    const carry: u64 = lo < pm2 ? 1 : 0;
    pm2 = lo;
    pm1 = pm1 + zm1 + carry;
    pe -= <i32>(~pm1 >> 63);
    shrcompress(pm1, pm2, <i64>(64 + (pm1 >> 63)));
    pm1 = r1; m = r2;
  } else {
    const lo = pm2 - zm2;
    const borrow: u64 = pm2 < zm2 ? 1 : 0;
    pm2 = lo;
    pm1 = pm1 - zm1 - borrow;
    let nz = <i32>clz(pm1);
    if (nz == 64) nz += <i32>clz(pm2);
    pe -= nz;
    shl2(pm1, pm2, <i64>(nz - 1));
    m = r1 | nonzero(r2);
  }
  if (pe > 1022 + BIAS || (pe == 1022 + BIAS && ((m + (<u64>1 << 9)) >> 63) == 1)) {
    return reinterpret<f64>((<u64>ps << 63) | UVINF);
  }
  if (pe < 0) {
    const n = <i64>(-pe);
    m = sr(m, n) | nonzero(m & (sl(1, n) - 1));
    pe = 0;
  }
  const tie: u64 = ((m & ((<u64>1 << 10) - 1)) ^ (<u64>1 << 9)) == 0 ? 1 : 0;
  m = ((m + (<u64>1 << 9)) >> 10) & ~tie;
  if (m == 0) pe = 0;
  return reinterpret<f64>((<u64>ps << 63) + (<u64>pe << 52) + m);
}
