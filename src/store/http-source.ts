import { abortedError } from '../abort.js';
import { SpikewireError, describe } from '../errors.js';
import { HttpExchange, checkTimeoutMs, makeHeaders, type RequestContext } from './http-request.js';
import { originCheck, type AllowedOrigins } from './origins.js';
import { checkReadRange, closedError } from './read-range.js';
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
  /**
   * Milliseconds a request may wait for the server without progress (headers, or the next chunk of
   * body) before it fails with `IO`. Default 30000; `Infinity` waits as long as the runtime does.
   */
  timeoutMs?: number;
  /**
   * Origins besides the URL's own that redirects may lead to (e.g. a storage host an archive
   * redirects to), or '*' for any. Default: none (a redirect elsewhere is `UNSUPPORTED`).
   */
  allowedOrigins?: AllowedOrigins;
}

/** True for strings that start with http:// or https:// (any case) and for http(s) URL objects. */
export function isHttpUrl(value: unknown): value is string | URL {
  if (typeof URL !== 'undefined' && value instanceof URL) return value.protocol === 'http:' || value.protocol === 'https:';
  return typeof value === 'string' && /^https?:\/\//i.test(value.trim());
}

/**
 * A {@link ByteSource} over a URL read with HTTP range requests (fetch): each read asks for
 * `Range: bytes=a-b` and needs a `206 Partial Content` answer of exactly that range. A server that
 * ignores Range (answers 200), a short or long body, a resource whose size changed, an HTTP error
 * (404, …), a network failure or a server silent for `timeoutMs` fails with a `SpikewireError` `IO`:
 * never wrong samples, never a wait of minutes. The body is streamed into the view the
 * read is given, chunk by chunk (the one copy fetch forces).
 *
 * Cross-origin servers must allow the `Range` request header and should expose `Content-Range`
 * (CORS); without it the size comes from a HEAD request's Content-Length.
 */
export class HttpSource implements ByteSource {
  readonly size: number;
  /** The URL. */
  readonly name: string;
  private readonly context: RequestContext;
  private readonly headers: Record<string, string>;
  private readonly credentials: RequestCredentials | undefined;
  private closed = false;
  private readonly inFlight = new Set<HttpExchange>();

  private constructor(url: string, size: number, context: RequestContext, opts: HttpSourceOptions) {
    this.name = url;
    this.size = size;
    this.context = context;
    this.headers = { ...(opts.headers ?? {}) };
    this.credentials = opts.credentials;
  }

  /**
   * Opens `url` (http or https): learns its size from the `Content-Range` of a one-byte range request
   * (or a HEAD request's Content-Length when Content-Range is missing or hidden by CORS). Fails with
   * `IO` when the server does not honour Range requests, answers an HTTP error, cannot be reached or
   * goes `timeoutMs` without progress; `UNSUPPORTED` when it redirects to an origin not in
   * `allowedOrigins`; `ABORTED` when `signal` aborts.
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
    const context: RequestContext = {
      fetch: fetchFn,
      timeoutMs: checkTimeoutMs(opts.timeoutMs),
      allow: originCheck(href, opts.allowedOrigins, `reading ${href}`),
    };
    makeHeaders(opts.headers);
    let size = opts.size;
    if (size !== undefined) {
      if (!Number.isSafeInteger(size) || size < 0) throw new SpikewireError('INVALID_ARGUMENT', `size ${describe(size)} must be a non-negative integer`);
    } else {
      size = await probeSize(href, opts, context);
    }
    return new HttpSource(href, size, context, opts);
  }

  async read(position: number, into: Uint8Array, signal?: AbortSignal): Promise<void> {
    checkReadRange(this.name, this.size, position, into);
    if (signal?.aborted) throw abortedError(`read from ${this.name}`, signal);
    if (this.closed) throw closedError(this.name);
    const length = into.byteLength;
    if (length === 0) return;
    const last = position + length - 1;
    const what = `bytes ${position}-${last} of ${this.name}`;
    const exchange = await HttpExchange.send(this.name, {
      method: 'GET',
      headers: makeHeaders(this.headers, rangeHeaders(`bytes=${position}-${last}`)),
      credentials: this.credentials,
    }, { ...this.context, signal }, what);
    this.inFlight.add(exchange);
    try {
      if (this.closed) exchange.cancel(closedError(this.name));
      const response = exchange.response;
      if (response.status !== 206) {
        await exchange.discard();
        throw new SpikewireError('IO', response.status === 200
          ? `the server of ${this.name} ignored the Range request for bytes ${position}-${last} (answered 200 with the whole body): it must support HTTP range requests (206 Partial Content)`
          : `cannot fetch ${what}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      const contentRange = response.headers.get('content-range');
      if (contentRange !== null) {
        const m = /^\s*bytes\s+(\d+)-(\d+)\s*\/\s*(\d+|\*)\s*$/i.exec(contentRange);
        if (!m || Number(m[1]) !== position || Number(m[2]) !== last) {
          await exchange.discard();
          throw new SpikewireError('IO', `the server of ${this.name} answered Content-Range ${describe(contentRange)} to a request for bytes ${position}-${last}`);
        }
        if (m[3] !== '*' && Number(m[3]) !== this.size) {
          await exchange.discard();
          throw new SpikewireError('IO', `${this.name} changed size: it had ${this.size} bytes when opened, the server now says ${m[3]} (Content-Range ${describe(contentRange)})`);
        }
      }
      const filled = await exchange.readInto(into);
      if (filled !== length) {
        throw new SpikewireError('IO', `short body from ${this.name}: got ${filled} of the ${length} bytes asked (bytes ${position}-${last})`);
      }
    } finally {
      this.inFlight.delete(exchange);
    }
  }

  /** Aborts reads in flight; later reads fail with `IO`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const exchange of this.inFlight) exchange.cancel(closedError(this.name));
    this.inFlight.clear();
  }
}

/** The headers of a range request. */
function rangeHeaders(range: string): Record<string, string> {
  // Content-Range counts the bytes as stored: ask for no content coding. Browsers ignore this header
  // (they choose it themselves); other runtimes honour it.
  return { Range: range, 'Accept-Encoding': 'identity' };
}

async function probeSize(href: string, opts: HttpSourceOptions, context: RequestContext): Promise<number> {
  const ctx = { ...context, signal: opts.signal };
  const ask = (method: string, set?: Record<string, string>) =>
    HttpExchange.send(href, { method, headers: makeHeaders(opts.headers, set), credentials: opts.credentials }, ctx, `the size of ${href}`);
  const response = await ask('GET', rangeHeaders('bytes=0-0'));
  const { status, statusText } = response.response;
  const contentRange = response.response.headers.get('content-range');
  await response.discard();
  if (status === 206 || status === 416) {
    // 206: "bytes 0-0/N"; 416 (an empty resource): "bytes */0"
    const total = contentRange ? /^\s*bytes\s+(?:0-0|\*)\s*\/\s*(\d+)\s*$/i.exec(contentRange) : null;
    if (total && Number.isSafeInteger(Number(total[1]))) return Number(total[1]);
    if (contentRange !== null) {
      throw new SpikewireError('IO', `the server of ${href} answered Content-Range ${describe(contentRange)} to a request for bytes 0-0`);
    }
  } else if (status === 200) {
    throw new SpikewireError('IO', `the server of ${href} ignores HTTP Range requests (answered 200 instead of 206 Partial Content): spikewire reads URLs by range and cannot read this one`);
  } else {
    throw new SpikewireError('IO', `cannot open ${href}: HTTP ${status}${statusText ? ` ${statusText}` : ''}${status === 404 ? ' (not found)' : ''}`);
  }
  // Content-Range missing or hidden (CORS): ask HEAD for the Content-Length.
  const head = await ask('HEAD');
  await head.discard();
  const length = head.response.headers.get('content-length');
  if (!head.response.ok || length === null || !/^\s*\d+\s*$/.test(length) || !Number.isSafeInteger(Number(length))) {
    throw new SpikewireError(
      'IO',
      `cannot learn the size of ${href}: no Content-Range in its 206 answer${contentRange === null ? ' (a cross-origin server must expose it with Access-Control-Expose-Headers)' : ''} and ` +
        `${head.response.ok ? `no usable Content-Length from HEAD (got ${describe(length)})` : `HEAD answered HTTP ${head.response.status}`}`,
    );
  }
  return Number(length);
}
