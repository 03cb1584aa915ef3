#!/usr/bin/env node
// Refresh the Neuropixels probe catalogue shipped in src/probe/neuropixels/: ProbeInterface's
// neuropixels_probe_features.json (MIT, copyright SpikeInterface) becomes a module holding the data
// (catalogue-data.ts, loaded with import() only when a Neuropixels probe is built), and the license
// notice that comes with it is copied beside it.
//
//   node scripts/refresh-neuropixels-catalogue.mjs <folder with neuropixels_probe_features.json and LICENSE>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(repoRoot, 'src', 'probe', 'neuropixels');
const source = process.argv[2];

if (!source) {
  console.error('usage: node scripts/refresh-neuropixels-catalogue.mjs <folder with neuropixels_probe_features.json and LICENSE>');
  process.exit(2);
}
const from = resolve(source);
const dataFile = join(from, 'neuropixels_probe_features.json');
const licenseFile = join(from, 'LICENSE');
for (const f of [dataFile, licenseFile]) {
  if (!existsSync(f)) {
    console.error(`${f} is missing`);
    process.exit(2);
  }
}

const catalogue = JSON.parse(readFileSync(dataFile, 'utf8'));
for (const key of ['neuropixels_probes', 'z_imro_formats', 'z_mux_tables', 'z_imro_format_type_to_imro_format', 'z_imro_format_type_to_part_number']) {
  if (typeof catalogue[key] !== 'object' || catalogue[key] === null) {
    console.error(`${dataFile} has no "${key}" table: not ProbeInterface's Neuropixels catalogue`);
    process.exit(2);
  }
}
// The universal bundle must not contain the text "node:" anywhere (rollup.config.mjs checks it).
const text = JSON.stringify(catalogue);
if (text.includes('node:')) {
  console.error('the catalogue contains the text "node:", which the universal bundle refuses');
  process.exit(2);
}

const license = readFileSync(licenseFile, 'utf8');
if (license.includes('*/')) {
  console.error(`${licenseFile} contains "*/", which would end the comment that carries it`);
  process.exit(2);
}
const module = `// ProbeInterface's Neuropixels probe catalogue (neuropixels_probe_features.json, table version ${catalogue.z_meta?.table_version ?? '?'}),
// MIT license, copyright SpikeInterface: see LICENSE in this folder. Written by
// scripts/refresh-neuropixels-catalogue.mjs; do not edit. Only catalogue.ts imports this module, with
// import(), so that applications that never build a Neuropixels probe do not load it.
import type { NeuropixelsCatalogue } from './catalogue-types.js';

// JSON.parse of one string literal: faster to load than the same data as an object literal. The
// license travels with the data as a legal comment, which bundlers and minifiers keep.
/*! @license ProbeInterface's Neuropixels probe catalogue (neuropixels_probe_features.json)
${license.trimEnd()}
*/
const catalogue: NeuropixelsCatalogue = JSON.parse(${JSON.stringify(text)});
export default catalogue;
`;
writeFileSync(join(target, 'catalogue-data.ts'), module);
writeFileSync(join(target, 'LICENSE'), license);
console.log(`Neuropixels catalogue: ${Object.keys(catalogue.neuropixels_probes).length} part numbers -> ${join(target, 'catalogue-data.ts')}`);
