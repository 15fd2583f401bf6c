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
 * A read that started before an invalidation never keeps what it got after it: each `read` comes
 * with its own `keep`, which keeps nothing for an entity invalidated since the read, so an answer in
 * flight while the provider reported a change cannot bring the old value back.
 *
 * Two stores: this gateway's memory (bounded, the least recently used entities go first beyond
 * `maxEntries`; below), and Redis, shared by replicas (redis-entity-cache.ts).
 *
 *   const cache = createMemoryEntityCache({ maxEntries: 100_000, maxAgeMs: { StockLevel: 60_000 } });
 *   const held = await cache.read('StockLevel', ['SKU-1', 'SKU-2'], variant);   // values [level, undefined], missing ['SKU-2']
 *   await held.keep([answerForSku2]);
 *   await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }]);          // 1: it was held
 */
import { LRUCache } from 'lru-cache';
import type { EntityRef } from '../events/invalidation.js';

export interface EntityCacheObserver {
  /** Entities looked for, by outcome; and the batch they came in: all held, some, or none. */
  looked(typename: string, hits: number, misses: number): void;
  invalidated(typename: string, held: boolean): void;
}

/** What a read found, and how to keep what the source answers for the rest. */
export interface HeldEntities {
  /** Per id asked, in its order: the value held, undefined where none is (null is a value: "not there"). */
  values: unknown[];
  /** The ids with no value held, in their order. */
  missing: string[];
  /**
   * The version of the missing entities this read saw ('' where the store needs none): an upstream
   * read for them is shared only with reads that saw the same (gateway/upstream/scope.ts `dataVersion`),
   * never with one in flight from before a change another replica acknowledged.
   */
  version: string;
  /** Keeps the source's answers for `missing`, in its order, except those invalidated since the read. Never fails. */
  keep(answers: readonly unknown[]): Promise<void>;
}

export interface EntityCache {
  /** Whether entities of this type are kept (their type declares a freshness). */
  keeps(typename: string): boolean;
  /** What is held for these entities in this variant. A store that fails answers as if it held nothing. */
  read(typename: string, ids: readonly string[], variant: string): Promise<HeldEntities>;
  /** Drops these entities, every variant; how many were held. Fails when the store does (the change must then not be acknowledged). */
  invalidate(entities: readonly EntityRef[]): Promise<number>;
  /** Drops every entity of a type (an operator's call); how many were held. */
  invalidateType(typename: string): Promise<number>;
  /** What this gateway's memory holds: entities and the bytes of their values as JSON; undefined for a shared store (Redis tells its own). */
  held(): { entities: number; bytes: number } | undefined;
  close(): Promise<void>;
}

export interface EntityCacheOptions {
  maxEntries: number;
  /** Each kept type's freshness, in milliseconds. */
  maxAgeMs: Readonly<Record<string, number>>;
  observer?: EntityCacheObserver;
}

export const NOT_OBSERVED: EntityCacheObserver = { looked() {}, invalidated() {} };

/** Private to the stores: the ids of `ids` whose value is undefined, in order. */
export function missingOf(ids: readonly string[], values: readonly unknown[]): string[] {
  return ids.filter((_, index) => values[index] === undefined);
}

/** An entity's values by variant, and their size as JSON (the bytes the metrics report). */
interface Entry {
  variants: Map<string, unknown>;
  bytes: number;
}

const sizeOf = (variant: string, value: unknown) => variant.length + JSON.stringify(value ?? null).length;

export function createMemoryEntityCache({ maxEntries, maxAgeMs, observer = NOT_OBSERVED }: EntityCacheOptions): EntityCache {
  let bytes = 0;
  const entities = new LRUCache<string, Entry>({ max: maxEntries, dispose: (entry) => (bytes -= entry.bytes) });
  // When each recently invalidated entity was: a read older than that keeps nothing of it. Bounded too;
  // an entity forgotten here was invalidated before every read still in flight (reads last seconds).
  const invalidatedAt = new LRUCache<string, number>({ max: Math.max(1000, Math.min(maxEntries, 100_000)) });
  const typeInvalidatedAt = new Map<string, number>();
  let clock = 0;
  const keyOf = (typename: string, id: string) => `${typename}\n${id}`;
  const drop = (key: string) => {
    invalidatedAt.set(key, ++clock);
    return entities.delete(key);
  };
  return {
    keeps: (typename) => Object.hasOwn(maxAgeMs, typename),
    async read(typename, ids, variant) {
      const values = ids.map((id) => entities.get(keyOf(typename, id))?.variants.get(variant));
      const missing = missingOf(ids, values);
      observer.looked(typename, ids.length - missing.length, missing.length);
      const since = ++clock;
      return {
        values,
        missing,
        // This gateway forgets its reads in flight the moment it invalidates (invalidation.ts): no version needed.
        version: '',
        async keep(answers) {
          if ((typeInvalidatedAt.get(typename) ?? 0) >= since) return;
          missing.forEach((id, index) => {
            const key = keyOf(typename, id);
            if ((invalidatedAt.get(key) ?? 0) >= since) return;
            const value = answers[index];
            const held = entities.get(key);
            if (!held) {
              const size = sizeOf(variant, value);
              entities.set(key, { variants: new Map([[variant, value]]), bytes: size }, { ttl: maxAgeMs[typename] });
              bytes += size;
              return;
            }
            // Another read may have kept this variant meanwhile: its size is replaced, not added to.
            const size = sizeOf(variant, value) - (held.variants.has(variant) ? sizeOf(variant, held.variants.get(variant)) : 0);
            held.variants.set(variant, value);
            held.bytes += size;
            bytes += size;
          });
        },
      };
    },
    async invalidate(refs) {
      let held = 0;
      for (const { typename, id } of refs) {
        const was = drop(keyOf(typename, id));
        observer.invalidated(typename, was);
        if (was) held += 1;
      }
      return held;
    },
    async invalidateType(typename) {
      const prefix = `${typename}\n`;
      const held = [...entities.keys()].filter((key) => key.startsWith(prefix));
      for (const key of held) {
        drop(key);
        observer.invalidated(typename, true);
      }
      // A read in flight for an entity of the type that nobody held yet: its answer predates the call too.
      typeInvalidatedAt.set(typename, ++clock);
      return held.length;
    },
    held: () => ({ entities: entities.size, bytes }),
    async close() {
      entities.clear();
    },
  };
}
