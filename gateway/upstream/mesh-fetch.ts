/**
 * The `customFetch` of `.meshrc.yaml`: Mesh's OpenAPI and GraphQL handlers call upstreams through
 * this, so they get the same credentials, timeouts and typed errors as the SOAP source.
 */
import { upstreams } from './index.js';

export default async function meshFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const source = upstreams().sourceFor(url);
  if (!source) {
    // Only configured upstreams are reachable from the gateway: anything else is a composition bug.
    throw new Error(`Switchboard has no source for ${new URL(url).origin}`);
  }
  return upstreams().request(source, url, init);
}

// The built mesh imports this module's `fetch`.
export { meshFetch as fetch };
