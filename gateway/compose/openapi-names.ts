/**
 * Names for the types an OpenAPI document leaves unnamed. Mesh's OpenAPI handler names an inline
 * enum, a patterned string or an inline object by where it first met it, so a payment provider's
 * charge status turns up in GraphiQL as `query_getCharge_allOf_1_status` and a carrier's status filter
 * as `queryInput_listParcels_status`. Before the handler reads a document, Switchboard gives each such
 * schema a `title` (the handler names types by their title) made from the words around it:
 *
 *   components.schemas.Charge.allOf[1].properties.status   → ChargeStatus
 *   paths./parcels.get (listParcels), parameter status     → ListParcelsStatus
 *   the inline answer of getQuote, and its property fees    → GetQuoteResponse, GetQuoteResponseFees
 *
 * A parameter whose enum has the values of a property of the same name shares the property's enum, so
 * that a filter and the field it filters on are one GraphQL enum. No title is changed, but one that
 * is a name Mesh gives its own types (a provider's `String`: `StringValue`), and none is given twice.
 *
 *   if (nameInlineSchemas(document)) writeCopy(document);
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The names Mesh's handler gives types of its own in a source's schema: GraphQL's scalars, the
 * scalars it makes of formats and ranges (graphql-scalars' and json-machete's), and its plumbing.
 * `Date` is not one: the copies refer every plain date to the document's own `Date` (openapi-dates.ts).
 */
const MESH_NAMES = new Set([
  'String', 'Int', 'Float', 'Boolean', 'ID',
  'JSON', 'ObjMap', 'HTTPMethod', 'Void', 'File',
  'BigInt', 'Byte', 'DateTime', 'Time', 'Timestamp', 'EmailAddress', 'IPv4', 'IPv6', 'URL', 'UUID', 'NonEmptyString',
  'PositiveInt', 'PositiveFloat', 'NonNegativeInt', 'NonNegativeFloat', 'NegativeInt', 'NegativeFloat', 'NonPositiveInt', 'NonPositiveFloat',
  'Hostname', 'Regex', 'JsonPointer', 'RelativeJsonPointer', 'UriReference', 'UriTemplate',
]);

type Schema = Record<string, unknown>;
/** What a schema is the type of: a property, or a parameter, by name. */
type Role = { property?: string; parameter?: string };

/**
 * Gives every unnamed schema Mesh would name by its position a title, in place: in a contract and the
 * files it refers to (their `components` or `definitions` and `paths`; a file that is one bare schema,
 * or a path item of its own, keeps the handler's names), with no name given twice across them.
 * Whether any was given.
 */
export function nameInlineSchemas(...documents: Schema[]): boolean {
  const namer = new Namer(documents);
  for (const document of documents) nameDocument(namer, document);
  return namer.given > 0;
}

/** Private: one document's schemas, parameters, bodies and answers. */
function nameDocument(namer: Namer, document: Schema): void {
  namer.enter(document);
  const components = isObject(document.components) ? document.components : {};
  for (const [name, schema] of entries(schemasOf(document))) namer.component(schema, name);
  for (const [name, parameter] of entries(document.parameters ?? components.parameters)) namer.parameter(parameter, pascal(name), pascal(name));
  for (const [name, body] of entries(components.requestBodies)) namer.content(body, pascal(name));
  for (const [name, response] of entries(document.responses ?? components.responses)) namer.content(response, pascal(name));
  for (const [path, item] of entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const base = (typeof operation.operationId === 'string' && pascal(operation.operationId)) || pascal(`${method} ${path}`);
      for (const parameter of [...list(item.parameters), ...list(operation.parameters)]) {
        if (isObject(parameter)) namer.parameter(parameter, base + pascal(String(parameter.name ?? '')), `${base}Request`);
      }
      namer.content(operation.requestBody, `${base}Request`);
      for (const response of Object.values(isObject(operation.responses) ? operation.responses : {})) namer.content(response, `${base}Response`);
    }
  }
}

/** Private: the walk, with the names taken so far. */
class Namer {
  given = 0;
  private readonly taken = new Set<string>();
  /** What each name given was given to, as sameness() writes it. */
  private readonly contents = new Map<string, string>();
  /** The current document's property enums by their type, values and property name, for the parameters that filter on them. */
  private enums = new Map<string, { name: string; first: Schema; declared: boolean }>();
  private document: Schema = {};

  constructor(documents: Schema[]) {
    for (const document of documents) {
      for (const [name, schema] of entries(schemasOf(document))) {
        this.taken.add(name);
        if (typeof schema.title === 'string') this.taken.add(schema.title);
      }
    }
  }

  /** Names in `document` next. An enum is shared within one document only. */
  enter(document: Schema): void {
    this.document = document;
    this.enums = new Map();
  }

  /** A named schema of the document (`components.schemas`, `definitions`): the handler names it `name`, unless it has a title. */
  component(schema: Schema, name: string): void {
    if (schema.title === undefined) this.avoidMeshNames(schema, name);
    this.visit(schema, name, true);
  }

  /**
   * A schema and what it holds; `base` is the name its position gives it. A component's own name is
   * its name. `role` says which property or parameter the schema is the type of.
   */
  visit(schema: unknown, base: string, named = false, role?: Role): void {
    if (!isObject(schema) || typeof schema.$ref === 'string') return;
    if (typeof schema.title === 'string') this.avoidMeshNames(schema, schema.title);
    if (!named && schema.title === undefined) this.name(schema, base, role);
    // What it holds is named after it: after its title, where it has one (the contract's or the one given).
    if (typeof schema.title === 'string' && pascal(schema.title)) base = pascal(schema.title);
    for (const [property, value] of entries(schema.properties)) this.visit(value, base + pascal(property), false, { property });
    if (isObject(schema.items)) this.visit(schema.items, base);
    if (isObject(schema.additionalProperties)) this.visit(schema.additionalProperties, `${base}Value`);
    // The parts of allOf are merged into one type; those of oneOf and anyOf are named by their own shape.
    for (const part of list(schema.allOf)) this.visit(part, base, true);
    list(schema.oneOf).forEach((part, index) => this.visit(part, `${base}${index + 1}`));
    list(schema.anyOf).forEach((part, index) => this.visit(part, `${base}${index + 1}`));
  }

  /**
   * A parameter, named `name`: OpenAPI 3's `schema` or `content`, or a Swagger 2.0 parameter, which is
   * its own schema; a Swagger 2.0 body is named `body`.
   */
  parameter(parameter: Schema, name: string, body: string): void {
    if (typeof parameter.$ref === 'string') return;
    if (parameter.in === 'body') this.visit(parameter.schema, body);
    else if (isObject(parameter.schema)) this.visit(parameter.schema, name, false, { parameter: String(parameter.name ?? '') });
    else if (isObject(parameter.content)) this.content(parameter, name);
    else this.swaggerParameter(parameter, name);
  }

  /** A request body or a response: its schema (Swagger 2.0) or the schema of each media type. */
  content(holder: unknown, base: string): void {
    if (!isObject(holder) || typeof holder.$ref === 'string') return;
    this.visit(holder.schema, base);
    for (const media of Object.values(isObject(holder.content) ? holder.content : {})) {
      if (isObject(media)) this.visit(media.schema, base);
    }
  }

  /**
   * Private: a Swagger 2.0 query, path or header parameter with an enum, a pattern or a length. The
   * handler would take the parameter object itself for its schema; its type moves into a `schema`, as
   * OpenAPI 3 writes it (which the handler reads the same way), to be titled, or to refer to the enum
   * it shares with a field.
   */
  private swaggerParameter(parameter: Schema, name: string): void {
    if (parameter.type === 'array' || !needsName(parameter)) return;
    const schema: Schema = {};
    for (const key of ['type', 'format', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'default']) {
      if (key in parameter) {
        schema[key] = parameter[key];
        delete parameter[key];
      }
    }
    parameter.schema = schema;
    this.visit(schema, name, false, { parameter: String(parameter.name ?? '') });
  }

  /**
   * Private: titles `schema` if Mesh would otherwise name it by its position. A parameter's enum with
   * the values of a property of the same name (a filter and the field it filters on) becomes a schema
   * of the document's own, under the property enum's name, that both refer to: the handler makes two
   * GraphQL enums of two copies, whatever their titles. Two properties' enums stay apart, whatever
   * their values: a product's status is not a user's.
   */
  private name(schema: Schema, base: string, role?: Role): void {
    if (!needsName(schema)) return;
    this.given += 1;
    const plain = Array.isArray(schema.enum) && Object.keys(schema).every((k) => k === 'type' || k === 'enum');
    const key = JSON.stringify([schema.type, schema.enum, role?.property ?? role?.parameter]);
    const same = plain && role?.parameter !== undefined ? this.enums.get(key) : undefined;
    if (!same) {
      schema.title = this.unique(base, schema);
      if (plain && role?.property !== undefined && !this.enums.has(key)) this.enums.set(key, { name: schema.title as string, first: schema, declared: false });
      return;
    }
    const schemas = schemasOf(this.document, true);
    const reference = `#/${this.document.swagger === undefined ? 'components/schemas' : 'definitions'}/${same.name}`;
    if (!same.declared) {
      schemas[same.name] = { type: same.first.type, enum: same.first.enum };
      refer(same.first, reference);
      same.declared = true;
    }
    refer(schema, reference);
  }

  /**
   * Private: titles a schema the handler would make a type of under one of the names it gives its
   * own types (MESH_NAMES): the provider's `String`, a length-limited string, becomes `StringValue`.
   * Two types of one name do not build (`Schema must contain uniquely named types but contains
   * multiple types named "String"`).
   */
  private avoidMeshNames(schema: Schema, name: string): void {
    if (!MESH_NAMES.has(name) || !needsName(schema)) return;
    schema.title = this.unique(`${name}Value`, schema);
    this.given += 1;
  }

  /**
   * Private: `base`, or `base2`, `base3`... if taken; but a schema the same as one named already at the
   * same place in another answer takes its name, so that the handler makes them one type.
   */
  private unique(base: string, schema: Schema): string {
    const content = sameness(schema);
    let name = base;
    for (let n = 2; this.taken.has(name); n += 1) {
      if (content !== undefined && this.contents.get(name) === content) return name;
      name = `${base}${n}`;
    }
    this.taken.add(name);
    if (content !== undefined) this.contents.set(name, content);
    return name;
  }
}

/**
 * Private: whether Mesh's handler would name `schema` by its position (json-machete's healJSONSchema):
 * an enum or a constant, a string with a pattern or a length, and an object or a union that is not an array.
 */
function needsName(schema: Schema): boolean {
  if (schema.items !== undefined) return false;
  // `allOf: [{ $ref }]` beside a description or a default: the handler unwraps it to what it refers to,
  // unless it has a title.
  const parts = ['allOf', 'anyOf', 'oneOf'].filter((key) => Array.isArray(schema[key]));
  if (schema.properties === undefined && parts.length === 1 && (schema[parts[0]!] as unknown[]).length === 1) return false;
  // A constant is a one-value enum, which the handler names `<value>_const`, title or not, unless titled first.
  if (schema.const !== undefined) return true;
  const types = Array.isArray(schema.type) ? schema.type.filter((type) => type !== 'null') : [schema.type];
  if (types.length !== 1) return false;
  switch (types[0]) {
    case 'string':
      return schema.enum !== undefined || schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined;
    case 'number':
    case 'integer':
      return schema.enum !== undefined || schema.pattern !== undefined;
    case 'object':
    case undefined:
      return schema.properties !== undefined || schema.oneOf !== undefined || schema.anyOf !== undefined || schema.allOf !== undefined || schema.enum !== undefined;
    default:
      return false;
  }
}

/** A document's named schemas (`definitions` in Swagger 2.0), made if `make` and missing. */
export function schemasOf(document: Schema, make = false): Schema {
  if (document.swagger !== undefined) {
    if (make && !isObject(document.definitions)) document.definitions = {};
    return isObject(document.definitions) ? document.definitions : {};
  }
  if (make && !isObject(document.components)) document.components = {};
  const components = isObject(document.components) ? document.components : {};
  if (make && !isObject(components.schemas)) components.schemas = {};
  return isObject(components.schemas) ? components.schemas : {};
}

/** Private: a schema as text, to tell two the same; none for one that will not write (a cycle). */
function sameness(schema: Schema): string | undefined {
  try {
    return JSON.stringify(schema);
  } catch {
    return undefined;
  }
}

/** Private: turns `schema`, in place, into a reference. */
function refer(schema: Schema, reference: string): void {
  for (const key of Object.keys(schema)) delete schema[key];
  schema.$ref = reference;
}

/** Private: `list_parcels`, `get /parcels/{id}` → `ListParcels`, `GetParcelsId`. */
function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function entries(value: unknown): [string, Schema][] {
  return isObject(value) ? (Object.entries(value).filter(([, item]) => isObject(item)) as [string, Schema][]) : [];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A JSON object, not an array. */
export function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
