// Filter design against the coefficients SpikeInterface used (scipy 1.17), as recorded in the
// preprocessing fixtures: every sos / b / a value of every filtered case.
import { describe, expect, it } from 'vitest';
import { SpikewireError } from '../../src/errors.js';
import { iirfilter, iirnotch, zpk2sos, buttap, besselap, zpk2tf } from '../../src/preprocessing/filter-design.js';
import { type ArrayEntry, decodeArrayEntry, readFixtureJson } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';

const GROUPS = ['filters', 'chains', 'stats_based', 'phase_shift'];
const CASES: Record<string, string[]> = {
  filters: [
    'bandpass_ba', 'bandpass_bessel', 'bandpass_custom', 'bandpass_default', 'bandpass_float32', 'bandpass_float64',
    'bandpass_forward', 'bandpass_reflect_padding', 'causal_backward_ba', 'causal_default', 'filter_highpass_band',
    'filter_lowpass_coeff', 'highpass_custom_direction', 'highpass_default', 'notch', 'unsigned_to_signed_bandpass',
  ],
  chains: ['bandpass_cmr_saved', 'np_highpass_phase_shift_cmr_local'],
  stats_based: ['highpass_spatial_filter', 'whiten_global_apply_mean', 'whiten_local'],
  phase_shift: ['np_highpass_phase_shift'],
};

const values = (entry: ArrayEntry) => decodeArrayEntry(entry).values as Float64Array;

/** Largest relative difference (absolute where the expected value is 0) and the number of bit-equal values. */
function compare(actual: ArrayLike<number>, expected: Float64Array): { maxRel: number; equal: number } {
  expect(actual.length).toBe(expected.length);
  let maxRel = 0;
  let equal = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Object.is(actual[i], expected[i]) || actual[i] === expected[i]) equal++;
    const e = Math.abs(actual[i] - expected[i]) / (expected[i] === 0 ? 1 : Math.abs(expected[i]));
    maxRel = Math.max(maxRel, e);
  }
  return { maxRel, equal };
}

/** Our design for a case, from the scipy call the fixture recorded. */
function design(level: any, description: string): Float64Array | { b: Float64Array; a: Float64Array } {
  const call: string = level.scipy_call;
  const notch = /^scipy\.signal\.iirnotch\(([\d.]+) \/ \(0\.5 \* ([\d.]+)\), ([\d.]+)\)$/.exec(call);
  if (notch) return iirnotch(Number(notch[1]) / (0.5 * Number(notch[2])), Number(notch[3]));
  const m = /^scipy\.signal\.iirfilter\((\d+), (\[[^\]]+\]|[\d.]+), fs=([\d.]+), analog=False, btype='(\w+)', ftype='(\w+)', output='(\w+)'\)$/.exec(call);
  if (m) {
    const wn = JSON.parse(m[2]) as number | number[];
    const opts = { fs: Number(m[3]), btype: m[4] as any, ftype: m[5] as any };
    return m[6] === 'sos' ? iirfilter(Number(m[1]), wn, { ...opts, output: 'sos' }) : iirfilter(Number(m[1]), wn, { ...opts, output: 'ba' });
  }
  // user coefficients: scipy.signal.butter(4, 3000.0, btype='lowpass', fs=30000.0, output='sos')
  const user = /butter\((\d+), ([\d.]+), btype='(\w+)', fs=([\d.]+), output='sos'\)/.exec(description);
  if (!user) throw new Error(`no design for ${call}`);
  return iirfilter(Number(user[1]), Number(user[2]), { btype: user[3] as any, fs: Number(user[4]), output: 'sos', ftype: 'butter' });
}

describe('iirfilter / iirnotch equal the coefficients SpikeInterface used', () => {
  for (const group of GROUPS) {
    for (const name of CASES[group]) {
      it(`${group}/${name}`, async () => {
        const d = await readFixtureJson(`preprocessing/${group}/${name}/expected.json`);
        const levels = (d.filter_levels as any[]).filter((l) => l.sos || l.b);
        expect(levels.length).toBeGreaterThan(0);
        for (const level of levels) {
          const ours = design(level, d.description);
          const results: string[] = [];
          if (level.sos) {
            const expected = values(level.sos);
            const r = compare(ours as Float64Array, expected);
            results.push(`sos ${r.equal}/${expected.length} bit-equal, max rel ${r.maxRel.toExponential(2)}`);
            expect(r.maxRel).toBeLessThanOrEqual(1e-12);
          } else {
            const { b, a } = ours as { b: Float64Array; a: Float64Array };
            const rb = compare(b, values(level.b));
            const ra = compare(a, values(level.a));
            results.push(`b ${rb.equal}/${b.length} bit-equal, max rel ${rb.maxRel.toExponential(2)}; a ${ra.equal}/${a.length}, max rel ${ra.maxRel.toExponential(2)}`);
            expect(rb.maxRel).toBeLessThanOrEqual(1e-12);
            expect(ra.maxRel).toBeLessThanOrEqual(1e-12);
          }
          console.log(`${group}/${name}: ${level.scipy_call}: ${results.join('; ')}`);
        }
      });
    }
  }
});

describe('filter design details', () => {
  it('buttap poles lie on the unit circle, the middle one exactly -1', () => {
    const { p } = buttap(5);
    expect(p[2].re).toBe(-1);
    expect(p[2].im === 0).toBe(true);
    for (const x of p) expect(Math.hypot(x.re, x.im)).toBeCloseTo(1, 15);
  });

  it('besselap poles are the roots of the reverse Bessel polynomial (delay norm)', () => {
    // theta_3(s) = s^3 + 6 s^2 + 15 s + 15
    const { p, k } = besselap(3, 'delay');
    expect(k).toBe(15);
    const { a } = zpk2tf({ z: [], p, k: 1 });
    expect(Array.from(a).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 6, 15, 15]);
  });

  it('zpk2sos pairs an odd-order filter like scipy (docstring example)', () => {
    const sos = zpk2sos({ z: [{ re: -1, im: 0 }, { re: -0.5, im: -0.5 }, { re: -0.5, im: 0.5 }], p: [{ re: 0.75, im: 0 }, { re: 0.8, im: 0.1 }, { re: 0.8, im: -0.1 }], k: 1 });
    const round = Array.from(sos, (v) => Math.round(v * 1e12) / 1e12);
    expect(round).toEqual([1, 1, 0.5, 1, -0.75, 0, 1, 1, 0, 1, -1.6, 0.65]);
  });

  it('refuses what scipy refuses, naming the value', () => {
    expectCode(() => iirfilter(5, [300, 16000], { fs: 30000, output: 'sos' }), 'INVALID_ARGUMENT', /16000 must be below Nyquist \(15000 Hz\)/);
    expectCode(() => iirfilter(5, [6000, 300], { fs: 30000, output: 'sos' }), 'INVALID_ARGUMENT', /Wn\[0\] \(6000\) must be less than Wn\[1\] \(300\)/);
    expectCode(() => iirfilter(5, 0, { btype: 'highpass', fs: 30000, output: 'sos' }), 'INVALID_ARGUMENT', /0 must be greater than 0/);
    expectCode(() => iirfilter(5, [300, 6000], { ftype: 'cheby1' as any, fs: 30000 }), 'UNSUPPORTED', /cheby1/);
    expectCode(() => iirfilter(2.5, 0.3, { btype: 'lowpass' }), 'INVALID_ARGUMENT', /order .* got 2\.5/);
    expectCode(() => iirfilter(3, 0.3, { btype: 'lowpas' as any }), 'INVALID_ARGUMENT', /"lowpas" is an invalid band type/);
    expectCode(() => iirfilter(3, [0.1, 0.3], { btype: 'highpass' }), 'INVALID_ARGUMENT', /needs one critical frequency/);
    expectCode(() => iirnotch(1.5, 10), 'INVALID_ARGUMENT', /1\.5 must be between 0 and Nyquist/);
    expect(() => iirnotch(0.1, 0)).toThrow(SpikewireError);
  });
});

// Designs no fixture covers (bandstop, Bessel high/lowpass, delay norm, a long 'ba'), with the values
// scipy 1.17.1 printed for them (repr of float64, so exact).
const SCIPY: Record<string, number[]> = {
  "butter bandstop 4 [1000, 2000] fs 30000": [
    0.7601538590971476,
    -1.453862975663378,
    0.7601538590971478,
    1.0,
    -1.696863791725662,
    0.8013361600948745,
    1.0,
    -1.9125904029352228,
    1.0000000000000002,
    1.0,
    -1.7850737262015066,
    0.845752687985547,
    1.0,
    -1.9125904029352228,
    1.0000000000000002,
    1.0,
    -1.7440055255515883,
    0.9012494988961461,
    1.0,
    -1.9125904029352228,
    1.0000000000000002,
    1.0,
    -1.9015021392450362,
    0.9460189852015258
  ],
  "bessel highpass 3 500 fs 30000": [
    0.8802237857115812,
    -0.8802237857115812,
    0.0,
    1.0,
    -0.8945525800172051,
    0.0,
    1.0,
    -2.0,
    1.0,
    1.0,
    -1.853624717240305,
    0.863237174039955
  ],
  "bessel lowpass 8 0.2": [
    1.9925216040416903e-05,
    3.9850432080833806e-05,
    1.9925216040416903e-05,
    1.0,
    -1.0835654796865355,
    0.2965112591931103,
    1.0,
    2.0,
    1.0,
    1.0,
    -1.099985518347189,
    0.33077969143511105,
    1.0,
    2.0,
    1.0,
    1.0,
    -1.136386253383764,
    0.41131988236357275,
    1.0,
    2.0,
    1.0,
    1.0,
    -1.2041528014771696,
    0.5816565451458231
  ],
  "bessel_delay bandpass 2 [0.1, 0.3]": [
    0.13821581264943963,
    0.27643162529887927,
    0.13821581264943963,
    1.0,
    -0.602133801352819,
    0.22300563705845367,
    1.0,
    -2.0,
    1.0,
    1.0,
    -1.6064684704283798,
    0.6691801141507694
  ],
  "butter lowpass 7 0.45 ba": [
    0.009279618264202405,
    0.06495732784941684,
    0.1948719835482505,
    0.3247866392470842,
    0.3247866392470842,
    0.1948719835482505,
    0.06495732784941684,
    0.009279618264202405,
    1.0,
    -0.6943769064115545,
    1.1083129475862639,
    -0.44795676942409424,
    0.26539542713275704,
    -0.054577293024414136,
    0.011691186697328805,
    -0.0006974547383789674
  ]
};

describe('designs beyond the fixtures equal scipy 1.17.1', () => {
  const ours: Record<string, () => number[]> = {
    'butter bandstop 4 [1000, 2000] fs 30000': () => Array.from(iirfilter(4, [1000, 2000], { fs: 30000, btype: 'bandstop', output: 'sos' })),
    'bessel highpass 3 500 fs 30000': () => Array.from(iirfilter(3, 500, { fs: 30000, btype: 'highpass', ftype: 'bessel', output: 'sos' })),
    'bessel lowpass 8 0.2': () => Array.from(iirfilter(8, 0.2, { btype: 'lowpass', ftype: 'bessel', output: 'sos' })),
    'bessel_delay bandpass 2 [0.1, 0.3]': () => Array.from(iirfilter(2, [0.1, 0.3], { ftype: 'bessel_delay', output: 'sos' })),
    'butter lowpass 7 0.45 ba': () => {
      const { b, a } = iirfilter(7, 0.45, { btype: 'lowpass', output: 'ba' });
      return [...b, ...a];
    },
  };
  for (const [name, expected] of Object.entries(SCIPY)) {
    it(name, () => {
      const r = compare(ours[name](), Float64Array.from(expected));
      console.log(`${name}: ${r.equal}/${expected.length} bit-equal, max rel ${r.maxRel.toExponential(2)}`);
      expect(r.maxRel).toBeLessThanOrEqual(1e-12);
    });
  }
});
