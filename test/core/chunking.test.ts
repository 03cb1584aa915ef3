// parseMemory / parseDuration read job kwargs as SpikeInterface does. The suffixes are those of
// spikeinterface.core.core_tools._exponents (read by convert_string_to_bytes): k M G T P are powers
// of 1000, Ki Mi Gi Ti Pi powers of 1024, case-sensitive; the bytes are int(float(value) * factor).
// Beyond SpikeInterface, a trailing 'B' is read too ('500MiB'), as people write it.
import { describe, expect, it } from 'vitest';
import { parseDuration, parseMemory } from '../../src/index.js';
import { expectCode } from '../helpers/expect-error.js';

describe('parseMemory', () => {
  it("binary suffixes are powers of 1024: '500Mi' is 500 x 2^20 bytes", () => {
    expect(parseMemory('500Mi')).toBe(500 * 1024 * 1024);
    expect(parseMemory('1Ki')).toBe(1024);
    expect(parseMemory('1.5Gi')).toBe(1610612736);
    expect(parseMemory('2Ti')).toBe(2 * 1024 ** 4);
    expect(parseMemory('1Pi')).toBe(1024 ** 5);
  });

  it("a trailing 'B' means bytes: '500MiB' is 500 x 2^20, '100MB' is 10^8", () => {
    expect(parseMemory('500MiB')).toBe(500 * 2 ** 20);
    expect(parseMemory('1KiB')).toBe(1024);
    expect(parseMemory('100MB')).toBe(1e8);
    expect(parseMemory('2GB')).toBe(2e9);
  });

  it('decimal suffixes are powers of 1000; bytes are truncated to an integer as int() does', () => {
    expect(parseMemory('100M')).toBe(100_000_000);
    expect(parseMemory('512k')).toBe(512_000);
    expect(parseMemory('1G')).toBe(1e9);
    expect(parseMemory('3T')).toBe(3e12);
    expect(parseMemory('1P')).toBe(1e15);
    expect(parseMemory('2.4k')).toBe(2400);
    expect(parseMemory('1.0005k')).toBe(1000); // int(1000.5)
    expect(parseMemory(' 1e2M')).toBe(1e8); // float(' 1e2') is 100.0
    expect(parseMemory('1_000k')).toBe(1e6); // float('1_000') is 1000.0
    expect(parseMemory(2400)).toBe(2400);
  });

  it('anything else is an INVALID_ARGUMENT naming the value: other cases, no suffix, B alone', () => {
    for (const bad of ['1KB', '1K', '1B', '1MBB', '1bytes', '1m', '1g', '1ki', '1000', '1k ', 'k', '-1k', '0M', 'lots', '1e400k', '', '1Ei']) {
      const err = expectCode(() => parseMemory(bad), 'INVALID_ARGUMENT');
      expect(err.message).toContain(JSON.stringify(bad));
    }
    expectCode(() => parseMemory('500MIB'), 'INVALID_ARGUMENT', /chunkMemory "500MIB" is not a memory size: .*Ki, Mi, Gi, Ti, Pi \(powers of 1024\), optionally followed by 'B'/);
    expectCode(() => parseMemory('1x', 'totalMemory'), 'INVALID_ARGUMENT', /^totalMemory "1x"/);
    expectCode(() => parseMemory(null as never), 'INVALID_ARGUMENT', /chunkMemory null/);
  });

  it('a long run of digits is refused in linear time', () => {
    const started = Date.now();
    expectCode(() => parseMemory(`${'1'.repeat(100_000)}x`), 'INVALID_ARGUMENT');
    expectCode(() => parseDuration(`${'1'.repeat(100_000)}x`), 'INVALID_ARGUMENT');
    expect(Date.now() - started).toBeLessThan(10_000); // quadratic backtracking before: over a minute
  }, 30_000);
});

describe('parseDuration', () => {
  it("reads seconds and 's' / 'ms' text; refuses the rest with the value named", () => {
    expect(parseDuration('1s')).toBe(1);
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration(' 0.5 s ')).toBe(0.5);
    expect(parseDuration('2')).toBe(2);
    expect(parseDuration(1.5)).toBe(1.5);
    for (const bad of ['1h', '-1s', '0s', 'NaNs', 'Infinity', '', '1 m s']) {
      const err = expectCode(() => parseDuration(bad), 'INVALID_ARGUMENT');
      expect(err.message).toContain(JSON.stringify(bad));
    }
    expectCode(() => parseDuration({} as never), 'INVALID_ARGUMENT', /chunkDuration Object/);
  });
});
