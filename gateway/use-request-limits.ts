/**
 * The size of a GraphQL request body: at most `maxBytes`, refused with HTTP 413 and
 * `extensions.code: "PAYLOAD_TOO_LARGE"` as soon as it passes the limit, before yoga parses it. The
 * body is then handed to yoga's own parser unchanged (JSON, GraphQL, forms, batches).
 *
 *   plugins: [useRequestLimits({ maxBytes: 102_400 })]
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { readLimited } from './read-limited.js';

export function useRequestLimits({ maxBytes }: { maxBytes: number }): Plugin {
  const tooLarge = () => new GraphQLError(`The request body must be at most ${maxBytes} bytes.`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
  });
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== 'POST' || !requestParser) return;
      setRequestParser(async (incoming) => {
        const body = await readLimited(incoming, maxBytes, tooLarge);
        return requestParser(new Request(incoming.url, { method: incoming.method, headers: incoming.headers, body: new Uint8Array(body) }));
      });
    },
  };
}
