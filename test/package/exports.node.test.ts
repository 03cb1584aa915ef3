// The built package as consumers see it: dist/ loads in Node (import and require), the universal entry
// has no node: imports, the .wasm files resolve through "exports", and the .d.ts files type-check for
// consumers on moduleResolution node16 (.mts and .cts), nodenext and bundler.
//
// Needs a fresh `npm run build` (`npm test` builds first). Node-only (*.node.test.ts).
// Only `SpikewireError` is used: the one export certain to exist in both entries.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(repo, 'dist');
const tscBin = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
const TIMEOUT = 120_000;

let tmp = '';

function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, timeout: 90_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Runs the repo's tsc on a consumer project; returns exit code, output and the list of files it read. */
async function tsc(project: string, tsconfig = 'tsconfig.json') {
  const r = await run([tscBin, '-p', tsconfig, '--listFiles', '--pretty', 'false'], project);
  const files = r.stdout.split('\n').filter((l) => l.startsWith('/') || /^[A-Za-z]:[\\/]/.test(l));
  const diagnostics = r.stdout.split('\n').filter((l) => !files.includes(l) && l.trim() !== '').join('\n') + r.stderr;
  return { ...r, files, diagnostics };
}

// skipLibCheck false type-checks our .d.ts files too (and @types/node, which is slow: ~8 s), so only the
// node16 and the browser-consumer projects do it; the others only check that consumer code compiles.
const strict = { strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['ES2022', 'DOM'], target: 'ES2022' };
const libCheck = { skipLibCheck: false };

const MTS = `import { SpikewireError, bandpassFilter } from 'spikewire';
import * as nodeApi from 'spikewire/node';
import * as preprocessing from 'spikewire/preprocessing';
export const same: typeof SpikewireError = nodeApi.SpikewireError;
export const sameFilter: typeof bandpassFilter = preprocessing.bandpassFilter;
export function codeOf(e: unknown): string | undefined {
  return e instanceof SpikewireError ? e.code : undefined;
}
`;
const CTS = `import sw = require('spikewire');
import swNode = require('spikewire/node');
import swPre = require('spikewire/preprocessing');
export const same: typeof sw.SpikewireError = swNode.SpikewireError;
export const sameFilter: typeof sw.bandpassFilter = swPre.bandpassFilter;
export function codeOf(e: unknown): string | undefined {
  return e instanceof sw.SpikewireError ? e.code : undefined;
}
`;

beforeAll(async () => {
  for (const f of ['index.mjs', 'index.cjs', 'node.mjs', 'node.cjs', 'types/index.d.ts']) {
    if (!existsSync(join(dist, f))) {
      throw new Error(`dist/${f} is missing: these tests check the built package. Run \`npm test\` (it builds first) or \`npm run build\`.`);
    }
  }
  tmp = await mkdtemp(join(tmpdir(), 'spikewire-consumer-'));
  // A consumer folder: node_modules/spikewire -> this repo, plus @types/node as Node consumers have it.
  await mkdir(join(tmp, 'node_modules', '@types'), { recursive: true });
  await symlink(repo, join(tmp, 'node_modules', 'spikewire'), 'junction');
  await symlink(join(repo, 'node_modules', '@types', 'node'), join(tmp, 'node_modules', '@types', 'node'), 'junction');
  await write(join(tmp, 'package.json'), JSON.stringify({ name: 'consumer', private: true }) + '\n');
}, TIMEOUT);

afterAll(async () => {
  if (tmp && !process.env.SPIKEWIRE_KEEP_TMP) await rm(tmp, { recursive: true, force: true });
});

describe('dist files', () => {
  it('every target of package.json "exports" exists', () => {
    const targets: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    expect(targets.length).toBeGreaterThan(8);
    const missing = targets.filter((t) => !existsSync(join(repo, t)));
    expect(missing).toEqual([]);
    for (const f of [pkg.main, pkg.module, pkg.types].filter(Boolean)) expect(existsSync(join(repo, f)), f).toBe(true);
  });

  it('the universal entry and every chunk it loads contain no "node:"', async () => {
    for (const entry of ['index.mjs', 'index.cjs']) {
      const seen = new Set<string>();
      const visit = async (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const code = await readFile(join(dist, file), 'utf8');
        const at = code.indexOf('node:');
        expect(at, `dist/${file} contains "node:": …${code.slice(Math.max(0, at - 60), at + 40)}…`).toBe(-1);
        // relative imports, from the importing file's folder (one file per module: dist/ mirrors src/)
        for (const m of code.matchAll(/(?:from\s*|import\s*\(?\s*|require\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
          await visit(posix.join(posix.dirname(file), m[1]!));
        }
      };
      await visit(entry);
      // the walk reaches the modules of the entry (dist/ has one file per module), not just the entry
      expect(seen.size, entry).toBeGreaterThan(20);
    }
  });

  it('dist/types-cjs is the CommonJS copy of dist/types', async () => {
    expect(JSON.parse(await readFile(join(dist, 'types-cjs', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(await readFile(join(dist, 'types-cjs', 'index.d.ts'), 'utf8')).toBe(await readFile(join(dist, 'types', 'index.d.ts'), 'utf8'));
    expect(existsSync(join(dist, 'types-cjs', 'node.d.ts'))).toBe(true);
  });
});

describe('loading in Node', () => {
  it('dist/*.mjs import and dist/*.cjs require', async () => {
    const u = await import(/* @vite-ignore */ pathToFileURL(join(dist, 'index.mjs')).href);
    const n = await import(/* @vite-ignore */ pathToFileURL(join(dist, 'node.mjs')).href);
    const require = createRequire(import.meta.url);
    const uc = require(join(dist, 'index.cjs'));
    const nc = require(join(dist, 'node.cjs'));
    for (const m of [u, n, uc, nc]) {
      expect(typeof m.SpikewireError).toBe('function');
      expect(m.SpikewireError.prototype).toBeInstanceOf(Error);
    }
    // spikewire/node has everything the universal entry has
    expect(Object.keys(n)).toEqual(expect.arrayContaining(Object.keys(u)));
    expect(Object.keys(nc)).toEqual(expect.arrayContaining(Object.keys(uc)));
    expect(Object.keys(uc).sort()).toEqual(Object.keys(u).sort());
  }, TIMEOUT);

  it('a consumer resolves spikewire, spikewire/node, spikewire/preprocessing and the .wasm files through "exports" (plain node)', async () => {
    const script = `import * as u from 'spikewire';
import * as n from 'spikewire/node';
import * as p from 'spikewire/preprocessing';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const require = createRequire(import.meta.url);
const uc = require('spikewire');
const nc = require('spikewire/node');
const pc = require('spikewire/preprocessing');
const wasm = {};
for (const f of ['kernel.simd.wasm', 'kernel.scalar.wasm']) {
  const viaImport = fileURLToPath(import.meta.resolve('spikewire/' + f));
  const viaRequire = require.resolve('spikewire/' + f);
  const bytes = readFileSync(viaRequire);
  wasm[f] = { viaImport, viaRequire, valid: WebAssembly.validate(bytes), size: bytes.length };
}
console.log(JSON.stringify({
  esm: fileURLToPath(import.meta.resolve('spikewire')), esmNode: fileURLToPath(import.meta.resolve('spikewire/node')),
  cjs: require.resolve('spikewire'), cjsNode: require.resolve('spikewire/node'),
  types: [typeof u.SpikewireError, typeof n.SpikewireError, typeof uc.SpikewireError, typeof nc.SpikewireError],
  sameClass: u.SpikewireError === n.SpikewireError && uc.SpikewireError === nc.SpikewireError,
  preprocessing: [fileURLToPath(import.meta.resolve('spikewire/preprocessing')), require.resolve('spikewire/preprocessing')],
  sameFilter: p.bandpassFilter === u.bandpassFilter && pc.bandpassFilter === uc.bandpassFilter && typeof p.bandpassFilter === 'function',
  wasm,
}));
`;
    await write(join(tmp, 'run', 'check.mjs'), script);
    const r = await run(['check.mjs'], join(tmp, 'run'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.esm).toBe(join(dist, 'index.mjs'));
    expect(out.esmNode).toBe(join(dist, 'node.mjs'));
    expect(out.cjs).toBe(join(dist, 'index.cjs'));
    expect(out.cjsNode).toBe(join(dist, 'node.cjs'));
    expect(out.types).toEqual(['function', 'function', 'function', 'function']);
    expect(out.sameClass).toBe(true);
    expect(out.preprocessing).toEqual([join(dist, 'preprocessing.mjs'), join(dist, 'preprocessing.cjs')]);
    expect(out.sameFilter).toBe(true);
    for (const f of ['kernel.simd.wasm', 'kernel.scalar.wasm']) {
      expect(out.wasm[f].viaImport).toBe(join(dist, f));
      expect(out.wasm[f].viaRequire).toBe(join(dist, f));
      expect(out.wasm[f].valid, `${f} is a valid wasm module`).toBe(true);
    }
  }, TIMEOUT);
});

describe('types for consumers (tsc --noEmit)', () => {
  it('moduleResolution node16: .mts import and .cts require', async () => {
    const dir = join(tmp, 'node16');
    await write(join(dir, 'a.mts'), MTS);
    await write(join(dir, 'b.cts'), CTS);
    await write(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, ...libCheck, module: 'node16', moduleResolution: 'node16' }, files: ['a.mts', 'b.cts'] }));
    const r = await tsc(dir);
    expect(r.diagnostics).toBe('');
    expect(r.code).toBe(0);
    // import gets dist/types, require gets dist/types-cjs
    expect(r.files).toContain(join(dist, 'types', 'index.d.ts'));
    expect(r.files).toContain(join(dist, 'types', 'node.d.ts'));
    expect(r.files).toContain(join(dist, 'types-cjs', 'index.d.ts'));
    expect(r.files).toContain(join(dist, 'types-cjs', 'node.d.ts'));
  }, TIMEOUT);

  it('moduleResolution nodenext: .mts, .cts and .ts in a "type": "module" package', async () => {
    const dir = join(tmp, 'nodenext');
    await write(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await write(join(dir, 'a.mts'), MTS);
    await write(join(dir, 'b.cts'), CTS);
    await write(join(dir, 'c.ts'), MTS);
    await write(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['a.mts', 'b.cts', 'c.ts'] }));
    const r = await tsc(dir);
    expect(r.diagnostics).toBe('');
    expect(r.code).toBe(0);
  }, TIMEOUT);

  it('moduleResolution bundler', async () => {
    const dir = join(tmp, 'bundler');
    await write(join(dir, 'a.ts'), MTS);
    await write(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler' }, files: ['a.ts'] }));
    const r = await tsc(dir);
    expect(r.diagnostics).toBe('');
    expect(r.code).toBe(0);
    expect(r.files).toContain(join(dist, 'types', 'index.d.ts'));
  }, TIMEOUT);

  it('the types are real: a name that does not exist is an error', async () => {
    const dir = join(tmp, 'negative');
    await write(join(dir, 'a.mts'), `import { NoSuchExportInSpikewire } from 'spikewire';\nexport const x = NoSuchExportInSpikewire;\n`);
    await write(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'node16', moduleResolution: 'node16' }, files: ['a.mts'] }));
    const r = await tsc(dir);
    expect(r.code).not.toBe(0);
    expect(r.diagnostics).toMatch(/TS2305|TS2724/);
  }, TIMEOUT);

  it('the universal types need no @types/node (browser consumer, installed copy of the package)', async () => {
    // Not a symlink: a copy of package.json + dist, as npm installs it, so that no devDependency
    // (such as @types/node) can be found by walking up from the .d.ts files.
    const dir = join(tmp, 'browser-consumer');
    const installed = join(dir, 'node_modules', 'spikewire');
    await mkdir(installed, { recursive: true });
    await cp(join(repo, 'package.json'), join(installed, 'package.json'));
    await cp(dist, join(installed, 'dist'), { recursive: true });
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      await mkdir(dirname(join(dir, 'node_modules', dep)), { recursive: true });
      await symlink(join(repo, 'node_modules', dep), join(dir, 'node_modules', dep), 'junction');
    }
    await write(join(dir, 'a.ts'), `import { SpikewireError } from 'spikewire';\nexport const isSw = (e: unknown): e is InstanceType<typeof SpikewireError> => e instanceof SpikewireError;\n`);
    await write(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...strict, ...libCheck, types: [], module: 'esnext', moduleResolution: 'bundler' }, files: ['a.ts'] }),
    );
    const r = await tsc(dir);
    expect(r.diagnostics).toBe('');
    expect(r.code).toBe(0);
    expect(r.files.filter((f) => f.includes('@types/node'))).toEqual([]);
  }, TIMEOUT);
});
