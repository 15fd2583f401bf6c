/**
 * The response cache's stores: whole answers of kept queries (gateway/cache/use-response-cache.ts),
 * by their key, each indexed by the entities it holds (response-entities.ts), so that what a
 * provider's webhook changed drops every answer that holds it. An answer computed while an entity of
 * a type it may hold was invalidated is not kept: each `read` counts the invalidations of those
 * types, and its `keep` keeps nothing if the count moved.
 *
 * Two stores: this gateway's memory (below, at most `maxEntries` answers and `maxBytes` of them,
 * least recently used first out) and Redis, shared by replicas (redis-response-cache.ts).
 *
 *   const cache = createMemoryResponseCache({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
 *   const read = await cache.read(key, ['Product', 'StockLevel']);
 *   if (!read.held) await read.keep({ body, keptAt: Date.now() }, new Set(['StockLevel:SKU-1', 'StockLevel']), 60_000);
 *   await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }]);   // 1 answer dropped
 */
import { LRUCache } from 'lru-cache';
import type { EntityRef } from '../events/invalidation.js';

/** An answer as it is sent: its JSON, and when it was kept (ms since the epoch), which tells its age. */
export interface CachedResponse {
  body: string;
  keptAt: number;
}

export interface ResponseRead {
  held?: CachedResponse;
  /**
   * The invalidation counts this read saw ('' where the store needs none): the upstream reads made to
   * answer it are shared only with reads that saw the same (gateway/upstream/scope.ts `dataVersion`).
   */
  version: string;
  /** Keeps the answer for `maxAgeMs`, indexed by `entities`, unless a type read was invalidated since. Never fails. */
  keep(response: CachedResponse, entities: ReadonlySet<string>, maxAgeMs: number): Promise<void>;
}

export interface ResponseCache {
  /** The answer held under `key`, and how to keep one; `types`, the object types the answer may hold. A store that fails answers as if it held nothing. */
  read(key: string, types: readonly string[]): Promise<ResponseRead>;
  /** Drops every answer that holds one of these entities, or an entity of their type it has no key of; how many. Fails when the store does. */
  invalidate(entities: readonly EntityRef[]): Promise<number>;
  /** Drops every answer that holds an entity of the type; how many. */
  invalidateType(typename: string): Promise<number>;
  /** What this gateway's memory holds; undefined for a shared store (Redis tells its own). */
  held(): { responses: number; bytes: number } | undefined;
  close(): Promise<void>;
}

/** Private to the stores: the index entries an invalidation of `entities` drops. */
export function indexEntriesOf(entities: readonly EntityRef[]): string[] {
  return [...new Set(entities.flatMap(({ typename, id }) => [`${typename}:${id}`, `${typename}:?`]))];
}

interface Entry {
  response: CachedResponse;
  entities: ReadonlySet<string>;
}

export function createMemoryResponseCache({ maxEntries, maxBytes }: { maxEntries: number; maxBytes: number }): ResponseCache {
  let bytes = 0;
  const index = new Map<string, Set<string>>();
  const responses = new LRUCache<string, Entry>({
    max: maxEntries,
    // Bounded by bytes too: a page of 100 products is some 100 KB. An answer over the bound is not kept.
    maxSize: maxBytes,
    sizeCalculation: (entry) => Math.max(1, entry.response.body.length),
    dispose(entry, key) {
      bytes -= entry.response.body.length;
      for (const entity of entry.entities) {
        const keys = index.get(entity);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(entity);
      }
    },
  });
  // When each type last had an entity invalidated, by this clock.
  const changedAt = new Map<string, number>();
  let clock = 0;
  const dropAll = (entries: readonly string[]) => {
    const keys = new Set(entries.flatMap((entry) => [...(index.get(entry) ?? [])]));
    for (const key of keys) responses.delete(key);
    return keys.size;
  };
  return {
    async read(key, types) {
      const since = clock;
      return {
        held: responses.get(key)?.response,
        // This gateway forgets its reads in flight the moment it invalidates (invalidation.ts).
        version: '',
        async keep(response, entities, maxAgeMs) {
          if (maxAgeMs <= 0 || response.body.length > maxBytes || types.some((type) => (changedAt.get(type) ?? 0) > since)) return;
          responses.set(key, { response, entities }, { ttl: maxAgeMs });
          bytes += response.body.length;
          for (const entity of entities) {
            let keys = index.get(entity);
            if (!keys) index.set(entity, (keys = new Set()));
            keys.add(key);
          }
        },
      };
    },
    async invalidate(entities) {
      for (const { typename } of entities) changedAt.set(typename, ++clock);
      return dropAll(indexEntriesOf(entities));
    },
    async invalidateType(typename) {
      changedAt.set(typename, ++clock);
      return dropAll([typename]);
    },
    held: () => ({ responses: responses.size, bytes }),
    async close() {
      responses.clear();
    },
  };
}
