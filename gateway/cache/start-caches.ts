/**
 * The gateway's caches as configured (`ENTITY_CACHE`, `RESPONSE_CACHE`): none, this gateway's
 * memory, or Redis shared by replicas, each listening to the invalidations. A store in memory drops
 * what every event changed, on the replica that took it and on each one that hears it; a shared
 * store is told once, by the replica that took it, before it is acknowledged
 * (gateway/events/invalidation.ts). The entity cache keeps only types with a freshness, so an event
 * about any other type costs it nothing.
 */
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/config.js';
import type { AccessRules } from '../plugins/auth/rules.js';
import type { Join } from '../stitching/joins.js';
import { createCachePolicy, type CacheHints, type ResponsePolicyOf } from './cache-policy.js';
import { entityKeyFields, fieldTypesOf } from './response-entities.js';
import { useResponseCache, type ResponseCacheObserver } from './use-response-cache.js';
import type { EntityRef, Invalidations } from '../events/invalidation.js';
import { createMemoryEntityCache, type EntityCache, type EntityCacheObserver } from './entity-cache.js';
import { createRedisEntityCache } from './redis-entity-cache.js';
import { createMemoryResponseCache, type ResponseCache } from './response-cache.js';
import { createRedisResponseCache } from './redis-response-cache.js';

export interface Caches {
  entities?: EntityCache;
  responses?: ResponseCache;
}

export async function startCaches(config: Pick<GatewayConfig, 'entityCache' | 'responseCache' | 'redis'>, invalidations: Invalidations, observer: EntityCacheObserver): Promise<Caches> {
  const { maxAgeMs } = config.entityCache;
  const kept = (entities: readonly EntityRef[]) => entities.filter((entity) => Object.hasOwn(maxAgeMs, entity.typename));
  // What an invalidation counts is entities (the admin endpoint's answer): the answers dropped with them are not.
  // The response cache is told of every entity: an answer may hold a type with no freshness of its
  // own under a field that has one (`@cacheControl`); in memory that costs a lookup, in Redis a call.
  const listen = (cache: EntityCache | ResponseCache, shared: boolean, counted: boolean) => invalidations.onInvalidate(async (entities) => {
    const changed = counted ? kept(entities) : entities;
    const dropped = changed.length > 0 ? await cache.invalidate(changed) : 0;
    return counted ? dropped : 0;
  }, { shared });

  const caches: Caches = {};
  const entityStore = config.entityCache.store;
  // The entity cache keeps the types a manifest gives a freshness: none, nothing to keep.
  if (entityStore !== 'off' && Object.keys(maxAgeMs).length > 0) {
    caches.entities = entityStore === 'redis' && config.redis
      ? await createRedisEntityCache({ ...config.redis, maxAgeMs, observer })
      : createMemoryEntityCache({ maxEntries: config.entityCache.maxEntries, maxAgeMs, observer });
    listen(caches.entities, entityStore === 'redis', true);
  }
  const responseStore = config.responseCache.store;
  if (responseStore !== 'off') {
    caches.responses = responseStore === 'redis' && config.redis
      ? await createRedisResponseCache(config.redis)
      : createMemoryResponseCache({ maxEntries: config.responseCache.maxEntries, maxBytes: config.responseCache.maxBytes });
    listen(caches.responses, responseStore === 'redis', false);
  }
  return caches;
}

/** What the response cache needs of the served schema: its joins and its access rules. */
export interface ServedGraph {
  schema: GraphQLSchema;
  joins: readonly Join[];
  rules: AccessRules;
  /** The composition's `@cacheControl`. */
  hints: CacheHints;
}

/** What an answer of the served graph may be kept for, and for whom: the freshness of its types, personal where a field has an access rule. */
export function answerPolicies(graph: ServedGraph, config: Pick<GatewayConfig, 'entityCache'>): ResponsePolicyOf {
  const maxAgeSeconds = Object.fromEntries(Object.entries(config.entityCache.maxAgeMs).map(([type, ms]) => [type, ms / 1000]));
  const privateFields = Object.fromEntries(Object.entries(graph.rules).map(([type, fields]) => [type, Object.keys(fields)]));
  return createCachePolicy(graph.schema, { maxAgeSeconds, privateFields, hints: graph.hints });
}

/**
 * The response cache's plugin over the served graph: answers kept by their policy (`answerPolicies`),
 * personal ones per viewer, and per the client headers `seenHeaders` says the sources are allowed.
 */
export function useResponseCaching(cache: ResponseCache, graph: ServedGraph, policyOf: ResponsePolicyOf, seenHeaders: (headers: Headers) => string, observer?: ResponseCacheObserver): Plugin {
  return useResponseCache({
    cache,
    policyOf,
    keyFields: entityKeyFields(graph.schema, graph.joins),
    fieldTypes: fieldTypesOf(graph.schema),
    variantOf: seenHeaders,
    ...(observer ? { observer } : {}),
  });
}
