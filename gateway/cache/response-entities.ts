/**
 * Which entities a whole answer holds, so that the response cache drops it when one of them changes.
 * Before a kept query runs, its document is asked for each object's `__typename` and key as well
 * (aliases no client would write: `withEntityKeys`); after, `entitiesIn` takes them out of the
 * answer and names what it held:
 * - `Type:key` for each object with its key (a type's `id`, or the field its joins match it by:
 *   `StockLevel:SKU-0001`);
 * - `Type:?` for an object whose key is unknown, and for a field of the type that answered null or an
 *   empty list (the entity may come to exist): a change of any entity of the type drops the answer;
 * - `Type` for every type held: an operator's drop of a whole type.
 *
 *   const keys = entityKeyFields(schema, joins);               // { Product: 'id', StockLevel: 'sku', … }
 *   execute({ ...args, document: withEntityKeys(args.document, schema, keys) });
 *   const { data, entities } = entitiesIn(result.data, fieldTypesOf(schema));
 */
import {
  getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, TypeInfo, visit, visitWithTypeInfo,
  type DocumentNode, type FieldNode, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { Join } from '../stitching/joins.js';

// Named per key field: an interface's and one of its types' keys never meet under one name.
const TYPENAME = '__cacheTypename';
const KEY = '__cacheKey_';

/** Each object type's key field: its `id`, or the field the stitched graph's joins match it by. */
export function entityKeyFields(schema: GraphQLSchema, joins: readonly Join[]): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const join of joins) if (!join.many && join.result === undefined && !join.match.includes('.')) keys[join.type] ??= join.match;
  for (const type of Object.values(schema.getTypeMap())) {
    if ((isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__') && type.getFields().id) keys[type.name] = 'id';
  }
  // A key the type does not have as a field of its own cannot be asked for.
  for (const [name, field] of Object.entries(keys)) {
    const type = schema.getType(name);
    if (!(isObjectType(type) || isInterfaceType(type)) || !type.getFields()[field]) delete keys[name];
  }
  return keys;
}

/** Each object type's composite fields and the object types they may answer, for `entitiesIn`. */
export type FieldTypes = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export function fieldTypesOf(schema: GraphQLSchema): FieldTypes {
  const byType = new Map<string, Map<string, string[]>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = new Map<string, string[]>();
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isCompositeType(named)) fields.set(field.name, isObjectType(named) ? [named.name] : schema.getPossibleTypes(named).map((object) => object.name));
    }
    byType.set(type.name, fields);
  }
  return byType;
}

const rewritten = new WeakMap<DocumentNode, DocumentNode>();

/** `document`, each of its selection sets also asking its object's typename and key (aliased); one copy per document. */
export function withEntityKeys(document: DocumentNode, schema: GraphQLSchema, keys: Readonly<Record<string, string>>): DocumentNode {
  let copy = rewritten.get(document);
  if (copy) return copy;
  const typeInfo = new TypeInfo(schema);
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  copy = visit(document, visitWithTypeInfo(typeInfo, {
    SelectionSet(node): SelectionSetNode | undefined {
      const parent = typeInfo.getParentType();
      if (!parent || roots.has(parent as never)) return undefined;
      const key = keys[parent.name];
      const added: FieldNode[] = [aliased(TYPENAME, '__typename'), ...(key ? [aliased(`${KEY}${key}`, key)] : [])];
      return { ...node, selections: [...node.selections, ...added] };
    },
  }));
  rewritten.set(document, copy);
  return copy;
}

/** The answer without what `withEntityKeys` asked, and the entities it held (see above). */
export function entitiesIn(data: unknown, fieldTypes: FieldTypes): { data: unknown; entities: Set<string> } {
  const entities = new Set<string>();
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    const typename = object[TYPENAME];
    const fields = typeof typename === 'string' ? fieldTypes.get(typename) : undefined;
    const rest: Record<string, unknown> = {};
    let key: unknown;
    for (const [name, field] of Object.entries(object)) {
      if (name.startsWith('__cache')) {
        if (name.startsWith(KEY)) key = field;
      } else if (field === null || (Array.isArray(field) && field.length === 0)) {
        rest[name] = field;
        for (const type of fields?.get(name) ?? []) entities.add(type).add(`${type}:?`);
      } else {
        rest[name] = typeof field === 'object' ? walk(field) : field;
      }
    }
    if (typeof typename === 'string') {
      entities.add(typename);
      entities.add(typeof key === 'string' || typeof key === 'number' ? `${typename}:${key}` : `${typename}:?`);
    }
    return rest;
  };
  return { data: walk(data), entities };
}

function aliased(alias: string, name: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: name } };
}
