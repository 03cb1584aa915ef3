// The README's snippets as written: the first example runs against the built package and prints the
// repr its comment shows; the Node rows of the kernel-loading table run as given. Needs a fresh
// `npm run build` (`npm test` builds first). Node-only.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT = 60_000;
let readme = '';
let app = '';

function node(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [file], { cwd: app, timeout: 50_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The code in backticks of the kernel table's row for `runtime` (the first cell), joined by newlines. */
function tableSnippet(runtime: string): string {
  const row = readme.split('\n').find((l) => l.startsWith(`| ${runtime} |`));
  if (!row) throw new Error(`README: no row "${runtime}" in the kernel-loading table`);
  const cell = row.split('|')[2];
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join('\n');
}

/** Reads traces after the snippet, so that a kernel that did not start shows. */
const CHECK = `
const { NumpyRecording } = await import('spikewire');
const r = new NumpyRecording({ tracesList: [new Int16Array([1, 2, 3, 4, 5, 6])], samplingFrequency: 1000, numChannels: 2 });
r.setChannelGains(0.5);
r.setChannelOffsets(0);
console.log(JSON.stringify(Array.from((await r.getTraces({ returnInUV: true, channelIds: [1] })).data)));
`;

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist', 'index.mjs'))) throw new Error('dist/index.mjs is missing: run `npm run build` (or `npm test`, which builds first)');
  readme = await readFile(join(repo, 'README.md'), 'utf8');
  app = await mkdtemp(join(tmpdir(), 'spikewire-readme-'));
  await mkdir(join(app, 'node_modules'), { recursive: true });
  await symlink(repo, join(app, 'node_modules', 'spikewire'), 'junction');
});

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

describe('README', () => {
  it("the first example prints the repr its comment shows (SpikeInterface's two lines)", async () => {
    const code = /```js\n([\s\S]*?)```/.exec(readme)![1];
    const lines = code.split('\n');
    const at = lines.findIndex((l) => l.includes('console.log(String(recording))'));
    expect(at).toBeGreaterThan(0);
    const shown: string[] = [];
    for (let i = at + 1; lines[i]?.startsWith('//'); i++) shown.push(lines[i].replace(/^\/\/ ?/, ''));
    await writeFile(join(app, 'first.mjs'), code);
    const r = await node('first.mjs');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // trailing spaces are not visible in a comment: compare lines without them
    const printed = r.stdout.split('\n').slice(0, shown.length).map((l) => l.trimEnd());
    expect(printed).toEqual(shown.map((l) => l.trimEnd()));
    expect(shown.length).toBe(2);
  }, TIMEOUT);

  it('the Node (ESM) row of the kernel table loads the kernel file', async () => {
    await writeFile(join(app, 'esm.mjs'), `import { initKernel } from 'spikewire';\n${tableSnippet('Node (ESM)')}\n${CHECK}`);
    const r = await node('esm.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('[1,2,3]');
  }, TIMEOUT);

  it('the Node (CommonJS) row of the kernel table loads the kernel file', async () => {
    await writeFile(join(app, 'cjs.cjs'), `const { initKernel } = require('spikewire');\n(async () => {\n${tableSnippet('Node (CommonJS)')}\n${CHECK}})();\n`);
    const r = await node('cjs.cjs');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('[1,2,3]');
  }, TIMEOUT);
});
