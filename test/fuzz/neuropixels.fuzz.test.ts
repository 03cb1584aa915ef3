// Fuzzing the Neuropixels readers and the XML reader (Node and Chromium): edits of the fixtures'
// SpikeGLX .meta and Open Ephys settings.xml files, and random XML-like text. Every input gives a
// value or a SpikewireError, never another error and never a hang (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasNeuropixelsProbes, parseSpikeglxMeta, parseXml, readOpenephysProbe, readSpikeglxProbe } from '../../src/index.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { fuzz } from '../helpers/fuzz.js';
import { editedText } from './probe-inputs.js';

const FUZZ_TIMEOUT = 60_000;

/** Tokens that mean something to XML: markup, entities (known, unknown, recursive-looking), DOCTYPEs, depth. */
const XML_TOKENS = [
  '<', '>', '/>', '</', '"', "'", '=', '&', '&amp;', '&lt;', '&#0;', '&#x110000;', '&#65;', '&lol;', '&#xD800;', ';',
  '<!--', '-->', '<![CDATA[', ']]>', '<?xml version="1.0"?>', '<?', '?>', '<!DOCTYPE a [<!ENTITY lol "lol">]>', '<!DOCTYPE a>',
  '<a>'.repeat(300), '</a>'.repeat(300), '<NP_PROBE>', '</NP_PROBE>', ' CH0="1:0"', ' CH0="x"', ' recording_state="1010"',
  ' isEnabled="0"', ' probe_part_number="NP9999"', ' probe_part_number="NP2013"', '<SELECTED_ELECTRODES CH0="5000"/>', '\u0000', '\uFEFF',
];

/** Tokens that mean something to a .meta file and its tables. */
const META_TOKENS = [
  '\r\n', '\n', '=', '~', ')(', '(', ')', ',', ':', ' ', '-1', '99999999999999999999', '1e3', 'NP9999', 'NP2013', 'NP1110',
  '\r\n~imroTbl=(1110,0,0,500,250,1)(0 1 2)', '\r\nsnsSaveChanSubset=0:999999999', '\r\nsnsSaveChanSubset=all\r\nnSavedChans=1e9',
  '\r\nimProbeOpt=3', '\r\nimDatPrb_pn=', '(0,384,0)', '(24,384)', '(2013,384)(0 0 0 0 5000)', '__proto__', 'constructor',
];

let metaTexts: string[] = [];
let settingsTexts: string[] = [];

beforeAll(async () => {
  const base = 'acquisition/spikeglx';
  metaTexts = await Promise.all(
    [
      'np1_subset/data/M31_subset_g0/M31_subset_g0_imec0/M31_subset_g0_t0.imec0.ap.meta',
      'np2_4shank/data/M27_np2_g0/M27_np2_g0_imec0/M27_np2_g0_t0.imec0.ap.meta',
    ].map((f) => readFixtureText(`${base}/${f}`)),
  );
  settingsTexts = await Promise.all(
    ['np1_pxi_nidaq/data/Record Node 101/settings.xml', 'acq_board_2exp/data/Record Node 102/settings.xml'].map((f) =>
      readFixtureText(`acquisition/openephys/${f}`),
    ),
  );
});

describe('Neuropixels fuzz', () => {
  it('readSpikeglxProbe and parseSpikeglxMeta: edited .meta files', async () => {
    const tally = await fuzz(
      'readSpikeglxProbe edited .meta',
      editedText(metaTexts, META_TOKENS),
      async (text) => {
        parseSpikeglxMeta(text);
        const probe = await readSpikeglxProbe(text);
        expect(probe.deviceChannelIndices!.length).toBe(probe.getContactCount());
      },
      { numRuns: 100 },
    );
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('readOpenephysProbe and hasNeuropixelsProbes: edited settings.xml files', async () => {
    const tally = await fuzz(
      'readOpenephysProbe edited settings.xml',
      editedText(settingsTexts, XML_TOKENS),
      async (text) => {
        expect(typeof hasNeuropixelsProbes(text, 'Neuropix-PXI-100.ProbeA-AP')).toBe('boolean');
        const probe = await readOpenephysProbe(text, { streamName: 'Neuropix-PXI-100.ProbeA-AP' });
        expect(probe.deviceChannelIndices!.length).toBe(probe.getContactCount());
      },
      { numRuns: 150 },
    );
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('parseXml: random markup', async () => {
    const piece = fc.oneof(fc.constantFrom(...XML_TOKENS), fc.string({ maxLength: 8 }), fc.constantFrom('<a b="c">', '</a>', '<b/>', 'text'));
    const tally = await fuzz('parseXml random markup', fc.array(piece, { maxLength: 40 }).map((p) => p.join('')), (text) => parseXml(text, { maxDepth: 64 }), {
      numRuns: 500,
    });
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);
});
