// Elementwise preprocessing kernels: one pass over float64 rows in place, following numpy's
// arithmetic of SpikeInterface's scale, unsigned_to_signed, astype, clip / blank_saturation and
// rectify so that results are bit-identical. SIMD loops (behind ASC_FEATURE_SIMD) where a step maps
// onto v128 lanes one to one; the scalar build runs the same arithmetic lane by lane.

/** Operation codes of {@link elementwise}. */
const OP_SCALE: i32 = 0; // float32(x) * gain[c] + offset[c], numpy's float32 array with float64 operands
const OP_SHIFT_WRAP: i32 = 1; // x - params[0], wrapped into a signed integer of params[1] bits
const OP_ROUND: i32 = 2; // np.round: half to even
const OP_CLIP: i32 = 3; // x <= aMin -> valueMin, x >= aMax -> valueMax
const OP_ABS: i32 = 4; // np.abs, wrapped into a signed integer of params[0] bits when params[0] > 0

/** Flags of {@link elementwise}. */
const FLAG_ROUND: i32 = 1; // OP_SCALE: np.round of the float32 result
const FLAG_MIN: i32 = 2; // OP_CLIP: a lower threshold is set
const FLAG_MAX: i32 = 4; // OP_CLIP: an upper threshold is set

@inline function wrapSigned(v: f64, bits: f64): f64 {
  const span = Math.pow(2, bits);
  const low = -span / 2;
  if (v >= low && v < -low) return v;
  let r = (v - low) % span;
  if (r < 0) r += span;
  return r + low;
}

// numpy: traces.astype(float32); traces *= gain (float64 operand: product in float64, stored as
// float32); traces += offset (likewise); then np.round in float32 for integer outputs.
function scaleRows(data: usize, nf: usize, nc: usize, gain: usize, offset: usize, round: bool): void {
  for (let t: usize = 0; t < nf; t++) {
    const row = data + t * nc * 8;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 2 <= nc; c += 2) {
        const p = row + c * 8;
        let x = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v128.load(p)));
        x = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(x, v128.load(gain + c * 8))));
        x = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.add(x, v128.load(offset + c * 8))));
        if (round) x = f64x2.nearest(x);
        v128.store(p, x);
      }
    }
    for (; c < nc; c++) {
      const p = row + c * 8;
      let y = <f32>(<f64><f32>load<f64>(p) * load<f64>(gain + c * 8));
      y = <f32>(<f64>y + load<f64>(offset + c * 8));
      store<f64>(p, round ? <f64>f32.nearest(y) : <f64>y);
    }
  }
}

// x <= aMin -> valueMin, then x >= aMax -> valueMax (the second test sees the first's result, as
// numpy's two masked assignments do).
function clipValues(data: usize, n: usize, params: usize, flags: i32): void {
  const aMin = load<f64>(params), vMin = load<f64>(params + 8);
  const aMax = load<f64>(params + 16), vMax = load<f64>(params + 24);
  const hasMin = (flags & FLAG_MIN) != 0, hasMax = (flags & FLAG_MAX) != 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const lo = f64x2.splat(aMin), loV = f64x2.splat(vMin), hi = f64x2.splat(aMax), hiV = f64x2.splat(vMax);
    for (; i + 2 <= n; i += 2) {
      const p = data + i * 8;
      let x = v128.load(p);
      if (hasMin) x = v128.bitselect(loV, x, f64x2.le(x, lo));
      if (hasMax) x = v128.bitselect(hiV, x, f64x2.ge(x, hi));
      v128.store(p, x);
    }
  }
  for (; i < n; i++) {
    const p = data + i * 8;
    let x = load<f64>(p);
    if (hasMin && x <= aMin) x = vMin;
    if (hasMax && x >= aMax) x = vMax;
    store<f64>(p, x);
  }
}

// Elementwise unary steps: np.round, np.abs (integer wrap of the most negative value), x - shift
// (integer wrap).
function unary(data: usize, n: usize, op: i32, a: f64, bits: f64): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD && (op == OP_ROUND || (op == OP_ABS && bits == 0))) {
    for (; i + 2 <= n; i += 2) {
      const p = data + i * 8;
      v128.store(p, op == OP_ROUND ? f64x2.nearest(v128.load(p)) : f64x2.abs(v128.load(p)));
    }
  }
  for (; i < n; i++) {
    const p = data + i * 8;
    const x = load<f64>(p);
    let y: f64;
    if (op == OP_ROUND) y = f64.nearest(x);
    else if (op == OP_ABS) y = bits > 0 ? wrapSigned(Math.abs(x), bits) : Math.abs(x);
    else y = wrapSigned(x - a, bits);
    store<f64>(p, y);
  }
}

/**
 * One elementwise pass over `numFrames` rows of `numChannels` float64 values at `data` (8-byte
 * aligned), in place. `params` holds float64 parameters:
 *
 * - OP_SCALE (0): gain[numChannels] then offset[numChannels]; FLAG_ROUND (1) rounds the float32 result.
 * - OP_SHIFT_WRAP (1): [shift, bits]: x - shift wrapped into a signed integer of `bits` bits.
 * - OP_ROUND (2): no parameters.
 * - OP_CLIP (3): [aMin, valueMin, aMax, valueMax] with FLAG_MIN (2) / FLAG_MAX (4) saying which apply.
 * - OP_ABS (4): [bits]: |x|, wrapped into a signed integer of `bits` bits when bits > 0.
 */
export function elementwise(data: usize, numFrames: i32, numChannels: i32, op: i32, params: usize, flags: i32): void {
  if (numFrames <= 0 || numChannels <= 0) return;
  const nf = <usize>numFrames;
  const nc = <usize>numChannels;
  const n = nf * nc;
  switch (op) {
    case OP_SCALE: scaleRows(data, nf, nc, params, params + nc * 8, (flags & FLAG_ROUND) != 0); break;
    case OP_CLIP: clipValues(data, n, params, flags); break;
    case OP_SHIFT_WRAP: unary(data, n, op, load<f64>(params), load<f64>(params + 8)); break;
    case OP_ABS: unary(data, n, op, 0, load<f64>(params)); break;
    case OP_ROUND: unary(data, n, op, 0, 0); break;
  }
}
