/**
 * Liveness and readiness, as orchestrators probe them:
 *
 * - `GET /healthz`: 200 while the process serves at all (the server listens only once the schema is
 *   built), also while it drains; a liveness probe restarts the process when this fails.
 * - `GET /readyz`: 200 when the gateway should be sent traffic: the schema is served, the shared
 *   store (Redis, when `REDIS_URL` is set) answers, and it is not shutting down; 503 otherwise, so a
 *   load balancer takes the replica out of rotation before it stops.
 *
 * Both bodies say how loaded the gateway is (use-concurrency-limit.ts):
 * `{ "status": "ready", "checks": { "schema": "ok", "redis": "ok" }, "requests": { "running": 16, "waiting": 34, "limit": 16 } }`.
 */
import type { Plugin } from 'graphql-yoga';
import type { RequestLoad } from './use-concurrency-limit.js';

export interface HealthOptions {
  load: () => RequestLoad;
  /** Whether the gateway is shutting down (gateway/server/http-server.ts sets it). */
  draining: () => boolean;
  /** The shared store's check, when there is one. */
  redis?: () => Promise<boolean>;
}

export function useHealth(options: HealthOptions): Plugin {
  const answer = (fetchAPI: { Response: typeof Response }, status: number, body: unknown) => new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') {
        endResponse(answer(fetchAPI, 200, { status: options.draining() ? 'draining' : 'ok', requests: options.load() }));
        return;
      }
      if (url.pathname !== '/readyz') return;
      const checks: Record<string, string> = { schema: 'ok' };
      if (options.redis) checks.redis = (await options.redis()) ? 'ok' : 'unreachable';
      const draining = options.draining();
      const ready = !draining && Object.values(checks).every((check) => check === 'ok');
      endResponse(answer(fetchAPI, ready ? 200 : 503, { status: draining ? 'draining' : ready ? 'ready' : 'unavailable', checks, requests: options.load() }));
    },
  };
}
