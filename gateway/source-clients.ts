/**
 * How the stitched graph asks a source for data: straight through the source's own Mesh handler
 * (the OpenAPI handler's REST resolvers, the GraphQL handler's executor, the SOAP schema), with one
 * operation document per field, arguments and selection, built once and reused.
 *
 * Mesh's in-context SDK does the same through schema delegation, which plans and rewrites every
 * call anew and wraps every field of the result; on this graph that cost most of a request's CPU
 * (bench/results.md). The handlers, and the upstream transport under them, are unchanged.
 *
 *   const clients = createSourceClients(mesh.rawSources);
 *   await clients.catalog.query('listProducts', { ids: ['prod-0001'] }, '{ id name }', context);
 */
import { execute, GraphQLError, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SourceName } from './config.js';

/** What Mesh's runtime keeps of each source (`getBuiltMesh().rawSources`). */
export interface RawSource {
  name: string;
  schema: GraphQLSchema;
  executor?: (request: { document: DocumentNode; variables: Record<string, unknown>; context: unknown }) => Promise<ExecutionResult> | ExecutionResult;
}

export interface SourceClient {
  /**
   * Runs the source's root query `field` with `args` and returns its value. A failed call throws
   * the first error, which keeps the upstream transport's typed `extensions` (`code`, `source`).
   */
  query(field: string, args: Record<string, unknown>, selectionSet: string, context: object): Promise<unknown>;
}

export type SourceClients = Record<SourceName, SourceClient>;

export function createSourceClients(rawSources: readonly RawSource[]): SourceClients {
  return Object.fromEntries(rawSources.map((source) => [source.name, createSourceClient(source)])) as SourceClients;
}

function createSourceClient(source: RawSource): SourceClient {
  const documents = new Map<string, DocumentNode>();
  const documentFor = (field: string, argNames: string[], selectionSet: string): DocumentNode => {
    const key = `${field}(${argNames.join(',')})${selectionSet}`;
    let document = documents.get(key);
    if (!document) {
      const definition = source.schema.getQueryType()?.getFields()[field];
      if (!definition) throw new Error(`${source.name} has no query field ${field}.`);
      const variables = argNames.map((name) => {
        const arg = definition.args.find((candidate) => candidate.name === name);
        if (!arg) throw new Error(`${source.name}'s ${field} has no argument ${name}.`);
        return `$${name}: ${arg.type.toString()}`;
      });
      const call = argNames.length ? `${field}(${argNames.map((name) => `${name}: $${name}`).join(', ')})` : field;
      document = parse(`query${variables.length ? `(${variables.join(', ')})` : ''} { ${call} ${selectionSet} }`, { noLocation: true });
      documents.set(key, document);
    }
    return document;
  };
  return {
    async query(field, args, selectionSet, context) {
      const variables: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(args)) if (value !== undefined && value !== null) variables[name] = value;
      const document = documentFor(field, Object.keys(variables), selectionSet);
      const result = source.executor
        ? await source.executor({ document, variables, context })
        : await execute({ schema: source.schema, document, variableValues: variables, contextValue: context });
      if (result.errors?.length) throw firstError(result.errors);
      return (result.data as Record<string, unknown> | null | undefined)?.[field];
    },
  };
}

/** Private: the error a failed call reports, with its cause's typed extensions where it has them. */
function firstError(errors: readonly (GraphQLError | Error)[]): Error {
  const first = errors[0]!;
  return first instanceof GraphQLError && first.originalError ? first.originalError : first;
}
