// The path forms of the readers and writers (src/formats/probe-files.ts) go through the file platform
// (src/store/platform.ts: Node's in Node, none in browsers). Here an in-memory platform stands in for
// it in both, and the one it replaced comes back afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFilePlatform, type FilePlatform } from '../../src/store/platform.js';
import { readPrb, readProbeinterface, writePrb, writeProbeinterface } from '../../src/formats/probe-files.js';
import { generateLinearProbe } from '../../src/probe/generators.js';
import { readFixtureText } from '../helpers/fixtures.js';

const files = new Map<string, Uint8Array>();
const memoryPlatform = {
  async readFile(path: string) {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`no file ${path}`);
    return bytes;
  },
  async writeFile(path: string, data: Uint8Array | string) {
    files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  },
} as unknown as FilePlatform;

let replaced: FilePlatform | null = null;
beforeAll(() => {
  replaced = installFilePlatform(memoryPlatform);
});
afterAll(() => {
  installFilePlatform(replaced);
});

describe('paths through the file platform', () => {
  it('writeProbeinterface(probe, path) writes the text ProbeInterface writes; readProbeinterface(path) reads it', async () => {
    const text = await readFixtureText('probes/linear.json');
    await writeProbeinterface(generateLinearProbe(), '/tmp/linear.json');
    expect(new TextDecoder().decode(files.get('/tmp/linear.json'))).toBe(text);
    const group = await readProbeinterface('/tmp/linear.json');
    expect(writeProbeinterface(group)).toEqual(JSON.parse(text));
  });

  it('writePrb(probe, path) and readPrb(path)', async () => {
    const p = generateLinearProbe({ numElec: 4 });
    p.setDeviceChannelIndices([3, 2, 1, 0]);
    await writePrb(p, '/tmp/p.prb');
    expect(new TextDecoder().decode(files.get('/tmp/p.prb'))).toBe(writePrb(p));
    const back = await readPrb('/tmp/p.prb');
    expect(back.probes[0]!.deviceChannelIndices).toEqual([3, 2, 1, 0]);
  });

  it("one rule for text or path: a string with a line break or a '{' is the text, any other string a path ('=' and '[' included)", async () => {
    const p = generateLinearProbe({ numElec: 2 });
    p.setDeviceChannelIndices([1, 0]);
    await writePrb(p, '/data/run=1/probe.prb');
    expect((await readPrb('/data/run=1/probe.prb')).probes[0]!.deviceChannelIndices).toEqual([1, 0]);
    await writeProbeinterface(p, '[2024] probe.json');
    expect((await readProbeinterface('[2024] probe.json')).probes[0]!.getContactCount()).toBe(2);
    // one-line texts are texts: they hold the channel_groups dict / the JSON object
    expect((await readPrb("channel_groups = {0: {'channels': [4], 'geometry': {4: (1, 2)}}}")).probes[0]!.contactPositions).toEqual([[1, 2]]);
    expect((await readProbeinterface(JSON.stringify(writeProbeinterface(p)))).probes[0]!.getContactCount()).toBe(2);
  });
});
