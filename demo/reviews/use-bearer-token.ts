/**
 * A yoga plugin that refuses every request without `Authorization: Bearer <token>`, before yoga
 * parses it: HTTP 401 with `WWW-Authenticate` (RFC 6750 §3) and a GraphQL-shaped body.
 *
 *   createYoga({ schema, plugins: [useBearerToken('demo-reviews-token')] });
 */
import type { Plugin } from 'graphql-yoga';
import { safeEqual } from '../world/config.js';

export function useBearerToken(token: string): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      if (presented !== undefined && safeEqual(presented, token)) return;
      // RFC 6750 §3.1: a request without credentials gets no error code; a wrong token gets invalid_token.
      const [message, challenge] = presented === undefined
        ? ['An `Authorization: Bearer <token>` header is required.', 'Bearer realm="reviews"']
        : ['The bearer token is wrong.', 'Bearer realm="reviews", error="invalid_token"'];
      const body = { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] };
      endResponse(new fetchAPI.Response(JSON.stringify(body), {
        status: 401,
        headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': challenge },
      }));
    },
  };
}
