/**
 * The gateway request an upstream call is made for: which gateway's upstreams serve it, and the
 * client's headers that a source may be allowed to receive. It travels in the request's GraphQL
 * context (`upstreamScope`, set by gateway/plugins/use-upstream-scope.ts): Mesh's REST handler hands its
 * context to `customFetch`, the SOAP schema hands it to its transport with each call, and the
 * stitched graph's source clients have it at hand.
 *
 * Not AsyncLocalStorage, which reached the same calls without any passing: its promise hooks run on
 * every promise of a request, and on W1 they cost 40% of the gateway's throughput (bench, 0.47× →
 * 0.78× of the aggregator without them).
 *
 *   const { upstreams, clientHeaders } = scopeOf(context);
 *   await upstreams.request('carrier', url, {}, { clientHeaders });
 */
import type { Upstreams } from './upstreams.js';

export interface UpstreamScope {
  upstreams: Upstreams;
  clientHeaders?: Headers;
}

/** A GraphQL context that carries its request's upstream scope. */
export interface ScopedContext {
  upstreamScope?: UpstreamScope;
}

/** The upstream scope of the request whose GraphQL context this is. */
export function scopeOf(context: unknown): UpstreamScope {
  const scope = (context as ScopedContext | null | undefined)?.upstreamScope;
  if (!scope) throw new Error('An upstream was called outside of a gateway request: its GraphQL context has no upstreamScope (gateway/plugins/use-upstream-scope.ts).');
  return scope;
}
