// Fuzzing HTTP against a server whose every answer is drawn by fast-check: statuses, missing or lying
// Content-Range and Content-Length, truncated and overlong bodies, dropped connections, stalls longer
// than the timeout given, redirects here and elsewhere, garbage headers. HttpSource reads and load() of
// a saved folder must give a value or a SpikewireError, soon; after each input no request is left
// hanging on the server and, once the server has hung up, no socket is left open in this process.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpSource, load } from '../../src/node.js';
import { readFixtureFolder } from '../helpers/folders.js';
import { targets } from '../helpers/fds.js';
import { fuzz } from '../helpers/fuzz.js';
import { genBytes } from '../helpers/gen-bytes.js';
import { startServerPair, type Misbehaviour } from '../helpers/hostile-server.js';

const TIMEOUT_MS = 150;
const STALL_MS = 400;
const SIZE = 5000;
const expected = genBytes(0, SIZE);
const pair = await startServerPair(expected, await readFixtureFolder('recordings/multi_columns_probe/saved'));
const { server, other, folder } = pair;
afterAll(() => pair.close());

const misbehaviour: fc.Arbitrary<Misbehaviour> = fc.record(
  {
    status: fc.constantFrom(200, 206, 204, 301, 404, 416, 500, 503),
    contentRange: fc.constantFrom('right', 'missing', 'shifted', 'otherTotal', 'garbage'),
    contentLength: fc.constantFrom('right', 'missing', 'tooLong', 'tooShort'),
    body: fc.constantFrom('right', 'half', 'extra', 'whole'),
    drop: fc.constantFrom('beforeHeaders', 'midBody'),
    stall: fc.record({ at: fc.constantFrom('headers', 'body'), ms: fc.constant(STALL_MS) }),
    redirect: fc.constantFrom('sameOrigin', 'otherOrigin'),
    garbageHeader: fc.boolean(),
  },
  { requiredKeys: [] },
);
/** One answer per request, in order; most requests behave so that inputs get past the first ones. */
const plan = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant<Misbehaviour>({}) }, { weight: 2, arbitrary: misbehaviour }), { minLength: 1, maxLength: 30 });

function follow(answers: Misbehaviour[]): void {
  let n = 0;
  server.decide = () => answers[n++] ?? {};
}

/** Sockets and files open in this process: what a request could leave behind. */
const fds = () => targets().filter((t) => t.startsWith('socket:') || t.startsWith('/')).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let baseline = 0;

/** No request still waited on; after the servers hang up, no descriptor beyond the baseline. */
async function settled(): Promise<void> {
  for (let i = 0; i < 300 && server.activeRequests() + other.activeRequests() > 0; i++) await sleep(10);
  expect(server.activeRequests() + other.activeRequests(), 'requests left hanging on the server').toBe(0);
  // The client closes its side once it sees the hang-up. A connection the client opened for a
  // request that was given up while connecting may still arrive (idle, in the client's pool): hang
  // up on those too, for a few seconds on a busy machine.
  for (let i = 0; i < 60 && fds() > baseline; i++) {
    await server.dropConnections();
    await other.dropConnections();
    await sleep(50);
  }
  expect(fds(), `descriptors beyond the baseline: ${targets().join(' ')}`).toBeLessThanOrEqual(baseline);
  server.decide = () => ({});
}

const position = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: SIZE }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, Number.NaN, 1.5, Infinity, 2 ** 53, SIZE - 1) },
);

describe('HTTP fuzz', () => {
  it('HttpSource: open and read ranges against drawn answers', async () => {
    // warm up the client (its first connection, its modules) before taking the baseline
    await (await HttpSource.open(`${server.url}/data.raw`)).close();
    await server.dropConnections();
    await sleep(50);
    baseline = fds();
    const tally = await fuzz(
      'HttpSource against a misbehaving server',
      fc.record({ answers: plan, reads: fc.array(fc.tuple(position, fc.integer({ min: 0, max: 2000 })), { minLength: 1, maxLength: 4 }) }),
      async ({ answers, reads }) => {
        follow(answers);
        const source = await HttpSource.open(`${server.url}/data.raw`, { timeoutMs: TIMEOUT_MS });
        try {
          for (const [at, length] of reads) {
            const into = new Uint8Array(length);
            await source.read(at, into);
            // a read that succeeds has the right bytes, whatever the server did
            if (source.size !== SIZE || into.some((b, i) => b !== expected[at + i])) throw new Error(`wrong bytes at ${at}+${length}`);
          }
        } finally {
          await source.close();
        }
      },
      { numRuns: 150, timeoutMs: 5000, check: settled },
    );
    expect(tally.inputs).toBeGreaterThan(0);
  }, 40_000);

  it('load() of a saved folder against drawn answers', async () => {
    const tally = await fuzz(
      'load() of an HTTP folder from a misbehaving server',
      plan,
      async (answers) => {
        follow(answers);
        const recording = await load(folder, { timeoutMs: TIMEOUT_MS });
        try {
          await recording.getTraces({ endFrame: Math.min(100, recording.getNumSamples()) });
        } finally {
          await recording.close();
        }
      },
      { numRuns: 80, timeoutMs: 8000, check: settled },
    );
    expect(tally.coded).toBeGreaterThan(0);
  }, 40_000);
});
