// Fast byte comparisons for large arrays (vitest's deep equality is slow on millions of elements).

export function bytesOfView(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The index of the first differing byte, -1 when equal (a length difference counts at the shorter length). */
export function firstDifference(a: ArrayBufferView, b: ArrayBufferView): number {
  const x = bytesOfView(a);
  const y = bytesOfView(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? -1 : n;
}
