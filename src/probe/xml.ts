// A small XML reader for the settings files acquisition software writes (Open Ephys settings.xml),
// safe on hostile input: one left-to-right pass (linear time, no backtracking), an explicit stack
// instead of recursion, bounded size and depth, and no entities but XML's five and character
// references (a DOCTYPE with declarations is refused, so nothing can expand). Namespaces are not
// interpreted: a prefixed name is kept as written.
import { SpikewireError, describe } from '../errors.js';

/** One element: its tag, attributes in document order, children, and text as ElementTree gives them. */
export interface XmlElement {
  tag: string;
  /** Attribute name -> value (entities decoded, whitespace normalized as XML does); a null-prototype record. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** ElementTree's `text`: the character data before the first child ('' when none). */
  text: string;
  /** ElementTree's `tail`: the character data after this element's end tag, before the next sibling. */
  tail: string;
}

/** Limits of {@link parseXml}. */
export interface ParseXmlOptions {
  /** Most characters accepted (default 64 Mi). */
  maxLength?: number;
  /** Deepest element nesting accepted (default 256). */
  maxDepth?: number;
  /** Most elements accepted (default 1 Mi). */
  maxElements?: number;
  /** What the text is, for error messages (default 'XML text'). */
  source?: string;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[^\s/>=<"'!?]+/y;
const SPACE = /[ \t\r\n]*/y;

/**
 * Parses `text` into its root element. Malformed XML, a second root, unknown entities, a DOCTYPE
 * with an internal subset or a limit passed are FORMAT errors naming the line.
 */
export function parseXml(text: string, opts: ParseXmlOptions = {}): XmlElement {
  const source = opts.source ?? 'XML text';
  if (typeof text !== 'string') throw new SpikewireError('INVALID_ARGUMENT', `${source}: expected a string, got ${describe(text)}`);
  const maxLength = opts.maxLength ?? 64 * 1024 * 1024;
  const maxDepth = opts.maxDepth ?? 256;
  const maxElements = opts.maxElements ?? 1024 * 1024;
  if (text.length > maxLength) throw new SpikewireError('FORMAT', `${source}: ${text.length} characters, more than the ${maxLength} accepted`);

  // XML's end-of-line handling: CRLF and lone CR become LF before anything else.
  const s = text.replace(/\r\n?/g, '\n');
  let pos = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (what: string, at = pos): never => {
    const line = s.slice(0, at).split('\n').length;
    throw new SpikewireError('FORMAT', `${source}: ${what} (line ${line})`);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let last: XmlElement | null = null; // the element whose end was seen last (its tail collects text)
  let elements = 0;

  const until = (marker: string, what: string): number => {
    const end = s.indexOf(marker, pos);
    if (end < 0) fail(`unterminated ${what}`);
    return end;
  };
  const addText = (chunk: string) => {
    if (chunk === '') return;
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (/[^ \t\n]/.test(chunk)) fail('text outside the root element');
      return;
    }
    if (last !== null && parent.children[parent.children.length - 1] === last) last.tail += chunk;
    else parent.text += chunk;
  };

  while (pos < s.length) {
    const lt = s.indexOf('<', pos);
    if (lt < 0) {
      addText(decode(s.slice(pos), fail, pos));
      break;
    }
    if (lt > pos) addText(decode(s.slice(pos, lt), fail, pos));
    pos = lt;
    if (s.startsWith('<!--', pos)) {
      const end = until('-->', 'comment');
      pos = end + 3;
    } else if (s.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      const end = until(']]>', 'CDATA section');
      addText(s.slice(pos + 9, end));
      pos = end + 3;
    } else if (s.startsWith('<?', pos)) {
      const end = until('?>', 'processing instruction');
      pos = end + 2;
    } else if (s.startsWith('<!DOCTYPE', pos)) {
      if (root !== null || stack.length > 0) fail('DOCTYPE after the root element started');
      const end = until('>', 'DOCTYPE');
      // Declarations (entities above all) are where XML bombs live: a DOCTYPE with any is refused.
      if (s.slice(pos, end).includes('[')) fail('a DOCTYPE with declarations is not accepted');
      pos = end + 1;
    } else if (s.startsWith('</', pos)) {
      pos += 2;
      const name = readName(s, pos) ?? fail('expected a tag name after "</"');
      pos += name.length;
      SPACE.lastIndex = pos;
      SPACE.exec(s);
      pos = SPACE.lastIndex;
      if (s[pos] !== '>') fail(`expected ">" to end </${name}`);
      pos += 1;
      const open = stack.pop();
      if (open === undefined || open.tag !== name) fail(`</${name}> does not close ${open === undefined ? 'any element' : `<${open.tag}>`}`);
      last = open!;
    } else {
      pos += 1;
      const tag = readName(s, pos) ?? fail('expected a tag name after "<"');
      pos += tag.length;
      if (++elements > maxElements) fail(`more than ${maxElements} elements`);
      const element: XmlElement = { tag, attributes: Object.create(null), children: [], text: '', tail: '' };
      let selfClosing = false;
      for (;;) {
        SPACE.lastIndex = pos;
        SPACE.exec(s);
        const spaced = SPACE.lastIndex > pos;
        pos = SPACE.lastIndex;
        if (s[pos] === '>') {
          pos += 1;
          break;
        }
        if (s.startsWith('/>', pos)) {
          pos += 2;
          selfClosing = true;
          break;
        }
        if (!spaced) fail(`expected whitespace, ">" or "/>" in <${tag}>`);
        const name = readName(s, pos) ?? fail(`expected an attribute name in <${tag}>`);
        pos += name.length;
        SPACE.lastIndex = pos;
        SPACE.exec(s);
        pos = SPACE.lastIndex;
        if (s[pos] !== '=') fail(`expected "=" after attribute ${name} of <${tag}>`);
        pos += 1;
        SPACE.lastIndex = pos;
        SPACE.exec(s);
        pos = SPACE.lastIndex;
        const quote = s[pos];
        if (quote !== '"' && quote !== "'") fail(`expected a quoted value for attribute ${name} of <${tag}>`);
        const end = s.indexOf(quote!, pos + 1);
        if (end < 0) fail(`unterminated value of attribute ${name} of <${tag}>`);
        const raw = s.slice(pos + 1, end);
        if (raw.includes('<')) fail(`"<" in the value of attribute ${name} of <${tag}>`);
        if (Object.prototype.hasOwnProperty.call(element.attributes, name)) fail(`attribute ${name} repeated in <${tag}>`);
        // Attribute-value normalization: literal tabs and newlines become spaces (character references stay).
        element.attributes[name] = decode(raw.replace(/[\t\n]/g, ' '), fail, pos + 1);
        pos = end + 1;
      }
      const parent = stack[stack.length - 1];
      if (parent === undefined) {
        if (root !== null) fail(`a second root element <${tag}>`);
        root = element;
      } else {
        parent.children.push(element);
      }
      last = null;
      if (selfClosing) last = element;
      else {
        if (stack.length >= maxDepth) fail(`elements nested deeper than ${maxDepth}`);
        stack.push(element);
      }
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.tag}> is not closed`);
  if (root === null) fail('no root element');
  return root!;
}

/** The name that starts at `pos`, or null. */
function readName(s: string, pos: number): string | null {
  NAME.lastIndex = pos;
  const m = NAME.exec(s);
  return m === null ? null : m[0];
}

/** Character data with XML's five entities and character references decoded; anything else refused. */
function decode(raw: string, fail: (what: string, at?: number) => never, at: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&]{0,16});?/g, (whole, name: string, offset: number) => {
    if (!whole.endsWith(';')) return fail(`"&" not followed by an entity or character reference`, at + offset);
    if (Object.prototype.hasOwnProperty.call(PREDEFINED, name)) return PREDEFINED[name]!;
    const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    const code = m === null ? NaN : m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) return fail(`unknown entity or invalid character reference ${describe(whole)}`, at + offset);
    return String.fromCodePoint(code);
  });
}

/** The children of `element` with tag `tag` (ElementTree's `findall(tag)`). */
export function findAll(element: XmlElement, tag: string): XmlElement[] {
  return element.children.filter((c) => c.tag === tag);
}

/** The first child of `element` with tag `tag`, or null (ElementTree's `find(tag)`). */
export function findFirst(element: XmlElement, tag: string): XmlElement | null {
  return element.children.find((c) => c.tag === tag) ?? null;
}

/** Every element under `element`, itself first, in document order (ElementTree's `iter()`), without recursion. */
export function* iterElements(element: XmlElement): Generator<XmlElement> {
  const pending: XmlElement[] = [element];
  while (pending.length > 0) {
    const e = pending.pop()!;
    yield e;
    for (let i = e.children.length - 1; i >= 0; i--) pending.push(e.children[i]!);
  }
}
