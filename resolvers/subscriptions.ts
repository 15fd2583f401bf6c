/**
 * The subscriptions: events that came in as webhooks (gateway/use-webhooks.ts), from the gateway's
 * event log, optionally resumed after an event id.
 *
 * Resuming without a gap or a repeat: the stream starts listening for live events before it reads
 * the log, so nothing recorded in between is missed, and drops the live events it already sent
 * from the log.
 */
import { GraphQLError } from 'graphql';
import type { EventLog, WebhookEvent } from '../gateway/webhooks/event-log.js';
import type { SourcesContext } from './loaders.js';

export interface EventsContext extends SourcesContext {
  events: EventLog;
}

/**
 * The topic's events that `matches`, from after `after` (the live ones only when it is undefined),
 * for as long as the subscriber listens. An `after` the log does not hold is refused at once, as the
 * subscription's error, rather than in the middle of its stream.
 */
export function eventStream(log: EventLog, topic: string, after: string | null | undefined, matches: (event: WebhookEvent) => boolean) {
  const backlogAfter = (): WebhookEvent[] => {
    const backlog = after === undefined || after === null ? [] : log.since(topic, after);
    if (backlog === undefined) {
      throw new GraphQLError(`The event ${after} is not among the events Switchboard still holds; subscribe without \`after\` and reload what you show.`, {
        extensions: { code: 'EVENT_NOT_HELD' },
      });
    }
    return backlog;
  };
  backlogAfter();
  return (async function* stream() {
    const live: WebhookEvent[] = [];
    let wake: (() => void) | undefined;
    const stop = log.listen(topic, (event) => {
      live.push(event);
      wake?.();
    });
    try {
      // Read after listening: an event recorded in between is in both, and sent once.
      const backlog = backlogAfter();
      const sent = new Set(backlog.map((event) => event.id));
      for (const event of backlog) if (matches(event)) yield event;
      for (;;) {
        while (live.length > 0) {
          const event = live.shift()!;
          if (!sent.has(event.id) && matches(event)) yield event;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      stop();
    }
  })();
}

const paymentOf = (event: WebhookEvent) => event.data.payment as { orderId: string };

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
      eventStream(context.events, 'stock', args.after, (event) => !args.sku || event.data.sku === args.sku),
    resolve: (event: WebhookEvent) => ({
      id: event.id,
      type: 'STOCK_CHANGED',
      occurredAt: event.occurredAt,
      sku: event.data.sku,
      stock: { sku: event.data.sku, total: event.data.total, warehouses: event.data.warehouses },
    }),
  },
};
