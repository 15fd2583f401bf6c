// The response cache as `npm start` runs it alone (RESPONSE_CACHE=memory): a query whose types all
// have a freshness (the demo's manifests: Product 300 s, StockLevel, Customer and Order 60 s) is
// answered again without running, byte for byte (so its ETag, test/http-caching.test.ts, is the
// same and a client revalidates it for a 304), until a webhook or an order changes what it holds; personal data (a field an access rule guards) is kept
// per viewer and never served to another.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryResponseCache, type ResponseCache } from '../gateway/cache/response-cache.js';
import { createRedisResponseCache } from '../gateway/cache/redis-response-cache.js';
import { Redis } from 'ioredis';
import { REDIS_URL, removeKeys } from './helpers/redis.js';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { createWebhookSender } from '../demo/world/webhook-sender.js';
import { stockChangedEvent } from '../demo/inventory/reservations.js';
import { customerById, ordersOf, productById, stockOf, world } from './helpers/expected.js';
import { switchboardForFile } from './helpers/switchboard.js';

const ADMIN_TOKEN = 'admin-token-for-the-tests';
const switchboard = switchboardForFile({ RESPONSE_CACHE: 'memory', ADMIN_TOKEN });

/**
 * One request as a client sends it, with its answer's status, headers and bytes. Without an
 * `authorization` among `headers` it carries a staff token; an empty one sends none.
 */
async function ask(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, method: 'POST' | 'GET' = 'POST') {
  const url = method === 'GET' ? `${switchboard.url}?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}` : switchboard.url;
  const { authorization = `Bearer ${switchboard.staffToken}`, ...rest } = headers;
  const response = await fetch(url, {
    method,
    headers: {
      ...(method === 'POST' ? { 'content-type': 'application/json' } : { 'x-graphql-csrf': '1' }),
      accept: 'application/graphql-response+json',
      ...(authorization ? { authorization } : {}),
      ...rest,
    },
    ...(method === 'POST' ? { body: JSON.stringify({ query, variables }) } : {}),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), cacheControl: response.headers.get('cache-control'), vary: response.headers.get('vary'), text, body: text ? JSON.parse(text) : undefined };
}
/** How many calls each upstream had since the last reset. */
const calls = async () => Object.fromEntries(Object.entries(await switchboard.requests()).map(([name, logged]) => [name, logged.length]));
const NONE = { catalog: 0, payments: 0, inventory: 0, reviews: 0 };
const metric = async (line: string) => Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec((await switchboard.gateway.scrape(null)).body)?.[1] ?? 0);

const PRODUCT = 'query Product($id: ID!) { product(id: $id) { id name stock { total } } }';
const productAnswer = (id: string, total = stockOf(productById.get(id)!.sku).total) => ({ data: { product: { id, name: productById.get(id)!.name, stock: { total } } } });

describe('a public query', () => {
  it('is answered again without running, byte for byte, with a strong ETag; other variables are another answer', async () => {
    const first = await ask(PRODUCT, { id: 'prod-0003' });
    expect([first.status, first.body, first.cacheControl, first.vary]).toEqual([200, productAnswer('prod-0003'), 'private, no-cache', 'accept, authorization, accept-encoding']);
    expect(first.etag).toMatch(/^"[\w-]{32}"$/);
    expect(await calls()).toEqual({ ...NONE, catalog: 1, inventory: 1 });
    await switchboard.resetLogs();
    const again = await ask(PRODUCT, { id: 'prod-0003' });
    expect([again.status, again.text, again.etag]).toEqual([200, first.text, first.etag]);
    expect(await calls()).toEqual(NONE);
    const other = await ask(PRODUCT, { id: 'prod-0004' });
    expect(other.body).toEqual(productAnswer('prod-0004'));
    expect(other.etag).not.toBe(first.etag);
    expect(await calls()).toEqual({ ...NONE, catalog: 1, inventory: 1 });
    expect(await metric('switchboard_response_cache_lookups_total{outcome="hit"}')).toBeGreaterThanOrEqual(1);
  });

  it('keeps a product page with its reviews, which the graph declares fresh for a minute (@cacheControl)', async () => {
    const page = 'query($id: ID!) { product(id: $id) { name rating reviews { title author { name } } } }';
    const first = await ask(page, { id: 'prod-0012' });
    expect([first.status, first.cacheControl, first.body.data.product.reviews.length > 0]).toEqual([200, 'private, no-cache', true]);
    await switchboard.resetLogs();
    expect((await ask(page, { id: 'prod-0012' })).text).toBe(first.text);
    expect(await calls()).toEqual(NONE);
  });

  it('answers 304 with no body to a client that has it, over POST and GET; another ETag gets the answer', async () => {
    const { etag, text } = await ask(PRODUCT, { id: 'prod-0005' });
    const before = await metric('switchboard_http_not_modified_total');
    for (const [method, cacheControl] of [['POST', 'private, no-cache'], ['GET', 'public, max-age=60']] as const) {
      const revalidated = await ask(PRODUCT, { id: 'prod-0005' }, { 'if-none-match': etag! }, method);
      expect([revalidated.status, revalidated.text, revalidated.etag, revalidated.cacheControl]).toEqual([304, '', etag, cacheControl]);
    }
    const stale = await ask(PRODUCT, { id: 'prod-0005' }, { 'if-none-match': '"not-this-one"' });
    expect([stale.status, stale.text]).toEqual([200, text]);
    expect(await metric('switchboard_http_not_modified_total')).toBe(before + 2);
  });

  it('is dropped when the ERP says the SKU it holds changed, and only then: the old ETag gets the new answer', async () => {
    const id = 'prod-0007';
    const sku = productById.get(id)!.sku;
    const { etag } = await ask(PRODUCT, { id });
    // Another SKU's change leaves it held.
    const elsewhere = switchboard.world.world.stock.find((record) => record.sku === productById.get('prod-0008')!.sku)!;
    await erpSays(elsewhere);
    await switchboard.resetLogs();
    expect((await ask(PRODUCT, { id }, { 'if-none-match': etag! })).status).toBe(304);
    expect(await calls()).toEqual(NONE);
    // Its own SKU's change drops it before the webhook is acknowledged.
    const record = switchboard.world.world.stock.find((candidate) => candidate.sku === sku)!;
    const total = stockOf(sku).total;
    record.warehouses[0]!.quantity += 5;
    await erpSays(record);
    const changed = await ask(PRODUCT, { id }, { 'if-none-match': etag! });
    expect([changed.status, changed.body]).toEqual([200, productAnswer(id, total + 5)]);
    expect(changed.etag).not.toBe(etag);
    expect(await calls()).toEqual({ ...NONE, catalog: 1, inventory: 1 });
  });

  it('is dropped with its type by an operator', async () => {
    await ask(PRODUCT, { id: 'prod-0009' });
    const dropped = await fetch(`${switchboard.origin}/admin/invalidate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"type":"Product"}' });
    expect(dropped.status).toBe(200);
    await switchboard.resetLogs();
    await ask(PRODUCT, { id: 'prod-0009' });
    expect(await calls()).toEqual({ ...NONE, catalog: 1, inventory: 1 });
  });

  it('is not kept when it holds a type no manifest gives a freshness, when it has errors, nor for a mutation', async () => {
    const payment = await ask('query($id: ID!) { order(id: $id) { id payment { status } } }', { id: world.orders[0]!.id });
    await switchboard.inject('inventory', { kind: 'error', status: 503, count: 20 });
    const failed = await ask(PRODUCT, { id: 'prod-0011' });
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const mutation = await ask('mutation { placeOrder(idempotencyKey: "", customerId: "cust-0001", lines: []) { id } }');
    expect([payment.status, failed.cacheControl, mutation.cacheControl]).toEqual([200, 'no-store', 'no-store']);
    await switchboard.clearFaults();
    await switchboard.resetLogs();
    await ask('query($id: ID!) { order(id: $id) { id payment { status } } }', { id: world.orders[0]!.id });
    await ask(PRODUCT, { id: 'prod-0011' });
    expect(await calls()).toEqual({ ...NONE, catalog: 2, payments: 1, inventory: 1 });
  });
});

describe('personal data', () => {
  const ORDERS = 'query Orders($id: ID!) { customer(id: $id) { name orders { id status } } }';
  const customer = world.customers[2]!;
  const other = world.customers[3]!;
  const ordersAnswer = (id: string) => ({ data: { customer: { name: customerById.get(id)!.name, orders: ordersOf(id).map((order) => ({ id: order.id, status: order.status })) } } });

  it('is kept per viewer: another customer\'s token asking the same never gets it, nor a request without a token', async () => {
    const own = { authorization: `Bearer ${await switchboard.tokenFor(customer.id)}` };
    const first = await ask(ORDERS, { id: customer.id }, own);
    expect([first.status, first.body, first.cacheControl, first.vary]).toEqual([200, ordersAnswer(customer.id), 'private, no-cache', 'accept, authorization, accept-encoding']);
    await switchboard.resetLogs();
    expect((await ask(ORDERS, { id: customer.id }, own)).text).toBe(first.text);
    expect(await calls()).toEqual(NONE);
    // The same document and variables for another customer: run, and refused by the access rule.
    const stranger = await ask(ORDERS, { id: customer.id }, { authorization: `Bearer ${await switchboard.tokenFor(other.id)}` });
    expect(stranger.body.errors.map((error: { path: unknown; extensions: { code: string } }) => [error.path, error.extensions.code])).toEqual([[['customer', 'orders'], 'FORBIDDEN']]);
    expect(stranger.etag).toBeNull();
    const anonymous = await ask(ORDERS, { id: customer.id }, { authorization: '' });
    expect(anonymous.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    // Staff sees every customer's, under its own key: run once, then kept for staff.
    const staff = await ask(ORDERS, { id: customer.id });
    expect([staff.body, staff.etag === first.etag]).toEqual([ordersAnswer(customer.id), true]);
    expect((await calls()).catalog).toBeGreaterThanOrEqual(3);
  });

  it('is dropped when the customer places an order: the next read holds it', async () => {
    const own = { authorization: `Bearer ${await switchboard.tokenFor(other.id)}` };
    const before = await ask(ORDERS, { id: other.id }, own);
    const placed = await switchboard.query('mutation($key: String!, $id: ID!) { placeOrder(idempotencyKey: $key, customerId: $id, lines: [{ productId: "prod-0020", quantity: 1 }]) { id status } }',
      { key: `response-cache-${Date.now()}`, id: other.id }, own);
    expect(placed.body.data?.placeOrder.status).toBe('PLACED');
    const after = await ask(ORDERS, { id: other.id }, { ...own, 'if-none-match': before.etag! });
    expect(after.status).toBe(200);
    expect(after.body.data.customer.orders[0]).toEqual({ id: placed.body.data!.placeOrder.id, status: 'PLACED' });
    expect(after.body.data.customer.orders.slice(1)).toEqual(before.body.data.customer.orders);
  });
});

/** Tells the gateway a SKU's stock changed, signed as the ERP signs it, and resolves when acknowledged. */
async function erpSays(record: Parameters<typeof stockChangedEvent>[0]): Promise<void> {
  const sender = createWebhookSender({ secret: DEMO_CREDENTIALS.inventoryWebhookSecret, contentType: 'text/xml; charset=utf-8', target: `${switchboard.origin}/webhooks/inventory` });
  sender.send(stockChangedEvent(record));
  await sender.settled();
  sender.close();
  expect(sender.report().deliveries.map((delivery) => delivery.attempts)).toEqual([[200]]);
}

// Each store, as the plugin uses it: this gateway's memory, and Redis shared by replicas.
const PREFIX = `switchboard-test:${randomUUID()}:`;
afterAll(() => removeKeys(PREFIX));
describe.each([
  ['memory', async () => createMemoryResponseCache({ maxEntries: 100, maxBytes: 1024 * 1024 })],
  ['redis', () => createRedisResponseCache({ url: REDIS_URL, keyPrefix: `${PREFIX}${randomUUID()}:` })],
] as [string, () => Promise<ResponseCache>][])('the response cache itself, in %s', (_, create) => {
  const answer = (n: number) => ({ body: `{"data":{"n":${n}}}`, keptAt: 1_796_000_000_000 + n });

  it('drops the answers holding an entity, or one of its type without a key, and no other', async () => {
    const cache = await create();
    try {
      await (await cache.read('a', ['StockLevel'])).keep(answer(1), new Set(['StockLevel', 'StockLevel:SKU-1']), 60_000);
      await (await cache.read('b', ['StockLevel'])).keep(answer(2), new Set(['StockLevel', 'StockLevel:SKU-2']), 60_000);
      await (await cache.read('c', ['StockLevel'])).keep(answer(3), new Set(['StockLevel', 'StockLevel:?']), 60_000);
      expect((await cache.read('a', ['StockLevel'])).held).toEqual(answer(1));
      expect(await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }])).toBe(2);
      expect([(await cache.read('a', [])).held, (await cache.read('b', [])).held, (await cache.read('c', [])).held]).toEqual([undefined, answer(2), undefined]);
      expect(await cache.invalidateType('StockLevel')).toBe(1);
      expect((await cache.read('b', [])).held).toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('keeps nothing computed while an entity of a type it may hold was invalidated, and keeps for its freshness', async () => {
    const cache = await create();
    try {
      const inFlight = await cache.read('a', ['Product', 'StockLevel']);
      await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-9' }]);
      await inFlight.keep(answer(1), new Set(['Product:p1']), 60_000);
      expect((await cache.read('a', [])).held).toBeUndefined();
      // Another type's invalidation does not stop it.
      const next = await cache.read('a', ['Product']);
      await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-9' }]);
      await next.keep(answer(1), new Set(['Product:p1']), 80);
      expect((await cache.read('a', [])).held).toEqual(answer(1));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await cache.read('a', [])).held).toBeUndefined();
    } finally {
      await cache.close();
    }
  });
});

describe('the response cache in Redis', () => {
  it('runs anew an answer kept in another shape (by an older replica), and keeps it again', async () => {
    const keyPrefix = `${PREFIX}${randomUUID()}:`;
    const cache = await createRedisResponseCache({ url: REDIS_URL, keyPrefix });
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(`${keyPrefix}responses:r:old`, '"an-etag"\n{"data":{"n":1}}', 'PX', 60_000);
      const read = await cache.read('old', []);
      expect(read.held).toBeUndefined();
      await read.keep({ body: '{"data":{"n":1}}', keptAt: 1_796_000_000_000 }, new Set(), 60_000);
      expect((await cache.read('old', [])).held).toEqual({ body: '{"data":{"n":1}}', keptAt: 1_796_000_000_000 });
    } finally {
      redis.disconnect();
      await cache.close();
    }
  });
});

describe('the response cache in memory', () => {
  it('holds at most maxBytes of answers, least recently used first out, and keeps none larger', async () => {
    const cache = createMemoryResponseCache({ maxEntries: 100, maxBytes: 100 });
    const sized = (n: number, size: number) => ({ body: `${n}`.padEnd(size, ' '), keptAt: n });
    for (const n of [1, 2, 3]) await (await cache.read(`k${n}`, [])).keep(sized(n, 40), new Set([`T:${n}`]), 60_000);
    expect([(await cache.read('k1', [])).held, cache.held()]).toEqual([undefined, { responses: 2, bytes: 80 }]);
    await (await cache.read('big', [])).keep(sized(4, 101), new Set(), 60_000);
    expect([(await cache.read('big', [])).held, cache.held()?.responses]).toEqual([undefined, 2]);
    // What went out left the index too: its entity's invalidation drops nothing.
    expect(await cache.invalidate([{ typename: 'T', id: '1' }])).toBe(0);
  });
});
