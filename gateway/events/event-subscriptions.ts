/**
 * Subscription fields declared in the composition's SDL with `@event`: a topic's events (a source's
 * declared webhook publishes to it, gateway/config/webhooks.ts) streamed to subscribers, filtered by
 * the field's arguments, resumable with `after`. Each event answers as its data, with the event's
 * `id`, `type` and `occurredAt` beside it.
 *
 *   extend type Subscription {
 *     shipmentEvents(orderId: ID, after: ID): ShipmentEvent! @event(topic: "shipments", filters: ["orderId=orderRef"])
 *   }
 *
 * `filters` pairs an argument with a path in the event's data: a subscriber who gives the argument
 * gets only the events whose value there is equal to it. `after` (when the field takes it) resumes
 * after an event id, as every subscription does.
 */
import { isObjectType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import { valueAt } from '../../lib/paths.js';
import { ConfigError } from '../config/config.js';
import type { EventLog, LoggedEvent } from './event-log.js';
import { eventStream, type StreamContext } from './event-stream.js';

export const EVENT_DIRECTIVE = 'event';

export interface EventField {
  at: string;
  topic: string;
  /** Argument name → path in the event's data. */
  filters: [string, string][];
}

/** The `@event` fields of the schema's Subscription type, checked against the topics the sources publish to. */
export function readEventFields(schema: GraphQLSchema, topics: readonly string[]): EventField[] {
  const subscription = schema.getSubscriptionType();
  if (!subscription || !isObjectType(subscription)) return [];
  return Object.values(subscription.getFields()).flatMap((field) => {
    const node = field.astNode?.directives?.find((directive) => directive.name.value === EVENT_DIRECTIVE);
    if (!node) return [];
    const at = `${subscription.name}.${field.name}`;
    const given = Object.fromEntries((node.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
    const fail = (why: string): never => {
      throw new ConfigError(`${at}: @event ${why}.`);
    };
    const topic = String(given.topic ?? '');
    if (!topics.includes(topic)) fail(`reads the topic ${JSON.stringify(topic)}, which no source's webhook publishes to (they publish to ${topics.join(', ') || 'none'})`);
    const filters = ((given.filters ?? []) as unknown[]).map((filter): [string, string] => {
      const match = typeof filter === 'string' ? /^([A-Za-z_]\w*)=([\w$.-]+)$/.exec(filter) : null;
      if (!match) return fail(`has the filter ${JSON.stringify(filter)}, which is not "<argument>=<path in the event's data>"`);
      if (!field.args.some((argument) => argument.name === match[1])) fail(`filters by the argument ${match[1]}, which ${field.name} does not take`);
      return [match[1]!, match[2]!];
    });
    return [{ at, topic, filters }];
  });
}

/** The subscribe and resolve functions of each `@event` field, by type and field name. */
export function eventResolvers(fields: readonly EventField[]) {
  const resolvers: Record<string, Record<string, { subscribe: (parent: unknown, args: Record<string, unknown>, context: StreamContext) => Promise<AsyncIterableIterator<LoggedEvent>>; resolve: (event: LoggedEvent) => unknown }>> = {};
  for (const field of fields) {
    const [typeName, fieldName] = field.at.split('.') as [string, string];
    (resolvers[typeName] ??= {})[fieldName] = {
      subscribe: (_, args, context) => eventStream(context, field.topic, args.after as string | null | undefined, (event) =>
        field.filters.every(([argument, path]) => args[argument] === undefined || args[argument] === null || String(valueAt(event.data, path)) === String(args[argument]))),
      resolve: (event) => ({ ...event.data, id: event.id, type: event.type, occurredAt: event.occurredAt }),
    };
  }
  return resolvers;
}
