/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the GraphQL endpoint's path. Each `subscribe`
 * message is replayed through the gateway's one pipeline (replay-operation.ts) with the headers of
 * the socket's upgrade request, and the token from the `connection_init` payload
 * (`{ "authorization": "Bearer <token>" }`, since a browser cannot set headers on a WebSocket) as
 * its Authorization: every rule of the HTTP endpoint holds, with the same codes.
 *
 * What is the socket's own:
 * - A message longer than twice `maxMessageBytes` closes the socket with 1009 (Message Too Big)
 *   before it is read; a shorter one still over the limit is refused by the pipeline like an HTTP
 *   body (`PAYLOAD_TOO_LARGE`, for that operation alone).
 * - At most `maxOperations` operations are open on one socket at once; a subscribe past that is
 *   refused with `TOO_MANY_OPERATIONS`, so that a flood of subscribe messages costs a few bytes each.
 * - The protocol's own refusals are graphql-ws's close codes: 4400 for a message that is not the
 *   protocol, 4401 for a subscribe before `connection_init`, 4409 for an id already in use.
 *
 *   const graphqlWs = serveGraphQLWs(server, gateway.yoga, { path: '/graphql', maxMessageBytes: 102_400, maxOperations: 100 });
 *   await graphqlWs.close();
 */
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Gateway } from './server.js';
import { replayOperation, type ResultStream } from './replay-operation.js';
import { requestIdFrom } from '../logging/log.js';

export interface GraphQLWsOptions {
  path: string;
  /** The largest operation a message may carry: the HTTP body limit (`MAX_BODY_BYTES`). */
  maxMessageBytes: number;
  /** Operations open on one socket at once (`MAX_OPERATIONS_PER_SOCKET`). */
  maxOperations: number;
}

/** Headers of the upgrade request that belong to the socket, not to the operations it carries. */
const SOCKET_HEADERS = new Set(['connection', 'upgrade', 'host', 'content-length', 'content-type', 'accept', 'transfer-encoding', 'keep-alive']);

// graphql-ws needs a document to tell a subscription from the rest; the replay runs the real one.
const PLACEHOLDER = parse('subscription { __typename }');

export function serveGraphQLWs(server: Server, yoga: Gateway['yoga'], options: GraphQLWsOptions) {
  const sockets = new WebSocketServer({ server, path: options.path, maxPayload: 2 * options.maxMessageBytes });
  // The results are already what the client receives (onNext sends them as they are).
  const run = (args: ExecutionArgs) => args.rootValue as ResultStream as unknown as AsyncGenerator<ExecutionResult>;
  const graphqlWs = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>({
    execute: run,
    subscribe: run,
    onSubscribe: async (context, _id, payload) => {
      if (Object.keys(context.subscriptions).length > options.maxOperations) {
        return [new GraphQLError(`A socket may hold at most ${options.maxOperations} operations at once: complete one before you start another.`, { extensions: { code: 'TOO_MANY_OPERATIONS' } })];
      }
      const replayed = await replayOperation(yoga, {
        method: 'POST',
        headers: operationHeaders(context.extra.request, context.connectionParams),
        body: JSON.stringify(payload),
        serverContext: { req: context.extra.request, transport: 'graphql-ws' },
      });
      if ('refused' in replayed) return (replayed.refused.errors ?? []).map(asGraphQLError);
      return { schema: undefined as never, document: PLACEHOLDER, rootValue: replayed.results };
    },
    onNext: (_context, _id, _payload, _args, result) => result as never,
    onError: (_context, _id, _payload, errors) => errors.map((error) => error.toJSON()),
  }, sockets);
  return {
    /** Closes every socket with 1001 Going Away (graphql-ws clients reconnect), and takes no more. */
    dispose: () => graphqlWs.dispose(),
    async close() {
      for (const socket of sockets.clients) socket.terminate();
      await graphqlWs.dispose();
    },
  };
}

/** Private: the upgrade request's headers, with the connection's token as Authorization. */
function operationHeaders(request: IncomingMessage, connectionParams: Readonly<Record<string, unknown>> | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || SOCKET_HEADERS.has(name) || name.startsWith('sec-websocket-')) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // Each operation is a request of its own in the log.
  headers.set('x-request-id', requestIdFrom(undefined));
  const authorization = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (typeof authorization === 'string') headers.set('authorization', authorization);
  return headers;
}

/** Private: an error of a refused operation, as graphql-ws sends errors: its JSON, unchanged. */
function asGraphQLError(json: unknown): GraphQLError {
  const { message } = json as { message: string };
  const error = new GraphQLError(message);
  error.toJSON = () => json as ReturnType<GraphQLError['toJSON']>;
  return error;
}
