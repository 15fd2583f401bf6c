/**
 * The events that came in as webhooks, per topic: a bounded log (the last `capacity` events of each
 * topic) that a subscriber can read from any event id still in it, and live delivery to the topic's
 * listeners. An event id seen before is not recorded or delivered again, so a provider's redelivery
 * costs nothing. In memory: one gateway process; replicas would share it through Redis.
 *
 *   const log = createEventLog({ capacity: 1000 });
 *   log.record({ id: 'evt_1', topic: 'payments', type: 'payment.succeeded', occurredAt, data });  // true
 *   log.record({ id: 'evt_1', ... });                                                               // false: seen
 *   log.since('payments', 'evt_0');   // the events after evt_0, oldest first
 */

export interface WebhookEvent {
  /** The provider's own id of the event, unique per source. */
  id: string;
  topic: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface EventLog {
  /** Records and delivers an event; false when its id was seen before (nothing is done then). */
  record(event: WebhookEvent): boolean;
  /** The topic's events after `afterId` (all it holds when undefined), oldest first; undefined when that id is not held. */
  since(topic: string, afterId?: string): WebhookEvent[] | undefined;
  /** Calls `listener` with each new event of the topic, until the returned function is called. */
  listen(topic: string, listener: (event: WebhookEvent) => void): () => void;
  /** How many listeners the topic has now (one per live subscription). */
  listenerCount(topic: string): number;
}

export function createEventLog(options: { capacity?: number } = {}): EventLog {
  const capacity = options.capacity ?? 1000;
  const topics = new Map<string, WebhookEvent[]>();
  const listeners = new Map<string, Set<(event: WebhookEvent) => void>>();
  // Ids are remembered ten times longer than events are kept, so a late redelivery is still known.
  const seen = new Set<string>();
  const seenOrder: string[] = [];
  return {
    record(event) {
      const key = `${event.topic}\n${event.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      seenOrder.push(key);
      if (seenOrder.length > capacity * 10) seen.delete(seenOrder.shift()!);
      const events = topics.get(event.topic) ?? [];
      events.push(event);
      if (events.length > capacity) events.shift();
      topics.set(event.topic, events);
      for (const listener of listeners.get(event.topic) ?? []) listener(event);
      return true;
    },
    since(topic, afterId) {
      const events = topics.get(topic) ?? [];
      if (afterId === undefined) return [...events];
      const at = events.findIndex((event) => event.id === afterId);
      return at < 0 ? undefined : events.slice(at + 1);
    },
    listen(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      set.add(listener);
      listeners.set(topic, set);
      return () => set.delete(listener);
    },
    listenerCount: (topic) => listeners.get(topic)?.size ?? 0,
  };
}
