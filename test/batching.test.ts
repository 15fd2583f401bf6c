// Batching proven by the upstreams' own request logs: one call per source per level of a query,
// whatever the number of items, with the exact batches asserted.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { ordersOf, productById, reviewsOf, world } from './helpers/expected.js';

const operation = (name: string) => readFileSync(new URL(`./operations/${name}.graphql`, import.meta.url), 'utf8');
const unique = <T>(items: T[]) => [...new Set(items)];

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
  // Fetch the payments OAuth token once up front: it is cached across requests, so the counts
  // below are the per-query calls alone.
  await switchboard.query('{ order(id: "ord-00001") { payment { id } } }');
});
beforeEach(() => switchboard.resetLogs());
afterAll(() => switchboard?.close());

describe('batching', () => {
  it('answers the front-page query with one call to inventory, one to reviews and one for the authors', async () => {
    const { body } = await switchboard.query(operation('products-with-stock-and-reviews'));
    expect(body.errors).toBeUndefined();
    const requests = await switchboard.requests();
    expect(callCounts(requests)).toEqual({ catalog: 2, payments: 0, inventory: 1, reviews: 1 });

    const products = world.products.slice(0, 100);
    const authors = unique(products.flatMap((p) => reviewsOf(p.id).map((r) => r.customerId)));
    expect(requests.catalog.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'listProducts', keys: [] },
      { operation: 'listCustomers', keys: authors },
    ]);
    expect(requests.inventory.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'GetStockLevels', keys: products.map((p) => p.sku) },
    ]);
    expect(requests.reviews.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'productReviews', keys: products.map((p) => p.id) },
    ]);
  });

  it('splits a level into bounded batches only where the upstream caps them (inventory: 250 SKUs)', async () => {
    const { body } = await switchboard.query('{ products(first: 1000) { id stock { total } } }');
    expect(body.errors).toBeUndefined();
    const requests = await switchboard.requests();
    expect(callCounts(requests)).toEqual({ catalog: 1, payments: 0, inventory: 4, reviews: 0 });
    expect(requests.inventory.map((r) => r.keys.length)).toEqual([250, 250, 250, 250]);
    expect(requests.inventory.flatMap((r) => r.keys)).toEqual(world.products.slice(0, 1000).map((p) => p.sku));
  });

  it('answers three levels through orders with one call per source per level', async () => {
    const customer = world.customers[6]!;
    const { body } = await switchboard.query(operation('customer-orders'), { id: customer.id });
    expect(body.errors).toBeUndefined();
    const requests = await switchboard.requests();
    // catalog: the customer, their orders, the products of the lines; one each.
    expect(callCounts(requests)).toEqual({ catalog: 3, payments: 1, inventory: 1, reviews: 0 });

    const orders = ordersOf(customer.id);
    const productIds = unique(orders.flatMap((o) => o.lines.map((l) => l.productId)));
    expect(requests.catalog.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'listCustomers', keys: [customer.id] },
      { operation: 'listOrders', keys: [customer.id] },
      { operation: 'listProducts', keys: productIds },
    ]);
    expect(requests.payments.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'listPayments', keys: orders.map((o) => o.id) },
    ]);
    expect(requests.inventory.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'GetStockLevels', keys: productIds.map((id) => productById.get(id)!.sku) },
    ]);
  });

  it('batches a wide query across levels: products → reviews → authors → orders → payments', async () => {
    const query = '{ products(first: 20) { reviews { author { orders { id payment { status } } } } } }';
    const { body } = await switchboard.query(query);
    expect(body.errors).toBeUndefined();
    const requests = await switchboard.requests();
    const authors = unique(world.products.slice(0, 20).flatMap((p) => reviewsOf(p.id).map((r) => r.customerId)));
    const orderIds = authors.flatMap((id) => ordersOf(id).map((o) => o.id));
    expect(callCounts(requests)).toEqual({
      catalog: 3, // the page, the authors, their orders
      payments: Math.ceil(orderIds.length / 100), // payments caps a batch at 100 order ids
      inventory: 0,
      reviews: 1,
    });
    expect(requests.payments.flatMap((r) => r.keys).sort()).toEqual([...orderIds].sort());
  });

  it('shares one reviews call between Product.reviews and Product.rating', async () => {
    await switchboard.query('{ products(first: 50) { rating reviews { rating } } }');
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 1, payments: 0, inventory: 0, reviews: 1 });
  });

  it('makes one catalog call for several root fields of the same kind', async () => {
    const { body } = await switchboard.query('{ a: product(id: "prod-0001") { id } b: product(id: "prod-0002") { id } }');
    expect(body).toEqual({ data: { a: { id: 'prod-0001' }, b: { id: 'prod-0002' } } });
    const requests = await switchboard.requests();
    expect(requests.catalog.map(({ operation, keys }) => ({ operation, keys }))).toEqual([
      { operation: 'listProducts', keys: ['prod-0001', 'prod-0002'] },
    ]);
  });
});
