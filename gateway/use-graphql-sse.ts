/**
 * The graphql-sse protocol (https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md) at its
 * own path, for clients built on the `graphql-sse` library; yoga's own SSE stays at /graphql.
 *
 * Written here over `graphql-sse`'s handler rather than taken from `@graphql-yoga/plugin-graphql-sse`
 * (3.24.1), which fails clients on bad input: a syntax error is answered 500, and a validation error
 * or a subscription refused when it starts (`EVENT_NOT_HELD`) a bare 400 "Unable to detect operation
 * AST" that loses the GraphQL errors. Here every such error reaches the client as a GraphQL result
 * on the stream, with its code, as yoga's SSE and graphql-ws give it.
 *
 *   plugins: [useGraphQLSse({ endpoint: '/graphql/stream' })]
 */
import type { ExecutionResult } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import type { Plugin } from 'graphql-yoga';
import type { Gateway } from './server.js';
import { prepareStreamOperation, type StreamPayload } from './stream-operation.js';

export function useGraphQLSse({ endpoint }: { endpoint: string }): Plugin {
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const serverContexts = new WeakMap<Request, Record<string, unknown>>();
  return {
    onYogaInit({ yoga }) {
      handler = createHandler({
        async onSubscribe(req, params) {
          const prepared = await prepareStreamOperation(yoga as Gateway['yoga'], { ...serverContexts.get(req.raw), request: req.raw }, params as StreamPayload);
          if ('errors' in prepared) return single({ errors: prepared.errors });
          const result = await prepared.run();
          // graphql-sse takes a result only when it has `data`; one with errors alone goes as a stream of one.
          return Symbol.asyncIterator in result ? result : single(result);
        },
      }, yoga.fetchAPI);
    },
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== endpoint || !handler) return;
      serverContexts.set(request, serverContext as Record<string, unknown>);
      endResponse(await handler(request));
    },
  };
}

/** Private: one result, as a stream that then completes. */
async function* single(result: ExecutionResult): AsyncGenerator<ExecutionResult> {
  yield result;
}
