/**
 * The gateway's entity cache as configured (`ENTITY_CACHE`): none, this gateway's memory, or Redis
 * shared by replicas, listening to the invalidations. A store in memory drops what every event
 * changed, on the replica that took it and on each one that hears it; the shared store is told once,
 * by the replica that took it, before it is acknowledged (gateway/events/invalidation.ts).
 */
import type { GatewayConfig } from '../config/config.js';
import type { Invalidations } from '../events/invalidation.js';
import { createMemoryEntityCache, type EntityCache, type EntityCacheObserver } from './entity-cache.js';
import { createRedisEntityCache } from './redis-entity-cache.js';

export async function startEntityCache(config: Pick<GatewayConfig, 'entityCache' | 'redis'>, invalidations: Invalidations, observer: EntityCacheObserver): Promise<EntityCache | undefined> {
  const { store, maxEntries, maxAgeMs } = config.entityCache;
  // Nothing to keep: no manifest gives a type a freshness.
  if (store === 'off' || Object.keys(maxAgeMs).length === 0) return undefined;
  const cache = store === 'redis' && config.redis
    ? await createRedisEntityCache({ ...config.redis, maxAgeMs, observer })
    : createMemoryEntityCache({ maxEntries, maxAgeMs, observer });
  // An event about an entity of a type nobody keeps costs nothing, not even a call to Redis.
  invalidations.onInvalidate((entities) => {
    const kept = entities.filter((entity) => cache.keeps(entity.typename));
    return kept.length > 0 ? cache.invalidate(kept) : 0;
  }, { shared: store === 'redis' });
  return cache;
}
