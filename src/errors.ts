/**
 * The codes every {@link SpikewireError} carries. Each code has a stable number too (fflate style),
 * so callers that log numbers or cross a worker boundary can still tell them apart.
 */
export const ErrorCodes = {
  INVALID_ARGUMENT: 1,
  CHANNEL_NOT_FOUND: 2,
  SEGMENT_INDEX_REQUIRED: 3,
  OUT_OF_RANGE: 4,
  NOT_SCALEABLE: 5,
  FORMAT: 6,
  IO: 7,
  NOT_FOUND: 8,
  UNSUPPORTED: 9,
  ABORTED: 10,
} as const;

/** One of the error code names of {@link ErrorCodes}. */
export type SpikewireErrorCode = keyof typeof ErrorCodes;

/**
 * The only error type spikewire throws. `code` says what kind of failure it is; the message names
 * the bad value and what was expected.
 */
export class SpikewireError extends Error {
  /** What kind of failure this is. */
  readonly code: SpikewireErrorCode;
  /** The numeric form of {@link code}. */
  readonly errno: number;

  constructor(code: SpikewireErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpikewireError';
    this.code = code;
    this.errno = ErrorCodes[code];
  }
}

/** Throws a {@link SpikewireError} with `code` and `message` unless `condition` holds. */
export function check(condition: unknown, code: SpikewireErrorCode, message: string | (() => string)): asserts condition {
  if (!condition) throw new SpikewireError(code, typeof message === 'function' ? message() : message);
}

/** Short, readable text for a value inside an error message. */
export function describe(value: unknown): string {
  // Long strings are cut: a message names the value, it does not carry a megabyte of it.
  if (typeof value === 'string') return value.length > 200 ? `${JSON.stringify(value.slice(0, 200))}… (${value.length} characters)` : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describe).join(', ');
    return `[${shown}${value.length > 8 ? `, … (${value.length} items)` : ''}]`;
  }
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return String(value);
}
