/**
 * Reads a SOAP response envelope into the shape node-soap's own reader produces (local names
 * without prefixes, `attributes`, `$value` for the text of an element with attributes, null for
 * `xsi:nil`, a thrown error with `root` for a Fault), on txml's tokenizer instead of node-soap's
 * sax-based reader. On the demo's 100-SKU stock answer (25 KB) node-soap's reader took about 1.7 ms
 * and was the largest single cost of a request; this takes about 0.2 ms (bench/results.md). node-soap
 * still reads the WSDL and writes the requests.
 *
 * The last envelopes read are remembered by their text (remember-by-text.ts): requests that shared
 * one upstream call read its answer once.
 *
 *   client.wsdl.xmlToObject = readEnvelope;
 */
import { parse, type TNode } from 'txml/txml';
import { rememberByText } from '../remember-by-text.js';

type Node = Record<string, unknown>;

export const readEnvelope = rememberByText(readNew, 16);

/** Private: an envelope read for the first time; a Fault or a broken envelope throws. */
function readNew(xml: string): unknown {
  // txml reads a document cut short as far as it goes; an envelope must end with its own closing tag.
  if (/<([\w.-]+:)?Envelope[\s>]/.test(xml.slice(0, 512)) && !xml.trimEnd().endsWith('Envelope>')) {
    throw new Error('The SOAP envelope is cut short.');
  }
  // No HTML habits: an element named input, link or meta has children like any other.
  const top = parse(xml, { noChildNodes: [] }).find((node): node is TNode => typeof node === 'object' && !node.tagName.startsWith('?'));
  if (!top) throw new Error('The answer holds no XML element.');
  const root: Node = { [localName(top.tagName)]: readElement(top) };
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

/**
 * Private: an element as node-soap reads it: text, an object of children, or null when nil. It runs
 * for every element of every answer (some 800 in a 100-SKU stock answer), so it makes nothing it
 * does not keep: no list of attributes, a set of repeated names only where a name repeats.
 */
function readElement(node: TNode): unknown {
  let attributes: Node | undefined;
  for (const name in node.attributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const value = node.attributes[name];
    const local = localName(name);
    if (local === 'nil' && (value === 'true' || value === '1')) return null;
    // Attributes are kept by local name: an `xsi:type` would hide a `type` of the contract's own
    // (Workday's `<wd:ID xsi:type="…" wd:type="WID">`), and says nothing the schema does not.
    if (name.startsWith('xsi:')) continue;
    (attributes ??= {})[local] = value === null || value === undefined ? '' : decode(value);
  }
  const { children: nodes } = node;
  if (nodes.length === 1 && typeof nodes[0] === 'string') {
    const value = decode(nodes[0].trim());
    return attributes ? { attributes, $value: value } : value;
  }
  let text = '';
  let children: Node | undefined;
  let repeated: Set<string> | undefined;
  for (const child of nodes) {
    if (typeof child === 'string') {
      text += child;
      continue;
    }
    children ??= {};
    const key = localName(child.tagName);
    const value = readElement(child);
    const existing = children[key];
    if (existing === undefined) children[key] = value;
    else if (repeated?.has(key)) (existing as unknown[]).push(value);
    else {
      children[key] = [existing, value];
      (repeated ??= new Set()).add(key);
    }
  }
  if (children) return attributes ? { attributes, ...children } : children;
  const value = decode(text.trim());
  return attributes ? { attributes, $value: value } : value;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five named entities and character references (txml leaves them as written). */
export function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, entity: string) =>
    entity[0] === '#'
      ? String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10))
      : NAMED[entity]!);
}
