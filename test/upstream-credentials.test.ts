// Wrong credentials toward payments, inventory and reviews: each refuses them its own way (an OAuth2
// token error, a WS-Security fault, a GraphQL 401) and each becomes the same typed error on that
// source's fields only. Catalog's key is right here, so the rest of the answer keeps its data.
// (A wrong catalog key is in upstream-credentials-catalog.test.ts: the gateway's upstream
// credentials are per process.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { productById } from './helpers/expected.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard({
    PAYMENTS_CLIENT_SECRET: 'wrong-payments-secret',
    INVENTORY_PASSWORD: 'wrong-inventory-password',
    REVIEWS_TOKEN: 'wrong-reviews-token',
  });
});
afterAll(() => switchboard?.close());

it('gives each source UPSTREAM_AUTH_FAILED on its own fields, and keeps the rest', async () => {
  const { status, body } = await switchboard.query(
    '{ product(id: "prod-0001") { name stock { total } rating } order(id: "ord-00001") { id payment { amount } } }',
  );
  expect(status).toBe(200);
  expect(body.data).toEqual({
    product: { name: productById.get('prod-0001')!.name, stock: null, rating: null },
    order: { id: 'ord-00001', payment: null },
  });
  const errors = [...body.errors!].sort((a, b) => String(a.path).localeCompare(String(b.path)));
  expect(errors).toEqual([
    {
      message: "payments refused Switchboard's client credentials; check PAYMENTS_CLIENT_ID and PAYMENTS_CLIENT_SECRET.",
      path: ['order', 'payment'],
      extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'payments' },
    },
    {
      message: "reviews refused Switchboard's credentials (HTTP 401).",
      path: ['product', 'rating'],
      extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'reviews', upstreamStatus: 401 },
    },
    {
      message: "inventory refused Switchboard's WS-Security credentials.",
      path: ['product', 'stock'],
      extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'inventory', faultCode: 'wsse:FailedAuthentication' },
    },
  ]);
  expect(JSON.stringify(body)).not.toMatch(/wrong-|127\.0\.0\.1|stack/);
});
