/**
 * `POST /webhooks/<source>`: deliveries from the upstreams, checked and recorded before they are
 * acknowledged, for every source whose manifest declares a webhook (gateway/config/webhooks.ts). In
 * order: the source takes webhooks (its secret is set), the body is under the size limit, the
 * signature matches in the source's scheme (signature.ts), the body reads as the source's event
 * (deliveries.ts). A refused delivery gets a 4xx naming why, and one log line; it never
 * gets a 5xx. The one 5xx is the gateway's own: 503 when the event log or the shared cache (Redis)
 * cannot take a good delivery, so that the provider sends it again. What the event changed is dropped
 * from the caches before it is recorded (gateway/events/invalidation.ts). An accepted one is answered 200 only once it is in the event log and delivered to the
 * subscribers; an event id seen before is acknowledged again and not delivered twice.
 *
 *   plugins: [useWebhooks({ log, sources: config.webhooks.sources, toleranceSeconds: 300, maxBytes: 262144 })]
 */
import type { Plugin } from 'graphql-yoga';
import type { EventLog, WebhookEvent } from './event-log.js';
import type { ConfiguredWebhook } from '../config/config.js';
import { DeliveryError, readDelivery } from './deliveries.js';
import { verifySignature } from './signature.js';
import { readLimited } from '../plugins/read-limited.js';
import { log } from '../logging/log.js';

export interface WebhookOptions {
  log: EventLog;
  /** Each source's declared webhook, with its secret when set (a source without one takes no webhooks). */
  sources: Readonly<Record<string, ConfiguredWebhook>>;
  toleranceSeconds: number;
  maxBytes: number;
  /** Told how each delivery ended (the metrics): a source it does not know counts as `unknown`. */
  observe?: (source: string, outcome: 'accepted' | 'duplicate' | 'refused', reason?: string) => void;
  /** The delivery's own trace (gateway/tracing/use-tracing.ts), which its event carries to the subscribers. */
  traceparent?: (request: Request) => string | undefined;
  /** Drops what the event changed from the caches, before it is recorded (invalidation.ts `invalidateOnEvents`); duplicates included. */
  invalidate?: (event: WebhookEvent) => Promise<void>;
}

/** Where deliveries arrive: `/webhooks/<source>`. */
export const WEBHOOKS_PATH = '/webhooks/';

export function useWebhooks(options: WebhookOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(WEBHOOKS_PATH)) return;
      const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }));
      const name = url.pathname.slice(WEBHOOKS_PATH.length);
      const hook = Object.hasOwn(options.sources, name) ? options.sources[name] : undefined;
      try {
        if (!hook) throw new DeliveryError(404, `There is no webhook route for ${JSON.stringify(name)}; the sources are ${Object.keys(options.sources).join(', ') || 'none'}.`);
        if (request.method !== 'POST') throw new DeliveryError(405, 'Webhooks are delivered with POST.');
        const secret = hook.secretValue;
        if (!secret) throw new DeliveryError(404, `Switchboard takes no webhooks from ${name}: ${hook.secretVariable} is not set.`);
        const body = await readLimited(request, options.maxBytes, () => new DeliveryError(413, `The body must be at most ${options.maxBytes} bytes.`));
        const verdict = verifySignature(hook.signature, request.headers, body, secret, { toleranceSeconds: hook.toleranceSeconds ?? options.toleranceSeconds });
        if (!verdict.ok) throw new DeliveryError(401, `The delivery is refused: ${verdict.reason}.`);
        const traceparent = options.traceparent?.(request);
        const event = { ...readDelivery(name, hook, request.headers.get('content-type'), body), ...(traceparent ? { traceparent } : {}) };
        // A redelivery too: the provider sends one when it got no answer, which may have been a 503 from here.
        await options.invalidate?.(event).catch((error: unknown) => {
          throw new DeliveryError(503, `Switchboard could not drop what the event changed from its cache (${(error as Error).message}); deliver it again later.`);
        });
        const recorded = await options.log.record(event).catch((error: unknown) => {
          // The delivery is good; the gateway could not keep it. 503 makes the provider send it again.
          throw new DeliveryError(503, `Switchboard could not record the event (${(error as Error).message}); deliver it again later.`);
        });
        answer(200, { received: true, id: event.id, duplicate: !recorded });
        options.observe?.(name, recorded ? 'accepted' : 'duplicate');
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        log.warn({ requestId: request.headers.get('x-request-id') ?? undefined, source: name, status: error.status }, `webhook ${request.method} ${url.pathname} refused with ${error.status}: ${error.message}`);
        options.observe?.(hook ? name : 'unknown', 'refused', errorName(error.status));
        const headers: Record<string, string> = error.status === 405 ? { allow: 'POST' } : error.status === 503 ? { 'retry-after': '5' } : {};
        answer(error.status, { error: errorName(error.status), message: error.status === 503 ? 'Switchboard could not record the event; deliver it again later.' : error.message }, headers);
      }
    },
  };
}

function errorName(status: number): string {
  return { 400: 'malformed_delivery', 401: 'invalid_signature', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type', 503: 'unavailable' }[status] ?? 'refused';
}
