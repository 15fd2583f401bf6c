/**
 * The gateway request an upstream call is made for, kept across the asynchronous work of executing
 * it (AsyncLocalStorage): which gateway's upstreams serve it, and the client's headers that a source
 * may be allowed to receive. Mesh's handlers call `fetch` and node-soap calls its transport without
 * any way to pass these along; the scope reaches them wherever they run.
 *
 *   runInScope({ upstreams, clientHeaders: request.headers }, () => execute(...));
 *   upstreams().send('catalog', url);   // inside: that gateway's upstreams
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Upstreams } from './upstreams.js';

export interface UpstreamScope {
  upstreams: Upstreams;
  clientHeaders?: Headers;
}

const scope = new AsyncLocalStorage<UpstreamScope>();

export function runInScope<T>(current: UpstreamScope, run: () => T): T {
  return scope.run(current, run);
}

/** The upstreams of the gateway whose request is being executed. */
export function upstreams(): Upstreams {
  const current = scope.getStore();
  if (!current) throw new Error('An upstream was called outside of a gateway request; run it inside runInScope.');
  return current.upstreams;
}

/** The headers of the client request being executed, if any. */
export function clientHeaders(): Headers | undefined {
  return scope.getStore()?.clientHeaders;
}
