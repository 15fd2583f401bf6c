/**
 * Reads what node-soap parsed from a WSDL into a small model that a GraphQL schema can be built from:
 * the operations of its SOAP ports (with their SOAP version, style and SOAPAction) and the XSD types they use.
 *
 * node-soap parses real-world WSDLs well, but its `describe()` output loses type names and
 * optionality; this walks node-soap's element tree instead, so that `tns:StockLevel` stays `StockLevel`.
 */
import { readBindings, type HeaderElement } from './wsdl-bindings.js';
import { camel, pascal } from './xml-names.js';
import { createTypeReader, type SchemaSet, type Scope, type XsdNode } from './xsd-reader.js';

type TypeReader = ReturnType<typeof createTypeReader>;

/** `JSON` holds XML that no GraphQL type describes, as read-envelope.ts reads it. */
export type ScalarName = 'String' | 'Boolean' | 'Int' | 'Float' | 'JSON';

export interface FieldModel {
  /** The XML element (or attribute) name, as sent and received. */
  xmlName: string;
  /** The GraphQL field (or argument) name: camelCased, and told apart from its type's other fields. */
  name: string;
  /**
   * Where the value is in the XML: a child element, an attribute, the element's own text (simple
   * content), or the children or attributes the schema leaves open (`xsd:any`, `anyAttribute`).
   */
  node: 'element' | 'attribute' | 'text' | 'otherElements' | 'otherAttributes';
  /**
   * A qualified attribute's namespace (a global attribute, or `attributeFormDefault="qualified"`),
   * and the prefix the WSDL gives it (`wd:type`), which node-soap declares on the envelope; where
   * it gives none (a namespace only an imported XSD names), the attribute declares its own.
   */
  namespace?: string;
  prefix?: string;
  /** A scalar name, or the name of a complex type in `ServiceModel.types`. */
  type: string;
  isScalar: boolean;
  /** A scalar whose values are an XSD enumeration: `type` names it in `ServiceModel.enums`. */
  isEnum?: boolean;
  /** JSON standing for a complex type without content (a marker): an empty element reads as `{}`. */
  isEmptyType?: boolean;
  isList: boolean;
  isRequired: boolean;
}

export interface TypeModel {
  name: string;
  fields: FieldModel[];
}

export interface OperationModel {
  name: string;
  soapAction: string;
  style: 'document' | 'rpc';
  input: FieldModel[];
  output: FieldModel[];
  /** Where it is called: the service and port of the WSDL, and the SOAP version of the port's binding. */
  service: string;
  port: string;
  soapVersion: '1.1' | '1.2';
  /** The port's `soap:address`. */
  location?: string;
  /** The SOAP headers its binding declares for its input. */
  headers: HeaderElement[];
}

export interface ServiceModel {
  operations: OperationModel[];
  types: Map<string, TypeModel>;
  /** XSD enumerations, by GraphQL name: their values as the XML has them. */
  enums: Map<string, string[]>;
}

interface Definitions extends SchemaSet {
  services: Record<string, { ports: Record<string, { location: string; binding: Binding }> }>;
}

interface Binding {
  style: string;
  /** A document-style message is its wrapper element; an rpc-style one is a message with `parts`. */
  methods: Record<string, { style?: string; soapAction?: string; input?: XsdNode & { parts?: Record<string, string | XsdNode> }; output?: XsdNode & { parts?: Record<string, string | XsdNode> } }>;
}

/**
 * Builds the model of a parsed WSDL (`client.wsdl` from node-soap): the operations of every SOAP port,
 * one port per portType (ports of one portType, such as a SOAP 1.1 and a SOAP 1.2 binding of the same
 * operations, offer the same calls: the first in the WSDL is used), with the XSD types they use.
 */
export function readServiceModel(wsdl: { definitions: unknown }, wsdlXml: string): ServiceModel {
  const definitions = wsdl.definitions as Definitions;
  const seen = new Set<string>();
  const ports = readBindings(wsdlXml).ports.filter((port) => {
    if (seen.has(port.portType) || !definitions.services[port.service]?.ports[port.port]) return false;
    seen.add(port.portType);
    return true;
  });
  if (ports.length === 0) throw new Error('the WSDL declares no <service> with a SOAP port');
  const types = new Map<string, TypeModel>();
  const enums = new Map<string, string[]>();
  const reader = createTypeReader(definitions, types, enums);
  const operations = ports.flatMap((port) => {
    const { binding } = definitions.services[port.service]!.ports[port.port]!;
    return Object.entries(binding.methods).map(([name, method]): OperationModel => {
      const declared = port.operations.get(name);
      return {
        name,
        soapAction: declared?.soapAction ?? method.soapAction ?? '',
        style: declared?.style ?? ((method.style ?? binding.style) === 'rpc' ? 'rpc' : 'document'),
        input: messageFields(reader, definitions, method.input, `${name}Input`),
        output: messageFields(reader, definitions, method.output, `${name}Output`),
        service: port.service,
        port: port.port,
        soapVersion: port.soapVersion,
        ...(port.location ? { location: port.location } : {}),
        headers: (declared?.headers ?? []).map((header) => ({ ...header, qualifiedChildren: definitions.schemas[header.namespace]?.$elementFormDefault === 'qualified' })),
      };
    });
  });
  settle(operations, types);
  return { operations, types, enums };
}

type Message = XsdNode & { parts?: Record<string, string | XsdNode> };
const TOP: Omit<Scope, 'namespace'> = { optional: false, list: false };

/**
 * Private: the fields of a message: the children (and attributes) of a document/literal wrapper
 * element (`GetStockLevelsRequest` → `Sku[]`), or the parts of an rpc-style message.
 */
function messageFields(reader: TypeReader, definitions: SchemaSet, message: Message | undefined, fallbackName: string): FieldModel[] {
  if (!message) return [];
  if (message.name !== 'element') {
    // node-soap gives an rpc part of a built-in type as its QName, and one of a complex type as that type.
    return Object.entries(message.parts ?? {}).map(([xmlName, part]): FieldModel => (typeof part === 'string'
      ? reader.elementField({ name: 'element', children: [], $name: xmlName, $type: part, definitionsXmlns: message.definitionsXmlns }, fallbackName, { namespace: '', ...TOP })
      : { xmlName, name: camel(xmlName), node: 'element', type: reader.declare(part.$name ? reader.typeName(part.$name) : `${fallbackName}${pascal(xmlName)}`, part, ''), isScalar: false, isList: false, isRequired: false }));
  }
  const namespace = message.$targetNamespace
    ?? Object.keys(definitions.schemas).find((candidate) => definitions.schemas[candidate]!.elements[message.$name ?? ''] === message) ?? '';
  if (message.$type) {
    const found = reader.findGlobal(message, message.$type, ['complexTypes']);
    return found ? reader.collect(found.node, reader.typeName(found.local), { namespace: found.namespace, ...TOP }) : [];
  }
  return reader.collect(message, message.$name ? pascal(message.$name) : fallbackName, { namespace, ...TOP });
}

/**
 * Private: the last look at the model, once every type is read. GraphQL has no object without
 * fields, so a complex type without content (Workday's empty `*_Request_CriteriaType`, a marker) is
 * carried as JSON wherever it is used, and left out; an element met twice in one type (in two
 * branches of a choice, or twice in a sequence) is one field, a list, and an attribute or an
 * `xsd:any` met twice (a base's and its extension's) is one field; and no two fields of a type share
 * a GraphQL name.
 */
function settle(operations: OperationModel[], types: Map<string, TypeModel>): void {
  const empty = new Set([...types.values()].filter((type) => type.fields.length === 0).map((type) => type.name));
  const fix = (fields: FieldModel[]): FieldModel[] => {
    const kept = new Map<string, FieldModel>();
    for (const field of fields) {
      const key = `${field.node} ${field.xmlName}`;
      const first = kept.get(key);
      if (!first) kept.set(key, field);
      else if (field.node === 'element') Object.assign(first, { isList: true, isRequired: false });
    }
    const names = new Set<string>();
    return [...kept.values()].map((field) => {
      let name = names.has(field.name) && field.node === 'attribute' ? `${field.name}Attribute` : field.name;
      for (let n = 2; names.has(name); n += 1) name = `${field.name}${n}`;
      names.add(name);
      const json = !field.isScalar && empty.has(field.type) ? { type: 'JSON', isScalar: true, isEmptyType: true } : {};
      return { ...field, ...json, name };
    });
  };
  for (const type of types.values()) type.fields = fix(type.fields);
  for (const name of empty) types.delete(name);
  for (const operation of operations) {
    operation.input = fix(operation.input);
    operation.output = fix(operation.output);
  }
}

