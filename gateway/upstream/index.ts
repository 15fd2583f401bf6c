/** The upstream side of the gateway: one `Upstreams` per gateway, reached from a request's scope. */
export { createUpstreams, type CallOptions, type Upstreams } from './upstreams.js';
export { clientHeaders, runInScope, upstreams, type UpstreamScope } from './scope.js';
