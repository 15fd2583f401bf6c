/**
 * The entity cache: what the stitched graph's batches read from the sources, kept per entity
 * (`typename` + key) for as long as its type's declared freshness (a source's manifest, `cache`),
 * and dropped the moment a provider's webhook says the entity changed (gateway/events/invalidation.ts).
 * A later request for 100 products whose stock another request read a moment ago asks the ERP only
 * for the SKUs nobody read (gateway/stitching/join-resolvers.ts).
 *
 * One entity holds a value per variant: what was asked of it (the call and its selection) and the
 * client headers its source is allowed (two clients whose headers a source sees get their own
 * answers). An invalidation drops every variant at once.
 *
 * A read that started before an invalidation never writes what it got after it: each read takes a
 * ticket (`begin`), and `set` keeps nothing for an entity invalidated since that ticket, so an answer
 * in flight while the provider reported a change cannot bring the old value back.
 *
 * In memory, bounded: the least recently used entities go first beyond `maxEntries`.
 *
 *   const cache = createEntityCache({ maxEntries: 100_000, maxAgeMs: { StockLevel: 60_000 } });
 *   const ticket = cache.begin();
 *   cache.getMany('StockLevel', ['SKU-1'], variant);   // [undefined]: a miss
 *   cache.set('StockLevel', 'SKU-1', variant, level, ticket);
 *   cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }]);
 */
import { LRUCache } from 'lru-cache';
import type { EntityRef } from '../events/invalidation.js';

export interface EntityCacheObserver {
  looked(typename: string, outcome: 'hit' | 'miss', count: number): void;
  invalidated(typename: string, held: boolean): void;
}

export interface EntityCache {
  /** Whether entities of this type are kept (their type declares a freshness). */
  keeps(typename: string): boolean;
  /** A ticket for a read about to start. */
  begin(): number;
  /** The values held for these entities in this variant, in their order; undefined where none is (null is a value: "not there"). */
  getMany(typename: string, ids: readonly string[], variant: string): unknown[];
  /** Keeps a value read since `ticket`, unless the entity was invalidated after the ticket was taken. */
  set(typename: string, id: string, variant: string, value: unknown, ticket: number): void;
  invalidate(entities: readonly EntityRef[]): void;
  /** Drops every entity of a type (an operator's call); how many were held. */
  invalidateType(typename: string): number;
  /** Entities held now. */
  size(): number;
}

export interface EntityCacheOptions {
  maxEntries: number;
  /** Each kept type's freshness, in milliseconds. */
  maxAgeMs: Readonly<Record<string, number>>;
  observer?: EntityCacheObserver;
}

const NOT_OBSERVED: EntityCacheObserver = { looked() {}, invalidated() {} };

export function createEntityCache({ maxEntries, maxAgeMs, observer = NOT_OBSERVED }: EntityCacheOptions): EntityCache {
  const entities = new LRUCache<string, Map<string, unknown>>({ max: maxEntries });
  // When each recently invalidated entity was: a read older than that keeps nothing of it. Bounded too;
  // an entity forgotten here was invalidated before every read still in flight (reads last seconds).
  const invalidatedAt = new LRUCache<string, number>({ max: Math.max(1000, Math.min(maxEntries, 100_000)) });
  const typeInvalidatedAt = new Map<string, number>();
  let clock = 0;
  const keyOf = (typename: string, id: string) => `${typename}\n${id}`;
  return {
    keeps: (typename) => Object.hasOwn(maxAgeMs, typename),
    begin: () => ++clock,
    getMany(typename, ids, variant) {
      const values = ids.map((id) => entities.get(keyOf(typename, id))?.get(variant));
      const hits = values.reduce<number>((count, value) => (value === undefined ? count : count + 1), 0);
      if (hits > 0) observer.looked(typename, 'hit', hits);
      if (hits < ids.length) observer.looked(typename, 'miss', ids.length - hits);
      return values;
    },
    set(typename, id, variant, value, ticket) {
      const key = keyOf(typename, id);
      if ((invalidatedAt.get(key) ?? 0) >= ticket || (typeInvalidatedAt.get(typename) ?? 0) >= ticket) return;
      const held = entities.get(key);
      if (held) held.set(variant, value);
      else entities.set(key, new Map([[variant, value]]), { ttl: maxAgeMs[typename] });
    },
    invalidate(refs) {
      for (const { typename, id } of refs) {
        const key = keyOf(typename, id);
        invalidatedAt.set(key, ++clock);
        observer.invalidated(typename, entities.delete(key));
      }
    },
    invalidateType(typename) {
      const prefix = `${typename}\n`;
      const held = [...entities.keys()].filter((key) => key.startsWith(prefix));
      for (const key of held) {
        invalidatedAt.set(key, ++clock);
        entities.delete(key);
        observer.invalidated(typename, true);
      }
      // A read in flight for an entity of the type that nobody held yet: its answer predates the call too.
      typeInvalidatedAt.set(typename, ++clock);
      return held.length;
    },
    size: () => entities.size,
  };
}
