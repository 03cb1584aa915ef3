import { abortedError } from '../abort.js';
import { SpikewireError, describe } from '../errors.js';
import { reasonOf } from './read-range.js';

/** How long a request may go without progress (headers or a chunk of body) unless told otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** What every HTTP request of spikewire needs besides its URL. */
export interface RequestContext {
  fetch: typeof fetch;
  /** The caller's signal: aborting it ends any wait with `ABORTED`. */
  signal?: AbortSignal;
  /** Milliseconds without progress before the request fails with `IO` (`Infinity`: no limit). */
  timeoutMs: number;
  /** Throws for a URL the reader may not reach (the request's own, and where a redirect led). */
  allow?: (url: string) => void;
}

/** Checks a `timeoutMs` option: a positive number of milliseconds (Infinity turns the limit off). */
export function checkTimeoutMs(value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new SpikewireError('INVALID_ARGUMENT', `timeoutMs ${describe(value)} must be a positive number of milliseconds (Infinity for no limit)`);
  }
  return value;
}

/**
 * One HTTP exchange whose every wait — the headers, each chunk of body — is bounded by the idle
 * deadline and ended by the caller's signal, and whose every failure is a SpikewireError naming the
 * URL: undici's own limits are minutes long and its errors (`TypeError: terminated`, an AbortError,
 * the raw abort reason) say nothing of what was being read.
 */
export class HttpExchange {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private cancelled: SpikewireError | null = null;
  private finished = false;
  private readonly onAbort = () => this.controller.abort(this.ctx.signal?.reason);
  /** Set once the headers arrived. */
  response!: Response;

  private constructor(readonly url: string, private readonly ctx: RequestContext, private readonly what: string) {
    ctx.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.arm();
  }

  /**
   * Sends the request and waits for the headers. `what` names the exchange in messages
   * ("bytes 0-9 of <url>"). Redirects are followed, and where they lead is checked with `ctx.allow`.
   */
  static async send(url: string, init: { method?: string; headers?: Record<string, string> | Headers; credentials?: RequestCredentials }, ctx: RequestContext, what = url): Promise<HttpExchange> {
    if (ctx.signal?.aborted) throw abortedError(`fetching ${what}`, ctx.signal);
    ctx.allow?.(url);
    const exchange = new HttpExchange(url, ctx, what);
    try {
      exchange.response = await ctx.fetch(url, { ...init, redirect: 'follow', signal: exchange.controller.signal });
    } catch (e) {
      throw exchange.fail(e, 'network failure');
    }
    exchange.arm();
    if (exchange.response.redirected && exchange.response.url) {
      try {
        ctx.allow?.(exchange.response.url);
      } catch (e) {
        await exchange.discard();
        throw e;
      }
    }
    return exchange;
  }

  /** Streams the body into `into`; returns the bytes received. More than `into` holds is `IO`. */
  async readInto(into: Uint8Array): Promise<number> {
    let filled = 0;
    await this.stream((chunk) => {
      if (filled + chunk.byteLength > into.byteLength) {
        throw new SpikewireError('IO', `the server of ${this.url} sent more than the ${into.byteLength} bytes asked (${this.what})`);
      }
      into.set(chunk, filled);
      filled += chunk.byteLength;
    });
    return filled;
  }

  /** The whole body, at most `maxBytes` of it (more is `IO`: a small file that is not small). */
  async bytes(maxBytes: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    await this.stream((chunk) => {
      total += chunk.byteLength;
      if (total > maxBytes) throw new SpikewireError('IO', `${this.url} is larger than the ${maxBytes} bytes expected of it`);
      chunks.push(chunk);
    });
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }

  /** Hands each chunk of the body to `take` (which may throw to stop), each wait under the deadline. */
  private async stream(take: (chunk: Uint8Array) => void): Promise<void> {
    try {
      const body = this.response.body;
      if (!body) return;
      const reader = body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.arm();
          take(value);
        }
      } catch (e) {
        reader.cancel().catch(() => {});
        throw e;
      }
    } catch (e) {
      throw this.fail(e, 'the body broke off');
    } finally {
      this.finish();
    }
  }

  /** Drops the body unread and releases the connection's wait. Never throws. */
  async discard(): Promise<void> {
    try {
      await this.response?.body?.cancel();
    } catch {
      // nothing to release
    } finally {
      this.finish();
    }
  }

  /** Stops the exchange from outside (a source closed): its waits fail with `error`. */
  cancel(error: SpikewireError): void {
    if (this.finished) return;
    this.cancelled = error;
    this.controller.abort(error);
  }

  /** The SpikewireError for `e` caught while waiting: aborted, cancelled, timed out, or `IO`. */
  private fail(e: unknown, kind: string): SpikewireError {
    this.finish();
    if (this.ctx.signal?.aborted) return abortedError(`fetching ${this.what}`, this.ctx.signal);
    if (this.cancelled) return this.cancelled;
    if (this.timedOut) {
      return new SpikewireError('IO', `no answer from ${this.url} for ${this.ctx.timeoutMs} ms while fetching ${this.what} (the timeoutMs option)`, { cause: e });
    }
    if (e instanceof SpikewireError) return e;
    return new SpikewireError('IO', `cannot fetch ${this.what}: ${kind} (${reasonOf(e)})`, { cause: e });
  }

  /** (Re)starts the idle deadline: each sign of progress buys another `timeoutMs`. */
  private arm(): void {
    if (this.finished) return;
    clearTimeout(this.timer);
    if (!Number.isFinite(this.ctx.timeoutMs)) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new SpikewireError('IO', `no answer from ${this.url} for ${this.ctx.timeoutMs} ms`));
    }, this.ctx.timeoutMs);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.ctx.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Request headers from the caller's: a bad value is `INVALID_ARGUMENT`, not a TypeError. */
export function makeHeaders(extra: Record<string, string> | undefined, set: Record<string, string> = {}): Headers {
  let headers: Headers;
  try {
    headers = new Headers(extra ?? {});
    for (const [k, v] of Object.entries(set)) headers.set(k, v);
  } catch (e) {
    throw new SpikewireError('INVALID_ARGUMENT', `headers ${describe(extra)}: ${reasonOf(e)}`, { cause: e });
  }
  return headers;
}
