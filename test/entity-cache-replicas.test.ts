// The entity and response caches shared by two replicas through a real Redis (ENTITY_CACHE=redis and
// RESPONSE_CACHE=redis, the defaults with REDIS_URL): what one replica read or answered, the other
// answers from; and once a replica acknowledged the ERP's webhook about a stock change, no read
// through either replica sees the old stock, while the reads before it were answered from the caches.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { createWebhookSender } from '../demo/world/webhook-sender.js';
import { stockChangedEvent } from '../demo/inventory/reservations.js';
import type { StockRecord } from '../demo/world/seed.js';
import { stockOf, world } from './helpers/expected.js';
import { REDIS_URL, redisKeys, removeKeys } from './helpers/redis.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { startReplica, type Replica } from './helpers/replica.js';

const PREFIX = `switchboard-test:${randomUUID()}:`;
let a: TestSwitchboard;
let b: Replica;

beforeAll(async () => {
  a = await startTestSwitchboard({ REDIS_URL, REDIS_KEY_PREFIX: PREFIX, ENTITY_CACHE: 'redis', RESPONSE_CACHE: 'redis' });
  b = await startReplica();
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await removeKeys(PREFIX);
  for (const name of ['REDIS_URL', 'REDIS_KEY_PREFIX', 'ENTITY_CACHE', 'RESPONSE_CACHE']) delete process.env[name];
});
beforeEach(async () => {
  await a.clearFaults();
  await a.resetLogs();
});

const replicas = () => ({ A: a.url, B: b.served.url });
const STOCK = 'query($id: ID!) { product(id: $id) { stock { total } } }';
/** One product's stock total, read through one replica, and when the read started. */
async function readStock(url: string, productId: string): Promise<{ started: number; total: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: STOCK, variables: { id: productId } }) });
  const body = await response.json() as { data: { product: { stock: { total: number } } } };
  return { started, total: body.data.product.stock.total };
}
/** The ERP's calls that asked for `sku`. */
const erpCallsFor = async (sku: string) => (await a.requests()).inventory.filter((call) => call.keys.includes(sku));
/** A product whose SKU has at least `quantity` in its first warehouse, and that SKU's record in the ERP's own data. */
function productWithStock(skip: number, quantity: number): { productId: string; sku: string; record: StockRecord } {
  // Past the first page, which the first test reads.
  const product = world.products.slice(100).filter((candidate) => (stockOf(candidate.sku).warehouses[0]?.quantity ?? 0) >= quantity)[skip]!;
  return { productId: product.id, sku: product.sku, record: a.world.world.stock.find((record) => record.sku === product.sku)! };
}
/** Tells a replica that the SKU's stock changed, signed as the ERP signs it, and resolves when acknowledged. */
async function erpSays(origin: string, record: StockRecord): Promise<void> {
  const sender = createWebhookSender({ secret: DEMO_CREDENTIALS.inventoryWebhookSecret, contentType: 'text/xml; charset=utf-8', target: `${origin}/webhooks/inventory` });
  sender.send(stockChangedEvent(record));
  await sender.settled();
  sender.close();
  expect(sender.report().deliveries.map((delivery) => delivery.attempts)).toEqual([[200]]);
}

it('what one replica answered, the other answers again; what it read, the other reads from: the ERP is asked once', async () => {
  const products = world.products.slice(0, 5);
  const ask = async (url: string, page: string) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: page }) })).json();
  const page = '{ products(first: 5) { id stock { total } } }';
  const expected = { data: { products: products.map((product) => ({ id: product.id, stock: { total: stockOf(product.sku).total } })) } };
  expect(await ask(replicas().A, page)).toEqual(expected);
  expect(await ask(replicas().B, page)).toEqual(expected);
  // B answered the same query from the response cache: nobody was asked.
  expect((await a.requests()).catalog).toHaveLength(1);
  // Another query of the same stock: B runs it, and reads the stock from the entity cache.
  const named = '{ products(first: 5) { id name stock { total } } }';
  expect(await ask(replicas().B, named)).toEqual({ data: { products: products.map((product) => ({ id: product.id, name: product.name, stock: { total: stockOf(product.sku).total } })) } });
  expect((await a.requests()).catalog).toHaveLength(2);
  expect((await a.requests()).inventory.map((call) => call.keys)).toEqual([products.map((product) => product.sku)]);
  // Kept in Redis: one hash per entity (the variant a digest: it may hold forwarded client headers), one key per answer.
  const keys = await redisKeys(`${PREFIX}cache:e:StockLevel:*`);
  expect(keys.sort()).toEqual(expect.arrayContaining(products.map((product) => `${PREFIX}cache:e:StockLevel:${product.sku}`).sort()));
  expect(await redisKeys(`${PREFIX}responses:r:*`)).toHaveLength(2);
  const metrics = (await b.gateway.scrape(null)).body;
  expect(metrics).toContain('switchboard_response_cache_lookups_total{outcome="hit"} 1');
  expect(metrics).toContain('switchboard_entity_cache_batches_total{type="StockLevel",outcome="hit"} 1');
});

it('no read through either replica after the ERP\'s webhook was acknowledged sees the old stock; the reads before it were cached', async () => {
  const { productId, sku, record } = productWithStock(0, 3);
  const before = (await readStock(replicas().A, productId)).total;
  await a.resetLogs();
  // Four readers, two on each replica, read the stock back to back until the end.
  const reads: { replica: string; started: number; total: number }[] = [];
  let reading = true;
  const readers = ['A', 'B', 'A', 'B'].map(async (replica) => {
    while (reading) reads.push({ replica, ...(await readStock(replicas()[replica as 'A' | 'B'], productId)) });
  });
  await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(40), { timeout: 10_000, interval: 5 });
  // Up to here, everything came from the cache.
  expect(await erpCallsFor(sku)).toEqual([]);
  // The ERP's own stock changes (a sale in a shop), and it tells replica B.
  record.warehouses[0]!.quantity -= 3;
  await erpSays(b.served.origin, record);
  const acknowledged = performance.now();
  await vi.waitFor(() => expect(reads.filter((read) => read.started > acknowledged).length).toBeGreaterThanOrEqual(200), { timeout: 20_000, interval: 5 });
  reading = false;
  await Promise.all(readers);

  const after = reads.filter((read) => read.started > acknowledged);
  const stale = after.filter((read) => read.total !== before - 3);
  expect({ stale: stale.length, replicas: [...new Set(after.map((read) => read.replica))].sort() }).toEqual({ stale: 0, replicas: ['A', 'B'] });
  // The ERP was asked again after the change, at most once per reader (each replica's readers share one call), and then the cache answered.
  const calls = await erpCallsFor(sku);
  expect(calls.length).toBeGreaterThanOrEqual(1);
  expect(calls.length).toBeLessThanOrEqual(4);
  expect(reads.filter((read) => read.started <= acknowledged).every((read) => read.total === before || read.total === before - 3)).toBe(true);
});

it('a replica that has not heard of the change yet neither joins a read in flight from before it, nor keeps what that read brings back', async () => {
  const { productId, sku, record } = productWithStock(1, 2);
  const before = stockOf(sku).total;
  // The ERP works out the answer at once and sends it 400 ms later: the old stock is in flight.
  await a.inject('inventory', { kind: 'latency', ms: 400, phase: 'after', count: 1 });
  const inFlight = readStock(replicas().A, productId);
  // Time for the call to reach the ERP (its log has it only once answered).
  await new Promise((resolve) => setTimeout(resolve, 150));
  // A hears of events a few milliseconds late; here, not at all until the end.
  const heard = vi.spyOn(a.gateway.invalidations, 'heard').mockImplementation(() => undefined);
  try {
    record.warehouses[0]!.quantity -= 2;
    await erpSays(b.served.origin, record);
    // Asked of A after the acknowledgement: not the answer in flight.
    expect((await readStock(replicas().A, productId)).total).toBe(before - 2);
    expect((await inFlight).total).toBe(before);
    // What the read in flight brought back was not kept: both replicas answer the new stock, from the cache.
    expect((await readStock(replicas().B, productId)).total).toBe(before - 2);
    expect((await readStock(replicas().A, productId)).total).toBe(before - 2);
    expect(await erpCallsFor(sku)).toHaveLength(2);
  } finally {
    heard.mockRestore();
  }
});
