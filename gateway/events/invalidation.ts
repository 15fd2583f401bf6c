/**
 * What an upstream's event makes stale. A webhook says an entity changed (a payment, a SKU's stock);
 * whatever the gateway holds about that entity must not be served after it. The entities are named
 * as `{ typename, id }` of the public schema: the shape a response cache invalidates by (yoga's
 * response-cache plugin takes exactly this), so a cache plugs in with one `onInvalidate`.
 *
 * What the gateway holds today is reads in flight: a query arriving after a stock change must not
 * join a GetStockLevels call that started before it. So each invalidation makes the sources that
 * serve those entities forget their in-flight reads (upstream/policy.ts `forgetInFlight`).
 *
 *   const invalidations = createInvalidations();
 *   invalidations.onInvalidate((entities) => cache.invalidate(entities));
 *   invalidations.invalidate(entitiesChangedBy(event));   // [{ typename: 'StockLevel', id: 'SKU-0001' }]
 */
import type { Upstreams } from '../upstream/index.js';
import type { WebhookEvent } from './event-log.js';

export interface EntityRef {
  typename: string;
  id: string;
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

/** The entities an event changed: a payment and the order it pays; a SKU's stock level. */
export function entitiesChangedBy(event: WebhookEvent): EntityRef[] {
  if (event.topic === 'payments') {
    const payment = event.data.payment as { id: string; orderId: string };
    return [{ typename: 'Payment', id: payment.id }, { typename: 'Order', id: payment.orderId }];
  }
  if (event.topic === 'stock') return [{ typename: 'StockLevel', id: String(event.data.sku) }];
  return [];
}

/** The source whose reads return each entity type that events change. */
const READ_FROM: Readonly<Record<string, string>> = { Payment: 'payments', StockLevel: 'inventory' };

/** Makes the gateway's own in-flight reads follow invalidations. */
export function forgetInFlightReads(invalidations: Invalidations, upstreams: Upstreams): () => void {
  return invalidations.onInvalidate((entities) => {
    const sources = new Set(entities.flatMap((entity) => READ_FROM[entity.typename] ?? []));
    for (const source of sources) upstreams.policies[source]?.forgetInFlight();
  });
}
