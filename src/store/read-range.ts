import { SpikewireError, describe } from '../errors.js';

/**
 * Checks one {@link ByteSource.read} request: `into` a Uint8Array, `position` an integer with the
 * whole range inside the source. Errors: `INVALID_ARGUMENT` for a bad argument, `OUT_OF_RANGE` for a
 * range that leaves the source.
 */
export function checkReadRange(name: string, size: number, position: number, into: Uint8Array): void {
  if (!(into instanceof Uint8Array)) {
    throw new SpikewireError('INVALID_ARGUMENT', `read from ${name}: expected a Uint8Array to read into, got ${describe(into)}`);
  }
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new SpikewireError('INVALID_ARGUMENT', `read from ${name}: position ${describe(position)} must be a non-negative integer`);
  }
  if (position + into.byteLength > size) {
    throw new SpikewireError(
      'OUT_OF_RANGE',
      `read from ${name}: bytes [${position}, ${position + into.byteLength}) are past its end (${size} bytes)`,
    );
  }
}

/** The `IO` error for reading a source after its close(). */
export function closedError(name: string): SpikewireError {
  return new SpikewireError('IO', `cannot read ${name}: the source is closed`);
}

/** A short text for a caught error (its message), for messages that wrap it. */
export function reasonOf(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const cause = (e as { cause?: unknown }).cause;
    const causeText = cause instanceof Error && cause.message && cause.message !== e.message ? ` (${cause.message})` : '';
    return `${typeof code === 'string' ? `${code}: ` : ''}${e.message}${causeText}`;
  }
  return String(e);
}
