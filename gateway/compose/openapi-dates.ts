/**
 * A date as the contract writes it, `2024-06-01`, is what the upstream receives. Mesh's OpenAPI
 * handler makes a `Date` scalar of `format: date`, and its runtime gives every scalar named like one
 * of graphql-scalars' its parsing: `Date` parses to a JavaScript Date at midnight UTC, which the
 * handler writes into a query string (and a JSON body) as `2024-06-01T00:00:00.000Z`, a date-time
 * the provider refuses. A scalar with a pattern keeps the string it was given, so the copies Mesh
 * reads refer every plain date to one schema of the document's own, a string of that shape:
 *
 *   { type: string, format: date }   →   { $ref: '#/components/schemas/Date' }
 *   components.schemas.Date          =   { type: string, pattern: '^\d{4}-\d{2}-\d{2}$', ... }
 *
 * It is still one `Date` in the public schema (the type prefix leaves graphql-scalars' names alone),
 * and the contract's check says what is wrong with a value that is not a date. The handler drops what
 * sits beside a `$ref`, so a date's own description and default do not reach the schema.
 *
 *   if (shareDateSchema(document)) writeCopy(document);
 */
import { isObject, schemasOf } from './openapi-names.js';

type Schema = Record<string, unknown>;

const DATE: Schema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar date, YYYY-MM-DD (RFC 3339 full-date).',
};

/** Keys that hold values rather than schemas, where a `format` is data. */
const VALUES = new Set(['example', 'examples', 'default', 'enum', 'const']);

/**
 * Refers, in place, every plain `format: date` string of an OpenAPI or Swagger 2.0 document
 * (a schema, or a Swagger 2.0 parameter, which is its own schema) to the document's date schema,
 * added under the name `Date` (or the contract's own `Date` when it is a plain date too). Whether any was.
 */
export function shareDateSchema(document: Schema): boolean {
  if (document.openapi === undefined && document.swagger === undefined) return false;
  const found: Schema[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (isPlainDate(node)) found.push(node);
    for (const [key, value] of Object.entries(node)) if (!VALUES.has(key) && !key.startsWith('x-')) visit(value);
  };
  visit(document);
  if (found.length === 0) return false;
  const { reference, own } = declareDate(document);
  for (const schema of found) {
    if (schema === own) continue;
    if (typeof schema.in === 'string') {
      for (const key of ['type', 'format', 'default', 'example', 'minLength', 'maxLength', 'allowEmptyValue']) delete schema[key];
      schema.schema = { $ref: reference };
    } else {
      for (const key of Object.keys(schema)) delete schema[key];
      schema.$ref = reference;
    }
  }
  return true;
}

/**
 * Private: a string of `format: date` and nothing that would make it a type of its own (an enum,
 * a pattern); or a Swagger 2.0 parameter that is one.
 */
function isPlainDate(node: Schema): boolean {
  if (node.type !== 'string' || node.format !== 'date') return false;
  if (['enum', 'pattern', 'const', '$ref', 'schema'].some((key) => key in node)) return false;
  return typeof node.in !== 'string' || node.in !== 'body';
}

/**
 * Private: the reference of the document's date schema, added as `Date` (`CalendarDate`,
 * `CalendarDate2`... where the contract has a `Date` of another kind); or the contract's own `Date`,
 * made one where it is a plain date.
 */
function declareDate(document: Schema): { reference: string; own?: Schema } {
  const schemas = schemasOf(document, true);
  const prefix = document.swagger === undefined ? '#/components/schemas/' : '#/definitions/';
  const own = schemas.Date;
  if (isObject(own) && isPlainDate(own)) {
    for (const key of ['format', 'example', 'default']) delete own[key];
    Object.assign(own, { ...DATE, ...own, pattern: DATE.pattern });
    return { reference: `${prefix}Date`, own };
  }
  let name = 'Date';
  for (let n = 1; name in schemas; n += 1) name = n === 1 ? 'CalendarDate' : `CalendarDate${n}`;
  schemas[name] = { ...DATE };
  return { reference: `${prefix}${name}` };
}
