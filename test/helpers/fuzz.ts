import fc from 'fast-check';
import { SpikewireError } from '../../src/index.js';
import { inBrowser } from './fixtures.js';

/**
 * Property-based fuzzing with one contract for every parser and source: each input gives a valid
 * result or a SpikewireError, never another error type, never a hang.
 *
 * Runs are seeded (SPIKEWIRE_FUZZ_SEED, default below) so a failure replays; fast-check prints the
 * seed and the shrunk counterexample. SPIKEWIRE_FUZZ_SCALE multiplies every run count (default 1,
 * sized so the whole suite stays well inside CI's time).
 */

function env(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] : undefined;
}

/** The seed every fuzz property starts from. */
export const FUZZ_SEED = Number(env('SPIKEWIRE_FUZZ_SEED') ?? 20261202);

/** `base` runs scaled by SPIKEWIRE_FUZZ_SCALE. */
export function fuzzRuns(base: number): number {
  const scale = Number(env('SPIKEWIRE_FUZZ_SCALE') ?? 1);
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** What one input gave. */
export type FuzzOutcome = 'value' | 'coded';

/** Per-target counts: inputs tried, valid results, coded errors (anything else fails the run). */
export interface FuzzTally {
  target: string;
  inputs: number;
  values: number;
  coded: number;
  codes: Record<string, number>;
}

const HANG = Symbol('hang');

/**
 * Runs `fn` under a deadline. Resolves 'value' when it returns (or resolves), 'coded' when it throws
 * a SpikewireError; throws an assertion error naming the input for any other error and for a hang.
 */
export async function settle(fn: () => unknown, timeoutMs = 5000, label = 'input'): Promise<{ outcome: FuzzOutcome; code?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof HANG>((resolve) => {
    timer = setTimeout(() => resolve(HANG), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(fn), deadline]);
    if (result === HANG) throw new Error(`${label}: no answer within ${timeoutMs} ms (a hang)`);
    return { outcome: 'value' };
  } catch (error) {
    if (error instanceof SpikewireError) return { outcome: 'coded', code: error.code };
    if (error instanceof Error && /a hang\)$/.test(error.message)) throw error;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`${label}: not a SpikewireError: ${what}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fuzzes `target` with `arbitrary`: every input must settle (see {@link settle}); `check`, when given,
 * runs after each input (e.g. "no handle left open", "nothing written outside the folder") and throws
 * to fail. Returns the tally and prints it as one line, which the fuzz summary collects.
 */
export async function fuzz<T>(
  target: string,
  arbitrary: fc.Arbitrary<T>,
  run: (input: T) => unknown,
  options: { numRuns: number; timeoutMs?: number; check?: (input: T) => void | Promise<void> },
): Promise<FuzzTally> {
  const tally: FuzzTally = { target, inputs: 0, values: 0, coded: 0, codes: {} };
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const { outcome, code } = await settle(() => run(input), options.timeoutMs, target);
      if (options.check) await options.check(input);
      tally.inputs++;
      if (outcome === 'value') tally.values++;
      else {
        tally.coded++;
        tally.codes[code!] = (tally.codes[code!] ?? 0) + 1;
      }
    }),
    { seed: FUZZ_SEED, numRuns: fuzzRuns(options.numRuns), endOnFailure: true },
  );
  await report(tally);
  return tally;
}

async function report(tally: FuzzTally): Promise<void> {
  const codes = Object.entries(tally.codes).map(([c, n]) => `${c} ${n}`).join(', ');
  const where = inBrowser ? 'browser' : 'node';
  console.log(
    `fuzz [${where}] ${tally.target}: ${tally.inputs} inputs, ${tally.values} valid, ${tally.coded} coded errors` +
      `${codes ? ` (${codes})` : ''}, 0 uncoded, 0 hangs`,
  );
  if (inBrowser) return;
  // Node: one JSON line per target in test-output/fuzz.jsonl, for the run's summary.
  const { appendFile, mkdir } = await import('node:fs/promises');
  await mkdir('test-output', { recursive: true });
  await appendFile('test-output/fuzz.jsonl', `${JSON.stringify({ ...tally, where, seed: FUZZ_SEED })}\n`);
}
