/**
 * What a whole answer may be kept for, read from its document before it runs, so that the key it is
 * kept under can say whose it is:
 * - how long: the least freshness among the object types its fields return (a source's manifest,
 *   `cache`, in seconds). A type nobody declared fresh counts as `defaultMaxAgeSeconds`, 0 unless
 *   configured, so an answer holding anything of it is not kept. An interface or union counts as
 *   the least fresh of its types; a leaf field takes its parent's freshness.
 * - for whom: `PRIVATE` when it reads a field an access rule guards (`@owner`: personal data, which
 *   depends on who asks), `PUBLIC` otherwise.
 * The composition may say more with `@cacheControl` (gateway/compose/directives.graphql): a type's
 * freshness, or a field's (which counts for what it answers, whatever its type declares), and a
 * type or field that is personal (`scope: PRIVATE`).
 * Mutations, subscriptions, introspection and answers in parts (`@defer`, `@stream`) are never kept (`maxAgeSeconds` 0).
 *
 *   const policyOf = createCachePolicy(schema, { maxAgeSeconds: { StockLevel: 60, Product: 300 }, privateFields: { Customer: ['email'] } });
 *   policyOf(parse('{ products { name stock { total } } }'));
 *   // { maxAgeSeconds: 60, scope: 'PUBLIC', types: ['Product', 'StockLevel'] }
 */
import { getDirective } from '@graphql-tools/utils';
import { ConfigError } from '../config/config.js';
import {
  getNamedType, getOperationAST, isAbstractType, isObjectType, TypeInfo, visit, visitWithTypeInfo,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';

/** What a composition's `@cacheControl` says (gateway/compose/directives.graphql), by type and by `Type.field`. */
export interface CacheHints {
  types: Readonly<Record<string, CacheHint>>;
  fields: Readonly<Record<string, CacheHint>>;
}

export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

export const CACHE_CONTROL_DIRECTIVE = 'cacheControl';

/** The `@cacheControl` hints of a schema (the composition, before it is made public). */
export function readCacheHints(schema: GraphQLSchema): CacheHints {
  const types: Record<string, CacheHint> = {};
  const fields: Record<string, CacheHint> = {};
  const hintOf = (given: Record<string, unknown>[] | undefined): CacheHint | undefined => {
    const [hint] = given ?? [];
    if (!hint) return undefined;
    if (hint.maxAge !== undefined && (!Number.isInteger(hint.maxAge) || (hint.maxAge as number) < 0)) throw new ConfigError('@cacheControl(maxAge) must be a whole number of seconds, 0 or more.');
    return { ...(hint.maxAge !== undefined ? { maxAge: hint.maxAge as number } : {}), ...(hint.scope ? { scope: hint.scope as CacheHint['scope'] } : {}) };
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeHint = hintOf(getDirective(schema, type, CACHE_CONTROL_DIRECTIVE));
    if (typeHint) types[type.name] = typeHint;
    for (const field of Object.values(type.getFields())) {
      const fieldHint = hintOf(getDirective(schema, field, CACHE_CONTROL_DIRECTIVE));
      if (fieldHint) fields[`${type.name}.${field.name}`] = fieldHint;
    }
  }
  return { types, fields };
}

export interface CachePolicyOptions {
  /** Each type's freshness, in seconds (the manifests' `cache`). */
  maxAgeSeconds: Readonly<Record<string, number>>;
  /** The composition's `@cacheControl`: a type's freshness and scope, a field's. */
  hints?: CacheHints;
  /** The freshness of a type that declares none; 0 (the default): an answer with one is not kept. */
  defaultMaxAgeSeconds?: number;
  /** The fields whose answer depends on who asks, by type (the access rules' fields). */
  privateFields: Readonly<Record<string, readonly string[]>>;
}

export interface ResponsePolicy {
  /** How long the answer may be kept; 0: not at all. */
  maxAgeSeconds: number;
  scope: 'PUBLIC' | 'PRIVATE';
  /** The object types the answer may hold, sorted: what invalidates it by type. */
  types: string[];
}

/** An answer's policy, by its document and the operation it runs. */
export type ResponsePolicyOf = (document: DocumentNode, operationName?: string | null) => ResponsePolicy;

const NOT_KEPT: ResponsePolicy = Object.freeze({ maxAgeSeconds: 0, scope: 'PUBLIC', types: [] }) as ResponsePolicy;

export function createCachePolicy(schema: GraphQLSchema, options: CachePolicyOptions): ResponsePolicyOf {
  const { defaultMaxAgeSeconds = 0, hints = { types: {}, fields: {} } } = options;
  const maxAgeSeconds: Record<string, number> = { ...options.maxAgeSeconds };
  for (const [type, hint] of Object.entries(hints.types)) {
    if (hint.maxAge === undefined) continue;
    if (Object.hasOwn(maxAgeSeconds, type)) throw new ConfigError(`${type} has a freshness in its source's manifest (cache) and in @cacheControl: keep the manifest's.`);
    maxAgeSeconds[type] = hint.maxAge;
  }
  const privateFields = new Map(Object.entries(options.privateFields).map(([type, fields]) => [type, new Set(fields)]));
  const typeInfo = new TypeInfo(schema);
  const known = new WeakMap<DocumentNode, Map<string, ResponsePolicy>>();

  const policyOf = (document: DocumentNode, operationName: string | undefined): ResponsePolicy => {
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation !== 'query') return NOT_KEPT;
    let maxAge = Infinity;
    let scope: ResponsePolicy['scope'] = 'PUBLIC';
    let unkept = false;
    const types = new Set<string>();
    const visitor = visitWithTypeInfo(typeInfo, {
      Directive(node) {
        // An answer in parts is not one answer to keep.
        if (node.name.value === 'defer' || node.name.value === 'stream') unkept = true;
      },
      Field(node) {
        if (node.name.value === '__schema' || node.name.value === '__type') unkept = true;
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        const hint = hints.fields[`${parent.name}.${field.name}`];
        if (privateFields.get(parent.name)?.has(field.name) || hint?.scope === 'PRIVATE') scope = 'PRIVATE';
        // A field's own freshness counts for what it answers, whatever its type declares.
        if (hint?.maxAge !== undefined) maxAge = Math.min(maxAge, hint.maxAge);
        const named = getNamedType(field.type);
        const objects = isObjectType(named) ? [named] : isAbstractType(named) ? schema.getPossibleTypes(named) : [];
        for (const object of objects) {
          if (object.name.startsWith('__')) continue;
          types.add(object.name);
          if (hints.types[object.name]?.scope === 'PRIVATE') scope = 'PRIVATE';
          if (hint?.maxAge === undefined) maxAge = Math.min(maxAge, maxAgeSeconds[object.name] ?? defaultMaxAgeSeconds);
        }
      },
    });
    for (const node of [operation, ...fragmentsUsedBy(document, operation)]) visit(node, visitor);
    if (unkept || !Number.isFinite(maxAge)) return NOT_KEPT;
    return { maxAgeSeconds: Math.max(0, maxAge), scope, types: [...types].sort() };
  };

  return (document, operationName) => {
    const name = operationName ?? '';
    let byName = known.get(document);
    if (!byName) known.set(document, (byName = new Map()));
    let policy = byName.get(name);
    if (!policy) byName.set(name, (policy = policyOf(document, operationName ?? undefined)));
    return policy;
  };
}

/** Private: the fragments an operation spreads, and those they spread in turn. */
function fragmentsUsedBy(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === 'FragmentDefinition' ? [[definition.name.value, definition] as const] : [])));
  const used = new Map<string, FragmentDefinitionNode>();
  const spreadIn = (node: OperationDefinitionNode | FragmentDefinitionNode) => visit(node, {
    FragmentSpread(spread) {
      const fragment = fragments.get(spread.name.value);
      if (!fragment || used.has(fragment.name.value)) return;
      used.set(fragment.name.value, fragment);
      spreadIn(fragment);
    },
  });
  spreadIn(operation);
  return [...used.values()];
}
