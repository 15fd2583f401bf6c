/**
 * The demo's subscriptions, written by hand where the event needs shaping: a payment event's type as
 * an enum, the ERP's stock document as a stock level. Each reads its topic's stream
 * (gateway/events/event-stream.ts), optionally resumed after an event id.
 */
import type { EventLog, WebhookEvent } from '../gateway/events/event-log.js';
import { eventStream } from '../gateway/events/event-stream.js';
import type { SourcesContext } from './loaders.js';

export interface EventsContext extends SourcesContext {
  events: EventLog;
}

const paymentOf = (event: WebhookEvent) => event.data.payment as { orderId: string };

/** The ERP's StockChanged document, as the gateway reads XML (sources/inventory/source.json): text by element name. */
interface StockChangedDocument {
  Sku: string;
  Total: string;
  Warehouses?: { Warehouse: string; Quantity: string }[];
}
const stockOf = (event: WebhookEvent) => event.data as unknown as StockChangedDocument;

export const subscriptionResolvers = {
  paymentEvents: {
    subscribe: (_: unknown, args: { orderId?: string | null; after?: string | null }, context: EventsContext) =>
      eventStream(context.events, 'payments', args.after, (event) => !args.orderId || paymentOf(event).orderId === args.orderId),
    resolve: (event: WebhookEvent) => ({
      id: event.id,
      type: event.type.toUpperCase().replace('.', '_'),
      occurredAt: event.occurredAt,
      payment: event.data.payment,
    }),
  },
  stockChanged: {
    subscribe: (_: unknown, args: { sku?: string | null; after?: string | null }, context: EventsContext) =>
      eventStream(context.events, 'stock', args.after, (event) => !args.sku || stockOf(event).Sku === args.sku),
    resolve: (event: WebhookEvent) => {
      const stock = stockOf(event);
      return {
        id: event.id,
        type: 'STOCK_CHANGED',
        occurredAt: event.occurredAt,
        sku: stock.Sku,
        stock: {
          sku: stock.Sku,
          total: Number(stock.Total),
          warehouses: (stock.Warehouses ?? []).map((held) => ({ warehouse: held.Warehouse, quantity: Number(held.Quantity) })),
        },
      };
    },
  },
};
