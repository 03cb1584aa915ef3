import { SpikewireError, describe } from '../errors.js';

/** Origins a reader may fetch from besides its own: a list of origins or URLs, or '*' for any. */
export type AllowedOrigins = readonly (string | URL)[] | '*';

/**
 * The origins one URL reader may reach: the origin it was opened on plus `allowed`. A folder or a
 * file opened from one server must not make the library fetch from another because a file in it (a
 * binary.json naming absolute URLs) or a redirect says so: the caller decides which hosts are
 * trusted, with the `allowedOrigins` option. Returns a check that throws `UNSUPPORTED` naming the
 * URL and the option.
 */
export function originCheck(home: string, allowed: AllowedOrigins | undefined, what: string): (url: string) => void {
  if (allowed === '*') return () => {};
  if (allowed !== undefined && !Array.isArray(allowed)) {
    throw new SpikewireError('INVALID_ARGUMENT', `allowedOrigins must be a list of origins (e.g. ['https://data.example.org']) or '*', got ${describe(allowed)}`);
  }
  const origins = new Set<string>([new URL(home).origin]);
  for (const entry of allowed ?? []) {
    let origin: string;
    try {
      origin = new URL(String(entry)).origin;
    } catch {
      origin = 'null';
    }
    if (origin === 'null') throw new SpikewireError('INVALID_ARGUMENT', `allowedOrigins: ${describe(String(entry))} is not an http(s) origin such as 'https://data.example.org'`);
    origins.add(origin);
  }
  return (url) => {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = 'null';
    }
    if (!origins.has(origin)) {
      throw new SpikewireError(
        'UNSUPPORTED',
        `${what} leads to ${url}, outside the origin${origins.size > 1 ? 's' : ''} ${[...origins].join(', ')} it was opened on: ` +
          `pass allowedOrigins: [${JSON.stringify(origin === 'null' ? url : origin)}] (or '*') to allow it`,
      );
    }
  };
}
