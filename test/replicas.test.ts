// Two Switchboard replicas sharing a real Redis (REDIS_URL), as they run behind a load balancer: a
// webhook taken by either reaches the subscribers of both, once, in one order; a redelivery to the
// other replica is still known; a subscriber moving between replicas resumes with `after`; and
// every replica hears what each event invalidates.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { signWebhook as signPayload } from '../demo/world/index.js';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { createWebhookSender } from '../demo/world/webhook-sender.js';
import { world } from './helpers/expected.js';
import { startFlakyProxy } from './helpers/flaky-proxy.js';
import { REDIS_URL, redisKeys, removeKeys } from './helpers/redis.js';
import { subscribe, type Subscriber, type Transport } from './helpers/subscribers.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { startReplica, type Replica } from './helpers/replica.js';
import { log } from '../gateway/logging/log.js';

const PREFIX = `switchboard-test:${randomUUID()}:`;
let a: TestSwitchboard;
let b: Replica;
const replicas = () => [
  { name: 'A', gateway: a.gateway, url: a.url, origin: a.origin },
  { name: 'B', gateway: b.gateway, url: b.served.url, origin: b.served.origin },
];
const open: Subscriber[] = [];

beforeAll(async () => {
  a = await startTestSwitchboard({ REDIS_URL, REDIS_KEY_PREFIX: PREFIX, RATE_LIMITS: 'Query.products=3/10s' });
  // The second replica: the same configuration (the environment A was started with), its own process state.
  b = await startReplica();
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await removeKeys(PREFIX);
  delete process.env.REDIS_URL;
  delete process.env.REDIS_KEY_PREFIX;
  delete process.env.RATE_LIMITS;
});
afterEach(async () => {
  for (const subscriber of open.splice(0)) subscriber.close();
  await until(() => replicas().every((replica) => replica.gateway.events.listenerCount('payments') === 0));
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not true within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Subscribes to payment event ids on one replica, once that replica counts the subscription. */
async function subscribedOn(replica: ReturnType<typeof replicas>[number], transport: Transport, after?: string) {
  const listening = replica.gateway.events.listenerCount('payments');
  const subscriber = after === undefined
    ? subscribe(transport, replica.url, 'subscription { paymentEvents { id } }', {}, a.staffToken)
    : subscribe(transport, replica.url, 'subscription($after: ID) { paymentEvents(after: $after) { id } }', { after }, a.staffToken);
  open.push(subscriber);
  await until(() => replica.gateway.events.listenerCount('payments') > listening);
  return subscriber;
}

const payment = world.payments[1]!;
const eventBody = (id: string) => JSON.stringify({ id, type: 'payment.succeeded', occurredAt: '2026-11-24T10:00:00Z', data: { payment } });

/** Delivers one event to one replica, as payments would; answers the gateway's acknowledgement. */
async function post(origin: string, id: string) {
  const body = eventBody(id);
  const response = await fetch(`${origin}/webhooks/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'switchboard-signature': signPayload(DEMO_CREDENTIALS.paymentsWebhookSecret, body) },
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function take(subscriber: Subscriber, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await subscriber.next(10_000)).data!.paymentEvents.id);
  return ids;
}

it('a webhook taken by one replica reaches the subscribers of both; a redelivery to the other is known', async () => {
  const [A, B] = replicas();
  const onA = await subscribedOn(A!, 'graphql-sse');
  const onB = await subscribedOn(B!, 'graphql-ws');
  const [x, y] = [`evt_${randomUUID()}`, `evt_${randomUUID()}`];
  expect(await post(A!.origin, x)).toEqual({ status: 200, body: { received: true, id: x, duplicate: false } });
  expect(await post(B!.origin, x)).toEqual({ status: 200, body: { received: true, id: x, duplicate: true } });
  expect(await post(B!.origin, y)).toEqual({ status: 200, body: { received: true, id: y, duplicate: false } });
  expect(await take(onA, 2)).toEqual([x, y]);
  expect(await take(onB, 2)).toEqual([x, y]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect([onA.buffered(), onB.buffered()]).toEqual([[], []]);
  // Each replica heard both events through Redis, whichever took them, and measured how late (the metrics' event log lag).
  for (const replica of [A!, B!]) {
    const { body } = await replica.gateway.scrape(null);
    const count = (pattern: RegExp) => Number(pattern.exec(body)?.[1]);
    expect([count(/^switchboard_event_log_lag_seconds_count (\d+)$/m), count(/^switchboard_event_log_lag_seconds_bucket\{le="1"\} (\d+)$/m)]).toEqual([2, 2]);
  }
});

it('300 webhooks over both replicas at once, 30 redelivered to the other one: every subscriber gets the 300 once, in one order', async () => {
  const [A, B] = replicas();
  const subscribers = [await subscribedOn(A!, 'graphql-ws'), await subscribedOn(B!, 'yoga-sse'), await subscribedOn(B!, 'graphql-sse')];
  const ids = Array.from({ length: 300 }, (_, index) => `evt_spread_${String(index).padStart(3, '0')}`);
  const senders = [A!, B!].map((replica) => createWebhookSender({
    secret: DEMO_CREDENTIALS.paymentsWebhookSecret,
    contentType: 'application/json; charset=utf-8',
    target: `${replica.origin}/webhooks/payments`,
  }));
  const event = (id: string) => ({ id, type: 'payment.succeeded', body: eventBody(id) });
  // Replica A takes the first half, B the second, both at once; every tenth event of each half comes
  // again through the other replica, as a provider whose load balancer picked another replica.
  ids.forEach((id, index) => {
    const own = index < 150 ? 0 : 1;
    senders[own]!.send(event(id));
    if (index % 10 === 9) senders[1 - own]!.send(event(id));
  });
  await Promise.all(senders.map((sender) => sender.settled()));
  for (const sender of senders) sender.close();
  expect(senders.map((sender) => sender.report().delivered)).toEqual([165, 165]);

  const orders = [];
  for (const subscriber of subscribers) orders.push(await take(subscriber, 300));
  // One order for everyone: the order the shared log recorded them in.
  const logged = (await B!.gateway.events.since('payments'))!.events.map((logged) => logged.id).filter((id) => id.startsWith('evt_spread_'));
  expect(logged).toHaveLength(300);
  for (const order of orders) expect(order).toEqual(logged);
  expect(new Set(logged)).toEqual(new Set(ids));
  // What only one replica was sent kept that replica's order.
  for (const half of [ids.slice(0, 150), ids.slice(150)]) {
    const once = half.filter((_, index) => index % 10 !== 9);
    expect(logged.filter((id) => once.includes(id))).toEqual(once);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const subscriber of subscribers) expect(subscriber.buffered()).toEqual([]);
}, 60_000);

it('a subscriber that reconnects to the other replica with `after` gets what it missed, then live events', async () => {
  const [A, B] = replicas();
  const ids = Array.from({ length: 8 }, () => `evt_${randomUUID()}`);
  const first = await subscribedOn(A!, 'graphql-ws');
  for (const id of ids.slice(0, 3)) await post(A!.origin, id);
  const seen = await take(first, 3);
  first.close();
  for (const id of ids.slice(3, 7)) await post(B!.origin, id);
  const resumed = await subscribedOn(B!, 'graphql-sse', seen.at(-1));
  await post(A!.origin, ids[7]!);
  await post(B!.origin, ids[4]!);
  seen.push(...await take(resumed, 5));
  expect(seen).toEqual(ids);
});

it('a client has one rate-limit allowance across replicas', async () => {
  const [A, B] = replicas();
  const token = await a.tokenFor(`cust-rl-${randomUUID()}`);
  const ask = async (replica: typeof A) => (await fetch(replica!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ products(first: 1) { id } }' }),
  })).status;
  expect([await ask(A), await ask(B), await ask(A), await ask(B), await ask(A)]).toEqual([200, 200, 200, 429, 429]);
  expect((await redisKeys(`${PREFIX}rate:*`)).length).toBeGreaterThan(0);
});

it('three replicas keep to one provider quota: 300 calls spread over them, and the catalog answers none 429', async () => {
  // A third replica, as the second.
  const c = await startReplica();
  try {
    await a.resetLogs();
    const urls = [a.url, b.served.url, c.served.url];
    const products = world.products.slice(0, 300);
    const started = performance.now();
    // Each asks the catalog once (300 different products: nothing to share), all at once.
    const answers = await Promise.all(products.map(async (product, n) => (await fetch(urls[n % 3]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ product(id: "${product.id}") { name } }` }),
    })).json()));
    const elapsed = performance.now() - started;
    expect(answers).toEqual(products.map((product) => ({ data: { product: { name: product.name } } })));
    const calls = (await a.requests()).catalog;
    expect([calls.length, calls.filter((call) => call.status === 429).length]).toEqual([300, 0]);
    // The catalog's budget (sources/catalog/source.json: 200 a second, bursts of 50) is one for the three:
    // 300 calls take at least (300 - 50) / 200 s, where three budgets of their own would send them in half that.
    expect(elapsed).toBeGreaterThan(1150);
    expect(await redisKeys(`${PREFIX}budget:*`)).toEqual([`${PREFIX}budget:catalog`]);
  } finally {
    await c.close();
  }
});

it('every replica hears what an event invalidates, whichever replica took it', async () => {
  const [A, B] = replicas();
  const heard: { replica: string; entities: unknown }[] = [];
  const stops = [A!, B!].map((replica) => replica.gateway.invalidations.onInvalidate((entities) => heard.push({ replica: replica.name, entities })));
  await post(A!.origin, `evt_${randomUUID()}`);
  await until(() => heard.length === 2);
  for (const stop of stops) stop();
  const entities = [{ typename: 'Payment', id: payment.id, source: 'payments' }, { typename: 'Order', id: payment.orderId, source: 'payments' }];
  expect(heard.sort((left, right) => left.replica.localeCompare(right.replica))).toEqual([{ replica: 'A', entities }, { replica: 'B', entities }]);
});

it('while Redis is away a replica answers a good delivery 503, and the provider\'s retry gets it through once', async () => {
  const [A] = replicas();
  const proxy = await startFlakyProxy(REDIS_URL);
  const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
  const c = await startReplica({ ...process.env, REDIS_URL: proxy.url.replace(/^http/, 'redis') });
  try {
    const onA = await subscribedOn(A!, 'graphql-ws');
    proxy.mode = 'down';
    proxy.cutConnections();
    const id = `evt_${randomUUID()}`;
    const refused = await fetch(`${c.served.origin}/webhooks/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'switchboard-signature': signPayload(DEMO_CREDENTIALS.paymentsWebhookSecret, eventBody(id)) },
      body: eventBody(id),
      signal: AbortSignal.timeout(5000),
    });
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([503, '5', {
      error: 'unavailable', message: 'Switchboard could not record the event; deliver it again later.',
    }]);
    const sender = createWebhookSender({
      secret: DEMO_CREDENTIALS.paymentsWebhookSecret,
      contentType: 'application/json',
      target: `${c.served.origin}/webhooks/payments`,
      retry: { baseDelayMs: 50, maxDelayMs: 200 },
      timeoutMs: 3000,
    });
    sender.send({ id, type: 'payment.succeeded', body: eventBody(id) });
    await until(() => sender.report().attempts >= 2);
    proxy.mode = 'up';
    await Promise.race([sender.settled(), new Promise((_, reject) => setTimeout(() => reject(new Error(`Not delivered within 20 s: ${JSON.stringify(sender.report().deliveries)}`)), 20_000))]);
    sender.close();
    const attempts = sender.report().deliveries[0]!.attempts;
    expect(attempts.at(-1)).toBe(200);
    expect(new Set(attempts.slice(0, -1))).toEqual(new Set([503]));
    expect(await take(onA, 1)).toEqual([id]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA.buffered()).toEqual([]);
    expect(warn.mock.calls.map(([, line]) => String(line)).filter((line) => line.includes('refused with 503')).length).toBe(attempts.length);
  } finally {
    warn.mockRestore();
    await c.close();
    await proxy.close();
  }
});

