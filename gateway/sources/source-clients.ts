/**
 * How the stitched graph asks a source for data: straight through the source's own Mesh handler
 * (the GraphQL handler's executor, the SOAP schema, the OpenAPI handler's REST resolvers), with one
 * operation per field, arguments and selection, built and compiled (graphql-jit) once and reused.
 * A plain REST read goes straight to the upstream transport instead, built from the annotations the
 * OpenAPI handler wrote into the composition (gateway/sources/rest/rest-operation.ts).
 *
 * Mesh's in-context SDK does the same through schema delegation, which plans and rewrites every
 * call anew and wraps every field of the result; on this graph that cost most of a request's CPU
 * (bench/results.md). Every path ends in the same upstream transport (the source's policy, credentials, typed errors).
 *
 *   const clients = createSourceClients(mesh.rawSources, { requestText: upstreams.requestText, env: process.env });
 *   await clients.carrier.query('listParcels', { ids: ['PCL-1001'] }, '{ id status }', context);
 */
import { GraphQLError, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { answeredBy } from '../errors.js';
import { callScope, scopeOf, type CallOptions } from '../upstream/index.js';
import { planRestRead, type RestRead } from './rest/rest-operation.js';

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
  /** Runs the source's root mutation `field`, as `query` does. */
  mutate(field: string, args: Record<string, unknown>, selectionSet: string, context: object): Promise<unknown>;
}

/** Each source's client, by the source's name. */
export type SourceClients = Readonly<Record<string, SourceClient>>;

export interface SourceClientOptions {
  /** The upstream transport (credentials, timeout, typed errors), for plain REST reads and remote GraphQL sources. */
  requestText: (source: string, url: string, init: RequestInit, options?: CallOptions) => Promise<string>;
  /** What `{env.X}` in the composition's annotations reads. */
  env: Record<string, string | undefined>;
  /**
   * Each source's endpoint, as configured. A remote GraphQL source with one is asked directly (a POST
   * of the operation) rather than through its Mesh executor.
   */
  endpoints?: Partial<Record<string, string>>;
}

export function createSourceClients(rawSources: readonly RawSource[], options: SourceClientOptions): SourceClients {
  return Object.fromEntries(rawSources.map((source) => [source.name, createSourceClient(source, options)])) as SourceClients;
}

type Run = (variables: Record<string, unknown>, context: object) => Promise<ExecutionResult> | ExecutionResult;

function createSourceClient(source: RawSource, options: SourceClientOptions): SourceClient {
  const runs = new Map<string, Run>();
  const restReads = new Map<string, RestRead | undefined>();
  const restReadFor = (field: string) => {
    if (!restReads.has(field)) restReads.set(field, planRestRead(source.schema, field, options.env));
    return restReads.get(field);
  };
  const endpoint = source.executor ? options.endpoints?.[source.name] : undefined;
  const post: Post | undefined = endpoint
    ? async (body, context, field) => readAnswer(await options.requestText(source.name, endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body,
    }, { ...callScope(context), operation: field }))
    : undefined;
  const runFor = (operation: 'query' | 'mutation', field: string, argNames: string[], selectionSet: string): Run => {
    const key = `${operation} ${field}(${argNames.join(',')})${selectionSet}`;
    let run = runs.get(key);
    if (!run) {
      const root = operation === 'query' ? source.schema.getQueryType() : source.schema.getMutationType();
      const definition = root?.getFields()[field];
      if (!definition) throw new Error(`${source.name} has no ${operation} field ${field}.`);
      const variables = argNames.map((name) => {
        const arg = definition.args.find((candidate) => candidate.name === name);
        if (!arg) throw new Error(`${source.name}'s ${field} has no argument ${name}.`);
        return `$${name}: ${arg.type.toString()}`;
      });
      const call = argNames.length ? `${field}(${argNames.map((name) => `${name}: $${name}`).join(', ')})` : field;
      const text = `${operation}${variables.length ? `(${variables.join(', ')})` : ''} { ${call} ${selectionSet} }`;
      const document = parse(text, { noLocation: true });
      run = post ? (values, context) => post(JSON.stringify({ query: text, variables: values }), context, field) : compile(source, document);
      runs.set(key, run);
    }
    return run;
  };
  const execute = async (operation: 'query' | 'mutation', field: string, args: Record<string, unknown>, selectionSet: string, context: object) => {
    const variables: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(args)) if (value !== undefined && value !== null) variables[name] = value;
    const result = await runFor(operation, field, Object.keys(variables), selectionSet)(variables, context);
    if (result.errors?.length) throw answeredBy(firstError(result.errors), source.name);
    return (result.data as Record<string, unknown> | null | undefined)?.[field];
  };
  return {
    query(field, args, selectionSet, context) {
      const { upstreams, clientHeaders, dataVersion = '' } = scopeOf(context);
      // Identical reads in flight share one outcome, with the work of building the upstream request
      // and shaping its answer (a SOAP envelope, the source's own execution): the answer is read-only.
      return upstreams.shareRead(source.name, `${field}${selectionSet} ${JSON.stringify(args)} ${dataVersion}`, clientHeaders, async () => {
        const rest = restReadFor(field);
        if (!rest) return execute('query', field, args, selectionSet, context);
        const text = await options.requestText(source.name, rest.url(args), { headers: rest.headers }, callScope(context));
        return rest.shape(JSON.parse(text) as unknown);
      });
    },
    mutate: (field, args, selectionSet, context) => execute('mutation', field, args, selectionSet, context),
  };
}

/**
 * Private: how one operation runs: through the source's executor where it has one (a remote
 * GraphQL source), otherwise over the source's schema, compiled once by graphql-jit.
 */
function compile(source: RawSource, document: DocumentNode): Run {
  const { executor } = source;
  if (executor) return (variables, context) => executor({ document, variables, context });
  const compiled = compileQuery(source.schema, document);
  if (!isCompiledQuery(compiled)) throw new Error(`${source.name}: ${compiled.errors?.map((error) => error.message).join('; ')}`);
  return (variables, context) => compiled.query(undefined, context, variables) as Promise<ExecutionResult> | ExecutionResult;
}

type Post = (body: string, context: object, field: string) => Promise<ExecutionResult>;

/** Private: a remote GraphQL source's answer: `{ data, errors }`, its errors as GraphQL errors; anything else throws. */
function readAnswer(text: string): ExecutionResult {
  const answer = JSON.parse(text) as { data?: unknown; errors?: unknown } | null;
  if (!answer || typeof answer !== 'object' || (!('data' in answer) && !Array.isArray(answer.errors))) {
    throw new Error('The answer is not a GraphQL response.');
  }
  const errors = Array.isArray(answer.errors)
    ? answer.errors.map((error: { message?: unknown; extensions?: Record<string, unknown> }) => new GraphQLError(String(error?.message ?? 'Unknown error'), { extensions: error?.extensions }))
    : undefined;
  return { data: answer.data as ExecutionResult['data'], ...(errors ? { errors } : {}) };
}

/** Private: the error a failed call reports, with its cause's typed extensions where it has them. */
function firstError(errors: readonly (GraphQLError | Error)[]): Error {
  const first = errors[0]!;
  return first instanceof GraphQLError && first.originalError ? first.originalError : first;
}
