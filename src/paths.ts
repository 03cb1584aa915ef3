// POSIX path arithmetic on plain strings, for the paths that SpikeInterface dicts carry. No file
// system is touched, so it works in every runtime (the Node platform resolves against the cwd).

/** True for '/abs/path' (and 'C:\\' / 'C:/' drive paths, which are only compared, never rewritten). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** '/a/b/../c/./d' → '/a/c/d' (keeps leading '..' of relative paths). */
export function normalizePath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** `base` joined with `p` unless `p` is absolute. */
export function resolvePath(base: string, p: string): string {
  return isAbsolutePath(p) ? normalizePath(p) : normalizePath(`${base}/${p}`);
}

/** Python's `os.path.relpath(target, start)` for absolute POSIX paths. */
export function relativePath(start: string, target: string): string {
  const a = normalizePath(start).split('/').filter(Boolean);
  const b = normalizePath(target).split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const up = a.slice(common).map(() => '..');
  const rest = [...up, ...b.slice(common)];
  return rest.length ? rest.join('/') : '.';
}

/** The folder part of a path ('/a/b.json' → '/a'). */
export function dirName(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

/** The last part of a path ('/a/b.json' → 'b.json'). */
export function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
