/**
 * `GET /healthz`: 200 once the gateway serves its schema. The server starts listening only after
 * the mesh is built, so answering at all means ready. The body says how loaded it is:
 * `{ "status": "ok", "requests": { "running": 16, "waiting": 34, "limit": 16 } }` (use-concurrency-limit.ts).
 */
import type { Plugin } from 'graphql-yoga';
import type { RequestLoad } from './use-concurrency-limit.js';

export function useHealth(load: () => RequestLoad, path = '/healthz'): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ status: 'ok', requests: load() }), {
          status: 200,
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
