/**
 * What a GraphQL request must be before yoga parses it:
 * - not a "simple" request a page of another origin could send without a CORS preflight (a GET, or a
 *   POST of a form or text/plain), unless it carries the `x-graphql-csrf` header: yoga's CSRF
 *   prevention plugin, its refusal given a code (`CSRF_HEADER_REQUIRED`, HTTP 403);
 * - a body of at most `maxBytes`, refused with HTTP 413 and `PAYLOAD_TOO_LARGE` as soon as it passes
 *   the limit. The body is then handed to yoga's own parser unchanged (JSON, GraphQL, forms, batches).
 *
 *   plugins: [useRequestLimits({ maxBytes: 102_400 })]
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { readLimited } from './read-limited.js';

export const CSRF_HEADER = 'x-graphql-csrf';

/** The refusal of a body over `maxBytes`. */
function payloadTooLarge(maxBytes: number): GraphQLError {
  return new GraphQLError(`The request body must be at most ${maxBytes} bytes.`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
  });
}

/**
 * A request whose body a handler other than yoga's will read (the graphql-sse protocol), held to
 * the same limit: the request with its body read, or the 413 answer to send instead.
 */
export async function limitBody(request: Request, maxBytes: number, fetchAPI: { Request: typeof Request; Response: typeof Response }): Promise<{ request: Request; body?: string } | Response> {
  if (request.method !== 'POST') return { request };
  let body: string;
  try {
    body = (await readLimited(request, maxBytes, () => payloadTooLarge(maxBytes))).toString('utf8');
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const refusal = { errors: [{ message: error.message, extensions: { code: error.extensions.code } }] };
    return new fetchAPI.Response(JSON.stringify(refusal), { status: 413, headers: { 'content-type': 'application/json' } });
  }
  return { request: new fetchAPI.Request(request.url, { method: 'POST', headers: request.headers, body, signal: request.signal }), body };
}

export function useRequestLimits({ maxBytes }: { maxBytes: number }): Plugin {
  const tooLarge = () => payloadTooLarge(maxBytes);
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        csrf.onRequestParse!(payload as never);
      } catch {
        throw new GraphQLError(`A GET request, or a POST that is not JSON, must carry the ${CSRF_HEADER} header (any value): a page of another site cannot send it.`, {
          extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } },
        });
      }
      const { request, requestParser, setRequestParser } = payload;
      if (request.method !== 'POST') return;
      if (!requestParser) {
        throw new GraphQLError(`A GraphQL request is sent as application/json (or application/graphql+json, multipart/form-data, application/x-www-form-urlencoded), but got: ${JSON.stringify(request.headers.get('content-type') ?? '')}.`, {
          extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } },
        });
      }
      // With a Content-Length within the limit the body cannot be longer (Node's parser holds it to
      // that length): yoga reads it as it is. Without one (chunked), it is read here, up to the limit.
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (Number(declared) > maxBytes) throw tooLarge();
        return;
      }
      setRequestParser(async (incoming) => {
        const body = await readLimited(incoming, maxBytes, tooLarge);
        return requestParser(new Request(incoming.url, { method: incoming.method, headers: incoming.headers, body: new Uint8Array(body) }));
      });
    },
  };
}
