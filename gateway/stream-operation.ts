/**
 * An operation that arrives over a streaming transport (graphql-ws, the graphql-sse protocol), made
 * ready to run through the same envelop pipeline as yoga's HTTP requests: the same schema, context,
 * error masking and upstream scope. Parse and validation errors come back as errors to send, with
 * the `extensions.http` that yoga adds for HTTP answers taken off (a socket has no status).
 *
 *   const prepared = await prepareStreamOperation(gateway.yoga, { request }, { query, variables });
 *   if ('errors' in prepared) return prepared.errors;
 *   const result = await prepared.run();   // an async iterable for a subscription, else one result
 */
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Gateway } from './server.js';
import { withoutExtension } from './use-error-shape.js';

export interface StreamPayload {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

type Yoga = Gateway['yoga'];
type Enveloped = ReturnType<Yoga['getEnveloped']>;

export type PreparedOperation =
  | { errors: readonly GraphQLError[] }
  | { args: ExecutionArgs; run(): Promise<ExecutionResult | AsyncIterable<ExecutionResult>> };

export async function prepareStreamOperation(yoga: Yoga, initialContext: Record<string, unknown>, payload: StreamPayload): Promise<PreparedOperation> {
  const enveloped = yoga.getEnveloped({ ...initialContext, params: payload });
  if (typeof payload.query !== 'string' || payload.query === '') {
    return { errors: [new GraphQLError('The operation has no query: send `query` with the GraphQL document.', { extensions: { code: 'BAD_REQUEST' } })] };
  }
  let document;
  try {
    document = enveloped.parse(payload.query);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [withoutExtension(error, 'http')] };
    throw error;
  }
  const errors = enveloped.validate(enveloped.schema, document);
  if (errors.length > 0) return { errors: errors.map((error: GraphQLError) => withoutExtension(error, 'http')) };
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) {
    return { errors: [new GraphQLError('The document must hold one operation, or name the one to run with `operationName`.', { extensions: { code: 'BAD_REQUEST' } })] };
  }
  let contextValue;
  try {
    contextValue = await enveloped.contextFactory();
  } catch (error) {
    // A refused token, say: the operation's error, not the connection's.
    if (error instanceof GraphQLError) return { errors: [withoutExtension(error, 'http')] };
    throw error;
  }
  const args: ExecutionArgs = {
    schema: enveloped.schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
    contextValue,
  };
  const perform: Enveloped['execute'] | Enveloped['subscribe'] = operation.operation === 'subscription' ? enveloped.subscribe : enveloped.execute;
  return { args, run: async () => (await perform(args)) as ExecutionResult | AsyncIterable<ExecutionResult> };
}
