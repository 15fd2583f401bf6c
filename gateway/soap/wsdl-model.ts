/**
 * Reads what node-soap parsed from a WSDL into a small model that a GraphQL schema can be built from:
 * the operations of its SOAP ports (with their SOAP version, style and SOAPAction) and the XSD types they use.
 *
 * node-soap parses real-world WSDLs well, but its `describe()` output loses type names and
 * optionality; this walks node-soap's element tree instead, so that `tns:StockLevel` stays `StockLevel`.
 */
import { readBindings, type HeaderElement } from './wsdl-bindings.js';

/** XSD built-in types, by local name, mapped to the GraphQL scalar that carries them without loss. */
const XSD_SCALARS: Record<string, ScalarName> = {
  string: 'String', normalizedString: 'String', token: 'String', anyURI: 'String', QName: 'String',
  language: 'String', Name: 'String', NCName: 'String', ID: 'String', IDREF: 'String',
  date: 'String', dateTime: 'String', time: 'String', duration: 'String',
  base64Binary: 'String', hexBinary: 'String',
  boolean: 'Boolean',
  int: 'Int', short: 'Int', byte: 'Int', unsignedShort: 'Int', unsignedByte: 'Int',
  float: 'Float', double: 'Float',
  // Wider than GraphQL's 32-bit Int or exact decimals: carried as strings so no digit is lost.
  long: 'String', integer: 'String', decimal: 'String', unsignedInt: 'String', unsignedLong: 'String',
  nonNegativeInteger: 'String', positiveInteger: 'String', nonPositiveInteger: 'String', negativeInteger: 'String',
};

export type ScalarName = 'String' | 'Boolean' | 'Int' | 'Float';

export interface FieldModel {
  /** The XML element (or attribute) name, as sent and received. */
  xmlName: string;
  /** A scalar name, or the name of a complex type in `ServiceModel.types`. */
  type: string;
  isScalar: boolean;
  /** A scalar whose values are an XSD enumeration: `type` names it in `ServiceModel.enums`. */
  isEnum?: boolean;
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

// node-soap's element tree is untyped; this is the part of it read here.
interface XsdNode {
  name: string;
  children: XsdNode[];
  xmlns?: Record<string, string>;
  schemaXmlns?: Record<string, string>;
  definitionsXmlns?: Record<string, string>;
  $name?: string;
  $type?: string;
  $ref?: string;
  $base?: string;
  $value?: string;
  $minOccurs?: string;
  $maxOccurs?: string;
  $use?: string;
}

interface Definitions {
  xmlns: Record<string, string>;
  schemas: Record<string, { complexTypes: Record<string, XsdNode>; types: Record<string, XsdNode>; elements: Record<string, XsdNode>; xmlns: Record<string, string>; $elementFormDefault?: string }>;
  services: Record<string, { ports: Record<string, { location: string; binding: Binding }> }>;
}

interface Binding {
  style: string;
  /** A document-style message is its wrapper element; an rpc-style one is a message with `parts`. */
  methods: Record<string, { style?: string; soapAction?: string; input?: XsdNode & { parts?: Record<string, string | XsdNode> }; output?: XsdNode & { parts?: Record<string, string | XsdNode> } }>;
}

const XSD_NAMESPACES = new Set(['http://www.w3.org/2001/XMLSchema', 'http://www.w3.org/1999/XMLSchema']);

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
        input: reader.messageFields(method.input, `${name}Input`),
        output: reader.messageFields(method.output, `${name}Output`),
        service: port.service,
        port: port.port,
        soapVersion: port.soapVersion,
        ...(port.location ? { location: port.location } : {}),
        headers: (declared?.headers ?? []).map((header) => ({ ...header, qualifiedChildren: definitions.schemas[header.namespace]?.$elementFormDefault === 'qualified' })),
      };
    });
  });
  return { operations, types, enums };
}

function createTypeReader(definitions: Definitions, types: Map<string, TypeModel>, enums: Map<string, string[]>) {
  const splitQName = (qname: string) => {
    const at = qname.indexOf(':');
    return at < 0 ? { prefix: '', local: qname } : { prefix: qname.slice(0, at), local: qname.slice(at + 1) };
  };
  const namespaceOf = (node: XsdNode, prefix: string): string | undefined =>
    node.xmlns?.[prefix] ?? node.schemaXmlns?.[prefix] ?? node.definitionsXmlns?.[prefix] ?? definitions.xmlns[prefix];

  /** Private: finds a named complex or simple type, by namespace when known, else by name anywhere. */
  const findType = (node: XsdNode, qname: string) => {
    const { prefix, local } = splitQName(qname);
    const namespace = namespaceOf(node, prefix);
    const schemas = namespace && definitions.schemas[namespace] ? [definitions.schemas[namespace]!] : Object.values(definitions.schemas);
    for (const schema of schemas) {
      if (schema.complexTypes[local]) return { kind: 'complex' as const, node: schema.complexTypes[local]!, local };
      if (schema.types[local]) return { kind: 'simple' as const, node: schema.types[local]!, local };
    }
    return undefined;
  };

  const scalarOf = (node: XsdNode, qname: string): ScalarName | undefined => {
    const { prefix, local } = splitQName(qname);
    const namespace = namespaceOf(node, prefix);
    if (namespace && !XSD_NAMESPACES.has(namespace)) return undefined;
    return XSD_SCALARS[local];
  };

  /**
   * Private: a simple type is carried as the scalar of the built-in it restricts, or, when it lists
   * its values (an enumeration of names GraphQL can spell), as an enum named after it.
   */
  const simpleTypeOf = (node: XsdNode, name: string): Pick<FieldModel, 'type' | 'isScalar' | 'isEnum'> => {
    const restriction = node.children.find((child) => child.name === 'restriction');
    const values = restriction?.children.filter((child) => child.name === 'enumeration').map((child) => String(child.$value ?? '')) ?? [];
    if (values.length > 0 && values.every((value) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) && !['true', 'false', 'null'].includes(value))) {
      const enumName = pascal(name);
      enums.set(enumName, values);
      return { type: enumName, isScalar: true, isEnum: true };
    }
    if (!restriction?.$base) return { type: 'String', isScalar: true };
    return { type: scalarOf(restriction, restriction.$base) ?? 'String', isScalar: true };
  };

  const fieldOf = (element: XsdNode, parentName: string): FieldModel => {
    const xmlName = element.$name ?? splitQName(element.$ref ?? '').local;
    const isList = element.$maxOccurs === 'unbounded' || Number(element.$maxOccurs ?? '1') > 1;
    const isRequired = element.name !== 'attribute' ? (element.$minOccurs ?? '1') !== '0' : element.$use === 'required';
    const base = { xmlName, isList, isRequired };
    if (element.$type) {
      const scalar = scalarOf(element, element.$type);
      if (scalar) return { ...base, type: scalar, isScalar: true };
      const found = findType(element, element.$type);
      if (found?.kind === 'complex') return { ...base, type: declare(found.local, found.node), isScalar: false };
      if (found?.kind === 'simple') return { ...base, ...simpleTypeOf(found.node, found.local) };
      return { ...base, type: 'String', isScalar: true };
    }
    const inline = element.children.find((child) => child.name === 'complexType');
    if (inline) return { ...base, type: declare(`${parentName}${pascal(xmlName)}`, inline), isScalar: false };
    const simple = element.children.find((child) => child.name === 'simpleType');
    return { ...base, ...(simple ? simpleTypeOf(simple, `${parentName}${pascal(xmlName)}`) : { type: 'String', isScalar: true }) };
  };

  /** Private: the fields of a complex type: its particles, attributes and, for an extension, its base's. */
  const collect = (node: XsdNode, ownerName: string): FieldModel[] => {
    const fields: FieldModel[] = [];
    for (const child of node.children) {
      if (child.name === 'element' || child.name === 'attribute') fields.push(fieldOf(child, ownerName));
      else if (child.name === 'extension' && child.$base) {
        const base = findType(child, child.$base);
        if (base?.kind === 'complex') fields.push(...collect(base.node, base.local));
        fields.push(...collect(child, ownerName));
      } else if (['sequence', 'all', 'choice', 'complexContent', 'complexType', 'group'].includes(child.name)) {
        fields.push(...collect(child, ownerName));
      }
    }
    return fields;
  };

  /** Private: registers a complex type once (recursion-safe) and returns its GraphQL name. */
  const declare = (xsdName: string, node: XsdNode): string => {
    const name = pascal(xsdName);
    if (types.has(name)) return name;
    const model: TypeModel = { name, fields: [] };
    types.set(name, model);
    model.fields = collect(node, name);
    return name;
  };

  return {
    /**
     * The fields of a message: the children of a document/literal wrapper element
     * (`GetStockLevelsRequest` → `Sku[]`), or the parts of an rpc-style message.
     */
    messageFields(message: (XsdNode & { parts?: Record<string, string | XsdNode> }) | undefined, fallbackName: string): FieldModel[] {
      if (!message) return [];
      if (message.name !== 'element') {
        // node-soap gives an rpc part of a built-in type as its QName, and one of a complex type as that type.
        return Object.entries(message.parts ?? {}).map(([xmlName, part]): FieldModel => (typeof part === 'string'
          ? fieldOf({ name: 'element', children: [], $name: xmlName, $type: part, definitionsXmlns: message.definitionsXmlns }, fallbackName)
          : { xmlName, type: declare(part.$name ?? `${fallbackName}${pascal(xmlName)}`, part), isScalar: false, isList: false, isRequired: false }));
      }
      if (message.$type) {
        const found = findType(message, message.$type);
        return found?.kind === 'complex' ? collect(found.node, pascal(found.local)) : [];
      }
      return collect(message, message.$name ? pascal(message.$name) : fallbackName);
    },
  };
}

export function pascal(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

export function camel(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  // `SKU` → `sku`, `Sku` → `sku`, `URLPath` → `urlPath`
  const leadingCaps = /^[A-Z]+(?=[A-Z][a-z]|$|[^A-Za-z])/.exec(cleaned)?.[0] ?? cleaned.charAt(0);
  return leadingCaps.toLowerCase() + cleaned.slice(leadingCaps.length);
}
