/**
 * The stitched graph's joins, declared in SDL beside `.meshrc.yaml` (its `additionalTypeDefs`): a
 * field on one source's type answered by another source's root query, by a key.
 *
 *   extend type Order {
 *     shipment: Shipment @join(source: "carrier", field: "listShipments", argument: "orderIds", key: "id", match: "orderId", batchSize: 100)
 *   }
 *
 * - `source`, `field`: the source and its root query field that answers;
 * - `argument`: that field's argument taking the list of keys;
 * - `key`: where the key is, in the parent object (a path, `customer.id`), or, on a root field, in
 *   the field's arguments (`product(id: ID!)` with `key: "id"`);
 * - `match`: where each answered item holds the key it answers;
 * - `items`: where the list of items is in the answer, when the source wraps it (a SOAP response
 *   element: `items: "levels"`); the answer itself when left out;
 * - `many`: a list of every item that matches (one-to-many: a customer's orders); else the first;
 * - `result`: a part of the matched item to answer (`lines` of an invoice);
 * - `batchSize`: the most keys the source takes in one call; a level is split only there.
 *
 * Reading them checks each against the sources' schemas, so a typo stops the start with one line.
 */
import { getNamedType, isListType, isNonNullType, isObjectType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import { ConfigError } from '../config/config.js';
import type { RawSource } from '../sources/source-clients.js';

export interface Join {
  /** `Product.stock`: where the join is declared. */
  at: string;
  root: boolean;
  source: string;
  field: string;
  argument: string;
  key: string;
  match: string;
  items?: string;
  many: boolean;
  result?: string;
  /** The declared field is a list: an unmatched key answers an empty one, not null. */
  list: boolean;
  /** The declared field's type (`StockLevel`): what the entity cache keeps its items as, by the key. */
  type: string;
  batchSize?: number;
  /** Every field the source's answer holds, asked once for all who join on the same call. */
  selectionSet: string;
}

export const JOIN_DIRECTIVE = 'join';
const ARGUMENTS = ['source', 'field', 'argument', 'key', 'match', 'items', 'many', 'result', 'batchSize'];

/** The joins declared in `schema` (the composition, before it is made public), checked against the sources. */
export function readJoins(schema: GraphQLSchema, sources: readonly RawSource[]): Join[] {
  const joins: Join[] = [];
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const node = field.astNode?.directives?.find((directive) => directive.name.value === JOIN_DIRECTIVE);
      if (!node) continue;
      const at = `${type.name}.${field.name}`;
      const given = Object.fromEntries((node.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
      const declared = isNonNullType(field.type) ? field.type.ofType : field.type;
      joins.push({ ...checkJoin(at, roots.has(type.name), isListType(declared), given, sources), type: getNamedType(field.type).name });
    }
  }
  return joins;
}

/** Private: one declaration, against the source it names. */
function checkJoin(at: string, root: boolean, list: boolean, given: Record<string, unknown>, sources: readonly RawSource[]): Omit<Join, 'type'> {
  const fail = (why: string): never => {
    throw new ConfigError(`${at}: @join ${why}.`);
  };
  const unknown = Object.keys(given).find((name) => !ARGUMENTS.includes(name));
  if (unknown) fail(`takes no argument ${unknown}`);
  const text = (name: string): string => {
    const value = given[name];
    if (typeof value !== 'string' || value === '') fail(`needs ${name}, a string`);
    return value as string;
  };
  const optional = (name: string) => (given[name] === undefined ? undefined : text(name));
  const sourceName = text('source');
  const source = sources.find((candidate) => candidate.name === sourceName);
  if (!source) return fail(`names the source ${JSON.stringify(sourceName)}, which the composition does not have (it has ${sources.map((one) => one.name).join(', ')})`);
  const rootField = source.schema.getQueryType()?.getFields()[text('field')];
  if (!rootField) {
    const fields = Object.keys(source.schema.getQueryType()?.getFields() ?? {});
    return fail(`names ${source.name}'s root field ${JSON.stringify(given.field)}, which ${source.name} does not have (its own names, before any prefix: ${fields.join(', ') || 'none'})`);
  }
  const argumentName = text('argument');
  const argument = rootField.args.find((candidate) => candidate.name === argumentName);
  if (!argument) return fail(`names the argument ${JSON.stringify(argumentName)}, which ${source.name}'s ${rootField.name} does not take`);
  const keysType = isNonNullType(argument.type) ? argument.type.ofType : argument.type;
  if (!isListType(keysType)) fail(`names the argument ${argument.name} of ${rootField.name}, which takes one value, not a list of keys`);
  const batchSize = given.batchSize;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || (batchSize as number) < 1)) fail('needs batchSize, a whole number from 1');
  const items = optional('items');
  const result = optional('result');
  return {
    at,
    root,
    source: source.name,
    field: rootField.name,
    argument: argument.name,
    key: text('key'),
    match: text('match'),
    ...(items ? { items } : {}),
    many: given.many === true,
    ...(result ? { result } : {}),
    list,
    ...(batchSize !== undefined ? { batchSize: batchSize as number } : {}),
    selectionSet: selectionOf(getNamedType(rootField.type)),
  };
}

/**
 * Private: every field of `type` that takes no required argument, objects' fields in turn, down to a
 * depth where a source's graph could cycle; what one call asks so that every selection of its level
 * is served from it.
 */
function selectionOf(type: ReturnType<typeof getNamedType>, depth = 0, seen: ReadonlySet<string> = new Set()): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields()).flatMap((field) => {
    if (field.args.some((argument) => isNonNullType(argument.type) && argument.defaultValue === undefined)) return [];
    const named = getNamedType(field.type);
    if (!isObjectType(named)) return [field.name];
    if (depth >= 3 || seen.has(named.name)) return [];
    const inner = selectionOf(named, depth + 1, new Set([...seen, type.name]));
    return inner ? [`${field.name} ${inner}`] : [];
  });
  return `{ ${fields.join(' ')} }`;
}
