// parseXml: what ElementTree gives for the XML that settings files hold (attributes in order, text
// and tail, entities, CDATA, comments), and coded errors - never expansion, a hang or a stack
// overflow - for hostile or malformed XML.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/index.js';
import { findAll, findFirst, iterElements } from '../../src/probe/xml.js';
import { expectCode } from '../helpers/expect-error.js';

describe('parseXml', () => {
  it('reads elements, attributes in document order, text and tail', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- c -->\n<SETTINGS>\n  <INFO><VERSION>0.6.7</VERSION>tail</INFO>\n' +
        '  <CH CH10="1" CH2=\'2\'\n      CH1 = "3"/>\n</SETTINGS>\n',
    );
    expect(root.tag).toBe('SETTINGS');
    expect(root.children.map((c) => c.tag)).toEqual(['INFO', 'CH']);
    const version = findFirst(findFirst(root, 'INFO')!, 'VERSION')!;
    expect(version.text).toBe('0.6.7');
    expect(version.tail).toBe('tail');
    const ch = findAll(root, 'CH')[0]!;
    expect(Object.keys(ch.attributes)).toEqual(['CH10', 'CH2', 'CH1']);
    expect(Object.values(ch.attributes)).toEqual(['1', '2', '3']);
    expect(root.text).toBe('\n  ');
    expect([...iterElements(root)].map((e) => e.tag)).toEqual(['SETTINGS', 'INFO', 'VERSION', 'CH']);
  });

  it("decodes XML's five entities and character references, normalizes attribute whitespace, keeps CDATA", () => {
    const root = parseXml('<a x="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;" y="a\tb\nc">1 &amp; 2<![CDATA[<&>]]><!-- no --></a>');
    expect(root.attributes.x).toBe(`<>&"'AB`);
    expect(root.attributes.y).toBe('a b c');
    expect(root.text).toBe('1 & 2<&>');
  });

  it('keeps attribute names such as __proto__ as data', () => {
    const root = parseXml('<a __proto__="x" constructor="y"/>');
    expect(Object.keys(root.attributes)).toEqual(['__proto__', 'constructor']);
    expect(root.attributes.__proto__).toBe('x');
  });

  it('refuses entity declarations (no expansion), unknown entities and invalid character references', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expectCode(() => parseXml(bomb), 'FORMAT', /DOCTYPE with declarations/);
    expectCode(() => parseXml('<a>&lol;</a>'), 'FORMAT', /unknown entity/);
    expectCode(() => parseXml('<a>&#0;</a>'), 'FORMAT', /character reference/);
    expectCode(() => parseXml('<a>&#xD800;</a>'), 'FORMAT', /character reference/);
    expectCode(() => parseXml('<a>a & b</a>'), 'FORMAT', /"&"/);
    expect(parseXml('<!DOCTYPE a SYSTEM "a.dtd"><a/>').tag).toBe('a');
  });

  it('refuses malformed XML with the line of the fault', () => {
    expectCode(() => parseXml('<a>\n<b></a>'), 'FORMAT', /<\/a> does not close <b> \(line 2\)/);
    expectCode(() => parseXml('<a>'), 'FORMAT', /<a> is not closed/);
    expectCode(() => parseXml('<a/><b/>'), 'FORMAT', /second root/);
    expectCode(() => parseXml(''), 'FORMAT', /no root element/);
    expectCode(() => parseXml('text<a/>'), 'FORMAT', /outside the root/);
    expectCode(() => parseXml('<a x="1" x="2"/>'), 'FORMAT', /repeated/);
    expectCode(() => parseXml('<a x=1/>'), 'FORMAT', /quoted value/);
    expectCode(() => parseXml('<a x="1"y="2"/>'), 'FORMAT', /whitespace/);
    expectCode(() => parseXml('<a x="<"/>'), 'FORMAT', /"<"/);
    expectCode(() => parseXml('<a><!-- x</a>'), 'FORMAT', /unterminated comment/);
    expectCode(() => parseXml('<a><![CDATA[x</a>'), 'FORMAT', /unterminated CDATA/);
    expectCode(() => parseXml('<!ELEMENT a><a/>'), 'FORMAT', /tag name/);
    expectCode(() => parseXml(42 as unknown as string), 'INVALID_ARGUMENT');
  });

  it('bounds depth, element count and size before the work grows', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expectCode(() => parseXml(deep), 'FORMAT', /nested deeper than 256/);
    expect(parseXml('<a>'.repeat(50) + '</a>'.repeat(50)).tag).toBe('a');
    expectCode(() => parseXml('<a>' + '<b/>'.repeat(20) + '</a>', { maxElements: 10 }), 'FORMAT', /more than 10 elements/);
    expectCode(() => parseXml('<a/>'.padEnd(200, ' '), { maxLength: 100 }), 'FORMAT', /200 characters/);
  });

  it('takes linear time on long inputs (a million attributes, entities, unclosed quotes)', () => {
    const started = performance.now();
    parseXml(`<a ${Array.from({ length: 100_000 }, (_, i) => `k${i}="${i}"`).join(' ')}/>`);
    parseXml(`<a>${'&amp;'.repeat(200_000)}</a>`);
    expectCode(() => parseXml(`<a x="${'y'.repeat(1_000_000)}`), 'FORMAT', /unterminated value/);
    expectCode(() => parseXml(`<a>${'<!--'.repeat(100_000)}`), 'FORMAT');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
