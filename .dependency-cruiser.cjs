// The import rules of src/ (see README, "Layout"): layers from the bottom up, each importing only
// itself, the layers below it and the root leaves; no cycle between files. `npm run check:layers`
// checks them (and `npm test` runs it before the tests, so a violation fails CI).

/** Bottom first. A folder of src/, or the entries. */
const LAYERS = [
  ['kernel', '^src/kernel/'],
  ['python', '^src/python/'],
  ['probe', '^src/probe/'],
  ['core', '^src/core/'],
  ['store', '^src/store/'],
  ['extractors', '^src/extractors/'],
  ['preprocessing', '^src/preprocessing/'],
  ['formats', '^src/formats/'],
  ['viewer', '^src/viewer/'],
  ['entries', '^src/(index|node|preprocessing|parallel-worker)\\.ts$'],
];
/** Files at the root of src/ that every layer may import; they import only each other. */
const LEAVES = '^src/(errors|dtype|abort|paths)\\.ts$';
const KNOWN = [LEAVES, ...LAYERS.map(([, path]) => path), '^src/kernel/generated/'];

const above = (i) => LAYERS.slice(i + 1).map(([, path]) => path);

// core/recording.ts mirrors SpikeInterface's base.py, which imports its writers inside save() and
// dump_to_json(): the methods load formats' save and dump modules with import() when called, and name
// their option types. That edge, and only that one, may point up; it is no cycle, as it is never static.
const CORE_SEAM_FROM = '^src/core/recording\\.ts$';
const CORE_SEAM_TO = '^src/formats/(save|dump)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle between files (edges through a dynamic import() or a type-only import do not close one).',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import', 'type-only'] } },
    },
    {
      name: 'unlayered',
      severity: 'error',
      comment: 'Every file of src/ sits in a layer folder or is a root leaf (errors, dtype, abort, paths).',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: KNOWN },
    },
    {
      name: 'leaves-import-leaves',
      severity: 'error',
      comment: 'The root leaves (errors, dtype, abort, paths) import nothing of ours but each other.',
      from: { path: LEAVES },
      to: { path: '^src/', pathNot: LEAVES },
    },
    {
      name: 'kernel-imports-errors-dtype',
      severity: 'error',
      comment: 'The kernel depends on nothing of ours but errors and dtypes (and its generated wasm).',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: ['^src/kernel/', '^src/(errors|dtype)\\.ts$'] },
    },
    ...LAYERS.slice(0, -1).flatMap(([name, path], i) => {
      const rule = (suffix, from, to, extra = {}) => ({
        name: `${name}-not-up${suffix}`,
        severity: 'error',
        comment: `${name} imports only itself, the layers below it (${LAYERS.slice(0, i).map(([n]) => n).join(', ') || 'none'}) and the root leaves.`,
        from,
        to: { path: above(i), ...to },
        ...extra,
      });
      if (name !== 'core') return [rule('', { path }, {})];
      return [
        rule('', { path, pathNot: CORE_SEAM_FROM }, {}),
        rule('-static', { path: CORE_SEAM_FROM }, { dependencyTypesNot: ['dynamic-import', 'type-only'] }),
        rule('-seam', { path: CORE_SEAM_FROM }, { pathNot: CORE_SEAM_TO }),
      ];
    }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/kernel/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // package.json's "imports" (#file-platform, #parallel-writer) from the sources, Node's variants
    // (the others import nothing but types)
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs'], conditionNames: ['spikewire-source', 'node', 'import', 'default'] },
  },
};
