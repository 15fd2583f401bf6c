/** The upstream side of the gateway: one `Upstreams` per gateway, reached from a request's context. */
export { createUpstreams, type CallOptions, type Upstreams } from './upstreams.js';
export { callScope, scopeOf, withScope, type ScopedContext, type UpstreamScope } from './scope.js';
