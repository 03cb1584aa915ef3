import { SpikewireError } from './errors.js';

/**
 * The one way spikewire says "stopped by the caller": an `ABORTED` SpikewireError naming what was
 * stopped and the signal's reason. Every abort, whatever was waiting (a fetch, a body, a file, a
 * kernel call), ends here, so callers never see a raw AbortError or the reason object itself.
 */
export function abortedError(what: string, signal?: AbortSignal): SpikewireError {
  const reason = signal?.reason;
  const text = reason === undefined ? '' : `: ${reason instanceof Error ? reason.message : String(reason)}`;
  return new SpikewireError('ABORTED', `${what} aborted${text}`, { cause: reason });
}

/** Throws {@link abortedError} when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined | null, what = 'operation'): void {
  if (signal?.aborted) throw abortedError(what, signal);
}

/**
 * `promise`, or the error of `onAbort()` as soon as `signal` aborts, whichever comes first. For waits
 * that cannot be cancelled (Blob.arrayBuffer): the caller stops waiting and must never use the late
 * result.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      promise.catch(() => {});
      reject(onAbort());
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
