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
 * An enum met twice with the same values is declared once, under the first name, so that a filter and
 * the field it filters on are one GraphQL enum. No title is changed, and none is given twice.
 *
 *   if (nameInlineSchemas(document)) writeCopy(document);
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Schema = Record<string, unknown>;

/**
 * Gives every unnamed schema Mesh would name by its position a title, in place: in a contract and the
 * files it refers to, with no name given twice across them. Whether any was given.
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
  for (const [name, schema] of entries(schemasOf(document))) namer.visit(schema, name, true);
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
  /** The current document's enums by their type and values, so that the same enum is declared once. */
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

  /** A schema and what it holds; `base` is the name its position gives it. A component's own name is its name. */
  visit(schema: unknown, base: string, named = false): void {
    if (!isObject(schema) || typeof schema.$ref === 'string') return;
    if (!named && schema.title === undefined) this.name(schema, base);
    for (const [property, value] of entries(schema.properties)) this.visit(value, base + pascal(property));
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
    else if (isObject(parameter.schema)) this.visit(parameter.schema, name);
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
    this.visit(schema, name);
  }

  /**
   * Private: titles `schema` if Mesh would otherwise name it by its position. An enum met again with
   * the same values becomes a schema of the document's own (under the name it was first given) that
   * both places refer to: the handler would make two GraphQL enums of two copies, whatever their titles.
   */
  private name(schema: Schema, base: string): void {
    if (!needsName(schema)) return;
    this.given += 1;
    const key = Array.isArray(schema.enum) && Object.keys(schema).every((k) => k === 'type' || k === 'enum') ? JSON.stringify([schema.type, schema.enum]) : undefined;
    const same = key === undefined ? undefined : this.enums.get(key);
    if (!same) {
      schema.title = this.unique(base);
      if (key !== undefined) this.enums.set(key, { name: schema.title as string, first: schema, declared: false });
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

  private unique(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n += 1) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}

/**
 * Private: whether Mesh's handler would name `schema` by its position (json-machete's healJSONSchema):
 * an enum or a constant, a string with a pattern or a length, and an object or a union that is not an array.
 */
function needsName(schema: Schema): boolean {
  if (schema.items !== undefined) return false;
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

/** Private: a document's named schemas (`definitions` in Swagger 2.0), made if `make` and missing. */
function schemasOf(document: Schema, make = false): Schema {
  if (document.swagger !== undefined) {
    if (make && !isObject(document.definitions)) document.definitions = {};
    return isObject(document.definitions) ? document.definitions : {};
  }
  if (make && !isObject(document.components)) document.components = {};
  const components = isObject(document.components) ? document.components : {};
  if (make && !isObject(components.schemas)) components.schemas = {};
  return isObject(components.schemas) ? components.schemas : {};
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

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
