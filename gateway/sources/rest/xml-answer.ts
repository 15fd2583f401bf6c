/**
 * A REST answer in XML, read into the value its JSON twin would be, by the operation's schema
 * (OpenAPI's Schema and XML objects): each property from the child element, or with `xml.attribute`
 * the attribute, of its name (`xml.name`, else the property's); arrays from repeated elements, or from
 * the children of a wrapper element with `xml.wrapped`; numbers and booleans by the schema's `type`.
 * Names are matched without their namespace prefix. On txml, as SOAP envelopes are read.
 *
 * Writers disagree where the contract is vague, and the reader takes both readings: a property that
 * refers to a schema with its own `xml.name` (Petstore's `category` → `Category`) is found under either
 * name, and so is a wrapped array's wrapper (`xml.name`, or the property's name as the Petstore writes
 * `<photoUrls><photoUrl>…`), whose children are the items whatever they are named.
 *
 *   readXmlAnswer('<Pet><id>7</id><photoUrls><photoUrl>a.png</photoUrl></photoUrls></Pet>', petSchema);
 *   // { id: 7, photoUrls: ['a.png'] }
 */
import { parse, type TNode } from 'txml/txml';
import { isObject } from '../../compose/openapi-names.js';
import { decode, localName } from '../soap/read-envelope.js';

type Schema = Record<string, unknown>;
interface XmlObject { name?: string; attribute?: boolean; wrapped?: boolean }

/** The value of an XML answer; a document that does not read, or a value its type cannot take, throws. */
export function readXmlAnswer(xml: string, schema: Schema | undefined): unknown {
  // No HTML habits: an element named input, link or meta has children like any other.
  const top = parse(xml, { noChildNodes: [] }).find((node): node is TNode => typeof node === 'object' && !node.tagName.startsWith('?') && !node.tagName.startsWith('!'));
  if (!top) throw new Error('The answer holds no XML element.');
  // txml reads a document cut short as far as it goes: a whole one ends with its root's closing tag.
  const end = xml.trimEnd();
  if (!end.endsWith(`</${top.tagName}>`) && !end.endsWith('/>')) throw new Error('The XML answer is cut short.');
  if (schema && typeOf(schema) === 'array') return elementsOf(top).map((item) => readValue(item, itemsOf(schema)));
  return readValue(top, schema);
}

/** Private: an element as the value of `schema`: an object, an array's items, or a scalar. */
function readValue(node: TNode, schema: Schema | undefined): unknown {
  if (isNil(node)) return null;
  const type = schema ? typeOf(schema) : undefined;
  if (type === 'object') return readObject(node, schema!);
  if (type === 'array') return elementsOf(node).map((item) => readValue(item, itemsOf(schema!)));
  if (type === undefined && elementsOf(node).length > 0) return readAny(node);
  return scalar(textOf(node), type);
}

/** Private: an object's declared properties; a map (`additionalProperties` alone) takes every child by name. */
function readObject(node: TNode, schema: Schema): Record<string, unknown> {
  const properties = propertiesOf(schema);
  const value: Record<string, unknown> = {};
  if (properties.size === 0) {
    const entries = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    for (const child of elementsOf(node)) value[localName(child.tagName)] = readValue(child, entries);
    return value;
  }
  const children = byName(node);
  for (const [property, propertySchema] of properties) {
    const xml = xmlOf(propertySchema);
    const names = [xml.name, property].filter((name): name is string => Boolean(name));
    if (xml.attribute) {
      const text = attributeOf(node, names);
      // An upstream that writes the attribute as a child element instead is read all the same.
      const child = text === undefined ? names.map((name) => children.get(name)?.[0]).find(Boolean) : undefined;
      if (text !== undefined) value[property] = scalar(text, typeOf(propertySchema));
      else if (child) value[property] = readValue(child, propertySchema);
    } else if (typeOf(propertySchema) === 'array') {
      const items = readArray(children, names, propertySchema);
      if (items !== undefined) value[property] = items;
    } else {
      const child = names.map((name) => children.get(name)?.[0]).find(Boolean);
      if (child) value[property] = readValue(child, propertySchema);
    }
  }
  return value;
}

/**
 * Private: an array property: the children of its wrapper with `xml.wrapped`, else the elements named
 * for its items (their `xml.name`) or for the property; undefined when the answer has none.
 */
function readArray(children: Map<string, TNode[]>, names: string[], schema: Schema): unknown[] | undefined {
  const items = itemsOf(schema);
  if (xmlOf(schema).wrapped) {
    const wrapper = names.map((name) => children.get(name)?.[0]).find(Boolean);
    return wrapper && (isNil(wrapper) ? undefined : elementsOf(wrapper).map((item) => readValue(item, items)));
  }
  const itemName = items ? xmlOf(items).name : undefined;
  const found = [itemName, ...names].map((name) => (name ? children.get(name) : undefined)).find(Boolean);
  return found?.map((item) => readValue(item, items));
}

/** Private: an element read without a schema: its text, or an object of its children (repeated ones as a list). */
function readAny(node: TNode): unknown {
  const elements = elementsOf(node);
  if (elements.length === 0) return isNil(node) ? null : textOf(node);
  const value: Record<string, unknown> = {};
  for (const [name, nodes] of byName(node)) value[name] = nodes.length === 1 ? readAny(nodes[0]!) : nodes.map(readAny);
  return value;
}

/** Private: a text as the JSON value of a scalar type; empty is null for all but strings. */
function scalar(text: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    const number = Number(trimmed);
    if (!Number.isFinite(number)) throw new Error(`"${trimmed}" is not a number.`);
    // JSON would lose the digits of a wider integer; as text, a BigInt or String field keeps them.
    return type === 'integer' && !Number.isSafeInteger(number) && /^-?\d+$/.test(trimmed) ? trimmed : number;
  }
  if (type === 'boolean') {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    if (trimmed === 'true' || trimmed === '1') return true;
    if (trimmed === 'false' || trimmed === '0') return false;
    throw new Error(`"${trimmed}" is not a boolean.`);
  }
  return text;
}

/** Private: a schema's type (OpenAPI 3.1 may list it with null); an untyped one with properties is an object. */
function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((each) => each !== 'null') : schema.type;
  if (typeof type === 'string') return type;
  if (propertiesOf(schema).size > 0 || isObject(schema.additionalProperties)) return 'object';
  if (isObject(schema.items)) return 'array';
  return undefined;
}

/** Private: the properties of a schema and of its allOf, oneOf and anyOf parts (an answer has those of one of them). */
function propertiesOf(schema: Schema, depth = 0): Map<string, Schema> {
  const found = new Map<string, Schema>();
  if (depth > 10) return found;
  for (const part of ['allOf', 'oneOf', 'anyOf'].flatMap((key) => (Array.isArray(schema[key]) ? schema[key] as unknown[] : []))) {
    if (isObject(part)) for (const [name, property] of propertiesOf(part, depth + 1)) found.set(name, property);
  }
  if (isObject(schema.properties)) for (const [name, property] of Object.entries(schema.properties)) if (isObject(property)) found.set(name, property);
  return found;
}

function itemsOf(schema: Schema): Schema | undefined {
  return isObject(schema.items) ? schema.items : undefined;
}

function xmlOf(schema: Schema): XmlObject {
  return isObject(schema.xml) ? schema.xml as XmlObject : {};
}

/** Private: the child elements of an element, by local name. */
function byName(node: TNode): Map<string, TNode[]> {
  const children = new Map<string, TNode[]>();
  for (const child of elementsOf(node)) {
    const name = localName(child.tagName);
    const same = children.get(name);
    if (same) same.push(child);
    else children.set(name, [child]);
  }
  return children;
}

function elementsOf(node: TNode): TNode[] {
  return node.children.filter((child): child is TNode => typeof child === 'object');
}

function textOf(node: TNode): string {
  return decode(node.children.filter((child): child is string => typeof child === 'string').join(''));
}

/** Private: the first of `names` that the element has as an attribute (without prefix), decoded. */
function attributeOf(node: TNode, names: string[]): string | undefined {
  for (const name of names) {
    for (const [attribute, value] of Object.entries(node.attributes)) {
      if (localName(attribute) === name && attribute !== 'xmlns' && !attribute.startsWith('xmlns:')) return value === null ? '' : decode(value);
    }
  }
  return undefined;
}

/** Private: `xsi:nil="true"`. */
function isNil(node: TNode): boolean {
  return Object.entries(node.attributes).some(([name, value]) => localName(name) === 'nil' && (value === 'true' || value === '1'));
}
