/**
 * The demo's subscriptions, written by hand where the event needs shaping: a payment event's type as
 * an enum, the ERP's stock document as a stock level. Each reads its topic's stream
 * (gateway/events/event-stream.ts), optionally resumed after an event id.
 */
import type { EventLog, WebhookEvent } from '../../gateway/events/event-log.js';
import { eventStream } from '../../gateway/events/event-stream.js';
import { forbidden, requireViewer, type ViewerContext } from '../../gateway/plugins/auth/rules.js';
import type { Payment, PaymentEvent, PaymentEventType, StockChange } from '../../generated/resolvers.js';
import { loadersFor, type SourcesContext } from './loaders.js';

export interface EventsContext extends SourcesContext, ViewerContext {
  events: EventLog;
}

/**
 * Payment events need a token and, without the staff scope, the id of one of its customer's orders:
 * the rule needs the order, so it is code rather than an @owner declaration.
 */
async function checkPaymentSubscriber(orderId: string | null | undefined, context: EventsContext): Promise<void> {
  const viewer = requireViewer(context.viewer);
  if (viewer.staff) return;
  if (!orderId) throw forbidden('Without the staff scope, subscribe to the payment events of one of your orders: pass its orderId.');
  const order = await loadersFor(context).orders.load(orderId);
  if (order?.customerId !== viewer.subject) throw forbidden(`Order ${orderId} is not one of this token's customer's orders.`);
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
    subscribe: async (_: unknown, args: { orderId?: string | null; after?: string | null }, context: EventsContext) => {
      await checkPaymentSubscriber(args.orderId, context);
      return eventStream(context, 'payments', args.after, (event) => !args.orderId || paymentOf(event).orderId === args.orderId);
    },
    resolve: (event: WebhookEvent): PaymentEvent => ({
      id: event.id,
      type: event.type.toUpperCase().replace('.', '_') as PaymentEventType,
      occurredAt: event.occurredAt,
      payment: event.data.payment as Payment,
    }),
  },
  stockChanged: {
    subscribe: (_: unknown, args: { sku?: string | null; after?: string | null }, context: EventsContext) =>
      eventStream(context, 'stock', args.after, (event) => !args.sku || stockOf(event).Sku === args.sku),
    resolve: (event: WebhookEvent): Partial<StockChange> => {
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
