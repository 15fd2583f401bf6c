/**
 * The events that came in as webhooks, per topic: a bounded log (the last `capacity` events of each
 * topic) that a subscriber can read from any event id still in it, and live delivery to the topic's
 * listeners. An event id seen before is not recorded or delivered again, so a provider's redelivery
 * costs nothing. Every event gets `seq`, its position in the topic (1, 2, 3, …): a reader that has
 * seen position n drops anything at or before n, which is how a subscription joins the backlog and
 * the live events without a gap or a repeat.
 *
 * Two implementations: this one, in memory, for one gateway process; and redis-event-log.ts, for
 * replicas sharing Redis (`REDIS_URL`), where an event recorded by one replica reaches the
 * subscribers of all of them, in the same order.
 *
 *   const log = createMemoryEventLog({ capacity: 1000 });
 *   await log.record({ id: 'evt_1', topic: 'shipments', type: 'shipment.delivered', occurredAt, data });  // true
 *   await log.record({ id: 'evt_1', ... });                                                               // false: seen
 *   await log.since('shipments', 'evt_0');   // { afterSeq, events }: the events after evt_0, oldest first
 */

export interface WebhookEvent {
  /** The provider's own id of the event, unique per source. */
  id: string;
  topic: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
  /** The W3C `traceparent` of the delivery that brought it, when that was traced: its subscribers' spans link to it. */
  traceparent?: string;
}

export interface LoggedEvent extends WebhookEvent {
  /** The event's position in its topic: one more than the event recorded before it. */
  seq: number;
}

export interface Backlog {
  /** The position the backlog starts after: the `after` event's, or the one before the oldest held. */
  afterSeq: number;
  events: LoggedEvent[];
}

export interface EventLog {
  /** Records and publishes an event; false when its id was seen before (nothing is done then). */
  record(event: WebhookEvent): Promise<boolean>;
  /** The topic's events after `afterId` (all it holds when undefined), oldest first; undefined when that id is not held. */
  since(topic: string, afterId?: string): Promise<Backlog | undefined>;
  /**
   * Calls `listener` with each new event of the topic, until the returned function is called, or
   * until `endStreams()` calls `onEnd` (at once when the streams have already ended).
   */
  listen(topic: string, listener: (event: LoggedEvent) => void, onEnd?: () => void): () => void;
  /** How many listeners the topic has now (one per live subscription on this gateway). */
  listenerCount(topic: string): number;
  /** Calls `listener` with each new event of every topic, before the topic's listeners (for invalidation). */
  onEvent(listener: (event: LoggedEvent) => void): () => void;
  /**
   * Ends every subscription stream on this gateway, and every one opened after: the first step of a
   * graceful shutdown. Their subscribers see them complete and resume elsewhere with `after`.
   */
  endStreams(): void;
  /** Whether the log's store answers now (always, in memory; a Redis PING within a second). */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** How many events of each topic are held for resuming subscribers. */
export const DEFAULT_CAPACITY = 1000;

/**
 * Private to the implementations: the listeners of one gateway, and the order they hear an event in
 * (the every-topic ones first, so that what an event makes stale is invalidated before a subscriber
 * runs its query).
 */
export function createListeners() {
  const byTopic = new Map<string, Set<(event: LoggedEvent) => void>>();
  const everyTopic = new Set<(event: LoggedEvent) => void>();
  const ends = new Set<() => void>();
  let ended = false;
  return {
    publish(event: LoggedEvent) {
      for (const listener of everyTopic) listener(event);
      for (const listener of byTopic.get(event.topic) ?? []) listener(event);
    },
    listen(topic: string, listener: (event: LoggedEvent) => void, onEnd?: () => void) {
      if (ended) {
        if (onEnd) queueMicrotask(onEnd);
        return () => {};
      }
      const set = byTopic.get(topic) ?? new Set();
      set.add(listener);
      byTopic.set(topic, set);
      if (onEnd) ends.add(onEnd);
      return () => {
        set.delete(listener);
        if (onEnd) ends.delete(onEnd);
      };
    },
    endAll() {
      ended = true;
      for (const onEnd of [...ends]) onEnd();
      ends.clear();
    },
    listenerCount: (topic: string) => byTopic.get(topic)?.size ?? 0,
    onEvent(listener: (event: LoggedEvent) => void) {
      everyTopic.add(listener);
      return () => {
        everyTopic.delete(listener);
      };
    },
  };
}

/** Private to the implementations: the backlog after `afterId` in a topic's held events, oldest first. */
export function backlogOf(events: readonly LoggedEvent[], lastSeq: number, afterId?: string): Backlog | undefined {
  if (afterId === undefined) return { afterSeq: events.length > 0 ? events[0]!.seq - 1 : lastSeq, events: [...events] };
  const at = events.findIndex((event) => event.id === afterId);
  return at < 0 ? undefined : { afterSeq: events[at]!.seq, events: events.slice(at + 1) };
}

export function createMemoryEventLog(options: { capacity?: number } = {}): EventLog {
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  const topics = new Map<string, { events: LoggedEvent[]; lastSeq: number }>();
  const listeners = createListeners();
  // Ids are remembered ten times longer than events are kept, so a late redelivery is still known.
  const seen = new Set<string>();
  const seenOrder: string[] = [];
  const topicOf = (name: string) => {
    const topic = topics.get(name) ?? { events: [], lastSeq: 0 };
    topics.set(name, topic);
    return topic;
  };
  return {
    async record(event) {
      const key = `${event.topic}\n${event.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      seenOrder.push(key);
      if (seenOrder.length > capacity * 10) seen.delete(seenOrder.shift()!);
      const topic = topicOf(event.topic);
      const logged = { ...event, seq: ++topic.lastSeq };
      topic.events.push(logged);
      if (topic.events.length > capacity) topic.events.shift();
      listeners.publish(logged);
      return true;
    },
    async since(name, afterId) {
      const topic = topicOf(name);
      return backlogOf(topic.events, topic.lastSeq, afterId);
    },
    listen: listeners.listen,
    listenerCount: listeners.listenerCount,
    onEvent: listeners.onEvent,
    endStreams: listeners.endAll,
    reachable: async () => true,
    async close() {},
  };
}
