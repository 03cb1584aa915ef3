// ProbeInterface's plot_probe / plot_probegroup as an SVG string: no DOM and no canvas, so the same
// text comes out in Node, browsers and edge functions. The look follows ProbeInterface's matplotlib
// defaults (green translucent contour, orange contacts with grey edges, equal aspect, 40 µm margin
// around the probe, title = the probe's title); contacts are drawn in their true shapes and sizes.
//
// Every contact element carries data-contact-index (its index over the whole group) so that tools and
// tests can find it; the root carries data-xlims / data-ylims and the plot area is the element with
// data-role="axes", which together give the mapping from pixels back to probe coordinates.
import { SpikewireError, describe } from '../errors.js';
import { colormapFunction, type Colormap } from './colormaps.js';
import { Probe } from './probe.js';
import { ProbeGroup } from './probegroup.js';
import { contactVertices, planeDims, type PlaneAxes } from './shapes.js';

/** Style of the contacts or of the probe contour (matplotlib's PolyCollection keywords). */
export interface PlotStyle {
  /** Fill colour (CSS). */
  facecolor?: string;
  /** Outline colour (CSS). */
  edgecolor?: string;
  /** Outline width in px. */
  lw?: number;
  /** Opacity of fill and outline, 0..1 (matplotlib's alpha). */
  alpha?: number;
}

/** Options of {@link plotProbe} (ProbeInterface's `plot_probe` keywords in camelCase, plus SVG sizes). */
export interface PlotProbeOptions {
  /** One colour for all contacts, or one per contact (default orange). */
  contactsColors?: string | readonly string[];
  /** Write `id<contact id>` on each contact. */
  withContactId?: boolean;
  /** Write `dev<device channel>` on each contact. */
  withDeviceIndex?: boolean;
  /** Extra text per contact. */
  textOnContact?: readonly (string | number)[];
  /** One value per contact, shown through `cmap` with a colour bar. NaN contacts are left unfilled. */
  contactsValues?: ArrayLike<number>;
  /** Colour map for `contactsValues`: 'viridis' (default), 'plasma', 'inferno', 'magma', 'coolwarm', 'gray', 'Greys' or a function. */
  cmap?: Colormap;
  /** Colour-map range (default: the values' min and max). */
  vmin?: number;
  vmax?: number;
  /** Draw the colour bar when values are given (default true). */
  colorbar?: boolean;
  /** Colour-bar label. */
  colorbarLabel?: string;
  /** true: the probe's title (default for a probe; a group has none by default); a string: that title; false: none. */
  title?: boolean | string;
  /** Style of the contacts (default alpha 0.7, grey edge, lw 0.5). */
  contactsKargs?: PlotStyle;
  /** Style of the probe contour (default green, alpha 0.3, black edge, lw 0.5). */
  probeShapeKwargs?: PlotStyle;
  /** Axis limits in probe units (default: contacts and contours plus 40 µm). */
  xlims?: readonly [number, number];
  ylims?: readonly [number, number];
  /** For a two-sided probe: which side to draw (required then, as in ProbeInterface). */
  side?: 'front' | 'back';
  /** For 3d probes: the plane to draw (default: the two axes where the probe is widest). */
  axes?: PlaneAxes;
  /** Size of the picture in px (default 480 x 720, ProbeInterface's 4 x 6 in figure). */
  width?: number;
  height?: number;
  /** Font size of texts in px (default 12; contact texts 10). */
  fontSize?: number;
}

const DEFAULT_CONTACT: Required<PlotStyle> = { facecolor: 'orange', edgecolor: 'rgb(77,77,77)', lw: 0.5, alpha: 0.7 };
const DEFAULT_SHAPE: Required<PlotStyle> = { facecolor: 'green', edgecolor: 'black', lw: 0.5, alpha: 0.3 };

/** A number for SVG attributes: 3 decimals are far below a pixel. */
function n(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Text escaped for SVG content and attributes. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Most ticks on one axis: more would only be ink (the picture is at most MAX_SIZE px). */
const MAX_TICKS = 2500;

/** Largest width / height of the picture in px. */
const MAX_SIZE = 100_000;

/** matplotlib-like tick positions: steps of 1, 2, 2.5 or 5 × 10^k, about one per `spacingPx`. */
function ticks(lo: number, hi: number, lengthPx: number, spacingPx = 50): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  // at least 3 intervals even on a short axis, so that a flat probe still gets labelled ticks
  const target = lengthPx < 60 ? 1 : Math.max(3, Math.floor(lengthPx / spacingPx));
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    // Far from 0 a step can be below the precision of v (limits like [1e20, 1e20 + 1e5]): v + step
    // would stay v forever. There, and past MAX_TICKS, the ends of the axis are the ticks.
    if (out.length >= MAX_TICKS || v + step === v) return [lo, hi];
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

/** A tick label: integers plainly, others with the few decimals the step needs. */
function tickLabel(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1e6) / 1e6);
}

/** The unit as plotted: µm for 'um'. */
function unitText(siUnits: string): string {
  return siUnits === 'um' ? 'µm' : siUnits;
}

/** The per-probe slice of a per-contact option given for the whole group (or for one probe). */
function perContactOption<T>(value: ArrayLike<T> | undefined, total: number, start: number, count: number, name: string): T[] | undefined {
  if (value === undefined) return undefined;
  if (value.length !== total) {
    throw new SpikewireError('INVALID_ARGUMENT', `${name}: expected ${total} values (one per contact), got ${value.length}`);
  }
  return Array.from(value).slice(start, start + count);
}

/** The probes to draw, each sliced to one side when the probe is two-sided. */
function probesToDraw(probeOrGroup: Probe | ProbeGroup, side: PlotProbeOptions['side']): Probe[] {
  const probes = probeOrGroup instanceof Probe ? [probeOrGroup] : probeOrGroup instanceof ProbeGroup ? probeOrGroup.probes : null;
  if (probes === null) throw new SpikewireError('INVALID_ARGUMENT', `plotProbe: needs a Probe or a ProbeGroup, got ${describe(probeOrGroup)}`);
  if (probes.length === 0) throw new SpikewireError('INVALID_ARGUMENT', 'plotProbe: the ProbeGroup has no probe');
  return probes.map((p) => {
    p.getContactCount();
    if (p.contactSides === null) return p;
    if (side !== 'front' && side !== 'back') {
      throw new SpikewireError('INVALID_ARGUMENT', "side: the probe has two sides, say which one to plot: plotProbe(probe, { side: 'front' | 'back' })");
    }
    return p.getSlice(p.contactSides.map((s) => s === side));
  });
}

/**
 * Draws a Probe or a ProbeGroup as an SVG document (ProbeInterface's `plot_probe` /
 * `plot_probegroup` with `same_axes=True`): contours, contacts in their true shapes and sizes,
 * optional contact ids / device indices / text, optional per-contact values with a colour map and a
 * colour bar, a title and axes in µm (the probe's units). 3d probes are drawn on one plane.
 */
export function plotProbe(probeOrGroup: Probe | ProbeGroup, opts: PlotProbeOptions = {}): string {
  const isGroup = probeOrGroup instanceof ProbeGroup;
  const probes = probesToDraw(probeOrGroup, opts.side);
  const ndim = probes[0]!.ndim;
  const W = opts.width ?? 480;
  const H = opts.height ?? 720;
  if (!(W > 0 && H > 0 && W <= MAX_SIZE && H <= MAX_SIZE)) {
    throw new SpikewireError('INVALID_ARGUMENT', `width / height: expected sizes in (0, ${MAX_SIZE}] px, got ${describe(W)} x ${describe(H)}`);
  }
  const fontSize = opts.fontSize ?? 12;
  if (!(typeof fontSize === 'number' && fontSize > 0 && Number.isFinite(fontSize))) {
    throw new SpikewireError('INVALID_ARGUMENT', `fontSize: expected a positive number of px, got ${describe(fontSize)}`);
  }

  // Which two coordinates are drawn: x / y in 2d; in 3d the chosen plane or the widest one.
  let dims: [number, number] = [0, 1];
  if (ndim === 3) {
    if (opts.axes !== undefined) dims = planeDims(opts.axes);
    else {
      const span = [0, 1, 2].map((k) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (const p of probes) {
          for (const r of [...p.contactPositions!, ...(p.probePlanarContour ?? [])]) {
            lo = Math.min(lo, r[k]!);
            hi = Math.max(hi, r[k]!);
          }
        }
        return hi - lo;
      });
      const order = [0, 1, 2].sort((a, b) => span[b]! - span[a]! || a - b);
      dims = [Math.min(order[0]!, order[1]!), Math.max(order[0]!, order[1]!)];
    }
  }
  const [dx, dy] = dims;

  // ProbeInterface's get_auto_lims: contacts and contour, plus 40, unioned over the probes.
  let xlims = opts.xlims ? [...opts.xlims] : null;
  let ylims = opts.ylims ? [...opts.ylims] : null;
  if (xlims === null || ylims === null) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const p of probes) {
      for (const r of [...p.contactPositions!, ...(p.probePlanarContour ?? [])]) {
        x0 = Math.min(x0, r[dx]!);
        x1 = Math.max(x1, r[dx]!);
        y0 = Math.min(y0, r[dy]!);
        y1 = Math.max(y1, r[dy]!);
      }
    }
    xlims ??= [x0 - 40, x1 + 40];
    ylims ??= [y0 - 40, y1 + 40];
  }
  const [xlo, xhi] = xlims as [number, number];
  const [ylo, yhi] = ylims as [number, number];
  // A finite span too: with an infinite one every coordinate would be NaN.
  if (!(xhi > xlo && yhi > ylo && Number.isFinite(xhi - xlo) && Number.isFinite(yhi - ylo))) throw new SpikewireError('INVALID_ARGUMENT', `xlims / ylims: expected increasing limits, got ${describe(xlims)} / ${describe(ylims)}`);

  const total = probes.reduce((s, p) => s + p.getContactCount(), 0);
  const values = opts.contactsValues === undefined ? undefined : Array.from(opts.contactsValues, Number);
  if (values !== undefined && values.length !== total) {
    throw new SpikewireError('INVALID_ARGUMENT', `contactsValues: expected ${total} values (one per contact), got ${values.length}`);
  }
  const showColorbar = values !== undefined && opts.colorbar !== false;
  // A loop, not Math.min(...values): spreading a quarter million contacts overflows the call stack.
  let lowest = Infinity;
  let highest = -Infinity;
  for (const v of values ?? []) {
    if (!Number.isFinite(v)) continue;
    lowest = Math.min(lowest, v);
    highest = Math.max(highest, v);
  }
  const vmin = opts.vmin ?? (lowest <= highest ? lowest : 0);
  const vmax = opts.vmax ?? (lowest <= highest ? highest : 1);
  const cmap = colormapFunction(opts.cmap ?? 'viridis');
  const colorOf = (v: number) => (Number.isFinite(v) ? cmap(vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.5) : 'none');

  let title: string | null = null;
  if (typeof opts.title === 'string') title = opts.title;
  else if (opts.title ?? !isGroup) title = isGroup ? `ProbeGroup - ${probes.length} probes - ${total}ch` : probes[0]!.getTitle();

  // Layout: axes box inside the margins; equal aspect shrinks it around the data, centred.
  const top = title !== null ? fontSize * 3 : fontSize;
  const bottom = fontSize * 4.5;
  const left = fontSize * 6;
  const right = fontSize + (showColorbar ? fontSize * 7 : 0);
  const boxW = W - left - right;
  const boxH = H - top - bottom;
  if (!(boxW > 10 && boxH > 10)) throw new SpikewireError('INVALID_ARGUMENT', `width / height: ${W} x ${H} px leaves no room for the plot`);
  const scale = Math.min(boxW / (xhi - xlo), boxH / (yhi - ylo));
  const plotW = (xhi - xlo) * scale;
  const plotH = (yhi - ylo) * scale;
  const ax = left + (boxW - plotW) / 2;
  const ay = top + (boxH - plotH) / 2;
  const px = (x: number) => ax + (x - xlo) * scale;
  const py = (y: number) => ay + (yhi - y) * scale;

  const contactStyle = { ...DEFAULT_CONTACT, ...opts.contactsKargs };
  const shapeStyle = { ...DEFAULT_SHAPE, ...opts.probeShapeKwargs };
  const units = unitText(probes[0]!.siUnits);
  const axisName = (d: number) => 'xyz'[d]!;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(W)}" height="${n(H)}" viewBox="0 0 ${n(W)} ${n(H)}" ` +
      `font-family="DejaVu Sans, Arial, Helvetica, sans-serif" data-xlims="${xlo} ${xhi}" data-ylims="${ylo} ${yhi}" ` +
      `data-x-dim="${dx}" data-y-dim="${dy}">`,
  );
  out.push(`<rect width="${n(W)}" height="${n(H)}" fill="white"/>`);
  out.push(`<defs><clipPath id="spikewire-probe-clip"><rect x="${n(ax)}" y="${n(ay)}" width="${n(plotW)}" height="${n(plotH)}"/></clipPath></defs>`);
  // The title sits just above the axes (which equal aspect may have shrunk), as matplotlib's does.
  if (title !== null) out.push(`<text x="${n(ax + plotW / 2)}" y="${n(ay - fontSize * 0.7)}" text-anchor="middle" font-size="${fontSize}">${esc(title)}</text>`);
  out.push('<g clip-path="url(#spikewire-probe-clip)">');

  const polygon = (pts: readonly (readonly number[])[]) => pts.map((r) => `${n(px(r[dx]!))},${n(py(r[dy]!))}`).join(' ');

  // Contours under the contacts (matplotlib draws them in one collection each, in that order).
  for (const p of probes) {
    if (p.probePlanarContour === null) continue;
    out.push(
      `<polygon data-role="probe-contour" points="${polygon(p.probePlanarContour)}" fill="${esc(shapeStyle.facecolor)}" ` +
        `stroke="${esc(shapeStyle.edgecolor)}" stroke-width="${esc(String(shapeStyle.lw))}" opacity="${esc(String(shapeStyle.alpha))}"/>`,
    );
  }

  const texts: string[] = [];
  let start = 0;
  probes.forEach((p, probeIndex) => {
    const count = p.getContactCount();
    const colors = typeof opts.contactsColors === 'string' ? undefined : perContactOption(opts.contactsColors, total, start, count, 'contactsColors');
    const extra = perContactOption(opts.textOnContact, total, start, count, 'textOnContact');
    for (let i = 0; i < count; i++) {
      const global = start + i;
      const pos = p.contactPositions![i]!;
      const axes2 = p.contactPlaneAxes![i]!;
      const shape = p.contactShapes![i]!;
      const params = p.contactShapeParams![i]!;
      let fill: string;
      if (values !== undefined) fill = colorOf(values[global]!);
      else if (typeof opts.contactsColors === 'string') fill = opts.contactsColors;
      else fill = colors?.[i] ?? contactStyle.facecolor;
      const attrs =
        `data-contact-index="${global}" data-probe-index="${probeIndex}"` +
        (p.contactIds ? ` data-contact-id="${esc(p.contactIds[i]!)}"` : '') +
        ` fill="${esc(fill)}" stroke="${esc(contactStyle.edgecolor)}" stroke-width="${esc(String(contactStyle.lw))}" opacity="${esc(String(contactStyle.alpha))}"`;
      // A circle whose plane axes stay an orthonormal pair in the drawn plane is a circle on screen.
      const a0 = [axes2[0]![dx]!, axes2[0]![dy]!];
      const a1 = [axes2[1]![dx]!, axes2[1]![dy]!];
      const ortho = Math.abs(Math.hypot(a0[0]!, a0[1]!) - 1) < 1e-9 && Math.abs(Math.hypot(a1[0]!, a1[1]!) - 1) < 1e-9 && Math.abs(a0[0]! * a1[0]! + a0[1]! * a1[1]!) < 1e-9;
      if (shape === 'circle' && ortho) {
        out.push(`<circle cx="${n(px(pos[dx]!))}" cy="${n(py(pos[dy]!))}" r="${n(params.radius! * scale)}" ${attrs}/>`);
      } else {
        // 72 points draw a smooth circle at any size here; squares and rects are their 4 corners.
        const verts = contactVertices(shape, params, pos, axes2, 73).slice(0, shape === 'circle' ? 72 : 4);
        out.push(`<polygon points="${polygon(verts)}" ${attrs}/>`);
      }
      const lines: string[] = [];
      if (opts.withContactId && p.contactIds !== null) lines.push(`id${p.contactIds[i]}`);
      if (opts.withDeviceIndex && p.deviceChannelIndices !== null) lines.push(`dev${p.deviceChannelIndices[i]}`);
      if (extra !== undefined) lines.push(String(extra[i]));
      if (lines.length > 0) {
        const fs = opts.fontSize !== undefined ? opts.fontSize * 0.85 : 10;
        const spans = lines
          .map((line, k) => `<tspan x="${n(px(pos[dx]!))}" dy="${k === 0 ? n(-((lines.length - 1) / 2) * fs * 1.2) : n(fs * 1.2)}">${esc(line)}</tspan>`)
          .join('');
        texts.push(`<text data-role="contact-text" data-contact-index="${global}" x="${n(px(pos[dx]!))}" y="${n(py(pos[dy]!))}" text-anchor="middle" dominant-baseline="central" font-size="${n(fs)}">${spans}</text>`);
      }
    }
    start += count;
  });
  out.push(...texts);
  out.push('</g>');

  // Axes frame, ticks and labels (matplotlib's left and bottom spines with outward ticks).
  out.push(`<rect data-role="axes" x="${n(ax)}" y="${n(ay)}" width="${n(plotW)}" height="${n(plotH)}" fill="none" stroke="black" stroke-width="0.8"/>`);
  const tick = 4;
  for (const v of ticks(xlo, xhi, plotW)) {
    const x = px(v);
    out.push(`<line x1="${n(x)}" y1="${n(ay + plotH)}" x2="${n(x)}" y2="${n(ay + plotH + tick)}" stroke="black" stroke-width="0.8"/>`);
    out.push(`<text x="${n(x)}" y="${n(ay + plotH + tick + fontSize)}" text-anchor="middle" font-size="${n(fontSize * 0.85)}">${tickLabel(v)}</text>`);
  }
  for (const v of ticks(ylo, yhi, plotH)) {
    const y = py(v);
    out.push(`<line x1="${n(ax - tick)}" y1="${n(y)}" x2="${n(ax)}" y2="${n(y)}" stroke="black" stroke-width="0.8"/>`);
    out.push(`<text x="${n(ax - tick - 2)}" y="${n(y)}" text-anchor="end" dominant-baseline="central" font-size="${n(fontSize * 0.85)}">${tickLabel(v)}</text>`);
  }
  out.push(`<text x="${n(ax + plotW / 2)}" y="${n(ay + plotH + tick + fontSize * 2.6)}" text-anchor="middle" font-size="${n(fontSize * 1.25)}">${axisName(dx)} (${esc(units)})</text>`);
  const ylx = Math.max(fontSize, ax - fontSize * 4.2);
  out.push(
    `<text x="${n(ylx)}" y="${n(ay + plotH / 2)}" text-anchor="middle" font-size="${n(fontSize * 1.25)}" transform="rotate(-90 ${n(ylx)} ${n(ay + plotH / 2)})">${axisName(dy)} (${esc(units)})</text>`,
  );

  if (showColorbar) {
    // A vertical bar beside the axes, as tall as the plot area (at most 300 px), ticks on its right.
    const barH = Math.min(plotH, 300);
    const barW = fontSize;
    const bx = ax + plotW + fontSize * 1.5;
    const by = ay + (plotH - barH) / 2;
    const stops = Array.from({ length: 21 }, (_, k) => k / 20)
      .map((t) => `<stop offset="${n(t)}" stop-color="${cmap(1 - t)}"/>`)
      .join('');
    out.push(`<defs><linearGradient id="spikewire-probe-cmap" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`);
    out.push(`<rect data-role="colorbar" x="${n(bx)}" y="${n(by)}" width="${n(barW)}" height="${n(barH)}" fill="url(#spikewire-probe-cmap)" stroke="black" stroke-width="0.8"/>`);
    const lo = vmin;
    const hi = vmax > vmin ? vmax : vmin + 1;
    for (const v of ticks(lo, hi, barH, 40)) {
      const y = by + barH - ((v - lo) / (hi - lo)) * barH;
      out.push(`<line x1="${n(bx + barW)}" y1="${n(y)}" x2="${n(bx + barW + tick)}" y2="${n(y)}" stroke="black" stroke-width="0.8"/>`);
      out.push(`<text x="${n(bx + barW + tick + 2)}" y="${n(y)}" dominant-baseline="central" font-size="${n(fontSize * 0.85)}">${tickLabel(v)}</text>`);
    }
    if (opts.colorbarLabel) {
      const lx = bx + barW + fontSize * 5.5;
      const ly = by + barH / 2;
      out.push(`<text x="${n(lx)}" y="${n(ly)}" text-anchor="middle" font-size="${n(fontSize)}" transform="rotate(-90 ${n(lx)} ${n(ly)})">${esc(opts.colorbarLabel)}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}
