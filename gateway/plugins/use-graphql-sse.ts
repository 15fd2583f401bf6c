/**
 * The graphql-sse protocol (https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md) at its
 * own path, for clients built on the `graphql-sse` library; yoga's own SSE stays at /graphql.
 *
 * graphql-sse's handler speaks the protocol (streams, reservations, operation ids); each operation
 * is replayed through the gateway's one pipeline (replay-operation.ts) as the request the client
 * sent: its method, headers and body, so that every rule of the GraphQL endpoint holds here with the
 * same codes, and every refusal reaches the client as a GraphQL result on the stream. The body is
 * held to the endpoint's limit before graphql-sse reads it (`PAYLOAD_TOO_LARGE`, HTTP 413).
 *
 * Written over `graphql-sse`'s handler rather than taken from `@graphql-yoga/plugin-graphql-sse`
 * (3.24.1), which fails clients on bad input: a syntax error is answered 500, and a validation error
 * or a subscription refused when it starts a bare 400 "Unable to detect operation AST".
 *
 *   plugins: [useGraphQLSse({ endpoint: '/graphql/stream', maxBodyBytes: 102_400, yoga: () => yoga })]
 */
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import type { Plugin } from 'graphql-yoga';
import type { Gateway } from '../server/server.js';
import { replayOperation } from '../server/replay-operation.js';
import { limitBody } from './use-request-limits.js';

export interface GraphQLSseOptions {
  endpoint: string;
  maxBodyBytes: number;
  /** The gateway's yoga, whose whole handling (request hooks included) each operation goes through. */
  yoga(): Gateway['yoga'];
}

export function useGraphQLSse({ endpoint, maxBodyBytes, yoga }: GraphQLSseOptions): Plugin {
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const received = new WeakMap<Request, { body?: string; serverContext: Record<string, unknown> }>();
  return {
    onYogaInit({ yoga: server }) {
      handler = createHandler({
        async onSubscribe(req) {
          const request = req.raw as Request;
          const { body, serverContext } = received.get(request)!;
          const replayed = await replayOperation(yoga(), {
            method: request.method === 'GET' ? 'GET' : 'POST',
            headers: request.headers,
            body,
            search: new URL(request.url).search,
            serverContext,
          });
          // graphql-sse takes a single result only when it has `data`; a refusal goes as a stream of one.
          // Either is what the client receives already (graphql-sse writes it as JSON).
          return ('refused' in replayed ? single(replayed.refused) : replayed.results) as unknown as AsyncIterable<ExecutionResult>;
        },
      }, server.fetchAPI);
    },
    async onRequest({ request, url, endResponse, serverContext, fetchAPI }) {
      if (url.pathname !== endpoint || !handler) return;
      const limited = await limitBody(request, maxBodyBytes, fetchAPI);
      if (limited instanceof fetchAPI.Response) return endResponse(limited);
      const { req } = serverContext as { req?: unknown };
      received.set(limited.request, { body: limited.body, serverContext: { req, transport: 'graphql-sse' } });
      endResponse(await withCodes(await handler(limited.request), fetchAPI));
    },
  };
}

/**
 * Private: graphql-sse's own refusals of a request that is not its protocol ("Missing query",
 * "Invalid variables", HTTP 4xx) with the code every gateway error carries, as the GraphQL endpoint
 * gives the same refusals.
 */
async function withCodes(response: Response, fetchAPI: { Response: typeof Response }): Promise<Response> {
  if (response.status < 400 || !response.headers.get('content-type')?.includes('json')) return response;
  const body = (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
  const errors = (body.errors ?? [{ message: `The request was refused (HTTP ${response.status}).` }])
    .map((error) => ({ ...error, extensions: { code: 'BAD_REQUEST', ...error.extensions } }));
  return new fetchAPI.Response(JSON.stringify({ errors }), { status: response.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/** Private: one result, as a stream that then completes. */
async function* single(result: FormattedExecutionResult): AsyncGenerator<FormattedExecutionResult> {
  yield result;
}
