// Deterministic bytes that tests can compute anywhere (the range server serves them as /<mode>/gen/<size>).

/** Byte `i` of the generated stream. */
export function genByte(i: number): number {
  const x = Math.imul((i ^ (i >>> 13)) >>> 0, 0x9e3779b1) >>> 0;
  return ((x >>> 24) ^ (i >>> 8)) & 0xff;
}

/** Bytes [start, end) of the generated stream. */
export function genBytes(start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = genByte(start + i);
  return out;
}
