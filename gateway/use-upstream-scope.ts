/**
 * Runs each operation inside its upstream scope (gateway/upstream/scope.ts): the upstream calls it
 * makes, wherever in Mesh or node-soap they start, go through this gateway's upstreams and see the
 * client's headers, which a source may be allowed to receive.
 *
 *   plugins: [useUpstreamScope(createUpstreams(config))]
 */
import type { Plugin } from 'graphql-yoga';
import { runInScope, type Upstreams } from './upstream/index.js';

export function useUpstreamScope(upstreams: Upstreams): Plugin {
  const inScope = ({ context }: { context: { request?: Request } }, wrapped: () => unknown) =>
    runInScope({ upstreams, clientHeaders: context.request?.headers }, wrapped);
  return {
    instrumentation: {
      execute: inScope as never,
      subscribe: inScope as never,
    },
  };
}
