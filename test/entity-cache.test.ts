// The entity cache as the demo runs it by default (ENTITY_CACHE=memory; sources/inventory/source.json
// keeps StockLevel 60 s): a page asks the ERP only for the SKUs no earlier request read, a stock
// change is never served after the order that made it, nor after the ERP's webhook about it was
// acknowledged, a failing ERP still
// leaves what is held answered, and the metrics count it all. Below, the cache itself: freshness,
// bounds, and a read in flight across an invalidation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { createMemoryEntityCache, type EntityCache, type EntityCacheOptions } from '../gateway/cache/entity-cache.js';
import { createRedisEntityCache } from '../gateway/cache/redis-entity-cache.js';
import { useCacheAdmin } from '../gateway/cache/use-cache-admin.js';
import { createInvalidations } from '../gateway/events/invalidation.js';
import { productById, stockOf, world } from './helpers/expected.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { REDIS_URL, removeKeys } from './helpers/redis.js';
import { startFlakyProxy } from './helpers/flaky-proxy.js';

const ADMIN_TOKEN = 'admin-token-for-the-tests';
const PAGE = 'query Page($first: Int!) { products(first: $first) { id stock { total } } }';
const skuOf = (productId: string) => productById.get(productId)!.sku;
const expectedPage = (first: number) => ({ products: world.products.slice(0, first).map((product) => ({ id: product.id, stock: { total: stockOf(product.sku).total } })) });

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard({ ENTITY_CACHE: 'memory', ADMIN_TOKEN });
});
afterAll(() => switchboard?.close());

describe('the entity cache in the gateway', () => {
  beforeEach(async () => {
    await switchboard.clearFaults();
    await switchboard.resetLogs();
  });
  const stockCalls = async () => (await switchboard.requests()).inventory.map((call) => call.keys);
  const scrape = async () => (await switchboard.gateway.scrape(null)).body;
  const metric = (body: string, line: string) => Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(body)?.[1] ?? 0);

  it('asks the ERP only for the SKUs no earlier request read, in one call, and answers the same', async () => {
    expect((await switchboard.query(PAGE, { first: 3 })).body).toEqual({ data: expectedPage(3) });
    expect((await switchboard.query(PAGE, { first: 5 })).body).toEqual({ data: expectedPage(5) });
    expect((await switchboard.query(PAGE, { first: 5 })).body).toEqual({ data: expectedPage(5) });
    const skus = world.products.slice(0, 5).map((product) => product.sku);
    // The first page asks for three; the second for the two it adds; the third for none.
    expect(await stockCalls()).toEqual([skus.slice(0, 3), skus.slice(3, 5)]);
    // The catalog is asked every time: products are not a kept type.
    expect((await switchboard.requests()).catalog.map((call) => call.operation)).toEqual(['listProducts', 'listProducts', 'listProducts']);
    const metrics = await scrape();
    expect([metric(metrics, 'switchboard_entity_cache_lookups_total{type="StockLevel",outcome="hit"}'), metric(metrics, 'switchboard_entity_cache_lookups_total{type="StockLevel",outcome="miss"}')]).toEqual([8, 5]);
  });

  it('never serves a stock level after an order changed it, nor after the ERP\'s webhook about it was acknowledged', async () => {
    const productId = 'prod-0010';
    const sku = skuOf(productId);
    const read = async () => (await switchboard.query('query($id: ID!) { product(id: $id) { stock { total } } }', { id: productId })).body.data!.product.stock.total as number;
    const before = await read();
    expect(await read()).toBe(before);
    expect(await stockCalls()).toEqual([[sku]]);
    await switchboard.resetLogs();
    // The ERP's webhooks are held back: the order's own reservation must drop the stock it changed.
    const erp = switchboard.world.inventory.webhooks!;
    erp.point('http://127.0.0.1:9/');
    const placed = await switchboard.query('mutation($key: String!, $lines: [OrderLineInput!]!) { placeOrder(idempotencyKey: $key, customerId: "cust-0007", lines: $lines) { status } }',
      { key: `cache-${Date.now()}`, lines: [{ productId, quantity: 2 }] });
    expect(placed.body).toEqual({ data: { placeOrder: { status: 'PLACED' } } });
    expect(await read()).toBe(before - 2);
    // Then the ERP's word arrives, is acknowledged, and drops it again.
    erp.point(`${switchboard.origin}/webhooks/inventory`);
    await erp.settled();
    const after: number[] = [];
    for (let n = 0; n < 20; n++) after.push(await read());
    expect(after.filter((total) => total !== before - 2)).toEqual([]);
    // Read again after each of the two invalidations, and held in between.
    expect((await stockCalls()).filter((keys) => keys.length === 1 && keys[0] === sku)).toHaveLength(2);
    const metrics = await scrape();
    expect(metric(metrics, 'switchboard_entity_cache_invalidations_total{type="StockLevel",held="true"}')).toBeGreaterThanOrEqual(1);
  });

  it('answers what it holds while the ERP fails, and only the SKUs it does not hold fail', async () => {
    await switchboard.query(PAGE, { first: 5 });
    await switchboard.inject('inventory', { kind: 'error', status: 503, count: 10 });
    const { body } = await switchboard.query(PAGE, { first: 6 });
    const page = expectedPage(6).products;
    expect(body.data).toEqual({ products: [...page.slice(0, 5), { id: page[5]!.id, stock: null }] });
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['products', 5, 'stock'], 'UPSTREAM_UNAVAILABLE']]);
  });
});

describe('POST /admin/invalidate', () => {
  beforeEach(async () => {
    await switchboard.clearFaults();
    await switchboard.resetLogs();
  });
  const invalidate = async (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }, method = 'POST') => {
    const response = await fetch(`${switchboard.origin}/admin/invalidate`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'POST' ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: await response.json() };
  };
  const stockCalls = async () => (await switchboard.requests()).inventory.map((call) => call.keys);

  it('drops one entity, a type, or what a source keeps, for an operator with the token', async () => {
    const skus = world.products.slice(0, 3).map((product) => product.sku);
    // What the tests above left held goes first.
    expect((await invalidate({ type: 'StockLevel' })).status).toBe(200);
    await switchboard.query(PAGE, { first: 3 });
    await switchboard.resetLogs();
    expect(await invalidate({ type: 'StockLevel', key: skus[1] })).toEqual({ status: 200, body: { invalidated: 1 } });
    expect((await switchboard.query(PAGE, { first: 3 })).body).toEqual({ data: expectedPage(3) });
    expect(await stockCalls()).toEqual([[skus[1]]]);
    expect(await invalidate({ source: 'inventory' })).toEqual({ status: 200, body: { invalidated: 3 } });
    await switchboard.query(PAGE, { first: 3 });
    expect(await invalidate({ type: 'StockLevel' })).toEqual({ status: 200, body: { invalidated: 3 } });
    await switchboard.query(PAGE, { first: 3 });
    expect(await stockCalls()).toEqual([[skus[1]], skus, skus]);
  });

  it.each([
    [{ type: 'StockLevel' }, {}, 'POST', 401, 'A call must carry Authorization: Bearer <ADMIN_TOKEN>.'],
    [{ type: 'StockLevel' }, { authorization: 'Bearer wrong-token-of-same-size' }, 'POST', 401, 'A call must carry Authorization: Bearer <ADMIN_TOKEN>.'],
    [undefined, undefined, 'GET', 405, '/admin/invalidate takes POST.'],
    [{ type: 'Review' }, undefined, 'POST', 400, 'The body must be {"type": …, "key": …}, {"type": …} or {"source": …}, "type" being a kept type: Product, Customer, Order, StockLevel.'],
    [{ source: 'reviews' }, undefined, 'POST', 400, '"reviews" is no source that keeps anything; the ones that do: catalog, inventory.'],
    [{ type: 'StockLevel', key: {} }, undefined, 'POST', 400, '"key" must be the entity\'s key, a string or a number.'],
    [{ type: 'StockLevel', source: 'inventory' }, undefined, 'POST', 400, 'The body must be {"type": …, "key": …}, {"type": …} or {"source": …}.'],
    [['StockLevel'], undefined, 'POST', 400, 'The body must be a JSON object.'],
  ])('refuses %j with %j over %s: %i', async (body, headers, method, status, error) => {
    expect(await invalidate(body, headers, method)).toEqual({ status, body: { error } });
  });
});

describe('POST /admin/invalidate without ADMIN_TOKEN', () => {
  it('answers 404', async () => {
    const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }), plugins: [useCacheAdmin({ caches: {}, invalidations: createInvalidations(), typesOf: {} })] });
    const response = await yoga.fetch('http://switchboard/admin/invalidate', { method: 'POST', body: '{"type":"StockLevel"}' });
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 404, body: { error: 'Switchboard\'s admin endpoints are off: set ADMIN_TOKEN to use them.' } });
  });
});

// Each store, as the gateway uses it: this gateway's memory, and Redis shared by replicas.
const PREFIX = `switchboard-test:${randomUUID()}:`;
afterAll(() => removeKeys(PREFIX));
const stores: [string, (options: EntityCacheOptions) => Promise<EntityCache>][] = [
  ['memory', async (options) => createMemoryEntityCache(options)],
  ['redis', (options) => createRedisEntityCache({ url: REDIS_URL, keyPrefix: `${PREFIX}${randomUUID()}:`, ...options })],
];

describe.each(stores)('the entity cache itself, in %s', (_, create) => {
  const variant = 'getStockLevels { sku total }';
  const caches: EntityCache[] = [];
  const cacheOf = async (options: EntityCacheOptions) => {
    const cache = await create(options);
    caches.push(cache);
    return cache;
  };
  afterAll(() => Promise.all(caches.map((cache) => cache.close())));
  /** Reads, and keeps `answers` for what was missing. */
  const readThrough = async (cache: EntityCache, ids: string[], answers: unknown[], ofVariant = variant) => (await cache.read('StockLevel', ids, ofVariant)).keep(answers);
  const valuesOf = async (cache: EntityCache, ids: string[], ofVariant = variant) => (await cache.read('StockLevel', ids, ofVariant)).values;

  it('keeps each type for its freshness, and only the types given one', async () => {
    const cache = await cacheOf({ maxEntries: 10, maxAgeMs: { StockLevel: 80 } });
    expect([cache.keeps('StockLevel'), cache.keeps('Product')]).toEqual([true, false]);
    await readThrough(cache, ['SKU-1', 'SKU-2'], [{ total: 3 }, null]);
    // null is a value ("the ERP has none"); undefined is a miss.
    const held = await cache.read('StockLevel', ['SKU-1', 'SKU-2', 'SKU-3'], variant);
    expect([held.values, held.missing]).toEqual([[{ total: 3 }, null, undefined], ['SKU-3']]);
    expect(await valuesOf(cache, ['SKU-1'], 'another selection')).toEqual([undefined]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await valuesOf(cache, ['SKU-1', 'SKU-2'])).toEqual([undefined, undefined]);
  });

  it('keeps nothing a read in flight brings back after an invalidation of it, and drops every variant', async () => {
    const invalidated: [string, boolean][] = [];
    const cache = await cacheOf({ maxEntries: 10, maxAgeMs: { StockLevel: 60_000 }, observer: { looked() {}, invalidated: (type, held) => invalidated.push([type, held]) } });
    await readThrough(cache, ['SKU-1'], [{ total: 1 }], 'a');
    await readThrough(cache, ['SKU-1'], [{ total: 1 }], 'b');
    const inFlight = await cache.read('StockLevel', ['SKU-1', 'SKU-2'], 'c');
    expect(await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }, { typename: 'StockLevel', id: 'SKU-9' }])).toBe(1);
    expect(await valuesOf(cache, ['SKU-1'], 'a')).toEqual([undefined]);
    expect(await valuesOf(cache, ['SKU-1'], 'b')).toEqual([undefined]);
    await inFlight.keep([{ total: 1 }, { total: 2 }]);
    // SKU-2 was not invalidated: its answer is kept.
    expect(await valuesOf(cache, ['SKU-1', 'SKU-2'], 'c')).toEqual([undefined, { total: 2 }]);
    await readThrough(cache, ['SKU-1'], [{ total: 0 }], 'a');
    expect(await valuesOf(cache, ['SKU-1'], 'a')).toEqual([{ total: 0 }]);
    expect(invalidated).toEqual([['StockLevel', true], ['StockLevel', false]]);
  });

  it('drops a whole type, and a read in flight for it keeps nothing', async () => {
    const cache = await cacheOf({ maxEntries: 10, maxAgeMs: { StockLevel: 60_000 } });
    await readThrough(cache, ['SKU-1', 'SKU-2'], [{ total: 1 }, { total: 2 }]);
    const inFlight = await cache.read('StockLevel', ['SKU-3'], variant);
    expect(await cache.invalidateType('StockLevel')).toBe(2);
    await inFlight.keep([{ total: 3 }]);
    expect(await valuesOf(cache, ['SKU-1', 'SKU-2', 'SKU-3'])).toEqual([undefined, undefined, undefined]);
    expect(await cache.invalidateType('StockLevel')).toBe(0);
  });

  it('tells the version of what it misses: the same until it changes', async () => {
    const cache = await cacheOf({ maxEntries: 10, maxAgeMs: { StockLevel: 60_000 } });
    const first = (await cache.read('StockLevel', ['SKU-5'], variant)).version;
    expect((await cache.read('StockLevel', ['SKU-5'], variant)).version).toBe(first);
    await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-5' }]);
    const second = (await cache.read('StockLevel', ['SKU-5'], variant)).version;
    // In memory every read in flight is forgotten at once (invalidation.ts): no version is needed.
    if (first !== '') expect(second).not.toBe(first);
  });
});

describe('the entity cache in memory', () => {
  it('holds at most maxEntries entities, dropping the least recently used, and counts the bytes it holds', async () => {
    const cache = createMemoryEntityCache({ maxEntries: 2, maxAgeMs: { StockLevel: 60_000 } });
    const variant = 'v';
    for (const sku of ['SKU-1', 'SKU-2']) await (await cache.read('StockLevel', [sku], variant)).keep([{ sku }]);
    await cache.read('StockLevel', ['SKU-1'], variant);
    await (await cache.read('StockLevel', ['SKU-3'], variant)).keep([{ sku: 'SKU-3' }]);
    expect((await cache.read('StockLevel', ['SKU-1', 'SKU-2', 'SKU-3'], variant)).values).toEqual([{ sku: 'SKU-1' }, undefined, { sku: 'SKU-3' }]);
    // Each: the variant (1) and {"sku":"SKU-n"} (15).
    expect(cache.held()).toEqual({ entities: 2, bytes: 32 });
    await cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }]);
    expect(cache.held()).toEqual({ entities: 1, bytes: 16 });
  });
});

describe('the entity cache in Redis', () => {
  it('misses while Redis is away, with one warning, and keeps again once it is back', async () => {
    const proxy = await startFlakyProxy(REDIS_URL);
    const warnings: string[] = [];
    const cache = await createRedisEntityCache({ url: proxy.url.replace(/^http/, 'redis'), keyPrefix: `${PREFIX}away:`, maxAgeMs: { StockLevel: 60_000 } }, (line) => warnings.push(line));
    try {
      await (await cache.read('StockLevel', ['SKU-1'], 'v')).keep([{ total: 1 }]);
      proxy.mode = 'down';
      proxy.cutConnections();
      const held = await cache.read('StockLevel', ['SKU-1'], 'v');
      expect([held.values, held.missing]).toEqual([[undefined], ['SKU-1']]);
      await held.keep([{ total: 1 }]);
      await expect(cache.invalidate([{ typename: 'StockLevel', id: 'SKU-1' }])).rejects.toThrow();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^the entity cache misses while Redis fails: /);
      proxy.mode = 'up';
      await vi.waitFor(async () => expect((await cache.read('StockLevel', ['SKU-1'], 'v')).values).toEqual([{ total: 1 }]), { timeout: 5000, interval: 100 });
    } finally {
      await cache.close();
      await proxy.close();
    }
  });
});
