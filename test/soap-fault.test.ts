// A SOAP Fault from the warehouse ERP becomes a typed error on the affected field; the rest of the
// answer keeps its data.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { productById, reviewsOf, world } from './helpers/expected.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

it('turns a SOAP Fault into SOAP_FAULT on the stock field, with name and reviews intact', async () => {
  const locked = world.stock.find((s) => s.lockedForAudit)!;
  const product = world.products.find((p) => p.sku === locked.sku)!;
  const { status, body } = await switchboard.query(
    'query($id: ID!) { product(id: $id) { name stock { total } reviews { rating } } }',
    { id: product.id },
  );
  expect(status).toBe(200);
  expect(body).toEqual({
    data: { product: { name: productById.get(product.id)!.name, stock: null, reviews: reviewsOf(product.id).map((r) => ({ rating: r.rating })) } },
    errors: [{
      message: `inventory answered with a SOAP Fault: Stock record ${locked.sku} is locked for a stock audit.`,
      path: ['product', 'stock'],
      extensions: {
        code: 'SOAP_FAULT',
        source: 'inventory',
        faultCode: 'soap:Server',
        faultDetail: { InventoryFault: { Code: 'STOCK_LOCKED', Sku: locked.sku } },
      },
    }],
  });
});
