/**
 * `GET /healthz`: 200 once the gateway serves its schema. The server starts listening only after
 * the mesh is built, so answering at all means ready.
 */
import type { Plugin } from 'graphql-yoga';

export function useHealth(path = '/healthz'): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ status: 'ok' }), {
          status: 200,
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
