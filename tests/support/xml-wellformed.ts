/** An element of a parsed XML document. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const isNameChar = (ch: string) => /[A-Za-z0-9_.:-]/.test(ch);

/**
 * A small strict XML parser for tests of generated XML (no DTD, comments or CDATA): throws on
 * unbalanced or misnamed tags, stray `<`/`&`, bad entities, characters XML forbids, or several roots.
 */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at ${i}: ${why}`);
  };
  const illegal = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/.exec(source);
  if (illegal) fail(`character U+${illegal[0].charCodeAt(0).toString(16)} is not allowed`);
  const decode = (raw: string): string => {
    let out = '';
    for (let j = 0; j < raw.length; j++) {
      const ch = raw[j]!;
      if (ch === '<') fail('"<" in text or attribute');
      if (ch !== '&') {
        out += ch;
        continue;
      }
      const end = raw.indexOf(';', j);
      if (end < 0) fail('"&" without ";"');
      const ref = raw.slice(j + 1, end);
      if (ref.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
      else if (ref.startsWith('#')) out += String.fromCodePoint(Number(ref.slice(1)));
      else if (ref in ENTITIES) out += ENTITIES[ref];
      else fail(`unknown entity &${ref};`);
      j = end;
    }
    return out;
  };
  const skipSpace = () => {
    while (i < source.length && ' \t\r\n'.includes(source[i]!)) i++;
  };
  const name = (): string => {
    const start = i;
    while (i < source.length && isNameChar(source[i]!)) i++;
    if (i === start) fail('expected a name');
    return source.slice(start, i);
  };
  if (source.startsWith('<?xml')) {
    i = source.indexOf('?>');
    if (i < 0) fail('unterminated XML declaration');
    i += 2;
  }
  const element = (): XmlElement => {
    if (source[i] !== '<') fail('expected "<"');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      const key = name();
      if (key in el.attrs) fail(`duplicate attribute ${key}`);
      if (source[i] !== '=') fail('expected "="');
      const quote = source[++i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = source.indexOf(quote!, ++i);
      if (end < 0) fail('unterminated attribute');
      el.attrs[key] = decode(source.slice(i, end));
      i = end + 1;
    }
    for (;;) {
      const lt = source.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(source.slice(i, lt));
      i = lt;
      if (source.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        if (source[i++] !== '>') fail('expected ">"');
        return el;
      }
      el.children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== source.length) fail('content after the root element');
  return root;
}
