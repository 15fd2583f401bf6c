/**
 * What an upstream's event makes stale. A webhook says an entity changed (a payment, a SKU's stock);
 * whatever the gateway holds about that entity must not be served after it. Which entities an event
 * changes is declared with the source's webhook (`invalidates`: a public type and where its key is
 * in the event's data, gateway/config/webhooks.ts). The entities are named as `{ typename, id }` of
 * the public schema, the shape the caches drop by (gateway/cache/).
 *
 * The replica that takes a webhook drops what it changed everywhere before acknowledging it
 * (`invalidate`, awaited: a shared store in Redis included, so the next read on any replica after the
 * acknowledgement misses). Every other replica hears the event through the event log a moment later
 * and drops what it holds itself (`heard`): its reads in flight (upstream/policy.ts `forgetInFlight`),
 * and a cache in its own memory.
 *
 *   const invalidations = createInvalidations();
 *   invalidations.onInvalidate((entities) => memoryCache.invalidate(entities));                 // here and heard
 *   invalidations.onInvalidate((entities) => sharedCache.invalidate(entities), { shared: true }); // here only
 *   await invalidations.invalidate([{ typename: 'Shipment', id: 'SHP-1', source: 'carrier' }]);
 */
import { LRUCache } from 'lru-cache';
import type { WebhookDeclaration } from '../config/webhooks.js';
import type { Upstreams } from '../upstream/index.js';
import { valueAt } from '../../lib/paths.js';
import type { EventLog, WebhookEvent } from './event-log.js';

export interface EntityRef {
  typename: string;
  id: string;
  /** The source that said it changed: its reads in flight are forgotten. */
  source?: string;
}

/** Drops what it holds of these entities; how many it held, where it counts. */
export type InvalidationListener = (entities: readonly EntityRef[]) => number | void | Promise<number | void>;

export interface Invalidations {
  /**
   * Tells every listener that these entities changed, and waits for them: how many entities the
   * caches held. Fails when a listener does (a shared store that cannot be reached): the change must
   * then not be acknowledged.
   */
  invalidate(entities: readonly EntityRef[]): Promise<number>;
  /** A change another replica took and acknowledged: tells the listeners of what this gateway holds itself. */
  heard(entities: readonly EntityRef[]): void;
  /**
   * Calls `listener` with each invalidation until the returned function is called. A listener for a
   * store `shared` by replicas is told only by the replica that took the change.
   */
  onInvalidate(listener: InvalidationListener, options?: { shared?: boolean }): () => void;
}

export function createInvalidations(): Invalidations {
  const listeners = new Map<InvalidationListener, { shared: boolean }>();
  return {
    async invalidate(entities) {
      if (entities.length === 0) return 0;
      const held = await Promise.all([...listeners.keys()].map((listener) => listener(entities)));
      return held.reduce<number>((count, value) => count + (typeof value === 'number' ? value : 0), 0);
    },
    heard(entities) {
      if (entities.length === 0) return;
      for (const [listener, { shared }] of listeners) {
        // What this gateway holds in memory is dropped at once; nothing of it can fail.
        if (!shared) void Promise.resolve(listener(entities)).catch(() => undefined);
      }
    },
    onInvalidate(listener, { shared = false } = {}) {
      listeners.set(listener, { shared });
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Ties the invalidations to the webhooks: what a delivery changed is invalidated before it is
 * acknowledged (the function returned, which gateway/events/use-webhooks.ts awaits before recording
 * the event), and heard by every replica from the event log. An event invalidated here is not
 * invalidated again when this replica hears it.
 */
export function invalidateOnEvents(events: EventLog, invalidations: Invalidations, webhooks: Readonly<Record<string, WebhookDeclaration>>): (event: WebhookEvent) => Promise<void> {
  const invalidatedHere = new LRUCache<string, true>({ max: 10_000 });
  const keyOf = (event: WebhookEvent) => `${event.topic}\n${event.id}`;
  events.onEvent((event) => {
    if (!invalidatedHere.delete(keyOf(event))) invalidations.heard(entitiesChangedBy(event, webhooks));
  });
  return async (event) => {
    const entities = entitiesChangedBy(event, webhooks);
    if (entities.length === 0) return;
    await invalidations.invalidate(entities);
    invalidatedHere.set(keyOf(event), true);
  };
}

/** The entities an event changed, as the webhook of the source that publishes to its topic declares. */
export function entitiesChangedBy(event: WebhookEvent, webhooks: Readonly<Record<string, WebhookDeclaration>>): EntityRef[] {
  const [source, hook] = Object.entries(webhooks).find(([, declared]) => declared.topic === event.topic) ?? [];
  if (!hook) return [];
  return hook.invalidates.flatMap(({ type, key }) => {
    const id = valueAt(event.data, key);
    return typeof id === 'string' || typeof id === 'number' ? [{ typename: type, id: String(id), source }] : [];
  });
}

/** Makes the gateway's own in-flight reads follow invalidations. */
export function forgetInFlightReads(invalidations: Invalidations, upstreams: Upstreams): () => void {
  return invalidations.onInvalidate((entities) => {
    const sources = new Set(entities.flatMap((entity) => entity.source ?? []));
    for (const source of sources) upstreams.policies[source]?.forgetInFlight();
  });
}
