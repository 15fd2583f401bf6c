/**
 * The payment processor's writes (`POST /payments`, `POST /refunds` in openapi.yaml), idempotent as
 * payment APIs are: each needs an `Idempotency-Key`, and the same key with the same body answers the
 * first answer again (with `Idempotent-Replayed: true`) without charging or refunding twice; the same
 * key with another body is refused with 422.
 *
 * `POST /refunds` refunds every payment of an order and closes the order to new charges, so that a
 * charge arriving late (a timed-out request the network delivered after all) is refused with 409
 * rather than taken: a merchant that lost track of a charge undoes it by the order, without its id.
 *
 * A charge above the demo card's limit (`DECLINE_ABOVE`) is declined: the payment is kept as FAILED
 * and the answer is 402 `card_declined`. Every payment that succeeds, fails or is refunded is told
 * to `notify`, which the service turns into a webhook. The webhook carries the W3C `traceparent` of
 * the call that caused it, when that call had one, so a trace follows a payment from the order that
 * took it to the event its subscribers receive.
 *
 *   const charges = createCharges(indexes, (type, payment) => webhooks.send(paymentEvent(type, payment)));
 *   routes.push(...charges.routes);
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PaymentRecord } from '../world/seed.js';
import { problem, readBody, type JsonReply, type JsonRequest, type JsonRoute } from '../world/json-api.js';
import { addToGroup } from '../world/lookup.js';

export interface PaymentIndexes {
  payments: Map<string, PaymentRecord>;
  paymentsByOrder: Map<string, PaymentRecord[]>;
}

export type PaymentEventType = 'payment.succeeded' | 'payment.failed' | 'payment.refunded';

/** The most the demo card pays in one charge, in the order's currency; more is declined. */
export const DECLINE_ABOVE = 5000;

export function createCharges(indexes: PaymentIndexes, notify: (type: PaymentEventType, payment: PaymentRecord, traceparent?: string) => void = () => undefined) {
  const answered = new Map<string, { fingerprint: string; reply: JsonReply }>();
  const closedOrders = new Set<string>();
  const created: PaymentRecord[] = [];

  /** Private: runs a write once per idempotency key; a repeat gets the first reply, marked as replayed. */
  const once = async (request: JsonRequest, operation: string, write: (body: Record<string, unknown>) => JsonReply): Promise<JsonReply> => {
    const key = request.req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '' || key.length > 255) {
      throw problem(400, 'idempotency_key_required', 'The Idempotency-Key header must hold 1 to 255 characters.');
    }
    const text = await readBody(request.req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw problem(400, 'bad_request', 'The body must be JSON.');
    }
    const fingerprint = createHash('sha256').update(`${operation}\n${JSON.stringify(body)}`).digest('hex');
    const previous = answered.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) throw problem(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request.');
      return { ...previous.reply, headers: { ...previous.reply.headers, 'idempotent-replayed': 'true' } };
    }
    const reply = write(body);
    answered.set(key, { fingerprint, reply });
    return reply;
  };

  const routes: JsonRoute[] = [
    {
      method: 'POST', path: '/payments', operation: 'createPayment',
      handle: (request) => once(request, 'createPayment', (body) => {
        const { orderId, amount, currency } = body;
        if (typeof orderId !== 'string' || orderId === '') throw problem(400, 'bad_request', '`orderId` must be an order id.');
        if (typeof amount !== 'number' || !(amount > 0)) throw problem(400, 'bad_request', '`amount` must be a positive number.');
        if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw problem(400, 'bad_request', '`currency` must be an ISO 4217 code.');
        if (closedOrders.has(orderId)) throw problem(409, 'order_closed', `Order ${orderId} was refunded and takes no new charges.`);
        const declined = amount > DECLINE_ABOVE;
        const payment: PaymentRecord = {
          id: `pay-${randomUUID()}`,
          orderId,
          amount,
          currency,
          status: declined ? 'FAILED' : 'SUCCEEDED',
          method: 'CARD',
          createdAt: new Date().toISOString(),
        };
        indexes.payments.set(payment.id, payment);
        addToGroup(indexes.paymentsByOrder, orderId, payment);
        created.push(payment);
        notify(declined ? 'payment.failed' : 'payment.succeeded', payment, traceparentOf(request.req.headers));
        if (declined) {
          return { status: 402, body: { error: 'card_declined', message: `The card was declined: ${amount} ${currency} is over its limit of ${DECLINE_ABOVE}.`, payment } };
        }
        return { status: 201, body: payment };
      }),
    },
    {
      method: 'POST', path: '/refunds', operation: 'refundOrder',
      handle: (request) => once(request, 'refundOrder', (body) => {
        const { orderId } = body;
        if (typeof orderId !== 'string' || orderId === '') throw problem(400, 'bad_request', '`orderId` must be an order id.');
        closedOrders.add(orderId);
        const refunded = (indexes.paymentsByOrder.get(orderId) ?? []).filter((payment) => payment.status === 'SUCCEEDED');
        for (const payment of refunded) {
          payment.status = 'REFUNDED';
          notify('payment.refunded', payment, traceparentOf(request.req.headers));
        }
        return { status: 200, body: { orderId, refunded } };
      }),
    },
  ];
  return {
    routes,
    /** The payments the API took (with their status now) and the orders closed by a refund. */
    recorded() {
      return { payments: created, closedOrderIds: [...closedOrders] };
    },
  };
}

/** Private: the caller's `traceparent`, when it sent one. */
function traceparentOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.traceparent;
  return typeof value === 'string' ? value : undefined;
}
