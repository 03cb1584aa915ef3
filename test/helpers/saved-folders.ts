// Node only: comparing a saved folder with a fixture's (file lists, JSON without paths).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Every entry under `dir`, sorted, folders with a trailing '/'. */
export async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    if ((await stat(full)).isDirectory()) out.push(`${prefix}${name}/`, ...(await filesUnder(full, `${prefix}${name}/`)));
    else out.push(prefix + name);
  }
  return out;
}

/** Drops every kwarg whose name contains "path" (where the folders lie differs), recursively. */
export function withoutPaths(value: any): any {
  if (Array.isArray(value)) return value.map(withoutPaths);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !k.includes('path')).map(([k, v]) => [k, withoutPaths(v)]));
  }
  return value;
}
