// Webhooks from the demo upstreams to subscribers, end to end over real sockets and the real clients
// (graphql-ws, graphql-sse, yoga's SSE): what placeOrder makes payments and the ERP send; 1,000
// deliveries with redeliveries mixed in; a subscriber resuming after a disconnect; and payments
// retrying through a gateway that is unreachable or whose acknowledgement is lost.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { signWebhook as signPayload } from '../demo/world/index.js';
import { createWebhookSender, type WebhookReport, type WebhookSender } from '../demo/world/webhook-sender.js';
import { productById, stockOf, world } from './helpers/expected.js';
import { startFlakyProxy, type FlakyProxy } from './helpers/flaky-proxy.js';
import WebSocket from 'ws';
import { subscribe, TRANSPORTS, type Result, type Subscriber } from './helpers/subscribers.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

const PLACE = `mutation($key: String!, $lines: [OrderLineInput!]!) {
  placeOrder(idempotencyKey: $key, customerId: "cust-0003", lines: $lines) { id total }
}`;
const PAYMENT_EVENTS = 'subscription { paymentEvents { id type payment { id orderId amount status } } }';
const STOCK_CHANGES = 'subscription($sku: String) { stockChanged(sku: $sku) { type sku stock { total } } }';

let switchboard: TestSwitchboard;
const open: Subscriber[] = [];

beforeAll(async () => {
  switchboard = await startTestSwitchboard({}, { serving: { webhookRetry: { baseDelayMs: 20, maxDelayMs: 100 } } });
});
afterAll(() => switchboard?.close());
afterEach(async () => {
  for (const subscriber of open.splice(0)) subscriber.close();
  await until(() => switchboard.gateway.events.listenerCount('payments') + switchboard.gateway.events.listenerCount('stock') === 0);
});

/** Subscribes and waits until the gateway counts the subscription among the topic's listeners. */
async function subscribed(transport: (typeof TRANSPORTS)[number], topic: string, query: string, variables: Record<string, unknown> = {}) {
  const listening = switchboard.gateway.events.listenerCount(topic);
  const subscriber = subscribe(transport, switchboard.url, query, variables, switchboard.staffToken);
  open.push(subscriber);
  await until(() => switchboard.gateway.events.listenerCount(topic) > listening);
  return subscriber;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Not true within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A demo upstream's webhook deliveries, as `GET /_admin/webhooks` shows them to an operator. */
async function deliveries(source: 'payments' | 'inventory'): Promise<WebhookReport> {
  return (await fetch(`${switchboard.world[source].url}/_admin/webhooks`)).json() as Promise<WebhookReport>;
}

const place = (lines: { productId: string; quantity: number }[]) => switchboard.query(PLACE, { key: randomUUID(), lines });

describe('the demo upstreams send webhooks', () => {
  it('placeOrder: payments sends payment.succeeded, the ERP its stock change, each delivered once to its subscribers', async () => {
    const product = productById.get('prod-0004')!;
    const payments = await subscribed('graphql-ws', 'payments', PAYMENT_EVENTS);
    const stock = await subscribed('graphql-sse', 'stock', STOCK_CHANGES, { sku: product.sku });
    const before = [await deliveries('payments'), await deliveries('inventory')];

    const { body } = await place([{ productId: product.id, quantity: 2 }]);
    const order = body.data!.placeOrder;

    const paid = (await payments.next()).data!.paymentEvents;
    expect(paid).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'PAYMENT_SUCCEEDED',
      payment: { id: expect.stringMatching(/^pay-/), orderId: order.id, amount: order.total, status: 'SUCCEEDED' },
    });
    expect(await stock.next()).toEqual({ data: { stockChanged: { type: 'STOCK_CHANGED', sku: product.sku, stock: { total: stockOf(product.sku).total - 2 } } } });
    await Promise.all([switchboard.world.payments.webhooks!.settled(), switchboard.world.inventory.webhooks!.settled()]);
    const [paymentsAfter, inventoryAfter] = [await deliveries('payments'), await deliveries('inventory')];
    // One event each (committing the reservation changes no stock), each acknowledged at the first attempt.
    expect(paymentsAfter.deliveries.slice(before[0]!.deliveries.length)).toEqual([{ id: paid.id, type: 'payment.succeeded', attempts: [200], delivered: true }]);
    expect(inventoryAfter.deliveries.slice(before[1]!.deliveries.length)).toEqual([
      { id: expect.stringMatching(/^stk-/), type: 'StockChanged', attempts: [200], delivered: true },
    ]);
    expect(payments.buffered()).toEqual([]);
    expect(stock.buffered()).toEqual([]);
  });

  it('a declined charge: payment.failed, and the stock reserved then given back', async () => {
    // The most expensive product, in the quantity that passes the demo card's limit of 5,000.
    const product = [...productById.values()].sort((a, b) => b.price - a.price)[0]!;
    const quantity = Math.floor(5000 / product.price) + 1;
    expect(stockOf(product.sku).total).toBeGreaterThanOrEqual(quantity);
    const payments = await subscribed('graphql-sse', 'payments', PAYMENT_EVENTS);
    const stock = await subscribed('graphql-ws', 'stock', STOCK_CHANGES, { sku: product.sku });

    const { body } = await place([{ productId: product.id, quantity }]);
    expect(body.errors).toEqual([{
      message: 'The order was not placed: the payment was declined. Nothing was charged and no stock is held.',
      path: ['placeOrder'],
      extensions: { code: 'PAYMENT_DECLINED', step: 'charge', undone: true },
    }]);
    const failed = (await payments.next()).data!.paymentEvents;
    expect(failed).toMatchObject({ type: 'PAYMENT_FAILED', payment: { amount: Math.round(quantity * product.price * 100) / 100, status: 'FAILED' } });
    const totals = [(await stock.next()).data!.stockChanged.stock.total, (await stock.next()).data!.stockChanged.stock.total];
    expect(totals).toEqual([stockOf(product.sku).total - quantity, stockOf(product.sku).total]);
  });

  it('a refund: payment.succeeded then payment.refunded for the same payment, in that order', async () => {
    await switchboard.inject('catalog', { kind: 'error', status: 503, operations: ['recordOrder'] });
    const payments = await subscribed('yoga-sse', 'payments', PAYMENT_EVENTS);
    const { body } = await place([{ productId: 'prod-0006', quantity: 1 }]);
    await switchboard.clearFaults();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', step: 'record', undone: true });
    const first = (await payments.next()).data!.paymentEvents;
    const second = (await payments.next()).data!.paymentEvents;
    expect([first.type, first.payment.status, second.type, second.payment.status]).toEqual(['PAYMENT_SUCCEEDED', 'SUCCEEDED', 'PAYMENT_REFUNDED', 'REFUNDED']);
    expect(second.payment.id).toBe(first.payment.id);
  });
});

/** A provider's own sender, aimed at the gateway: payment events for one seeded payment. */
function paymentsSender(target = `${switchboard.origin}/webhooks/payments`): WebhookSender {
  return createWebhookSender({
    secret: DEMO_CREDENTIALS.paymentsWebhookSecret,
    contentType: 'application/json; charset=utf-8',
    target,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
}

function paymentEvent(id: string) {
  const payment = world.payments[0]!;
  return { id, type: 'payment.succeeded', body: JSON.stringify({ id, type: 'payment.succeeded', occurredAt: '2026-11-24T10:00:00Z', data: { payment } }) };
}

describe('delivery guarantees', () => {
  it('1,000 webhooks, 100 of them delivered twice: every subscriber gets exactly the 1,000, in order', async () => {
    const subscribers: Subscriber[] = [];
    for (const transport of TRANSPORTS) subscribers.push(await subscribed(transport, 'payments', 'subscription { paymentEvents { id } }'));
    const sender = paymentsSender();
    const ids = Array.from({ length: 1000 }, (_, index) => `evt_bulk_${String(index).padStart(4, '0')}`);
    ids.forEach((id, index) => {
      sender.send(paymentEvent(id));
      // Every tenth event, one sent 5 events earlier comes again, as a provider that missed an acknowledgement does.
      if (index % 10 === 9) sender.send(paymentEvent(ids[index - 5]!));
    });
    await sender.settled();
    const report = sender.report();
    sender.close();
    expect([report.deliveries.length, report.delivered, report.attempts]).toEqual([1100, 1100, 1100]);
    // Recorded once each: the log's last 1,000 payment events are exactly these.
    expect((await switchboard.gateway.events.since('payments'))!.events.map((event) => event.id)).toEqual(ids);

    for (const subscriber of subscribers) {
      const received: string[] = [];
      for (let i = 0; i < 1000; i++) received.push((await subscriber.next(10_000)).data!.paymentEvents.id);
      expect(received).toEqual(ids);
    }
    // Nothing more is on its way: the next event anyone receives is a new one.
    const last = paymentsSender();
    last.send(paymentEvent('evt_bulk_after'));
    await last.settled();
    last.close();
    for (const subscriber of subscribers) expect((await subscriber.next()).data!.paymentEvents.id).toBe('evt_bulk_after');
  }, 60_000);

  it('valid, forged, stale, replayed, malformed and oversized deliveries over the socket: subscribers get the valid one, once', async () => {
    const subscribers: Subscriber[] = [];
    for (const transport of TRANSPORTS) subscribers.push(await subscribed(transport, 'payments', 'subscription { paymentEvents { id type } }'));
    const secret = DEMO_CREDENTIALS.paymentsWebhookSecret;
    const valid = paymentEvent(`evt_${randomUUID()}`).body;
    const post = async (body: string, signature: string) => {
      const response = await fetch(`${switchboard.origin}/webhooks/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'switchboard-signature': signature },
        body,
      });
      return [response.status, (await response.json()).error ?? 'received'];
    };
    const now = Math.floor(Date.now() / 1000);
    const outcomes = [
      await post(valid, signPayload(secret, valid)),
      await post(valid.replace('succeeded', 'refunded'), signPayload(secret, valid)),
      await post(valid, signPayload('not-the-secret', valid)),
      await post(valid, signPayload(secret, valid, now - 301)),
      await post(valid, signPayload(secret, valid)),
      await post('{"id":', signPayload(secret, '{"id":')),
      await post(`{"pad":"${'x'.repeat(300_000)}"}`, signPayload(secret, 'x')),
    ];
    expect(outcomes).toEqual([
      [200, 'received'], [401, 'invalid_signature'], [401, 'invalid_signature'], [401, 'invalid_signature'],
      [200, 'received'], [400, 'malformed_delivery'], [413, 'payload_too_large'],
    ]);
    for (const subscriber of subscribers) {
      expect((await subscriber.next()).data!.paymentEvents).toEqual({ id: JSON.parse(valid).id, type: 'PAYMENT_SUCCEEDED' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const subscriber of subscribers) expect(subscriber.buffered()).toEqual([]);
  });

  it('an event is stitched like the rest of the graph, the same over every transport', async () => {
    const seeded = world.payments[0]!;
    const order = world.orders.find((candidate) => candidate.id === seeded.orderId)!;
    const query = 'subscription($orderId: ID) { paymentEvents(orderId: $orderId) { payment { amount order { id customer { name } } } } }';
    const subscribers: Subscriber[] = [];
    for (const transport of TRANSPORTS) subscribers.push(await subscribed(transport, 'payments', query, { orderId: order.id }));
    const sender = paymentsSender();
    sender.send(paymentEvent(`evt_${randomUUID()}`));
    await sender.settled();
    sender.close();
    const customer = world.customers.find((candidate) => candidate.id === order.customerId)!;
    for (const subscriber of subscribers) {
      expect(await subscriber.next()).toEqual({ data: { paymentEvents: { payment: { amount: seeded.amount, order: { id: order.id, customer: { name: customer.name } } } } } });
    }
  });

  it('an event whose stitched field fails still arrives, with the typed error on that field and nothing internal', async () => {
    const seeded = world.payments[0]!;
    const query = 'subscription { paymentEvents { payment { amount order { id } } } }';
    const subscribers: Subscriber[] = [];
    for (const transport of TRANSPORTS) subscribers.push(await subscribed(transport, 'payments', query));
    await switchboard.inject('catalog', { kind: 'down' });
    const sender = paymentsSender();
    sender.send(paymentEvent(`evt_${randomUUID()}`));
    await sender.settled();
    sender.close();
    try {
      for (const subscriber of subscribers) {
        const result = await subscriber.next();
        expect(result).toMatchObject({
          data: { paymentEvents: { payment: { amount: seeded.amount, order: null } } },
          errors: [{ path: ['paymentEvents', 'payment', 'order'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'catalog' } }],
        });
        expect(JSON.stringify(result)).not.toMatch(/stack|\bat \S+ \(|127\.0\.0\.1|originalError/);
      }
    } finally {
      await switchboard.clearFaults();
    }
  });

  it.each(TRANSPORTS)('a %s subscriber that reconnects with `after` gets what it missed, then live events, nothing twice', async (transport) => {
    const sender = paymentsSender();
    const ids = Array.from({ length: 9 }, () => `evt_${randomUUID()}`);
    const first = await subscribed(transport, 'payments', 'subscription { paymentEvents { id } }');
    for (const id of ids.slice(0, 3)) sender.send(paymentEvent(id));
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await first.next()).data!.paymentEvents.id);
    first.close();
    await until(() => switchboard.gateway.events.listenerCount('payments') === 0);

    for (const id of ids.slice(3, 8)) sender.send(paymentEvent(id));
    await sender.settled();
    const resumed = await subscribed(transport, 'payments', 'subscription($after: ID) { paymentEvents(after: $after) { id } }', { after: seen.at(-1) });
    sender.send(paymentEvent(ids[8]!));
    sender.send(paymentEvent(ids[4]!)); // a redelivery of one it caught up on
    await sender.settled();
    sender.close();
    for (let i = 0; i < 6; i++) seen.push((await resumed.next()).data!.paymentEvents.id);
    expect(seen).toEqual(ids);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resumed.buffered()).toEqual([]);
  });

  describe('payments retrying through gateway failures', () => {
    let proxy: FlakyProxy;
    beforeAll(async () => {
      proxy = await startFlakyProxy(switchboard.origin);
      switchboard.world.payments.webhooks!.point(`${proxy.url}/webhooks/payments`);
    });
    afterAll(async () => {
      switchboard.world.payments.webhooks!.point(`${switchboard.origin}/webhooks/payments`);
      await proxy.close();
    });

    it('retries while the gateway is unreachable, and the event arrives once', async () => {
      const payments = await subscribed('graphql-ws', 'payments', PAYMENT_EVENTS);
      const before = (await deliveries('payments')).deliveries.length;
      proxy.mode = 'down';
      const { body } = await place([{ productId: 'prod-0010', quantity: 1 }]);
      const order = body.data!.placeOrder;
      await until(async () => ((await deliveries('payments')).deliveries[before]?.attempts.length ?? 0) >= 3);
      expect(payments.buffered()).toEqual([]);
      proxy.mode = 'up';
      await switchboard.world.payments.webhooks!.settled();

      const record = (await deliveries('payments')).deliveries[before]!;
      expect(record.delivered).toBe(true);
      expect(record.attempts.at(-1)).toBe(200);
      expect(record.attempts.slice(0, -1).every((attempt) => typeof attempt === 'string')).toBe(true);
      expect((await payments.next()).data!.paymentEvents).toMatchObject({ id: record.id, type: 'PAYMENT_SUCCEEDED', payment: { orderId: order.id } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(payments.buffered()).toEqual([]);
    });

    it('retries when the acknowledgement is lost after the gateway recorded the event, and the event is published once', async () => {
      const payments = await subscribed('graphql-sse', 'payments', PAYMENT_EVENTS);
      const before = (await deliveries('payments')).deliveries.length;
      proxy.dropReplies(1);
      const { body } = await place([{ productId: 'prod-0011', quantity: 1 }]);
      await switchboard.world.payments.webhooks!.settled();

      const record = (await deliveries('payments')).deliveries[before]!;
      expect(record.attempts).toHaveLength(2);
      expect(record.attempts[1]).toBe(200);
      expect((await payments.next()).data!.paymentEvents).toMatchObject({ id: record.id, payment: { orderId: body.data!.placeOrder.id } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(payments.buffered()).toEqual([]);
      expect((await switchboard.gateway.events.since('payments'))!.events.filter((event) => event.id === record.id)).toHaveLength(1);
    });
  });
});

describe('bad subscriptions', () => {
  const refused: [string, string, Result['errors']][] = [
    ['a syntax error', 'subscription {', [{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 15 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]],
    ['an unknown field', 'subscription { nope }', [{ message: 'Cannot query field "nope" on type "Subscription".', locations: [{ line: 1, column: 16 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]],
    ['an event id not held', 'subscription { paymentEvents(after: "evt_never") { id } }', [{
      message: 'The event evt_never is not among the events Switchboard still holds; subscribe without `after` and reload what you show.',
      locations: [{ line: 1, column: 16 }],
      path: ['paymentEvents'],
      extensions: { code: 'EVENT_NOT_HELD' },
    }]],
  ];
  it.each(TRANSPORTS.flatMap((transport) => refused.map(([name, query, errors]) => [transport, name, query, errors] as const)))(
    'over %s, %s gets its GraphQL error and code, nothing internal',
    async (transport, _, query, errors) => {
      const subscriber = subscribe(transport, switchboard.url, query, {}, switchboard.staffToken);
      open.push(subscriber);
      expect(await subscriber.next()).toEqual({ errors });
    },
  );

  it('a WebSocket message that is not the protocol closes that socket with 4400, and the gateway serves on', async () => {
    const socket = new WebSocket(switchboard.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send('{"type":"connection_init"');
    const [code, reason] = await new Promise<[number, string]>((resolve) => socket.once('close', (closeCode, closeReason) => resolve([closeCode, closeReason.toString()])));
    expect(code).toBe(4400);
    expect(reason).not.toMatch(/ at |\/work\//);
    expect((await switchboard.query('{ product(id: "prod-0001") { id } }')).body).toEqual({ data: { product: { id: 'prod-0001' } } });
  });
});

