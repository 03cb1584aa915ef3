// Zero-phase and causal filtering of a whole segment against what SpikeInterface returned: the
// fixtures' traces_seg1.npy is get_traces() of segment 1 in one call, which for a filter is
// sosfiltfilt / filtfilt / sosfilt / lfilter of the whole segment (margins are clipped at both ends).
import { describe, expect, it } from 'vitest';
import { lfilter, sosfilt } from '../../src/kernel/index.js';
import { iirfilter, iirnotch } from '../../src/preprocessing/filter-design.js';
import { filtfilt, lfilterZi, sosfiltZi, sosfiltfilt, sosfiltfiltPadlen } from '../../src/preprocessing/filtering.js';
import { base64ToBytes, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { expectCodeAsync } from '../helpers/expect-error.js';

/** The data of a little-endian .npy file (header skipped) as a typed array of its dtype. */
function npyData(bytes: Uint8Array): Int16Array | Float32Array | Float64Array {
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = new TextDecoder().decode(bytes.subarray(0, start));
  const data = bytes.slice(start).buffer;
  if (header.includes("'<i2'")) return new Int16Array(data);
  if (header.includes("'<f4'")) return new Float32Array(data);
  if (header.includes("'<f8'")) return new Float64Array(data);
  throw new Error(`unexpected npy header ${header}`);
}

/** An array entry's little-endian bytes (b64) as a typed array of its dtype. */
function fromB64(dtype: string, b64: string): Int16Array | Float32Array | Float64Array {
  const buffer = base64ToBytes(b64).slice().buffer;
  if (dtype === '<i2') return new Int16Array(buffer);
  if (dtype === '<f4') return new Float32Array(buffer);
  if (dtype === '<f8') return new Float64Array(buffer);
  throw new Error(`unexpected dtype ${dtype}`);
}

/** numpy's round (half to even). */
function rint(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : r;
}

async function source(name: 's16' | 'u16', segment = 1): Promise<{ x: Int16Array; nc: number }> {
  const bytes = await readFixtureBytes(`preprocessing/sources/${name}/traces_seg${segment}.raw`);
  if (name === 's16') return { x: new Int16Array(bytes.slice().buffer), nc: 16 };
  // unsigned_to_signed: uint16 - 32768 as int16
  const u = new Uint16Array(bytes.slice().buffer);
  return { x: Int16Array.from(u, (v) => v - 32768), nc: 8 };
}

/** The output dtype's conversion, as FilterRecording does it (round half to even for integers). */
function asOutput(y: Float64Array, like: ArrayLike<number>): ArrayLike<number> {
  if (like instanceof Int16Array) return Int16Array.from(y, rint);
  if (like instanceof Float32Array) return Float32Array.from(y);
  return y;
}

const FS = 30000;
const bandpass = (n: number, lo: number, hi: number, ftype: 'butter' | 'bessel' = 'butter') =>
  iirfilter(n, [lo, hi], { fs: FS, btype: 'bandpass', ftype, output: 'sos' });
const highpass = (n: number, f: number) => iirfilter(n, f, { fs: FS, btype: 'highpass', output: 'sos' });

interface Case {
  name: string;
  src?: 's16' | 'u16';
  run: (x: Int16Array, nc: number) => Promise<Float64Array>;
}

const reverse = (x: ArrayLike<number>, nc: number) => {
  const out = new Float64Array(x.length);
  const nf = x.length / nc;
  for (let t = 0; t < nf; t++) for (let c = 0; c < nc; c++) out[t * nc + c] = x[(nf - 1 - t) * nc + c];
  return out;
};

const CASES: Case[] = [
  { name: 'bandpass_default', run: (x, nc) => sosfiltfilt(bandpass(5, 300, 6000), x, nc) },
  { name: 'bandpass_float32', run: (x, nc) => sosfiltfilt(bandpass(5, 300, 6000), x, nc) },
  { name: 'bandpass_float64', run: (x, nc) => sosfiltfilt(bandpass(5, 300, 6000), x, nc) },
  { name: 'bandpass_custom', run: (x, nc) => sosfiltfilt(bandpass(3, 500, 9000), x, nc) },
  { name: 'bandpass_bessel', run: (x, nc) => sosfiltfilt(bandpass(5, 300, 6000, 'bessel'), x, nc) },
  {
    name: 'bandpass_ba',
    run: (x, nc) => {
      const { b, a } = iirfilter(5, [300, 6000], { fs: FS, btype: 'bandpass', output: 'ba' });
      return filtfilt(b, a, x, nc);
    },
  },
  { name: 'highpass_default', run: (x, nc) => sosfiltfilt(highpass(5, 300), x, nc) },
  {
    name: 'notch',
    run: (x, nc) => {
      const { b, a } = iirnotch(60.0 / (0.5 * FS), 10);
      return filtfilt(b, a, x, nc);
    },
  },
  { name: 'filter_highpass_band', run: (x, nc) => sosfiltfilt(highpass(5, 250), x, nc) },
  {
    name: 'filter_lowpass_coeff',
    run: (x, nc) => sosfiltfilt(iirfilter(4, 3000, { fs: FS, btype: 'lowpass', output: 'sos' }), x, nc),
  },
  { name: 'causal_default', run: async (x, nc) => (await sosfilt(bandpass(5, 300, 6000), x, nc)).y },
  { name: 'bandpass_forward', run: async (x, nc) => (await sosfilt(bandpass(5, 300, 6000), x, nc)).y },
  {
    name: 'highpass_custom_direction',
    run: async (x, nc) => (await sosfilt(highpass(3, 150), x, nc, { direction: 'backward' })).y,
  },
  {
    name: 'causal_backward_ba',
    run: async (x, nc) => {
      const { b, a } = iirfilter(2, [400, 5000], { fs: FS, btype: 'bandpass', output: 'ba' });
      // 'backward' in the kernel equals scipy's lfilter on the reversed chunk, reversed back
      const viaKernel = (await lfilter(b, a, x, nc, { direction: 'backward' })).y;
      const flipped = (await lfilter(b, a, reverse(x, nc), nc)).y;
      expect(Array.from(reverse(flipped, nc))).toEqual(Array.from(viaKernel));
      return viaKernel;
    },
  },
  {
    // add_reflect_padding: the segment ends get np.pad(mode='reflect') margins of 500 frames, then
    // sosfiltfilt runs on the padded chunk and the margins are cut
    name: 'bandpass_reflect_padding',
    run: async (x, nc) => {
      const m = 500;
      const nf = x.length / nc;
      const padded = new Int16Array((nf + 2 * m) * nc);
      for (let t = -m; t < nf + m; t++) {
        const src = t < 0 ? -t : t >= nf ? 2 * (nf - 1) - t : t;
        padded.set(x.subarray(src * nc, (src + 1) * nc), (t + m) * nc);
      }
      const y = await sosfiltfilt(bandpass(5, 300, 6000), padded, nc);
      return y.slice(m * nc, (m + nf) * nc);
    },
  },
  { name: 'unsigned_to_signed_bandpass', src: 'u16', run: (x, nc) => sosfiltfilt(bandpass(5, 300, 6000), x, nc) },
];

describe('filtering a whole segment reproduces SpikeInterface (segment 1 of the fixtures)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { x, nc } = await source(c.src ?? 's16');
      const expected = npyData(await readFixtureBytes(`preprocessing/filters/${c.name}/traces_seg1.npy`));
      const y = await c.run(x, nc);
      expect(y.length).toBe(expected.length);
      const ours = asOutput(y, expected);
      let equal = 0;
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < expected.length; i++) {
        if (Object.is(ours[i], expected[i])) equal++;
        maxDiff = Math.max(maxDiff, Math.abs(ours[i] - expected[i]));
        maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
      }
      const dtype = expected instanceof Int16Array ? 'int16' : expected instanceof Float32Array ? 'float32' : 'float64';
      console.log(`${c.name} (${dtype}): ${equal}/${expected.length} identical, max |diff| ${maxDiff}`);
      expect(equal / expected.length).toBeGreaterThanOrEqual(0.9999);
      expect(maxDiff).toBeLessThanOrEqual(dtype === 'int16' ? 1 : 1e-12 * maxAbs);
    });
  }
});

describe('windows read with margins reproduce get_traces (the chunk SpikeInterface filters)', () => {
  for (const c of CASES.filter((k) => k.name !== 'bandpass_reflect_padding')) {
    it(c.name, async () => {
      const d = await readFixtureJson(`preprocessing/filters/${c.name}/expected.json`);
      const margin: number = d.filter_levels[0].margin_samples;
      const segments = [await source(c.src ?? 's16', 0), await source(c.src ?? 's16', 1)];
      let checked = 0;
      for (const w of d.recording.windows as any[]) {
        if (w.return_in_uV || !w.traces) continue;
        const { x, nc } = segments[w.segment_index];
        const length = x.length / nc;
        const end = Math.min(w.end_frame, length);
        // margins taken from the parent where available, clipped at the segment ends
        const left = Math.min(w.start_frame, margin);
        const right = Math.min(length - end, margin);
        const chunk = x.subarray((w.start_frame - left) * nc, (end + right) * nc);
        const y = await c.run(chunk, nc);
        const ids: number[] = w.channel_ids ?? Array.from({ length: nc }, (_, i) => i);
        const rows = end - w.start_frame;
        const picked = new Float64Array(rows * ids.length);
        for (let t = 0; t < rows; t++) ids.forEach((ch, j) => (picked[t * ids.length + j] = y[(left + t) * nc + ch]));
        const expected = fromB64(w.traces.dtype, w.traces.b64);
        expect(Array.from(asOutput(picked, expected))).toEqual(Array.from(expected));
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(10);
    });
  }
});

describe('initial conditions and padding', () => {
  it('sosfiltZi and lfilterZi give the steady state of a step (a constant passes without transient)', async () => {
    const sos = highpass(3, 150);
    const zi = sosfiltZi(sos);
    // a lowpass keeps a constant: filtering ones from zi gives ones
    const low = iirfilter(4, 3000, { fs: FS, btype: 'lowpass', output: 'sos' });
    const lz = sosfiltZi(low);
    const ns = low.length / 6;
    const state = new Float64Array(ns * 2);
    for (let s = 0; s < ns; s++) [state[s * 2], state[s * 2 + 1]] = [lz[s * 2] * 3, lz[s * 2 + 1] * 3];
    const { y } = await sosfilt(low, new Float64Array(50).fill(3), 1, { zi: state });
    for (const v of y) expect(v).toBeCloseTo(3, 12);
    expect(zi.length).toBe(4);
    const { b, a } = iirfilter(2, 3000, { fs: FS, btype: 'lowpass', output: 'ba' });
    const z = lfilterZi(b, a);
    const r = await lfilter(b, a, new Float64Array(20).fill(2), 1, { zi: z.map((v) => v * 2) });
    for (const v of r.y) expect(v).toBeCloseTo(2, 12);
  });

  it("padlen defaults to scipy's (3 × taps, less the origin sections of odd orders)", () => {
    expect(sosfiltfiltPadlen(bandpass(5, 300, 6000))).toBe(33);
    expect(sosfiltfiltPadlen(highpass(5, 300))).toBe(18); // 3 sections, one first-order: 3 * (7 - 1)
  });

  it('refuses a chunk no longer than padlen, naming both', async () => {
    await expectCodeAsync(sosfiltfilt(bandpass(5, 300, 6000), new Float64Array(33 * 2), 2), 'INVALID_ARGUMENT', /33 frames; it must be longer than padlen, which is 33/);
    await expectCodeAsync(sosfiltfilt(bandpass(5, 300, 6000), new Float64Array(40), 1, { padtype: 'mirror' as any }), 'INVALID_ARGUMENT', /padtype must be/);
  });

  it('padtype null, even and constant run like scipy (no extension, mirrored, repeated)', async () => {
    const sos = bandpass(3, 500, 9000);
    const x = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i / 3) * 100);
    for (const padtype of [null, 'even', 'constant'] as const) {
      const y = await sosfiltfilt(sos, x, 1, { padtype });
      expect(y.length).toBe(200);
      expect(y.every(Number.isFinite)).toBe(true);
    }
  });
});
