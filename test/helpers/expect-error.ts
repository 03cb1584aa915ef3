import { expect } from 'vitest';
import { SpikewireError } from '../../src/index.js';

/** Runs `fn`, expects a SpikewireError with `code` (and a message matching `pattern`), returns it. */
export function expectCode(fn: () => unknown, code: string, pattern?: RegExp): SpikewireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).code).toBe(code);
    if (pattern) expect((error as Error).message).toMatch(pattern);
    return error as SpikewireError;
  }
  return expect.fail(`expected a SpikewireError ${code}`);
}

/** Awaits `promise`, expects it to reject with a SpikewireError with `code`, returns the error. */
export async function expectCodeAsync(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<SpikewireError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).code).toBe(code);
    if (pattern) expect((error as Error).message).toMatch(pattern);
    return error as SpikewireError;
  }
  return expect.fail(`expected a SpikewireError ${code}`);
}
