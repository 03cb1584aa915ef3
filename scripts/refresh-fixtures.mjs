#!/usr/bin/env node
// Refresh the vendored SpikeInterface fixtures: copy a fixtures folder (written by the real Python
// SpikeInterface, ProbeInterface, neo and scipy) into test/fixtures/spikeinterface, replacing what is there.
//
//   node scripts/refresh-fixtures.mjs <path/to/fixtures/spikeinterface>
//
// The tests only ever read test/fixtures/spikeinterface (or SPIKEWIRE_FIXTURES when set).
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(repoRoot, 'test', 'fixtures', 'spikeinterface');
const source = process.argv[2];

if (!source) {
  console.error('usage: node scripts/refresh-fixtures.mjs <fixtures/spikeinterface folder>');
  process.exit(2);
}
const from = resolve(source);
if (!existsSync(join(from, 'manifest.json')) || !statSync(from).isDirectory()) {
  console.error(`${from} is not a SpikeInterface fixtures folder (no manifest.json in it)`);
  process.exit(2);
}

rmSync(target, { recursive: true, force: true });
cpSync(from, target, { recursive: true });
// The source may be a read-only tree: give the copies ordinary permissions so later refreshes can replace them.
(function writable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) writable(p);
    else chmodSync(p, 0o644);
  }
})(target);
console.log(`fixtures copied: ${from} -> ${target}`);
