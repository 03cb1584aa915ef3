// load() on what SpikeInterface wrote: JSON and pickle dumps (relative and absolute), and the saved
// binary folders, each compared with the fixture's description of the reloaded recording.
import { describe, expect, it } from 'vitest';
import { load } from '../../src/node.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { fixturePath, readFixtureJson } from '../helpers/fixtures.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { CASES } from '../core/fixture-build.js';

const FIXTURE_ROOT = '/home/user/si-fixtures';

/** The fixture's repr with its absolute paths moved to where the fixtures are here. */
async function localRepr(repr: string): Promise<string> {
  const root = await fixturePath('.');
  return repr.split(FIXTURE_ROOT).join(root.replace(/\/\.?$/, ''));
}

// Cases whose source SpikeInterface could dump and reload (NumpyRecording sources have no dump).
const DUMPED = new Set<string>();
for (const name of CASES) {
  if ((await readFixtureJson(`recordings/${name}/expected.json`)).source_dump_reload?.ok) DUMPED.add(name);
}

describe.each(CASES)('fixture case %s', (name) => {
  const dir = `recordings/${name}`;

  it('loads the saved folder as SpikeInterface reloads it', async () => {
    const expected = await readFixtureJson(`${dir}/expected.json`);
    const rec = await load(await fixturePath(`${dir}/saved`));
    try {
      const loaded = { ...expected.loaded, repr: await localRepr(expected.loaded.repr) };
      await expectDescription(rec, loaded, { view: true, noProbe: true });
    } finally {
      await rec.close();
    }
  });

  it.skipIf(!DUMPED.has(name))('loads source.dump.json from its folder, and source.dump.pkl', async () => {
    const expected = await readFixtureJson(`${dir}/expected.json`);
    for (const file of ['source.dump.json', 'source.dump.pkl']) {
      const rec = await load(await fixturePath(`${dir}/${file}`));
      try {
        expect(rec.getChannelIds()).toEqual(expected.source.channel_ids.data);
        expect(rec.getNumSegments()).toBe(expected.source.num_segments);
        expect(String(rec)).toBe(await localRepr(expected.source_dump_reload.repr));
      } finally {
        await rec.close();
      }
    }
  });

  it.skipIf(!DUMPED.has(name))('refuses absolute dumps from another machine with NOT_FOUND naming the file', async () => {
    const e = await expectCodeAsync(load(await fixturePath(`${dir}/source.dump_abs.json`)), 'NOT_FOUND');
    expect(e.message).toContain(FIXTURE_ROOT);
  });
});
