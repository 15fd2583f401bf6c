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
 *   const { upstreams } = scopeOf(context);
 *   await upstreams.request('carrier', url, {}, callScope(context));
 */
import type { CallOptions, Upstreams } from './upstreams.js';
import type { TraceScope } from '../tracing/spans.js';

export interface UpstreamScope {
  upstreams: Upstreams;
  clientHeaders?: Headers;
  /** Where the upstream calls are traced (the span of the execution, or of a stitched batch); none when the request is not traced. */
  trace?: TraceScope;
  /**
   * The version of the cached entities a read is for (gateway/cache/entity-cache.ts): identical reads
   * in flight are shared only when they carry the same, so a read made after a change was acknowledged
   * never joins one that started before it (on a replica that has not heard of the change yet).
   */
  dataVersion?: string;
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

/**
 * What an upstream call takes of its request's scope: the client's headers (a source may be allowed
 * some) and where the call is traced. Code that calls `upstreams` itself passes it on:
 *
 *   await upstreams.request('billing', url, init, { ...callScope(context), idempotent: true });
 */
export function callScope(context: unknown): Pick<CallOptions, 'clientHeaders' | 'trace' | 'dataVersion'> {
  const { clientHeaders, trace, dataVersion } = scopeOf(context);
  return { clientHeaders, trace, dataVersion };
}

/**
 * A GraphQL context like `context` whose upstream calls are traced under `changes.trace` (a stitched
 * batch's span) or carry `changes.dataVersion`: a shallow copy with its own upstream scope, or
 * `context` itself when nothing changes. Not `Object.create(context)`, whose lookups through a new
 * prototype each request made a traced W3-vars request cost twice as much CPU more (bench, traced
 * against switchboard: +0.70 ms a request, +0.32 ms with the copy).
 */
export function withScope<T extends object>(context: T, changes: Pick<UpstreamScope, 'trace' | 'dataVersion'>): T {
  const { trace, dataVersion } = changes;
  if (!trace && !dataVersion) return context;
  return { ...context, upstreamScope: { ...scopeOf(context), ...(trace ? { trace } : {}), ...(dataVersion ? { dataVersion } : {}) } };
}
