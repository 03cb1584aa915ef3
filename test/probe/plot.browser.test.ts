// plotProbe's SVG rendered by a real browser, for every fixture probe: each contact is drawn where
// the probe places it (the centre of its on-screen box, mapped back through the SVG's transform and
// the axes' limits, lands within 0.5 µm of the contact position), and the picture is not blank.
// Screenshots go to test-output/probe/<fixture>.png, to look at next to the fixtures' PNGs
// (ProbeInterface's plot_probe with contact ids and device indices, as here).
import { describe, expect, it, beforeAll } from 'vitest';
import { page } from 'vitest/browser';
import { parseProbeinterface } from '../../src/probe/io-json.js';
import { plotProbe, type PlotProbeOptions } from '../../src/probe/plot.js';
import { generateDummyProbe } from '../../src/probe/generators.js';
import type { Probe } from '../../src/probe/probe.js';
import type { ProbeGroup } from '../../src/probe/probegroup.js';
import { listFixtureDir, readFixtureText } from '../helpers/fixtures.js';

interface Case {
  name: string;
  make: () => Promise<Probe | ProbeGroup>;
  opts: PlotProbeOptions;
}

async function fixtureCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const folder of ['probes', 'release-0.104.8/probes']) {
    for (const file of await listFixtureDir(folder)) {
      if (!file.endsWith('.json') || file === 'expected.json') continue;
      const name = file.replace(/\.json$/, '');
      if (folder !== 'probes' && cases.some((c) => c.name === name)) continue; // same bytes as probes/
      cases.push({
        name,
        make: async () => {
          const g = parseProbeinterface(await readFixtureText(`${folder}/${file}`));
          return g.probes.length === 1 ? g.probes[0]! : g;
        },
        // ProbeInterface's fixture pictures show ids and device indices; 384+ contacts are unreadable with text.
        opts: { withContactId: !name.startsWith('neuropixels'), withDeviceIndex: !name.startsWith('neuropixels') },
      });
    }
  }
  cases.push({
    name: 'dummy_values_colorbar',
    make: async () => generateDummyProbe(),
    opts: { contactsValues: Array.from({ length: 32 }, (_, i) => i * 1.5), colorbarLabel: 'amplitude (µV)', cmap: 'viridis' },
  });
  return cases;
}

/** The positions of all contacts of a probe or group, in global contact order. */
function globalPositions(x: Probe | ProbeGroup): number[][] {
  const probes = 'probes' in x ? x.probes : [x];
  return probes.flatMap((p) => p.contactPositions!);
}

/** Counts pixels that are not (nearly) white, drawing the SVG text into a canvas through an Image. */
async function nonWhitePixels(svg: string): Promise<{ nonWhite: number; total: number }> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG did not load as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let nonWhite = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0 && (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240)) nonWhite++;
    }
    return { nonWhite, total: canvas.width * canvas.height };
  } finally {
    URL.revokeObjectURL(url);
  }
}

describe('plotProbe rendered in the browser', async () => {
  const cases = await fixtureCases();

  beforeAll(async () => {
    await page.viewport(1000, 1000);
  });

  it('covers every fixture probe file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(11);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const probeOrGroup = await c.make();
    const svg = plotProbe(probeOrGroup, c.opts);
    document.body.style.margin = '0';
    document.body.innerHTML = svg;
    const root = document.body.querySelector('svg')!;
    expect(root).not.toBeNull();

    const [xlo, xhi] = root.getAttribute('data-xlims')!.split(' ').map(Number) as [number, number];
    const [ylo, yhi] = root.getAttribute('data-ylims')!.split(' ').map(Number) as [number, number];
    const dx = Number(root.getAttribute('data-x-dim'));
    const dy = Number(root.getAttribute('data-y-dim'));
    const axes = root.querySelector('[data-role="axes"]') as SVGRectElement;
    const ax = axes.x.baseVal.value;
    const ay = axes.y.baseVal.value;
    const aw = axes.width.baseVal.value;
    const ah = axes.height.baseVal.value;
    const toViewBox = root.getScreenCTM()!.inverse();

    const positions = globalPositions(probeOrGroup);
    const shapes = [...root.querySelectorAll('circle[data-contact-index], polygon[data-contact-index]')] as SVGGraphicsElement[];
    expect(shapes.length).toBe(positions.length);
    let worst = 0;
    for (const el of shapes) {
      const i = Number(el.getAttribute('data-contact-index'));
      const r = el.getBoundingClientRect();
      expect(r.width, `contact ${i} has a size`).toBeGreaterThan(0);
      const centre = new DOMPoint(r.left + r.width / 2, r.top + r.height / 2).matrixTransform(toViewBox);
      const x = xlo + ((centre.x - ax) / aw) * (xhi - xlo);
      const y = yhi - ((centre.y - ay) / ah) * (yhi - ylo);
      const pos = positions[i]!;
      worst = Math.max(worst, Math.abs(x - pos[dx]!), Math.abs(y - pos[dy]!));
      expect(Math.abs(x - pos[dx]!), `${name} contact ${i} x`).toBeLessThan(0.5);
      expect(Math.abs(y - pos[dy]!), `${name} contact ${i} y`).toBeLessThan(0.5);
    }
    expect(worst).toBeLessThan(0.5);

    const { nonWhite, total } = await nonWhitePixels(svg);
    expect(nonWhite / total, `${name}: share of non-white pixels`).toBeGreaterThan(0.01);

    await page.screenshot({ element: root, path: `../../test-output/probe/${name}.png` });
  });
});
