/**
 * Reads the XSD types of a WSDL, as node-soap parsed them, into fields a GraphQL schema is built from.
 * Each complex type is read once (recursion-safe) into `types`; each enumeration into `enums`.
 *
 * Where XSD says more than GraphQL can, the shape is kept and the rest is carried as JSON:
 * - `simpleContent` (an ID's text with its `wd:type`): a `value` field for the text, one per attribute;
 * - `choice`: each alternative an optional field, lists when the choice repeats;
 * - `group` and `attributeGroup` references: their particles and attributes, inlined;
 * - `xsd:any` and `anyAttribute`: one JSON field each, for what the contract leaves open;
 * - `anyType` (and an element with no type at all): JSON; `anySimpleType`: String.
 * A complex type with no fields at all is turned into JSON by the model (wsdl-model.ts), since a
 * GraphQL object needs at least one field.
 */
import type { FieldModel, ScalarName, TypeModel } from './wsdl-model.js';
import { camel, pascal } from './xml-names.js';

/** XSD built-in types, by local name, mapped to the GraphQL scalar that carries them without loss. */
const XSD_SCALARS: Record<string, ScalarName> = {
  string: 'String', normalizedString: 'String', token: 'String', anyURI: 'String', QName: 'String',
  language: 'String', Name: 'String', NCName: 'String', ID: 'String', IDREF: 'String',
  date: 'String', dateTime: 'String', time: 'String', duration: 'String',
  base64Binary: 'String', hexBinary: 'String', anySimpleType: 'String',
  boolean: 'Boolean',
  int: 'Int', short: 'Int', byte: 'Int', unsignedShort: 'Int', unsignedByte: 'Int',
  float: 'Float', double: 'Float',
  // Wider than GraphQL's 32-bit Int or exact decimals: carried as strings so no digit is lost.
  long: 'String', integer: 'String', decimal: 'String', unsignedInt: 'String', unsignedLong: 'String',
  nonNegativeInteger: 'String', positiveInteger: 'String', nonPositiveInteger: 'String', negativeInteger: 'String',
  // Any content at all: held as it came.
  anyType: 'JSON',
};

/** Namespaces node-soap leaves out of the envelope's declarations, though the WSDL names them. */
const NOT_IN_ENVELOPE = /schemas\.xmlsoap\.org|www\.w3\.org|xml\.apache\.org/;
const XSD_NAMESPACES = new Set(['http://www.w3.org/2001/XMLSchema', 'http://www.w3.org/1999/XMLSchema']);

// node-soap's element tree is untyped; this is the part of it read here.
export interface XsdNode {
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
  $form?: string;
  $targetNamespace?: string;
}

interface Schema {
  complexTypes: Record<string, XsdNode>;
  types: Record<string, XsdNode>;
  elements: Record<string, XsdNode>;
  groups?: Record<string, XsdNode>;
  /** Filed by xsd-globals.ts; node-soap drops them. */
  attributes?: Record<string, XsdNode>;
  attributeGroups?: Record<string, XsdNode>;
  $elementFormDefault?: string;
  $attributeFormDefault?: string;
}

export interface SchemaSet {
  xmlns: Record<string, string>;
  schemas: Record<string, Schema>;
}

/** Where a particle is: the namespace of its schema, and whether a choice or the occurrences of a group around it make it optional or repeated. */
export interface Scope {
  namespace: string;
  optional: boolean;
  list: boolean;
}

type Kind = 'complexTypes' | 'types' | 'elements' | 'groups' | 'attributes' | 'attributeGroups';

const textField = (type: Pick<FieldModel, 'type' | 'isScalar' | 'isEnum'>): FieldModel =>
  ({ xmlName: '$value', name: 'value', node: 'text', ...type, isList: false, isRequired: false });

export function createTypeReader(definitions: SchemaSet, types: Map<string, TypeModel>, enums: Map<string, string[]>) {
  const splitQName = (qname: string) => {
    const at = qname.indexOf(':');
    return at < 0 ? { prefix: '', local: qname } : { prefix: qname.slice(0, at), local: qname.slice(at + 1) };
  };
  const namespaceOf = (node: XsdNode, prefix: string): string | undefined =>
    node.xmlns?.[prefix] ?? node.schemaXmlns?.[prefix] ?? node.definitionsXmlns?.[prefix] ?? definitions.xmlns[prefix];

  // Workday and EWS end every type's name with `Type` (`Response_FilterType`), which tells a reader
  // of GraphiQL nothing: it goes, unless another type of the contract has the shorter name.
  const named = new Set(Object.values(definitions.schemas).flatMap((schema) => [...Object.keys(schema.complexTypes), ...Object.keys(schema.types)]).map(pascal));
  /** The GraphQL name of a named XSD type: `Learning_CourseObjectIDType` → `LearningCourseObjectID`. */
  const typeName = (local: string): string => {
    const name = pascal(local);
    const short = name.replace(/(?<=.)Type$/, '');
    return short !== name && !named.has(short) ? short : name;
  };

  /** Private: a global declaration of one kind, by namespace when known, else by name in any schema. */
  const findGlobal = (node: XsdNode, qname: string, kinds: Kind[]) => {
    const { prefix, local } = splitQName(qname);
    const known = namespaceOf(node, prefix);
    const namespaces = known && definitions.schemas[known] ? [known] : Object.keys(definitions.schemas);
    for (const namespace of namespaces) {
      for (const kind of kinds) {
        const found = definitions.schemas[namespace]![kind]?.[local];
        if (found) return { kind, node: found, local, namespace };
      }
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
  const simpleTypeOf = (restriction: XsdNode | undefined, name: string): Pick<FieldModel, 'type' | 'isScalar' | 'isEnum'> => {
    const values = restriction?.children.filter((child) => child.name === 'enumeration').map((child) => String(child.$value ?? '')) ?? [];
    if (values.length > 0 && values.every((value) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) && !['true', 'false', 'null'].includes(value))) {
      // A simple type is met wherever it is used: its enum is declared once, named apart from complex types.
      const enumName = types.has(pascal(name)) ? `${pascal(name)}Value` : pascal(name);
      enums.set(enumName, values);
      return { type: enumName, isScalar: true, isEnum: true };
    }
    if (!restriction?.$base) return { type: 'String', isScalar: true };
    return { type: scalarOf(restriction, restriction.$base) ?? 'String', isScalar: true };
  };

  /**
   * Private: the prefix the WSDL gives a namespace (on its root or on a schema: node-soap gathers
   * them all), which node-soap declares on every envelope but for the W3C's and SOAP's own
   * namespaces, for writing attributes in it.
   */
  const prefixOf = (namespace: string): string | undefined => (NOT_IN_ENVELOPE.test(namespace) ? undefined
    : Object.entries(definitions.xmlns).find(([prefix, uri]) => uri === namespace && /^[A-Za-z][\w.-]*$/.test(prefix) && !/^xml/i.test(prefix))?.[0]);

  /** Private: the type of an element or attribute named by a QName (`type="wd:X"`). */
  const typeOf = (node: XsdNode, qname: string): Pick<FieldModel, 'type' | 'isScalar' | 'isEnum'> => {
    const scalar = scalarOf(node, qname);
    if (scalar) return { type: scalar, isScalar: true };
    const found = findGlobal(node, qname, ['complexTypes', 'types']);
    if (found?.kind === 'complexTypes') return { type: declare(typeName(found.local), found.node, found.namespace), isScalar: false };
    if (found?.kind === 'types') return simpleTypeOf(restrictionOf(found.node), typeName(found.local));
    return { type: 'String', isScalar: true };
  };

  const elementField = (element: XsdNode, owner: string, scope: Scope): FieldModel => {
    // A reference names a global element: its name, type and namespace are that element's.
    const global = element.$ref ? findGlobal(element, element.$ref, ['elements']) : undefined;
    const declared = global?.node ?? element;
    const namespace = global?.namespace ?? scope.namespace;
    const xmlName = declared.$name ?? splitQName(element.$ref ?? '').local;
    const base = {
      xmlName,
      name: camel(xmlName),
      node: 'element' as const,
      isList: scope.list || element.$maxOccurs === 'unbounded' || Number(element.$maxOccurs ?? '1') > 1,
      isRequired: !scope.optional && (element.$minOccurs ?? '1') !== '0',
    };
    if (declared.$type) return { ...base, ...typeOf(declared, declared.$type) };
    const inline = declared.children.find((child) => child.name === 'complexType');
    if (inline) return { ...base, type: declare(`${owner}${pascal(xmlName)}`, inline, namespace), isScalar: false };
    const simple = declared.children.find((child) => child.name === 'simpleType');
    if (simple) return { ...base, ...simpleTypeOf(restrictionOf(simple), `${owner}${pascal(xmlName)}`) };
    // An element that declares no type at all is of xsd:anyType.
    return { ...base, type: 'JSON', isScalar: true };
  };

  /** Private: an attribute, or undefined when a restriction prohibits it. */
  const attributeField = (attribute: XsdNode, scope: Scope): FieldModel | undefined => {
    if (attribute.$use === 'prohibited') return undefined;
    // A global attribute (used by `ref`) is always in its schema's namespace; a local one as its form says.
    const global = attribute.$ref ? findGlobal(attribute, attribute.$ref, ['attributes']) : undefined;
    const declared = global?.node ?? attribute;
    const form = attribute.$form ?? definitions.schemas[scope.namespace]?.$attributeFormDefault;
    const namespace = attribute.$ref ? global?.namespace ?? namespaceOf(attribute, splitQName(attribute.$ref).prefix) : form === 'qualified' ? scope.namespace : undefined;
    const xmlName = declared.$name ?? splitQName(attribute.$ref ?? '').local;
    const simple = declared.children.find((child) => child.name === 'simpleType');
    const type = declared.$type ? typeOf(declared, declared.$type) : simpleTypeOf(simple && restrictionOf(simple), xmlName);
    return {
      xmlName, name: camel(xmlName), node: 'attribute', ...(namespace ? { namespace, prefix: prefixOf(namespace) } : {}),
      // An attribute's value is text: a complex type cannot be one, whatever a contract says.
      ...(type.isScalar && type.type !== 'JSON' ? type : { type: 'String', isScalar: true }),
      isList: false, isRequired: attribute.$use === 'required',
    };
  };

  /** Private: the fields of a complex type's content: particles, attributes and, for an extension, its base's. */
  const collect = (node: XsdNode, owner: string, scope: Scope): FieldModel[] => {
    const fields: FieldModel[] = [];
    for (const child of node.children) {
      const occurs: Scope = {
        namespace: scope.namespace,
        optional: scope.optional || child.name === 'choice' || child.$minOccurs === '0',
        list: scope.list || child.$maxOccurs === 'unbounded' || Number(child.$maxOccurs ?? '1') > 1,
      };
      if (child.name === 'element') fields.push(elementField(child, owner, scope));
      else if (child.name === 'attribute') fields.push(...[attributeField(child, scope)].filter((field) => field !== undefined));
      else if (child.name === 'any') fields.push(openField('otherElements', 'elements'));
      else if (child.name === 'anyAttribute') fields.push(openField('otherAttributes', 'attributes'));
      else if (['sequence', 'all', 'choice', 'complexContent', 'complexType'].includes(child.name)) fields.push(...collect(child, owner, occurs));
      else if (child.name === 'simpleContent') fields.push(...simpleContent(child, owner, scope));
      else if ((child.name === 'group' || child.name === 'attributeGroup') && child.$ref) {
        const group = findGlobal(child, child.$ref, [child.name === 'group' ? 'groups' : 'attributeGroups']);
        if (group) fields.push(...collect(group.node, owner, { ...occurs, namespace: group.namespace }));
      } else if (child.name === 'extension' && child.$base) {
        const base = findGlobal(child, child.$base, ['complexTypes']);
        if (base) fields.push(...collect(base.node, typeName(base.local), { ...scope, namespace: base.namespace }));
        fields.push(...collect(child, owner, scope));
      } else if (child.name === 'restriction') {
        // A complexContent restriction restates the content it keeps.
        fields.push(...collect(child, owner, scope));
      }
    }
    return fields;
  };

  /**
   * Private: a complex type of simple content: the text (`value`, typed by the base) and the
   * attributes, the base's first. A restriction may narrow the text to an enumeration, and
   * redeclare or prohibit the base's attributes.
   */
  const simpleContent = (node: XsdNode, owner: string, scope: Scope): FieldModel[] => {
    const derivation = node.children.find((child) => child.name === 'extension' || child.name === 'restriction');
    if (!derivation?.$base) return [textField({ type: 'String', isScalar: true })];
    const base = findGlobal(derivation, derivation.$base, ['complexTypes']);
    const inherited = base ? collect(base.node, typeName(base.local), { ...scope, namespace: base.namespace }) : [textField(typeOf(derivation, derivation.$base))];
    const own = collect(derivation, owner, scope);
    const prohibited = derivation.children.filter((child) => child.name === 'attribute' && child.$use === 'prohibited').map((child) => child.$name ?? splitQName(child.$ref ?? '').local);
    const fields = inherited.filter((field) => !own.some((mine) => mine.node === field.node && mine.xmlName === field.xmlName) && !prohibited.includes(field.xmlName));
    if (derivation.name === 'restriction' && derivation.children.some((child) => child.name === 'enumeration')) {
      const text = simpleTypeOf(derivation, `${owner}Value`);
      return [textField(text), ...fields.filter((field) => field.node !== 'text'), ...own];
    }
    return [...fields, ...own];
  };

  /**
   * Private: registers a complex type once (recursion-safe) and returns its GraphQL name. Two types
   * of one name (in two namespaces, or an inline type named like a named one) get two names.
   */
  const declared = new Map<XsdNode, string>();
  const declare = (xsdName: string, node: XsdNode, namespace: string): string => {
    const known = declared.get(node);
    if (known) return known;
    let name = pascal(xsdName);
    for (let n = 2; types.has(name) || enums.has(name); n += 1) name = `${pascal(xsdName)}${n}`;
    declared.set(node, name);
    const model: TypeModel = { name, fields: [] };
    types.set(name, model);
    model.fields = collect(node, name, { namespace, optional: false, list: false });
    return name;
  };

  return { collect, declare, elementField, findGlobal, typeName };
}

/** Private: what the contract leaves open, held as it came. */
function openField(name: 'otherElements' | 'otherAttributes', what: 'elements' | 'attributes'): FieldModel {
  return { xmlName: `##${what}`, name, node: name, type: 'JSON', isScalar: true, isList: false, isRequired: false };
}

function restrictionOf(simpleType: XsdNode): XsdNode | undefined {
  return simpleType.children.find((child) => child.name === 'restriction');
}
