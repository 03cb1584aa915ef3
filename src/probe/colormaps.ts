// A few of matplotlib's colour maps, as 10 evenly spaced samples (`cmap(np.linspace(0, 1, 10))`)
// joined linearly: close to matplotlib's 256-entry tables and small enough to ship everywhere.
import { SpikewireError, describe } from '../errors.js';

const TABLES: Record<string, readonly string[]> = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  plasma: ['#0d0887', '#46039f', '#7201a8', '#9c179e', '#bd3786', '#d8576b', '#ed7953', '#fb9f3a', '#fdca26', '#f0f921'],
  inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4'],
  magma: ['#000004', '#180f3d', '#440f76', '#721f81', '#9e2f7f', '#cd4071', '#f1605d', '#fd9668', '#feca8d', '#fcfdbf'],
  coolwarm: ['#3b4cc0', '#6282ea', '#8db0fe', '#b8d0f9', '#dcdddd', '#f5c4ad', '#f49a7b', '#e36a53', '#b40426'],
  gray: ['#000000', '#ffffff'],
  Greys: ['#ffffff', '#000000'],
};

/** The names of the built-in colour maps. */
export const COLORMAP_NAMES: readonly string[] = Object.keys(TABLES);

/** A colour map: a built-in name, or a function from [0, 1] to a CSS colour. */
export type Colormap = string | ((t: number) => string);

function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** The function of a colour map: t in [0, 1] (clipped) to '#rrggbb'. */
export function colormapFunction(cmap: Colormap): (t: number) => string {
  if (typeof cmap === 'function') return cmap;
  const table = TABLES[cmap];
  if (table === undefined) {
    throw new SpikewireError('INVALID_ARGUMENT', `cmap: unknown colour map ${describe(cmap)}; use one of ${COLORMAP_NAMES.join(', ')} or a function`);
  }
  const rgb = table.map(hexToRgb);
  return (t: number) => {
    const x = Math.min(1, Math.max(0, t)) * (rgb.length - 1);
    const i = Math.min(rgb.length - 2, Math.floor(x));
    const f = x - i;
    const a = rgb[i]!;
    const b = rgb[i + 1]!;
    const c = a.map((v, k) => Math.round(v + (b[k]! - v) * f));
    return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
  };
}
