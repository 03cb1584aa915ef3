// plotProbe's SVG text, checked without rendering (node and browser alike): one element per contact in
// its true shape and size, the mapping from probe coordinates to pixels, texts, values and colour bar,
// and the same bytes in every runtime.
import { describe, expect, it } from 'vitest';
import { generateDummyProbe, generateLinearProbe, generateTetrode } from '../../src/probe/generators.js';
import { parseProbeinterface } from '../../src/probe/io-json.js';
import { plotProbe } from '../../src/probe/plot.js';
import { Probe } from '../../src/probe/probe.js';
import { ProbeGroup } from '../../src/probe/probegroup.js';
import { readFixtureText, sha256Hex } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';

/** Attributes of the elements of one tag that carry data-contact-index. */
function contactElements(svg: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(/<(circle|polygon) ([^>]*data-contact-index[^>]*)\/>/g)) {
    const attrs: Record<string, string> = { tag: m[1]! };
    for (const a of m[2]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    out.push(attrs);
  }
  return out;
}

/** Maps a pixel position back to probe coordinates with the data-* attributes and the axes rect. */
function inverse(svg: string): (px: number, py: number) => [number, number] {
  const [xlo, xhi] = /data-xlims="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number) as [number, number];
  const [ylo, yhi] = /data-ylims="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number) as [number, number];
  const axes = /<rect data-role="axes" x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/.exec(svg)!.slice(1).map(Number) as [number, number, number, number];
  const [ax, ay, aw, ah] = axes;
  return (px, py) => [xlo + ((px - ax) / aw) * (xhi - xlo), yhi - ((py - ay) / ah) * (yhi - ylo)];
}

describe('plotProbe SVG', () => {
  it('draws each contact of a fixture probe in its shape, at its position, with its size', async () => {
    const probe = parseProbeinterface(await readFixtureText('probes/linear_rect_wired.json')).probes[0]!;
    const svg = plotProbe(probe, { withContactId: true, withDeviceIndex: true });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    const els = contactElements(svg);
    expect(els.length).toBe(16);
    const back = inverse(svg);
    for (const el of els) {
      expect(el.tag).toBe('polygon');
      const pts = el.points!.split(' ').map((p) => back(...(p.split(',').map(Number) as [number, number])));
      const i = Number(el['data-contact-index']);
      const [x, y] = probe.contactPositions![i]!;
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      // an 8 x 12 µm rect centred on the contact
      expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(8, 1);
      expect(Math.max(...ys) - Math.min(...ys)).toBeCloseTo(12, 1);
      expect((Math.max(...xs) + Math.min(...xs)) / 2).toBeCloseTo(x!, 1);
      expect((Math.max(...ys) + Math.min(...ys)) / 2).toBeCloseTo(y!, 1);
    }
    expect(svg).toContain('>id0</tspan>');
    expect(svg).toContain('>dev2</tspan>');
    expect(svg).toContain('>Probe - 16ch</text>');
    expect(svg).toContain('data-role="probe-contour"');
    expect(svg).toContain('y (µm)');
    // ProbeInterface's auto limits: contacts and contour plus 40 µm
    expect(svg).toContain('data-xlims="-65 65" data-ylims="-165 365"');
  });

  it('circles have the radius of the contact', () => {
    const svg = plotProbe(generateTetrode());
    const els = contactElements(svg);
    const back = inverse(svg);
    expect(els.map((e) => e.tag)).toEqual(['circle', 'circle', 'circle', 'circle']);
    for (const el of els) {
      const [x0] = back(Number(el.cx), Number(el.cy));
      const [x1] = back(Number(el.cx) + Number(el.r), Number(el.cy));
      expect(x1 - x0).toBeCloseTo(6, 2);
    }
  });

  it('per-contact values get colours from the map and a colour bar; colours and text are options', () => {
    const probe = generateDummyProbe();
    const values = Array.from({ length: 32 }, (_, i) => i);
    values[3] = NaN;
    const svg = plotProbe(probe, { contactsValues: values, cmap: 'viridis', colorbarLabel: 'rate' });
    const fills = contactElements(svg).map((e) => e.fill);
    expect(fills[0]).toBe('#440154'); // viridis(0)
    expect(fills[31]).toBe('#fde725'); // viridis(1)
    expect(fills[3]).toBe('none');
    expect(svg).toContain('data-role="colorbar"');
    expect(svg).toContain('>rate</text>');
    const plain = plotProbe(probe, { contactsColors: 'red', title: false, textOnContact: values.map((v) => `c${v}`) });
    expect(contactElements(plain).every((e) => e.fill === 'red')).toBe(true);
    expect(plain).not.toContain('Probe - me');
    expect(plain).toContain('>c31</tspan>');
    expect(plotProbe(probe, { title: 'My probe' })).toContain('>My probe</text>');
    const custom = plotProbe(probe, { contactsValues: values, cmap: (t) => (t < 0.5 ? 'blue' : 'yellow'), colorbar: false });
    expect(custom).not.toContain('data-role="colorbar"');
    expect(contactElements(custom)[0]!.fill).toBe('blue');
  });

  it('a group is drawn on one axes, contacts indexed over the group, no title by default', async () => {
    const group = parseProbeinterface(await readFixtureText('probes/probegroup_2probes.json'));
    const svg = plotProbe(group, { withContactId: true });
    const els = contactElements(svg);
    expect(els.length).toBe(16);
    expect(els[8]!['data-probe-index']).toBe('1');
    expect(els[8]!['data-contact-index']).toBe('8');
    const back = inverse(svg);
    const [x] = back(Number(els[8]!.cx), Number(els[8]!.cy));
    expect(x).toBeCloseTo(300, 2);
    expect(svg).not.toMatch(/>ProbeGroup/);
    expect(plotProbe(group, { title: true })).toContain('>ProbeGroup - 2 probes - 16ch</text>');
  });

  it('3d probes are drawn on their widest plane (or the one asked for)', () => {
    const p3 = generateLinearProbe({ numElec: 4 }).to3d('xz');
    const svg = plotProbe(p3);
    expect(svg).toContain('data-x-dim="0" data-y-dim="2"');
    expect(svg).toContain('z (µm)');
    expect(contactElements(svg).map((e) => e.tag)).toEqual(['circle', 'circle', 'circle', 'circle']);
    const xy = plotProbe(p3, { axes: 'xy' });
    expect(xy).toContain('data-x-dim="0" data-y-dim="1"');
    // seen edge-on, a circle is a flat polygon
    expect(contactElements(xy)[0]!.tag).toBe('polygon');
  });

  it('a two-sided probe needs a side', () => {
    const p = new Probe();
    p.setContacts({ positions: [[0, 0], [0, 0], [0, 20]], contactSides: ['front', 'back', 'front'] });
    expectCode(() => plotProbe(p), 'INVALID_ARGUMENT', /side: the probe has two sides/);
    expect(contactElements(plotProbe(p, { side: 'front' })).length).toBe(2);
  });

  it('refuses bad options', () => {
    const p = generateTetrode();
    expectCode(() => plotProbe(p, { contactsValues: [1, 2] }), 'INVALID_ARGUMENT', /contactsValues: expected 4 values/);
    expectCode(() => plotProbe(p, { cmap: 'jet2' }), 'INVALID_ARGUMENT', /cmap: unknown colour map "jet2"/);
    expectCode(() => plotProbe(p, { xlims: [5, 1] }), 'INVALID_ARGUMENT', /xlims/);
    expectCode(() => plotProbe(new ProbeGroup()), 'INVALID_ARGUMENT', /no probe/);
    expectCode(() => plotProbe({} as Probe), 'INVALID_ARGUMENT', /needs a Probe or a ProbeGroup/);
    expectCode(() => plotProbe(new Probe()), 'INVALID_ARGUMENT', /no contacts yet/);
  });

  it('is the same text in every runtime', async () => {
    const svg = plotProbe(generateDummyProbe(), { withContactId: true, contactsValues: Array.from({ length: 32 }, (_, i) => i % 7) });
    // The hash pins the picture: update it (after looking at the picture) when the drawing changes.
    expect(await sha256Hex(new TextEncoder().encode(svg))).toBe(PINNED_SVG_SHA256);
  });
});

const PINNED_SVG_SHA256 = '3e85836240646b247753fb326eea4aed437a3fdcd785c742725f7a16ea37b7c6';
