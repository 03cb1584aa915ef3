import { check, describe } from '../errors.js';

// numpy's `np.random.default_rng(seed)`: a PCG64 generator (XSL-RR 128/64) seeded through a
// SeedSequence, and the bounded integer draws of `Generator.integers`, step for step as numpy's C
// code does them, so that the random chunks SpikeInterface estimates statistics from are the same
// chunks here. 128-bit arithmetic is done with BigInt: a handful of draws per recording, never a
// hot path.

const MASK32 = 0xffffffff;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;

// SeedSequence's hash constants (numpy/random/bit_generator.pyx)
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

/** An integer seed as SeedSequence takes it: its 32-bit words, least significant first ([0] for 0). */
function seedWords(seed: bigint): number[] {
  const words: number[] = [];
  let rest = seed;
  do {
    words.push(Number(rest & 0xffffffffn));
    rest >>= 32n;
  } while (rest > 0n);
  return words;
}

/**
 * numpy's SeedSequence(entropy).generate_state(4, uint64): the pool mixed from the seed's words,
 * then 8 hashed 32-bit words read as 4 little-endian uint64.
 */
export function seedSequenceState(seed: bigint): bigint[] {
  const entropy = seedWords(seed);
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  const pool = new Array<number>(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  let h = INIT_B;
  const words: number[] = [];
  for (let i = 0; i < 2 * POOL_SIZE; i++) {
    let v = (pool[i % POOL_SIZE] ^ h) >>> 0;
    h = Math.imul(h, MULT_B) >>> 0;
    v = Math.imul(v, h) >>> 0;
    words.push((v ^ (v >>> 16)) >>> 0);
  }
  const out: bigint[] = [];
  for (let i = 0; i < words.length; i += 2) out.push(BigInt(words[i]) | (BigInt(words[i + 1]) << 32n));
  return out;
}

/**
 * numpy's `Generator(PCG64(seed))`: `np.random.default_rng(seed)`. Only what SpikeInterface's
 * random chunks use is implemented: {@link integers} with `endpoint=True` and its raw draws.
 */
export class NumpyGenerator {
  private state: bigint;
  private readonly inc: bigint;
  /** numpy's PCG64 hands out 64-bit draws in halves: the upper half waits here for the next 32-bit draw. */
  private pendingUint32: number | null = null;

  /**
   * `seed`: a non-negative integer (a number up to 2 ** 53 or a bigint), or null for fresh entropy
   * from the platform's crypto (as numpy takes it from the OS).
   */
  constructor(seed: number | bigint | null) {
    let s: bigint;
    if (seed === null) {
      const words = crypto.getRandomValues(new Uint32Array(4));
      s = words.reduce((acc, w, i) => acc | (BigInt(w) << BigInt(32 * i)), 0n);
    } else {
      check((typeof seed === 'bigint' && seed >= 0n) || (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0), 'INVALID_ARGUMENT',
        () => `defaultRng: seed must be a non-negative integer or null, got ${describe(seed)}`);
      s = BigInt(seed);
    }
    const [s0, s1, i0, i1] = seedSequenceState(s);
    // pcg64_set_seed: the first word of each pair is the high half (PCG_128BIT_CONSTANT(high, low))
    const initState = (s0 << 64n) | s1;
    const initSeq = (i0 << 64n) | i1;
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.state = 0n;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * PCG_MULTIPLIER + this.inc) & MASK128;
  }

  /** The next 64-bit draw (pcg64_random_r: step, then the XSL-RR output of the new state). */
  nextUint64(): bigint {
    this.step();
    const hi = this.state >> 64n;
    const lo = this.state & MASK64;
    const x = hi ^ lo;
    const rot = Number(this.state >> 122n);
    return ((x >> BigInt(rot)) | (x << BigInt((64 - rot) & 63))) & MASK64;
  }

  /** The next 32-bit draw: the low half of a 64-bit draw, then its high half (pcg64_next32). */
  nextUint32(): number {
    if (this.pendingUint32 !== null) {
      const v = this.pendingUint32;
      this.pendingUint32 = null;
      return v;
    }
    const next = this.nextUint64();
    this.pendingUint32 = Number(next >> 32n);
    return Number(next & 0xffffffffn);
  }

  /**
   * `rng.integers(low, high, size, endpoint=True)` with numpy's default int64 dtype: `size` draws
   * in [low, high], by Lemire's method on 32-bit draws when the range fits 32 bits, on 64-bit
   * draws otherwise (random_bounded_uint64_fill, use_masked=False).
   */
  integersInclusive(low: number, high: number, size: number): number[] {
    check(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low <= high, 'INVALID_ARGUMENT',
      () => `integers: low (${describe(low)}) must be an integer not above high (${describe(high)})`);
    check(Number.isSafeInteger(size) && size >= 0, 'INVALID_ARGUMENT', () => `integers: size must be a non-negative integer, got ${describe(size)}`);
    const range = high - low;
    const out = new Array<number>(size);
    if (range === 0) return out.fill(low);
    if (range < MASK32) {
      for (let i = 0; i < size; i++) out[i] = low + this.lemire32(range);
    } else if (range === MASK32) {
      for (let i = 0; i < size; i++) out[i] = low + this.nextUint32();
    } else {
      for (let i = 0; i < size; i++) out[i] = low + Number(this.lemire64(BigInt(range)));
    }
    return out;
  }

  /** buffered_bounded_lemire_uint32: a draw in [0, range] for range < 2 ** 32 - 1. */
  private lemire32(range: number): number {
    const rangeExcl = BigInt(range + 1);
    let m = BigInt(this.nextUint32()) * rangeExcl;
    let leftover = Number(m & 0xffffffffn);
    if (leftover < range + 1) {
      const threshold = (MASK32 - range) % (range + 1);
      while (leftover < threshold) {
        m = BigInt(this.nextUint32()) * rangeExcl;
        leftover = Number(m & 0xffffffffn);
      }
    }
    return Number(m >> 32n);
  }

  /** bounded_lemire_uint64: a draw in [0, range] for 2 ** 32 - 1 < range < 2 ** 64 - 1. */
  private lemire64(range: bigint): bigint {
    const rangeExcl = range + 1n;
    let m = this.nextUint64() * rangeExcl;
    let leftover = m & MASK64;
    if (leftover < rangeExcl) {
      const threshold = (MASK64 - range) % rangeExcl;
      while (leftover < threshold) {
        m = this.nextUint64() * rangeExcl;
        leftover = m & MASK64;
      }
    }
    return m >> 64n;
  }
}

/** numpy's `np.random.default_rng(seed)` (PCG64 seeded by a SeedSequence; null: fresh entropy). */
export function defaultRng(seed: number | bigint | null = null): NumpyGenerator {
  return new NumpyGenerator(seed);
}
