// Subscription fields declared with @event: a topic's events, as a source's declared webhook records
// them in the event log, streamed to a subscriber through graphql-js's own subscribe, filtered by
// the field's arguments and resumed with `after`; a declaration naming a topic no webhook publishes
// to stops the start with one line.
import { buildSchema, parse, subscribe, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createMemoryEventLog } from '../gateway/events/event-log.js';
import { eventResolvers, readEventFields } from '../gateway/events/event-subscriptions.js';
import { toPublicSchema } from '../gateway/compose/public-schema.js';

const composed = (declaration: string) => buildSchema(`${readFileSync('gateway/compose/directives.graphql', 'utf8')}
  type Query { ok: Boolean }
  type ShipmentEvent { id: ID! type: String! occurredAt: String! status: String orderRef: String }
  type Subscription { shipmentEvents(orderId: ID, after: ID): ShipmentEvent! ${declaration} }
`);

const event = (id: string, orderRef: string, status: string) => ({
  id, topic: 'shipments', type: 'shipment.updated', occurredAt: '2026-12-06T10:00:00.000Z', data: { id: 'SHP-1', orderRef, status },
});

describe('@event', () => {
  it('streams the topic\'s events that match the arguments, each as its data with the event\'s id, type and time, and resumes after an id', async () => {
    const schema = composed('@event(topic: "shipments", filters: ["orderId=orderRef"])');
    const served = toPublicSchema(schema, eventResolvers(readEventFields(schema, ['shipments'])));
    const events = createMemoryEventLog();
    await events.record(event('evt-1', 'ord-1', 'PICKED_UP'));
    await events.record(event('evt-2', 'ord-2', 'PICKED_UP'));
    const stream = await subscribe({
      schema: served,
      document: parse('subscription { shipmentEvents(orderId: "ord-1", after: "evt-1") { id type occurredAt status orderRef } }'),
      contextValue: { events },
    }) as AsyncIterableIterator<ExecutionResult>;
    await events.record(event('evt-3', 'ord-2', 'DELIVERED'));
    await events.record(event('evt-4', 'ord-1', 'DELIVERED'));
    expect((await stream.next()).value).toEqual({
      data: { shipmentEvents: { id: 'evt-4', type: 'shipment.updated', occurredAt: '2026-12-06T10:00:00.000Z', status: 'DELIVERED', orderRef: 'ord-1' } },
    });
    await stream.return!();
    expect(events.listenerCount('shipments')).toBe(0);
  });

  it.each([
    ['@event(topic: "parcels")', 'Subscription.shipmentEvents: @event reads the topic "parcels", which no source\'s webhook publishes to (they publish to shipments).'],
    ['@event(topic: "shipments", filters: ["order=orderRef"])', 'Subscription.shipmentEvents: @event filters by the argument order, which shipmentEvents does not take.'],
    ['@event(topic: "shipments", filters: ["orderId"])', 'Subscription.shipmentEvents: @event has the filter "orderId", which is not "<argument>=<path in the event\'s data>".'],
  ])('refuses %s in one line', (declaration, message) => {
    expect(() => readEventFields(composed(declaration), ['shipments'])).toThrow(message);
  });
});
