/**
 * Reads that are POST: search and lookup endpoints, Google's `:lookup` and `:runQuery`, AWS JSON's
 * `X-Amz-Target` operations. Mesh's OpenAPI handler makes every operation but a GET a Mutation
 * field, which clients neither cache nor send in parallel. A source declares which of its
 * operations only read, and those are Query fields, sent with a read's traits: retried on a fault,
 * shared while in flight (gateway/upstream/upstreams.ts).
 *
 * The declaration is Mesh's own, in the source's handler in `.meshrc.yaml`
 * (`selectQueryOrMutationField: [{ type: Query, fieldName }]`), which `source:add --reads` writes
 * from selectors:
 *
 *   --reads searchQuotes            an operationId
 *   --reads 'Describe*'             operationIds by a pattern (`*`, any characters)
 *   --reads 'POST /v1/rates:lookup' a method and a path as the contract writes it (`*` too)
 *
 * The gateway learns which calls read from the built composition: each Query field's
 * `@httpOperation` gives its method and path (`readOperations`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { isObject } from '../../compose/openapi-names.js';

/** One operation of a contract: its method, its path as written, its operationId if it has one. */
export interface ContractOperation {
  method: string;
  path: string;
  operationId?: string;
}

/** A read that is not a GET, by its method and its path template (`{…}` for each parameter). */
export interface ReadOperation {
  method: string;
  path: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of an OpenAPI document, in the document's order. */
export function contractOperations(document: unknown): ContractOperation[] {
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
  return Object.entries(paths).flatMap(([path, item]) => (isObject(item) ? METHODS.filter((method) => isObject(item[method])).map((method) => {
    const operationId = (item[method] as Record<string, unknown>).operationId;
    return { method: method.toUpperCase(), path, ...(typeof operationId === 'string' ? { operationId } : {}) };
  }) : []));
}

/**
 * The operations the selectors name, each once, in the contract's order; throws one line naming a
 * selector that names none.
 */
export function selectReads(operations: ContractOperation[], selectors: string[]): ContractOperation[] {
  const chosen = new Set<ContractOperation>();
  for (const selector of selectors) {
    const route = /^([A-Za-z]+)\s+(\/\S*)$/.exec(selector.trim());
    const matches = route
      ? operations.filter((operation) => operation.method === route[1]!.toUpperCase() && globMatches(route[2]!, operation.path))
      : operations.filter((operation) => operation.operationId !== undefined && globMatches(selector.trim(), operation.operationId));
    if (matches.length === 0) {
      const posts = operations.filter((operation) => operation.method !== 'GET').map(describe).slice(0, 5);
      throw new Error(`--reads ${JSON.stringify(selector)} names no operation of the contract (an operationId, a pattern of them with *, or a method and path such as "POST /search"${posts.length ? `; its operations that are not GET include ${posts.join(', ')}` : ''})`);
    }
    for (const match of matches) chosen.add(match);
  }
  return operations.filter((operation) => chosen.has(operation));
}

/**
 * The root field names Mesh's OpenAPI handler gives the operations (the operationId, made a GraphQL
 * name; without one, a name made from the method and path), before any prefix: asked of the handler
 * itself, so that the names are the ones it will build.
 */
export async function meshFieldNames(contractFile: string, operations: ContractOperation[]): Promise<string[]> {
  // Loaded here only: the gateway itself never names fields.
  const { getJSONSchemaOptionsFromOpenAPIOptions } = await import('@omnigraph/openapi');
  const { operations: built } = await getJSONSchemaOptionsFromOpenAPIOptions('reads', { source: contractFile, cwd: '/', fetch: globalThis.fetch } as never);
  return operations.map((operation) => {
    const found = built.find((one) => 'method' in one && one.method === operation.method && 'path' in one && normalPath(one.path) === normalPath(operation.path));
    if (!found) throw new Error(`Mesh's OpenAPI handler gives ${describe(operation)} no field`);
    return found.field;
  });
}

/**
 * The reads that are not GET of each REST source of a built composition, by source name: its Query
 * fields' `@httpOperation` in `.mesh/sources/<name>/schema.graphql`.
 */
export function readOperations(root: string, source: string): ReadOperation[] {
  const file = join(root, '.mesh', 'sources', source, 'schema.graphql');
  if (!existsSync(file)) return [];
  const document = parse(readFileSync(file, 'utf8'), { noLocation: true });
  const query = document.definitions.find((definition): definition is ObjectTypeDefinitionNode => definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Query');
  return (query?.fields ?? []).flatMap((field) => {
    const operation = field.directives?.find((directive) => directive.name.value === 'httpOperation');
    const argument = (name: string) => operation?.arguments?.find((one) => one.name.value === name)?.value;
    const method = argument('httpMethod');
    const path = argument('path');
    if (method?.kind !== Kind.ENUM || method.value === 'GET' || path?.kind !== Kind.STRING) return [];
    return [{ method: method.value, path: path.value.split('?')[0]! }];
  });
}

/** A path template with each parameter as `{}`, as the contract and Mesh's annotation both reduce to. */
export function normalPath(path: string): string {
  return path.split('?')[0]!.replace(/\{[^}]*\}/g, '{}').replace(/(.)\/+$/, '$1');
}

function describe(operation: ContractOperation): string {
  return `${operation.method} ${operation.path}${operation.operationId ? ` (${operation.operationId})` : ''}`;
}

/** Private: whether `text` is all of `pattern`, where `*` is any run of characters. */
function globMatches(pattern: string, text: string): boolean {
  const expression = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${expression}$`).test(text);
}
