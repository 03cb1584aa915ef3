import { SpikewireError, describe } from '../errors.js';
import { abortedError, checkReadRange, closedError, reasonOf } from './read-range.js';
import type { ByteSource } from './source.js';

/** Options of {@link HttpSource.open}. */
export interface HttpSourceOptions {
  /** Extra request headers (e.g. Authorization). `Range` is set by the source. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Credentials mode of cross-origin requests in browsers (default: the fetch default, 'same-origin'). */
  credentials?: RequestCredentials;
  /** The size in bytes, when known: skips the request that asks the server for it. */
  size?: number;
  /** Stops opening with `ABORTED`. */
  signal?: AbortSignal;
}

/** True for strings that start with http:// or https:// (any case) and for http(s) URL objects. */
export function isHttpUrl(value: unknown): value is string | URL {
  if (typeof URL !== 'undefined' && value instanceof URL) return value.protocol === 'http:' || value.protocol === 'https:';
  return typeof value === 'string' && /^https?:\/\//i.test(value.trim());
}

/**
 * A {@link ByteSource} over a URL read with HTTP range requests (fetch): each read asks for
 * `Range: bytes=a-b` and needs a `206 Partial Content` answer of exactly that range. A server that
 * ignores Range (answers 200), a short or long body, an HTTP error (404, …) or a network failure
 * fails with a `SpikewireError` `IO`: never wrong samples. The body is streamed into the view the
 * read is given, chunk by chunk (the one copy fetch forces).
 *
 * Cross-origin servers must allow the `Range` request header and should expose `Content-Range`
 * (CORS); without it the size comes from a HEAD request's Content-Length.
 */
export class HttpSource implements ByteSource {
  readonly size: number;
  /** The URL. */
  readonly name: string;
  private readonly fetchFn: typeof fetch;
  private readonly headers: Record<string, string>;
  private readonly credentials: RequestCredentials | undefined;
  private closed = false;
  private readonly inFlight = new Set<AbortController>();

  private constructor(url: string, size: number, fetchFn: typeof fetch, opts: HttpSourceOptions) {
    this.name = url;
    this.size = size;
    this.fetchFn = fetchFn;
    this.headers = { ...(opts.headers ?? {}) };
    this.credentials = opts.credentials;
  }

  /**
   * Opens `url` (http or https): learns its size from the `Content-Range` of a one-byte range request
   * (or a HEAD request's Content-Length when Content-Range is missing or hidden by CORS). Fails with
   * `IO` when the server does not honour Range requests, answers an HTTP error, or cannot be reached.
   */
  static async open(url: string | URL, opts: HttpSourceOptions = {}): Promise<HttpSource> {
    if (!isHttpUrl(url)) {
      throw new SpikewireError('INVALID_ARGUMENT', `HttpSource needs an http:// or https:// URL, got ${describe(typeof url === 'string' ? url : url)}`);
    }
    let href: string;
    try {
      href = new URL(String(url).trim()).href;
    } catch {
      throw new SpikewireError('INVALID_ARGUMENT', `${describe(String(url))} is not a valid URL`);
    }
    const fetchFn = opts.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    if (!fetchFn) throw new SpikewireError('UNSUPPORTED', `reading ${href} needs fetch, which this runtime does not have: pass opts.fetch`);
    let size = opts.size;
    if (size !== undefined) {
      if (!Number.isSafeInteger(size) || size < 0) throw new SpikewireError('INVALID_ARGUMENT', `size ${describe(size)} must be a non-negative integer`);
    } else {
      size = await probeSize(href, fetchFn, opts);
    }
    return new HttpSource(href, size, fetchFn, opts);
  }

  async read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkReadRange(this.name, this.size, position, into);
    if (signal?.aborted) throw abortedError(this.name, signal);
    if (this.closed) throw closedError(this.name);
    const length = into.byteLength;
    if (length === 0) return;
    const last = position + length - 1;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(controller);
    const what = `bytes ${position}-${last} of ${this.name}`;
    try {
      let response: Response;
      try {
        response = await this.fetchFn(this.name, {
          method: 'GET',
          headers: requestHeaders(this.headers, `bytes=${position}-${last}`),
          credentials: this.credentials,
          signal: controller.signal,
        });
      } catch (e) {
        throw this.failure(e, signal, `cannot fetch ${what}: network failure (${reasonOf(e)})`);
      }
      if (response.status !== 206) {
        await discard(response);
        throw new SpikewireError('IO', response.status === 200
          ? `the server of ${this.name} ignored the Range request for bytes ${position}-${last} (answered 200 with the whole body): it must support HTTP range requests (206 Partial Content)`
          : `cannot fetch ${what}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      const contentRange = response.headers.get('content-range');
      if (contentRange !== null) {
        const m = /^\s*bytes\s+(\d+)-(\d+)\s*\/\s*(\d+|\*)\s*$/i.exec(contentRange);
        if (!m || Number(m[1]) !== position || Number(m[2]) !== last) {
          await discard(response);
          throw new SpikewireError('IO', `the server of ${this.name} answered Content-Range ${describe(contentRange)} to a request for bytes ${position}-${last}`);
        }
      }
      let filled = 0;
      try {
        if (response.body) {
          const reader = response.body.getReader();
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              if (filled + value.byteLength > length) {
                throw new SpikewireError('IO', `the server of ${this.name} sent more than the ${length} bytes asked (bytes ${position}-${last})`);
              }
              into.set(value, filled);
              filled += value.byteLength;
            }
          } catch (e) {
            reader.cancel().catch(() => {});
            throw e;
          }
        } else {
          const bytes = new Uint8Array(await response.arrayBuffer());
          if (bytes.byteLength > length) throw new SpikewireError('IO', `the server of ${this.name} sent more than the ${length} bytes asked (bytes ${position}-${last})`);
          into.set(bytes);
          filled = bytes.byteLength;
        }
      } catch (e) {
        if (e instanceof SpikewireError) throw e;
        throw this.failure(e, signal, `reading ${what} failed: ${reasonOf(e)}`);
      }
      if (filled !== length) {
        throw new SpikewireError('IO', `short body from ${this.name}: got ${filled} of the ${length} bytes asked (bytes ${position}-${last})`);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
    }
  }

  /** Aborts reads in flight; later reads fail with `IO`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.inFlight) c.abort(new SpikewireError('IO', `${this.name} was closed`));
    this.inFlight.clear();
  }

  private failure(e: unknown, signal: AbortSignal | undefined, message: string): SpikewireError {
    if (signal?.aborted) return abortedError(this.name, signal);
    if (this.closed) return closedError(this.name);
    return new SpikewireError('IO', message, { cause: e });
  }
}

function requestHeaders(extra: Record<string, string>, range: string): Headers {
  const headers = new Headers(extra);
  headers.set('Range', range);
  // Content-Range counts the bytes as stored: ask for no content coding. Browsers ignore this header
  // (they choose it themselves); other runtimes honour it.
  headers.set('Accept-Encoding', 'identity');
  return headers;
}

/** Drops a response's body without reading it. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // nothing to release
  }
}

async function probeSize(href: string, fetchFn: typeof fetch, opts: HttpSourceOptions): Promise<number> {
  const init = (method: string, range?: string): RequestInit => ({
    method,
    headers: range ? requestHeaders(opts.headers ?? {}, range) : new Headers(opts.headers ?? {}),
    credentials: opts.credentials,
    signal: opts.signal,
  });
  const call = async (method: string, range?: string): Promise<Response> => {
    try {
      return await fetchFn(href, init(method, range));
    } catch (e) {
      if (opts.signal?.aborted) throw abortedError(href, opts.signal);
      throw new SpikewireError('IO', `cannot open ${href}: network failure (${reasonOf(e)})`, { cause: e });
    }
  };
  const response = await call('GET', 'bytes=0-0');
  await discard(response);
  const contentRange = response.headers.get('content-range');
  if (response.status === 206 || response.status === 416) {
    // 206: "bytes 0-0/N"; 416 (an empty resource): "bytes */0"
    const total = contentRange ? /\/\s*(\d+)\s*$/.exec(contentRange) : null;
    if (total) return Number(total[1]);
  } else if (response.status === 200) {
    throw new SpikewireError('IO', `the server of ${href} ignores HTTP Range requests (answered 200 instead of 206 Partial Content): spikewire reads URLs by range and cannot read this one`);
  } else {
    throw new SpikewireError('IO', `cannot open ${href}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${response.status === 404 ? ' (not found)' : ''}`);
  }
  // Content-Range missing or hidden (CORS): ask HEAD for the Content-Length.
  const head = await call('HEAD');
  await discard(head);
  const length = head.headers.get('content-length');
  if (!head.ok || length === null || !/^\s*\d+\s*$/.test(length)) {
    throw new SpikewireError(
      'IO',
      `cannot learn the size of ${href}: no Content-Range in its 206 answer${contentRange === null ? ' (a cross-origin server must expose it with Access-Control-Expose-Headers)' : ''} and ` +
        `${head.ok ? 'no Content-Length from HEAD' : `HEAD answered HTTP ${head.status}`}`,
    );
  }
  return Number(length);
}
