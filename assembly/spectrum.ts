// Products of complex spectra, as numpy computes `spectrum * rotations` element by element:
// (a + bi)(c + di) = (ac - bd) + (ad + bc)i, each product and sum rounded separately (no fused
// multiply-add), so results are bit-equal with numpy's complex128 multiply.

/** spectrum[b] *= rotations[b] for `bins` complex values stored as (re, im) f64 pairs, in place. */
export function rotateSpectrum(spectrum: usize, rotations: usize, bins: i32): void {
  for (let b: usize = 0; b < <usize>bins; b++) {
    const p = spectrum + (b << 4);
    const q = rotations + (b << 4);
    const re = load<f64>(p);
    const im = load<f64>(p, 8);
    const c = load<f64>(q);
    const d = load<f64>(q, 8);
    store<f64>(p, re * c - im * d);
    store<f64>(p, re * d + im * c, 8);
  }
}
