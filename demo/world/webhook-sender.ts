/**
 * How the demo providers deliver webhooks, as payment processors do: each event is signed with the
 * source's secret (`Switchboard-Signature`, signed again at every attempt so that a late retry is not
 * stale), POSTed to the URL the merchant registered, and sent again with exponential backoff until
 * an answer is 2xx. Nothing is dropped: events wait in an outbox until a URL is set, and a delivery
 * that keeps failing keeps being retried (the delay stops growing at `maxDelayMs`).
 *
 * One delivery at a time, oldest first: a source's events reach the gateway in the order they
 * happened, which is the order subscribers then see them in.
 *
 *   const sender = createWebhookSender({ secret: 'whsec_demo', contentType: 'application/json' });
 *   sender.send({ id: 'evt_1', type: 'payment.succeeded', body: '{"id":"evt_1",…}' });
 *   sender.point('http://127.0.0.1:4000/webhooks/payments');   // delivered from now on
 *   await sender.settled();                                     // every event acknowledged
 */
import { createHmac } from 'node:crypto';
import { backoffMs } from '../../gateway/upstream/backoff.js';

/** The header the demo providers sign in. */
export const SIGNATURE_HEADER = 'switchboard-signature';

/**
 * The demo providers' signature, in Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`. Written here apart from the gateway's check (gateway/events/signature.ts), so that
 * a wrong scheme on either side fails a test.
 */
export function signWebhook(secret: string, body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export interface WebhookRetry {
  /** The first retry waits up to this long (full jitter); each further one up to twice as long. */
  baseDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
}

export interface WebhookSenderOptions {
  secret: string;
  /** The Content-Type of every delivery (`application/json; charset=utf-8`, `application/xml`). */
  contentType: string;
  /** Where deliveries go; until it is set (here or with `point`), events wait. */
  target?: string;
  retry?: Partial<WebhookRetry>;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs?: number;
}

export interface OutgoingEvent {
  id: string;
  type: string;
  /** The body, exactly as signed and sent. */
  body: string;
  /** More headers of every delivery (the `traceparent` of the call that caused the event). */
  headers?: Record<string, string>;
}

/** One event's deliveries: each attempt's HTTP status, or the network error's name. */
export interface DeliveryRecord {
  id: string;
  type: string;
  attempts: (number | string)[];
  delivered: boolean;
}

export interface WebhookReport {
  target: string | null;
  pending: number;
  delivered: number;
  attempts: number;
  deliveries: DeliveryRecord[];
}

export interface WebhookSender {
  /** Queues an event; sending the same event again is a redelivery, as providers sometimes do. */
  send(event: OutgoingEvent): void;
  /** Points deliveries at `url` (the gateway's `/webhooks/<source>`); waiting events start going out. */
  point(url: string): void;
  report(): WebhookReport;
  /** Resolves once every queued event has been acknowledged. */
  settled(): Promise<void>;
  /** Stops delivering; what is still queued stays undelivered. */
  close(): void;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { baseDelayMs: 250, maxDelayMs: 30_000 };

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const retry = { ...DEFAULT_WEBHOOK_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 10_000;
  let target = options.target;
  let closed = false;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  const outbox: { event: OutgoingEvent; record: DeliveryRecord }[] = [];
  const records: DeliveryRecord[] = [];
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;

  /** Private: one attempt; true when the gateway answered 2xx. */
  const attempt = async (event: OutgoingEvent, record: DeliveryRecord): Promise<boolean> => {
    try {
      const response = await fetch(target!, {
        method: 'POST',
        headers: { ...event.headers, 'content-type': options.contentType, [SIGNATURE_HEADER]: signWebhook(options.secret, event.body) },
        body: event.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.attempts.push(response.status);
      return response.ok;
    } catch (error) {
      record.attempts.push(networkErrorName(error));
      return false;
    }
  };

  const pause = (ms: number) => new Promise<void>((resolve) => {
    wakeUp = resolve;
    timer = setTimeout(resolve, ms);
  });

  /** Private: delivers the outbox in order, one event at a time, each until it is acknowledged. */
  const pump = async () => {
    if (running) return;
    running = true;
    while (!closed && target && outbox.length > 0) {
      const { event, record } = outbox[0]!;
      if (await attempt(event, record)) {
        record.delivered = true;
        outbox.shift();
        continue;
      }
      await pause(Math.max(1, backoffMs(record.attempts.length - 1, retry.baseDelayMs, retry.maxDelayMs)));
    }
    running = false;
    if (outbox.length === 0 && idle) {
      idle.resolve();
      idle = undefined;
    }
  };

  return {
    send(event) {
      if (closed) return;
      const record: DeliveryRecord = { id: event.id, type: event.type, attempts: [], delivered: false };
      records.push(record);
      outbox.push({ event, record });
      void pump();
    },
    point(url) {
      target = url;
      void pump();
    },
    report() {
      return {
        target: target ?? null,
        pending: outbox.length,
        delivered: records.filter((record) => record.delivered).length,
        attempts: records.reduce((sum, record) => sum + record.attempts.length, 0),
        deliveries: records,
      };
    },
    settled() {
      if (outbox.length === 0) return Promise.resolve();
      if (!idle) {
        let resolve!: () => void;
        idle = { promise: new Promise<void>((r) => (resolve = r)), resolve };
      }
      return idle.promise;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      wakeUp?.();
    },
  };
}

/** Private: what an attempt that got no HTTP answer logs (`ECONNREFUSED`, `TimeoutError`, …). */
function networkErrorName(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).name ?? 'Error';
}
