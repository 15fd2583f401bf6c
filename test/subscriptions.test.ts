// Subscriptions over yoga's SSE: webhook deliveries come out as events, stitched like the rest of the
// graph, filtered by their arguments, and resumed after an event id without a gap or a repeat.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { signWebhook as signPayload } from '../demo/world/index.js';
import { customerById, world } from './helpers/expected.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

const order = world.orders[0]!;
const payment = world.payments.find((p) => p.orderId === order.id)!;

async function deliverPayment(id: string, type = 'payment.succeeded', orderId = order.id) {
  const body = JSON.stringify({ id, type, occurredAt: '2026-11-24T10:00:00Z', data: { payment: { ...payment, orderId } } });
  const response = await switchboard.gateway.yoga.fetch('http://switchboard/webhooks/payments', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'switchboard-signature': signPayload(DEMO_CREDENTIALS.paymentsWebhookSecret, body) },
    body,
  });
  expect(response.status).toBe(200);
}

/** A subscription over SSE: `next()` resolves with each event's data; `close()` ends it. */
async function subscribe(query: string, variables: Record<string, unknown> = {}) {
  const controller = new AbortController();
  const response = await switchboard.gateway.yoga.fetch('http://switchboard/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${switchboard.staffToken}` },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/event-stream']);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(): Promise<any> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((line) => line.startsWith('data:'));
          if (message.startsWith('event: next') && data) return JSON.parse(data.slice(5));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('The stream ended.');
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}

it('turns a payments webhook into a paymentEvents event, stitched down to the customer', async () => {
  const stream = await subscribe(`subscription($orderId: ID) {
    paymentEvents(orderId: $orderId) { id type occurredAt payment { amount order { customer { name } } } }
  }`, { orderId: order.id });
  await deliverPayment('evt_other_order', 'payment.succeeded', world.orders[1]!.id);
  await deliverPayment('evt_sub_1', 'payment.refunded');
  expect(await stream.next()).toEqual({
    data: {
      paymentEvents: {
        id: 'evt_sub_1',
        type: 'PAYMENT_REFUNDED',
        occurredAt: '2026-11-24T10:00:00.000Z',
        payment: { amount: payment.amount, order: { customer: { name: customerById.get(order.customerId)!.name } } },
      },
    },
  });
  stream.close();
});

it('resumes after an event id: first what was missed, in order, then live events, none twice', async () => {
  for (const id of ['evt_r1', 'evt_r2', 'evt_r3', 'evt_r4']) await deliverPayment(id);
  const stream = await subscribe('subscription($after: ID) { paymentEvents(after: $after) { id } }', { after: 'evt_r2' });
  await deliverPayment('evt_r3'); // a redelivery while resuming: not sent again
  await deliverPayment('evt_r5');
  const seen = [];
  for (let i = 0; i < 3; i++) seen.push((await stream.next()).data.paymentEvents.id);
  expect(seen).toEqual(['evt_r3', 'evt_r4', 'evt_r5']);
  stream.close();
});

it('answers EVENT_NOT_HELD for an id the gateway does not hold', async () => {
  const stream = await subscribe('subscription { paymentEvents(after: "evt_never") { id } }');
  // A subscription refused before it starts has no `data` (GraphQL spec, Subscribe).
  expect(await stream.next()).toEqual({
    errors: [{
      message: 'The event evt_never is not among the events Switchboard still holds; subscribe without `after` and reload what you show.',
      locations: [{ line: 1, column: 16 }],
      path: ['paymentEvents'],
      extensions: { code: 'EVENT_NOT_HELD' },
    }],
  });
  stream.close();
});
