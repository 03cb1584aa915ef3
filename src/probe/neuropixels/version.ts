// Version numbers as Open Ephys writes them ("0.6.7", "1.0.0"), compared as packaging.version does
// for the forms that occur: the release numbers, then a pre-release (a / b / rc / dev) before its release.
import { SpikewireError, describe } from '../../errors.js';

/** A parsed version: release numbers and whether it is a pre-release of them. */
export interface Version {
  release: number[];
  pre: boolean;
}

/** Parses "0.6.7", "v1.0", "0.9.0rc1"; anything else is a FORMAT error naming `what`. */
export function parseVersion(text: unknown, what: string): Version {
  const m = typeof text === 'string' ? /^\s*v?(\d{1,9}(?:\.\d{1,9}){0,15})((?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview|dev)\d*)*)(?:\.post\d+)?\s*$/i.exec(text) : null;
  if (m === null) throw new SpikewireError('FORMAT', `${what} ${describe(text)} is not a version number like "0.6.7"`);
  return { release: m[1]!.split('.').map(Number), pre: m[2] !== '' };
}

/** Whether version `a` comes before `b`. */
export function versionBefore(a: Version, b: Version): boolean {
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const x = a.release[i] ?? 0;
    const y = b.release[i] ?? 0;
    if (x !== y) return x < y;
  }
  return a.pre && !b.pre;
}
