// Two test projects over the same files:
//   node    - test/**/*.test.ts, except *.browser.test.ts
//   browser - test/**/*.test.ts in real Chromium, except *.node.test.ts
// Name a test file *.node.test.ts when it needs Node (fs, child_process, dist/, ...), and
// *.browser.test.ts when it needs a DOM. Every other test file runs in both projects.
//
// The browser project uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH). It never downloads
// a browser. Without one, the project is left out and one line on stderr says so.
//
// Fixture files are read through test/helpers/fixtures.ts. In Node it reads the disk. In the browser
// it calls the commands below, which run in this Node process.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import type { BrowserCommand } from 'vitest/node';
import { sharedRangeServer } from './test/helpers/range-server.js';

const repoRoot = dirname(fileURLToPath(import.meta.url));

/** Where the SpikeInterface oracle fixtures live: env SPIKEWIRE_FIXTURES, else test/fixtures/spikeinterface. */
const fixturesRoot = resolve(repoRoot, process.env.SPIKEWIRE_FIXTURES || 'test/fixtures/spikeinterface');
if (!existsSync(resolve(fixturesRoot, 'manifest.json'))) {
  // One line instead of hundreds of failures: every fixture test needs this folder.
  throw new Error(
    `spikewire: no SpikeInterface fixtures at ${fixturesRoot} (manifest.json missing): they ship in the repository ` +
      `under test/fixtures/spikeinterface — restore them with \`git checkout -- test/fixtures\`, or copy a fixtures ` +
      `folder there with \`node scripts/refresh-fixtures.mjs <folder>\` (or point SPIKEWIRE_FIXTURES at one)`,
  );
}

/** The absolute path of a fixture file; refuses paths that leave the fixtures folder. */
function fixturePath(rel: string): string {
  if (typeof rel !== 'string') throw new TypeError(`fixture path must be a string, got ${typeof rel}`);
  const abs = resolve(fixturesRoot, rel);
  const inside = relative(fixturesRoot, abs);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`fixture path ${JSON.stringify(rel)} leaves the fixtures folder ${fixturesRoot}`);
  }
  return abs;
}

// Browser commands: they run in Node and return plain strings / JSON values to the page.
const spikewireFixtureRead: BrowserCommand<[rel: string, encoding: 'base64' | 'utf8']> = async (_ctx, rel, encoding) =>
  (await readFile(fixturePath(rel))).toString(encoding === 'utf8' ? 'utf8' : 'base64');
const spikewireFixtureStat: BrowserCommand<[rel: string]> = async (_ctx, rel) => {
  try {
    const s = await stat(fixturePath(rel));
    return { exists: true, size: s.size, isDirectory: s.isDirectory() };
  } catch {
    return { exists: false, size: 0, isDirectory: false };
  }
};
const spikewireFixtureList: BrowserCommand<[rel: string]> = async (_ctx, rel) =>
  (await readdir(fixturePath(rel))).sort();
const spikewireFixtureRoot: BrowserCommand<[]> = () => fixturesRoot;
// The base URL of a local HTTP server on 127.0.0.1 that serves the fixtures folder with Range support
// and CORS (and misbehaving variants for error tests): see test/helpers/range-server.ts.
const spikewireRangeServer: BrowserCommand<[]> = async () => (await sharedRangeServer(fixturesRoot)).url;

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);

/**
 * package.json's "imports" for the sources: Node's variants in the node project, the others in the
 * browser project (as a consumer's runtime or bundler picks dist/<name>.node.* or .default.*). Only
 * for importers in src/: the built files that some tests load resolve them from package.json.
 */
const CONDITIONAL: Record<string, string> = { '#file-platform': 'src/store/file-platform', '#parallel-writer': 'src/extractors/parallel-writer' };
const srcDir = resolve(repoRoot, 'src') + sep;
const conditional = (variant: 'node' | 'default'): Plugin => ({
  name: 'spikewire-source-variants',
  enforce: 'pre',
  resolveId(id, importer) {
    const base = CONDITIONAL[id];
    return base && importer?.startsWith(srcDir) ? resolve(repoRoot, `${base}.${variant}.ts`) : null;
  },
});

const nodeProject: TestProjectInlineConfiguration = {
  plugins: [conditional('node')],
  test: {
    name: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/**/*.browser.test.ts'],
    environment: 'node',
    env: { SPIKEWIRE_FIXTURES: fixturesRoot },
  },
};

const browserProject: TestProjectInlineConfiguration = {
  plugins: [conditional('default')],
  // Pre-bundle the runtime dependency and the fuzzer up front so that Vite does not reload the page mid-run.
  optimizeDeps: { include: ['fflate', 'fast-check'] },
  test: {
    name: 'browser',
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/**/*.node.test.ts'],
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
      commands: { spikewireFixtureRead, spikewireFixtureStat, spikewireFixtureList, spikewireFixtureRoot, spikewireRangeServer },
    },
  },
};

if (!haveChromium) {
  process.stderr.write(
    `spikewire: browser test project skipped: no Chromium at ${chromiumPath} ` +
      `(install it with \`apt-get install chromium\`, or set CHROMIUM_PATH=/path/to/chromium)\n`,
  );
}

export default defineConfig({
  test: {
    projects: haveChromium ? [nodeProject, browserProject] : [nodeProject],
  },
});
