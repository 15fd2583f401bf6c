/**
 * Values between GraphQL and the XML of a SOAP call, field by field as the model says
 * (wsdl-model.ts): what node-soap should write for GraphQL arguments (`toXml`), and what a field
 * answers from an element as read-envelope.ts read it (`readField`).
 *
 * An element reads as its text; as `{ attributes, $value }` when it has attributes and text; as
 * `{ attributes?, ...children }` when it has children; as null when nil. node-soap writes the same
 * shape: `attributes` become the element's attributes and `$value` its text.
 */
import type { FieldModel, ScalarName, ServiceModel } from './wsdl-model.js';

type Element = Record<string, unknown>;

const OWN_PREFIX = 'sba';

/** GraphQL arguments (or an input object) as the object node-soap writes, in the XML names the upstream expects. */
export function toXml(model: ServiceModel, fields: FieldModel[], value: Record<string, unknown>): Element {
  const xml: Element = {};
  const attributes: Record<string, string> = {};
  for (const field of fields) {
    const item = value[field.name];
    if (item === undefined || item === null) continue;
    if (field.node === 'attribute') {
      // node-soap writes attribute names as given: a qualified one takes the prefix the envelope
      // declares for its namespace, or declares its own.
      if (field.namespace && !field.prefix) attributes[`xmlns:${OWN_PREFIX}`] = field.namespace;
      attributes[field.namespace ? `${field.prefix ?? OWN_PREFIX}:${field.xmlName}` : field.xmlName] = String(item);
    } else if (field.node === 'text') xml.$value = String(item);
    else if (field.node === 'otherAttributes') Object.assign(attributes, asObject(item));
    else if (field.node === 'otherElements') Object.assign(xml, asObject(item));
    else {
      const convert = (one: unknown) => (field.isScalar ? one : toXml(model, model.types.get(field.type)!.fields, one as Record<string, unknown>));
      xml[field.xmlName] = Array.isArray(item) ? item.map(convert) : convert(item);
    }
  }
  if (Object.keys(attributes).length > 0) xml.attributes = attributes;
  return xml;
}

/**
 * A field's value in an element as read-envelope.ts read it (`parent`), shaped the way the schema
 * promises. `fields` are the parent type's, for telling the children and attributes the contract
 * leaves open (`xsd:any`, `anyAttribute`) from those it names.
 */
export function readField(field: FieldModel, parent: unknown, fields: readonly FieldModel[]): unknown {
  const element = parent !== null && typeof parent === 'object' ? (parent as Element) : undefined;
  switch (field.node) {
    case 'attribute':
      return readValue(field, (element?.attributes as Element | undefined)?.[field.xmlName]);
    case 'text': {
      const text = typeof parent === 'string' ? parent : element?.$value;
      // An ID's attributes without its text: no number, no boolean.
      return text === '' && field.type !== 'String' ? null : readValue(field, text);
    }
    case 'otherElements':
      return others(element, (name) => name !== 'attributes' && name !== '$value', fields, 'element');
    case 'otherAttributes':
      return others(element?.attributes as Element | undefined, () => true, fields, 'attribute');
    default:
      return readValue(field, element?.[field.xmlName]);
  }
}

/**
 * Private: one value as node-soap parsed it. A lone element of a repeated field comes as an object
 * rather than a one-item array, and numbers and booleans as text.
 */
function readValue(field: FieldModel, raw: unknown): unknown {
  if (field.isList) {
    if (raw === undefined || raw === null) return [];
    return (Array.isArray(raw) ? raw : [raw]).map((item) => readOne(field, item));
  }
  return raw === undefined || raw === null ? null : readOne(field, raw);
}

function readOne(field: FieldModel, raw: unknown): unknown {
  if (!field.isScalar) return raw;
  // A marker (a complex type without content) is an object, even when it comes as an empty element.
  if (field.type === 'JSON') return field.isEmptyType && raw === '' ? {} : raw;
  const text = typeof raw === 'object' && raw !== null && '$value' in raw ? (raw as { $value: unknown }).$value : raw;
  if (field.isEnum) return text;
  switch (field.type as ScalarName) {
    case 'Boolean':
      return text === true || text === 'true' || text === '1';
    case 'Int':
    case 'Float':
      return typeof text === 'number' ? text : Number(text);
    default:
      return typeof text === 'string' ? text : String(text);
  }
}

/** Private: the entries of `from` that no field of `kind` names, or null when there are none. */
function others(from: Element | undefined, candidate: (name: string) => boolean, fields: readonly FieldModel[], kind: FieldModel['node']): Element | null {
  const named = new Set(fields.filter((field) => field.node === kind).map((field) => field.xmlName));
  const rest = Object.entries(from ?? {}).filter(([name]) => candidate(name) && !named.has(name));
  return rest.length > 0 ? Object.fromEntries(rest) : null;
}

function asObject(value: unknown): Element {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Element) : {};
}
