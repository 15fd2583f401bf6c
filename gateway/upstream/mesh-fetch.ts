/**
 * The `customFetch` of `.meshrc.yaml`: Mesh's OpenAPI and GraphQL handlers call upstreams through
 * this, with the GraphQL context of the request they serve, so they get the same credentials,
 * timeouts and typed errors as the SOAP source, and the client headers their source allows.
 */
import { scopeOf } from './index.js';

export default async function meshFetch(url: string, init: RequestInit = {}, context?: unknown): Promise<Response> {
  const { upstreams, clientHeaders } = scopeOf(context);
  const source = upstreams.sourceFor(url);
  if (!source) {
    // Only configured upstreams are reachable from the gateway: anything else is a composition bug.
    throw new Error(`Switchboard has no source for ${new URL(url).origin}`);
  }
  return upstreams.request(source, url, init, { clientHeaders });
}

// The built mesh imports this module's `fetch`.
export { meshFetch as fetch };
