/**
 * `POST /admin/invalidate`: an operator drops what the caches hold, when a provider changed data
 * without a webhook (a bulk import, a fix in its database). With `ADMIN_TOKEN` set, a call carries
 * `Authorization: Bearer <ADMIN_TOKEN>`; without it the endpoint answers 404. The body names what:
 *
 *   { "type": "StockLevel", "key": "SKU-0001" }   one entity (as a webhook would: reads in flight are forgotten too, and kept answers that hold it dropped)
 *   { "type": "StockLevel" }                      every entity of a kept type
 *   { "source": "erp" }                           every entity of the types that source keeps
 *
 * and the answer says how many entities were held: `{ "invalidated": 12 }`. With the cache shared in
 * Redis (the default with replicas) it acts for every replica; with `ENTITY_CACHE=memory` on
 * replicas, call each. 503 when the shared store cannot be reached: nothing is known to be dropped.
 */
import type { Plugin } from 'graphql-yoga';
import { carriesToken } from '../../lib/http.js';
import { readLimited } from '../plugins/read-limited.js';
import type { Invalidations } from '../events/invalidation.js';
import type { Caches } from './start-caches.js';

export const INVALIDATE_PATH = '/admin/invalidate';

export interface CacheAdminOptions {
  token?: string;
  caches: Caches;
  invalidations: Invalidations;
  /** The types each source keeps (its manifest's `cache`), by source name. */
  typesOf: Readonly<Record<string, readonly string[]>>;
}

class AdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function useCacheAdmin(options: CacheAdminOptions): Plugin {
  const kept = Object.values(options.typesOf).flat();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== INVALIDATE_PATH) return;
      const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } }));
      try {
        if (options.token === undefined) throw new AdminError(404, 'Switchboard\'s admin endpoints are off: set ADMIN_TOKEN to use them.');
        if (!carriesToken(request.headers.get('authorization'), options.token)) throw new AdminError(401, 'A call must carry Authorization: Bearer <ADMIN_TOKEN>.');
        if (request.method !== 'POST') throw new AdminError(405, `${INVALIDATE_PATH} takes POST.`);
        const body = await readBody(request);
        const invalidated = await invalidate(body).catch((error: unknown) => {
          if (error instanceof AdminError) throw error;
          throw new AdminError(503, `The cache could not be reached (${(error as Error).message}); try again.`);
        });
        answer(200, { invalidated });
      } catch (error) {
        if (!(error instanceof AdminError)) throw error;
        answer(error.status, { error: error.message }, error.status === 401 ? { 'www-authenticate': 'Bearer realm="admin"' } : error.status === 405 ? { allow: 'POST' } : {});
      }
    },
  };

  /** Private: drops what the body names; how many entities were held. */
  async function invalidate(body: Record<string, unknown>): Promise<number> {
    const { type, key, source } = body;
    const what = 'The body must be {"type": …, "key": …}, {"type": …} or {"source": …}';
    if (Object.keys(body).some((name) => !['type', 'key', 'source'].includes(name)) || (source !== undefined && (type !== undefined || key !== undefined))) throw new AdminError(400, `${what}.`);
    // Every answer that holds one goes too; the count is of entities.
    const dropType = async (kept: string) => {
      const [entities] = await Promise.all([options.caches.entities?.invalidateType(kept), options.caches.responses?.invalidateType(kept)]);
      return entities ?? 0;
    };
    if (source !== undefined) {
      if (typeof source !== 'string' || !Object.hasOwn(options.typesOf, source)) {
        throw new AdminError(400, `${JSON.stringify(source)} is no source that keeps anything; the ones that do: ${Object.keys(options.typesOf).join(', ') || 'none'}.`);
      }
      const dropped = await Promise.all(options.typesOf[source]!.map(dropType));
      return dropped.reduce((count, held) => count + held, 0);
    }
    if (typeof type !== 'string' || !kept.includes(type)) throw new AdminError(400, `${what}, "type" being a kept type: ${kept.join(', ') || 'none'}.`);
    if (key === undefined) return dropType(type);
    if ((typeof key !== 'string' && typeof key !== 'number') || String(key) === '') throw new AdminError(400, '"key" must be the entity\'s key, a string or a number.');
    const answeredBy = Object.entries(options.typesOf).find(([, types]) => types.includes(type))?.[0];
    // As a webhook would: the source's reads in flight are forgotten too.
    return options.invalidations.invalidate([{ typename: type, id: String(key), ...(answeredBy ? { source: answeredBy } : {}) }]);
  }
}

/** Private: the JSON object the call sent, at most 4 KB. */
async function readBody(request: Request): Promise<Record<string, unknown>> {
  const bytes = await readLimited(request, 4096, () => new AdminError(413, 'The body must be at most 4096 bytes.'));
  try {
    const body = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Said below.
  }
  throw new AdminError(400, 'The body must be a JSON object.');
}
