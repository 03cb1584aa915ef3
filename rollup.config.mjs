// Bundles src/index.ts (universal: "spikewire"), src/node.ts ("spikewire/node") and
// src/preprocessing.ts ("spikewire/preprocessing") into dist/, one output file per source module
// (preserveModules), so that an app's bundler keeps only the modules the app uses and puts what the
// library loads with import() (the dsp and scalar kernels, formats, ...) in chunks of their own:
//   dist/index.{mjs,cjs}, dist/node.{mjs,cjs}, dist/preprocessing.{mjs,cjs}: the entries
//   dist/<layer>/<module>.{mjs,cjs} (+ .map): every other module, as in src/
//   dist/file-platform.{node,default}.{mjs,cjs}, dist/parallel-writer.{node,default}.{mjs,cjs}: what
//     package.json's "imports" (#file-platform, #parallel-writer) give under the "node" condition or else
//   dist/parallel-write.{mjs,cjs}: the module that starts the workers, beside them:
//   dist/parallel-worker.mjs, dist/parallel-worker.cjs: the worker threads of nJobs > 1 (started from
//     the file beside parallel-write.*, same format). A second build, self-contained (one file each).
//   dist/types/*.d.ts        declarations (import condition)
//   dist/types-cjs/*.d.ts    the same declarations, under {"type":"commonjs"} (require condition; TOOLCHAIN gotcha 5)
//   dist/kernel.simd.wasm, dist/kernel.scalar.wasm   copied from build/ (written by `npm run build:wasm`)
//   dist/kernel.wasm.d.ts    the type of `import wasm from 'spikewire/kernel.simd.wasm'` (and scalar)
// The build fails when a type error exists anywhere in src/ (noEmitOnError) or when the universal
// entry's code (index.* and every module it loads) contains "node:".
import { cp, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import typescript from '@rollup/plugin-typescript';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const WASM_FILES = ['kernel.simd.wasm', 'kernel.scalar.wasm'];
// What a tool hands over for an imported .wasm file differs (a compiled module, bytes, a URL, ...);
// each of them is something initKernel accepts, which is all a consumer needs to know.
const WASM_TYPES = `// The default export of 'spikewire/kernel.simd.wasm' and 'spikewire/kernel.scalar.wasm': what the
// importing tool makes of a .wasm file (a WebAssembly.Module, bytes, a URL, ...), for initKernel.
import type { KernelInput } from './types/index.js';
declare const kernel: KernelInput;
export default kernel;
`;

/** Every chunk file the entry named `name` loads (itself, static and dynamic imports), within one output bundle. */
function chunksOf(bundle, name) {
  const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === name);
  if (!entry) return [];
  const seen = new Set();
  const visit = (fileName) => {
    const c = bundle[fileName];
    if (!c || c.type !== 'chunk' || seen.has(fileName)) return;
    seen.add(fileName);
    for (const f of [...c.imports, ...c.dynamicImports]) visit(f);
  };
  visit(entry.fileName);
  return [...seen].map((f) => bundle[f]);
}

/** Fails the build when the universal entry (or anything it loads) mentions "node:". */
function universalCheck() {
  return {
    name: 'spikewire-universal-check',
    generateBundle(_options, bundle) {
      for (const chunk of chunksOf(bundle, 'index')) {
        const at = chunk.code.indexOf('node:');
        if (at >= 0) {
          const line = chunk.code.slice(0, at).split('\n').length;
          const context = chunk.code.slice(Math.max(0, at - 80), at + 60).replace(/\s+/g, ' ');
          const via = chunk.name === 'index' ? '' : ` (a chunk loaded by the universal entry, modules: ${Object.keys(chunk.modules).map((m) => m.replace(root + '/', '')).join(', ')})`;
          this.error(
            `dist/${chunk.fileName}${via} contains "node:" at line ${line}: …${context}…\n` +
              `The universal entry (src/index.ts) must not import Node built-ins, nor contain the text "node:" ` +
              `(even in comments or strings). Put Node-only code in files reached only from src/node.ts.`,
          );
        }
      }
    },
  };
}

/** After everything is written: copy the wasm files, make dist/types-cjs, and re-check dist/index.mjs on disk. */
function distExtras() {
  const written = new Set();
  return {
    name: 'spikewire-dist-extras',
    buildStart() {
      written.clear();
      // Start from an empty dist/ so that no stale file from an older build is shipped.
      return rm(dist, { recursive: true, force: true });
    },
    writeBundle(options) {
      written.add(options.format);
    },
    async closeBundle(error) {
      // Only after both outputs were written; if the build failed, let rollup report that error alone.
      if (error || !written.has('es') || !written.has('cjs')) return;
      for (const f of WASM_FILES) {
        const from = join(root, 'build', f);
        try {
          await stat(from);
        } catch {
          this.error(`build/${f} is missing: run \`npm run build:wasm\` first (\`npm run build\` does both)`);
        }
        await copyFile(from, join(dist, f));
      }
      await writeFile(join(dist, 'kernel.wasm.d.ts'), WASM_TYPES);

      const types = join(dist, 'types');
      try {
        await stat(join(types, 'index.d.ts'));
      } catch {
        this.error('dist/types/index.d.ts was not written (declarations from @rollup/plugin-typescript)');
      }
      const typesCjs = join(dist, 'types-cjs');
      await rm(typesCjs, { recursive: true, force: true });
      await mkdir(typesCjs, { recursive: true });
      await cp(types, typesCjs, { recursive: true });
      await writeFile(join(typesCjs, 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');

      const universal = await readFile(join(dist, 'index.mjs'), 'utf8');
      if (universal.includes('node:')) this.error('dist/index.mjs contains "node:" (the universal entry must not use Node built-ins)');
    },
  };
}

// Modules written at the top of dist/ (the rest keep their place under src/): the entries, the
// variants package.json's "imports" names, and the module that finds the worker files beside itself.
const TOP_LEVEL = new Set([
  'index', 'node', 'preprocessing',
  'store/file-platform.node', 'store/file-platform.default',
  'extractors/parallel-writer.node', 'extractors/parallel-writer.default',
  'extractors/node/parallel-write',
]);
const topName = (name) => name.slice(name.lastIndexOf('/') + 1);

const output = (format, ext) => ({
  dir: 'dist',
  format,
  entryFileNames: `[name].${ext}`,
  chunkFileNames: `[name]-[hash].${ext}`,
  sourcemap: true,
  ...(format === 'cjs' ? { exports: 'named', interop: 'auto' } : {}),
});

/** One file per module (see the top of this file), for the entries' build. */
const modulesOutput = (format, ext) => ({
  ...output(format, ext),
  preserveModules: true,
  preserveModulesRoot: 'src',
  entryFileNames: (chunk) => `${TOP_LEVEL.has(chunk.name) ? topName(chunk.name) : '[name]'}.${ext}`,
});

// TypeScript for both builds; only the entries' build writes declarations.
const compile = (declarations) =>
  typescript({
    tsconfig: './tsconfig.json',
    noEmitOnError: true,
    sourceMap: true,
    declaration: declarations,
    declarationDir: declarations ? 'dist/types' : null, // null: tsconfig's, which tsc refuses without declarations
    outDir: 'dist',
    rootDir: 'src',
  });

// Modules chosen by package.json's "imports" under the "node" condition or by default: built as entries
// of their own and left as `#name` imports in the entries' code, so that the consumer's runtime or
// bundler picks the variant (dist/<name>.node.* in Node, dist/<name>.default.* elsewhere).
const CONDITIONAL = { 'file-platform': 'src/store', 'parallel-writer': 'src/extractors' };
const conditionalInputs = Object.fromEntries(
  Object.entries(CONDITIONAL).flatMap(([name, dir]) => ['node', 'default'].map((v) => [`${name}.${v}`, `${dir}/${name}.${v}.ts`])),
);

/** The worker runs in Node only: Node's file platform, and no parallel writer of its own. */
function workerVariants() {
  const chosen = { '#file-platform': 'src/store/file-platform.node.ts', '#parallel-writer': 'src/extractors/parallel-writer.default.ts' };
  return {
    name: 'spikewire-worker-variants',
    resolveId(id) {
      return chosen[id] ? join(root, chosen[id]) : null;
    },
  };
}

export default [
  {
    input: { index: 'src/index.ts', node: 'src/node.ts', preprocessing: 'src/preprocessing.ts', ...conditionalInputs },
    external: [/^node:/, 'fflate', /^#/],
    plugins: [
      compile(true),
      universalCheck(),
      distExtras(),
    ],
    output: [modulesOutput('es', 'mjs'), modulesOutput('cjs', 'cjs')],
  },
  // Built after the first (whose buildStart empties dist/): the worker module of the parallel writer.
  {
    input: { 'parallel-worker': 'src/parallel-worker.ts' },
    external: [/^node:/, 'fflate'],
    plugins: [workerVariants(), compile(false)],
    output: [
      { ...output('es', 'mjs'), inlineDynamicImports: true },
      { ...output('cjs', 'cjs'), inlineDynamicImports: true },
    ],
  },
];
