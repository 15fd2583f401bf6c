/**
 * Gives each operation its upstream scope (gateway/upstream/scope.ts) in its GraphQL context: the
 * upstream calls it makes, wherever in Mesh or node-soap they start, go through this gateway's
 * upstreams and see the client's headers, which a source may be allowed to receive.
 *
 *   plugins: [useUpstreamScope(createUpstreams(config))]
 */
import type { Plugin } from 'graphql-yoga';
import type { ScopedContext, Upstreams } from '../upstream/index.js';

export function useUpstreamScope(upstreams: Upstreams): Plugin<ScopedContext & { request?: Request }> {
  return {
    onContextBuilding({ context, extendContext }) {
      extendContext({ upstreamScope: { upstreams, clientHeaders: context.request?.headers } });
    },
  };
}
