// Recordings opened and closed, and opened and never closed (SpikeInterface users never close), many
// thousand times: the process ends at the descriptor count it started with, and Node never prints
// "Closing file descriptor N on garbage collection" (DEP0137). Runs the built package (dist/) in a
// child `node --expose-gc`, so that garbage collection can be asked for and stderr seen whole.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(repo, 'dist');
const child = fileURLToPath(new URL('./fd-cycles-child.mjs', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'spikewire-fds-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const CYCLES = 10_000;

describe.runIf(existsSync('/proc/self/fd'))('file descriptors over many recordings', () => {
  it(`${CYCLES} open/close and ${CYCLES} open-and-forget cycles end at the baseline, with no warning`, async () => {
    if (!existsSync(join(dist, 'node.mjs'))) throw new Error('dist/node.mjs is missing: run `npm run build` first');
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) => {
      execFile(process.execPath, ['--expose-gc', child, dist, join(work, 'run'), String(CYCLES)], { timeout: 100_000, maxBuffer: 16 << 20 },
        (error, out, err) => (error ? fail(new Error(`${error.message}\n${err}`)) : done({ stdout: String(out), stderr: String(err) })));
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    console.log(
      `fd cycles: baseline ${result.baseline}, after ${CYCLES} closed ${result.afterClosed}, after ${CYCLES} forgotten + ` +
        `${result.loads} loads forgotten ${result.afterForgotten} (peak ${result.peak}), ${result.warnings.length} warnings`,
    );
    expect(stderr.match(/.*(Closing file descriptor|DEP0137).*/)?.[0]).toBeUndefined();
    expect(result.warnings.slice(0, 3)).toEqual([]);
    expect(result.afterClosed).toBe(result.baseline);
    expect(result.afterForgotten).toBe(result.baseline);
  }, 120_000);
});
