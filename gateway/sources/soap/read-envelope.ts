/**
 * Reads a SOAP response envelope into the shape node-soap's own reader produces (local names
 * without prefixes, `attributes`, `$value` for the text of an element with attributes, null for
 * `xsi:nil`, a thrown error with `root` for a Fault), in one pass over the text instead of
 * node-soap's sax-based reader. On the demo's 100-SKU stock answer (25 KB) node-soap's reader took
 * about 1.7 ms and was the largest single cost of a request. A first reader on txml took 0.2 ms but
 * built txml's tree of every element before this shape: under varied traffic that tree was 19% of
 * all the gateway allocated for a page of products (`npm run bench -- --allocations`), so the shape
 * is now built as the text is read. node-soap still reads the WSDL and writes the requests.
 *
 *   client.wsdl.xmlToObject = readEnvelope;
 */
type Node = Record<string, unknown>;

/** The envelope's content (`{ Header?, Body }`); a Fault or a broken envelope throws. */
export function readEnvelope(xml: string): unknown {
  const top = readDocument(xml);
  const root: Node = { [top.name]: top.value };
  const envelope = root.Envelope as Node | undefined;
  if (!envelope) return root;
  const fault = (envelope.Body as Node | undefined)?.Fault as Node | undefined;
  if (fault) {
    const text = (value: unknown) => (value && typeof value === 'object' && '$value' in value ? (value as Node).$value : value);
    const code = text(fault.faultcode) ?? text((fault.Code as Node | undefined)?.Value);
    const reason = text(fault.faultstring) ?? text((fault.Reason as Node | undefined)?.Text);
    // As node-soap does: the error names the fault and carries the whole envelope for the caller.
    throw Object.assign(new Error(`${String(code)}: ${String(reason)}`), { root });
  }
  return envelope;
}

/** Private: an element being read: what it has so far. */
interface Open {
  /** The name as written, which its closing tag must repeat. */
  tag: string;
  name: string;
  nil: boolean;
  attributes?: Node;
  children?: Node;
  /** The children's names seen more than once, whose values are lists. */
  repeated?: Set<string>;
  text: string;
}

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const EQUALS = 61; // =

/**
 * Private: the document's top element, by local name, each element read as node-soap reads it: its
 * text; an object of its children (a name that repeats holds a list); `{ attributes, $value }` or
 * `{ attributes, ...children }` when it has attributes; null when nil. Comments and processing
 * instructions are skipped; CDATA is text as written. It runs over every character of every answer,
 * so it makes nothing it does not keep.
 */
function readDocument(xml: string): { name: string; value: unknown } {
  const open: Open[] = [];
  let at = 0;
  for (;;) {
    const lt = xml.indexOf('<', at);
    const current = open[open.length - 1];
    // Text beside child elements is not kept (node-soap's reader drops it too).
    if (current && !current.children && lt !== at) current.text += decode(xml.slice(at, lt < 0 ? xml.length : lt));
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) at = after(xml, '-->', lt + 4);
      else if (xml.startsWith('<![CDATA[', lt)) {
        at = after(xml, ']]>', lt + 9);
        if (current) current.text += xml.slice(lt + 9, at - 3);
      } else throw new Error('The answer declares a document type, which SOAP does not allow.');
      continue;
    }
    if (next === 63 /* ? */) {
      at = after(xml, '?>', lt + 2);
      continue;
    }
    if (next === SLASH) {
      at = after(xml, '>', lt + 2);
      const tag = xml.slice(lt + 2, at - 1).trim();
      const element = open.pop();
      if (element?.tag !== tag) throw new Error(`The XML is broken: </${tag}> closes ${element ? `<${element.tag}>` : 'nothing'}.`);
      const value = valueOf(element);
      const parent = open[open.length - 1];
      if (!parent) return { name: element.name, value };
      addChild(parent, element.name, value);
      continue;
    }
    const element = openTag(xml, lt);
    at = element.end;
    if (!element.closed) {
      open.push(element.open);
      continue;
    }
    const value = valueOf(element.open);
    const parent = open[open.length - 1];
    if (!parent) return { name: element.open.name, value };
    addChild(parent, element.open.name, value);
  }
  throw new Error(open.length > 0 ? 'The SOAP envelope is cut short.' : 'The answer holds no XML element.');
}

/** Private: the index just past `end`, looked for from `from`; a text without it is cut short. */
function after(xml: string, end: string, from: number): number {
  const found = xml.indexOf(end, from);
  if (found < 0) throw new Error('The SOAP envelope is cut short.');
  return found + end.length;
}

/** Private: the start tag at `lt`, its attributes read as node-soap keeps them (no `xmlns`, no `xsi:`). */
function openTag(xml: string, lt: number): { open: Open; closed: boolean; end: number } {
  let at = lt + 1;
  while (at < xml.length && !isNameEnd(xml.charCodeAt(at))) at += 1;
  const tag = xml.slice(lt + 1, at);
  if (tag === '') throw new Error('The XML is broken: a tag without a name.');
  const open: Open = { tag, name: localName(tag), nil: false, text: '' };
  for (;;) {
    while (isSpace(xml.charCodeAt(at))) at += 1;
    const code = xml.charCodeAt(at);
    if (code === GT) return { open, closed: false, end: at + 1 };
    if (code === SLASH && xml.charCodeAt(at + 1) === GT) return { open, closed: true, end: at + 2 };
    if (at >= xml.length) throw new Error('The SOAP envelope is cut short.');
    const start = at;
    while (at < xml.length && !isNameEnd(xml.charCodeAt(at)) && xml.charCodeAt(at) !== EQUALS) at += 1;
    const name = xml.slice(start, at);
    while (isSpace(xml.charCodeAt(at))) at += 1;
    if (xml.charCodeAt(at) !== EQUALS) throw new Error(`The XML is broken: the attribute ${name} of <${tag}> has no value.`);
    at += 1;
    while (isSpace(xml.charCodeAt(at))) at += 1;
    const quote = xml[at];
    if (quote !== '"' && quote !== "'") throw new Error(`The XML is broken: the value of the attribute ${name} of <${tag}> is not quoted.`);
    const from = at + 1;
    at = after(xml, quote, from);
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const value = xml.slice(from, at - 1);
    const local = localName(name);
    if (local === 'nil' && (value === 'true' || value === '1')) open.nil = true;
    // Attributes are kept by local name: an `xsi:type` would hide a `type` of the contract's own
    // (Workday's `<wd:ID xsi:type="…" wd:type="WID">`), and says nothing the schema does not.
    else if (!name.startsWith('xsi:')) (open.attributes ??= {})[local] = decode(value);
  }
}

/** Private: what an element reads as, once closed. */
function valueOf(element: Open): unknown {
  if (element.nil) return null;
  if (element.children) return element.children;
  const text = element.text.trim();
  return element.attributes ? { attributes: element.attributes, $value: text } : text;
}

/** Private: a child's value under its name; a name met again makes a list. */
function addChild(parent: Open, name: string, value: unknown): void {
  const children = (parent.children ??= parent.attributes ? { attributes: parent.attributes } : {});
  const existing = children[name];
  if (existing === undefined) children[name] = value;
  else if (parent.repeated?.has(name)) (existing as unknown[]).push(value);
  else {
    children[name] = [existing, value];
    (parent.repeated ??= new Set()).add(name);
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

function isNameEnd(code: number): boolean {
  return isSpace(code) || code === GT || code === SLASH;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five named entities and character references. */
export function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, entity: string) =>
    entity[0] === '#'
      ? String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10))
      : NAMED[entity]!);
}
