/**
 * What an upstream's event makes stale. A webhook says an entity changed (a payment, a SKU's stock);
 * whatever the gateway holds about that entity must not be served after it. Which entities an event
 * changes is declared with the source's webhook (`invalidates`: a public type and where its key is
 * in the event's data, gateway/config/webhooks.ts). The entities are named as `{ typename, id }` of
 * the public schema: the shape a response cache invalidates by (yoga's response-cache plugin takes
 * exactly this), so a cache plugs in with one `onInvalidate`.
 *
 * What the gateway holds today is reads in flight: a query arriving after a stock change must not
 * join a read that started before it. So each invalidation makes the source whose event it was
 * forget its in-flight reads (upstream/policy.ts `forgetInFlight`).
 *
 *   const invalidations = createInvalidations();
 *   invalidations.onInvalidate((entities) => cache.invalidate(entities));
 *   invalidations.invalidate(entitiesChangedBy(event, config.webhooks.sources));   // [{ typename: 'Shipment', id: 'SHP-1', source: 'carrier' }]
 */
import type { WebhookDeclaration } from '../config/webhooks.js';
import type { Upstreams } from '../upstream/index.js';
import { valueAt } from '../../lib/paths.js';
import type { WebhookEvent } from './event-log.js';

export interface EntityRef {
  typename: string;
  id: string;
  /** The source that said it changed: its reads in flight are forgotten. */
  source?: string;
}

export interface Invalidations {
  /** Tells every listener that these entities changed. */
  invalidate(entities: readonly EntityRef[]): void;
  /** Calls `listener` with each invalidation until the returned function is called. */
  onInvalidate(listener: (entities: readonly EntityRef[]) => void): () => void;
}

export function createInvalidations(): Invalidations {
  const listeners = new Set<(entities: readonly EntityRef[]) => void>();
  return {
    invalidate(entities) {
      if (entities.length === 0) return;
      for (const listener of listeners) listener(entities);
    },
    onInvalidate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
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
