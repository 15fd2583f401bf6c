/**
 * A subscription's stream of one topic's events (gateway/events/use-webhooks.ts records them), from
 * the gateway's event log, optionally resumed after an event id: what every subscription field reads,
 * the declared ones (`@event`, event-subscriptions.ts) and those written by hand.
 *
 * Resuming without a gap or a repeat: the stream starts listening for live events before it reads
 * the log, so nothing recorded in between is missed, and drops the live events it already sent
 * from the log.
 *
 * Each event handed to a traced subscription gets its span there (gateway/tracing/spans.ts).
 *
 *   const events = await eventStream(context, 'shipments', after, (event) => event.data.orderRef === orderId);
 */
import { GraphQLError } from 'graphql';
import type { EventLog, LoggedEvent, WebhookEvent } from './event-log.js';
import type { ScopedContext } from '../upstream/index.js';
import { traceEvent } from '../tracing/spans.js';

/** What a subscription's stream needs of its GraphQL context: the event log, and the subscription's trace. */
export interface StreamContext extends ScopedContext {
  events: EventLog;
}

/** How far a subscriber may fall behind before its stream is ended (it can resume with `after`). */
export const MAX_QUEUED_EVENTS = 5000;

/**
 * The topic's events that `matches`, from after `after` (the live ones only when it is undefined),
 * for as long as the subscriber listens. An `after` the log does not hold is refused before the
 * stream starts, as the subscription's error.
 *
 * It listens before reading the backlog, and sends an event only if its position (`seq`) is past
 * the last one sent: an event both in the backlog and heard live goes once, and one the log heard
 * before `after` (a replica reading behind) not at all.
 *
 * A hand-written iterator rather than an async generator: a generator waiting for the next event
 * cannot be returned until that event comes, so a subscriber who left would stay registered (and
 * its queue would grow) until then. Here `return()` unregisters at once.
 */
export async function eventStream(context: StreamContext, topic: string, after: string | null | undefined, matches: (event: WebhookEvent) => boolean): Promise<AsyncIterableIterator<LoggedEvent>> {
  const log = context.events;
  const trace = context.upstreamScope?.trace;
  const queue: LoggedEvent[] = [];
  let waiting: ((result: IteratorResult<LoggedEvent>) => void) | undefined;
  let failure: GraphQLError | undefined;
  let finished = false;
  // Undefined while the backlog is being read: live events wait in `early` until then.
  let lastSeq: number | undefined = after === undefined || after === null ? 0 : undefined;
  const early: LoggedEvent[] = [];

  const finish = () => {
    if (finished) return;
    finished = true;
    stop();
    queue.length = 0;
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const deliver = (event: LoggedEvent) => {
    if (finished || event.seq <= lastSeq!) return;
    lastSeq = event.seq;
    if (!matches(event)) return;
    if (trace) traceEvent(trace, event);
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    queue.push(event);
    if (queue.length > MAX_QUEUED_EVENTS) {
      failure = new GraphQLError(`This subscriber fell more than ${MAX_QUEUED_EVENTS} events behind; subscribe again with \`after\` set to the last event it handled.`, {
        extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
      });
      queue.length = 0;
    }
  };
  // A shutdown ends the stream as if its subscriber had left: it completes, and resumes elsewhere.
  const stop = log.listen(topic, (event) => (lastSeq === undefined ? early.push(event) : deliver(event)), () => finish());
  if (lastSeq === undefined) {
    const backlog = await log.since(topic, after!).catch((error: unknown) => {
      stop();
      throw error;
    });
    if (backlog === undefined) {
      stop();
      throw new GraphQLError(`The event ${after} is not among the events Switchboard still holds; subscribe without \`after\` and reload what you show.`, {
        extensions: { code: 'EVENT_NOT_HELD' },
      });
    }
    lastSeq = backlog.afterSeq;
    for (const event of [...backlog.events, ...early]) deliver(event);
  }

  const iterator: AsyncIterableIterator<LoggedEvent> = {
    [Symbol.asyncIterator]: () => iterator,
    next() {
      if (failure) {
        const error = failure;
        finish();
        return Promise.reject(error);
      }
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown) {
      finish();
      return Promise.reject(error);
    },
  };
  return iterator;
}
