// placeOrder against the real demo upstreams: the saga's happy path, its idempotency (the same key
// again, the same key at once, the same key for another order), bad input, and each step failing,
// with what the services' own data says afterwards (GET /_admin/state).
import { describe, expect, it } from 'vitest';
import { switchboardForFile } from './helpers/switchboard.js';
import { customerById, productById, stockOf, world } from './helpers/expected.js';

const PLACE = `mutation($key: String!, $customerId: ID!, $lines: [OrderLineInput!]!) {
  placeOrder(idempotencyKey: $key, customerId: $customerId, lines: $lines) {
    id status total currency customer { name } lines { quantity unitPrice product { name } } payment { amount status }
  }
}`;

const switchboard = switchboardForFile(Object.fromEntries(['CATALOG', 'PAYMENTS', 'INVENTORY'].flatMap((source) => [
  [`${source}_TIMEOUT_MS`, '300'],
  [`${source}_RETRY_BASE_MS`, '10'],
  [`${source}_BREAKER_FAILURES`, '1000'],
])));
let keys = 0;
const newKey = () => `key-${Date.now()}-${keys++}`;
const place = (key: string, lines: { productId: string; quantity: number }[], customerId = 'cust-0007') =>
  switchboard.query(PLACE, { key, customerId, lines });
const stockTotal = async (productId: string) =>
  (await switchboard.query('query($id: ID!) { product(id: $id) { stock { total } } }', { id: productId })).body.data!.product.stock.total;

/** What the three services hold about one order id. */
async function orderTrace(orderId: string) {
  const [catalog, payments, inventory] = await Promise.all([switchboard.state('catalog'), switchboard.state('payments'), switchboard.state('inventory')]);
  const reservationId = orderId.replace(/^ord-/, 'res-');
  return {
    order: catalog.orders.find((order: { id: string }) => order.id === orderId)?.status ?? null,
    orderClosed: catalog.cancelledIds.includes(orderId),
    payments: payments.payments.filter((payment: { orderId: string }) => payment.orderId === orderId).map((payment: { status: string }) => payment.status),
    reservation: inventory.reservations.find((reservation: { id: string }) => reservation.id === reservationId)?.status ?? null,
  };
}

describe('placeOrder', () => {
  it('reserves, charges, records and commits, and answers the order stitched like any other', async () => {
    const lamp = productById.get('prod-0001')!;
    const kettle = productById.get('prod-0002')!;
    const before = await stockTotal('prod-0001');
    const { status, body } = await place(newKey(), [{ productId: 'prod-0001', quantity: 2 }, { productId: 'prod-0002', quantity: 1 }]);
    expect(status).toBe(200);
    const total = Math.round((2 * lamp.price + kettle.price) * 100) / 100;
    expect(body).toEqual({
      data: {
        placeOrder: {
          id: expect.stringMatching(/^ord-[0-9a-f]{20}$/),
          status: 'PLACED',
          total,
          currency: 'EUR',
          customer: { name: customerById.get('cust-0007')!.name },
          lines: [
            { quantity: 2, unitPrice: lamp.price, product: { name: lamp.name } },
            { quantity: 1, unitPrice: kettle.price, product: { name: kettle.name } },
          ],
          payment: { amount: total, status: 'SUCCEEDED' },
        },
      },
    });
    const id = body.data!.placeOrder.id;
    expect(await orderTrace(id)).toEqual({ order: 'PLACED', orderClosed: false, payments: ['SUCCEEDED'], reservation: 'COMMITTED' });
    expect(await stockTotal('prod-0001')).toBe(before - 2);
  });

  it('answers the same order for the same key, without a second charge, also when sent at once', async () => {
    const key = newKey();
    const lines = [{ productId: 'prod-0003', quantity: 1 }];
    const answers = await Promise.all(Array.from({ length: 5 }, () => place(key, lines)));
    const again = await place(key, lines);
    const ids = new Set([...answers, again].map(({ body }) => body.data?.placeOrder.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(await orderTrace(id)).toEqual({ order: 'PLACED', orderClosed: false, payments: ['SUCCEEDED'], reservation: 'COMMITTED' });
    const { payments } = await switchboard.requests();
    expect(payments.filter((call) => call.operation === 'createPayment')).toHaveLength(1);
  });

  it('refuses the same key for another order', async () => {
    const key = newKey();
    await place(key, [{ productId: 'prod-0004', quantity: 1 }]);
    const { body } = await place(key, [{ productId: 'prod-0004', quantity: 2 }]);
    expect(body).toEqual({
      data: null,
      errors: [{
        message: 'This idempotencyKey was used for another order; use a new key for a new order.',
        path: ['placeOrder'],
        extensions: { code: 'IDEMPOTENCY_KEY_REUSED' },
      }],
    });
  });

  it.each([
    [[], 'An order takes 1 to 50 lines, but got: 0.', 'lines'],
    [[{ productId: 'prod-0001', quantity: 0 }], 'quantity must be from 1 to 100, but got: 0.', 'lines.0.quantity'],
    [[{ productId: 'prod-0001', quantity: 1 }, { productId: 'prod-0001', quantity: 2 }], 'Product prod-0001 is on two lines; put its whole quantity on one.', 'lines'],
    [[{ productId: 'prod-9999', quantity: 1 }], 'There is no product prod-9999.', 'lines.0.productId'],
  ])('refuses the lines %j with BAD_USER_INPUT and writes nothing', async (lines, message, argument) => {
    const { body } = await place(newKey(), lines);
    expect(body).toEqual({ data: null, errors: [{ message, path: ['placeOrder'], extensions: { code: 'BAD_USER_INPUT', argument } }] });
    const requests = await switchboard.requests();
    expect(Object.values(requests).flat().filter((call) => call.method !== 'GET' && call.operation !== 'getStockLevels' && call.operation !== 'issueToken')
      .map((call) => call.operation)).toEqual([]);
  });

  it('refuses an unknown customer with BAD_USER_INPUT', async () => {
    const { body } = await place(newKey(), [{ productId: 'prod-0001', quantity: 1 }], 'cust-9999');
    expect(body.errors).toEqual([{ message: 'There is no customer cust-9999.', path: ['placeOrder'], extensions: { code: 'BAD_USER_INPUT', argument: 'customerId' } }]);
  });

  it('answers OUT_OF_STOCK when the warehouse has too little, and charges nothing', async () => {
    // A product with less than the most one line may ask for, so that asking for one more than it has is valid input.
    const product = world.products.find((candidate, index) => index >= 100 && stockOf(candidate.sku).total > 0 && stockOf(candidate.sku).total < 100)!;
    const free = await stockTotal(product.id);
    expect(free).toBe(stockOf(product.sku).total);
    const { body } = await place(newKey(), [{ productId: product.id, quantity: free + 1 }]);
    expect(body.errors).toEqual([{
      message: `The order was not placed: there is not enough stock of ${product.sku}. Nothing was charged and no stock is held.`,
      path: ['placeOrder'],
      extensions: { code: 'OUT_OF_STOCK', sku: product.sku, step: 'reserve' },
    }]);
    const { payments } = await switchboard.requests();
    expect(payments.filter((call) => call.operation === 'createPayment')).toEqual([]);
    expect(await stockTotal(product.id)).toBe(free);
  });

  it('releases the stock when the charge fails, and closes the order to a late charge', async () => {
    await switchboard.inject('payments', { kind: 'error', status: 500, operations: ['createPayment'] });
    const before = await stockTotal('prod-0006');
    const { body } = await place(newKey(), [{ productId: 'prod-0006', quantity: 1 }]);
    expect(body.errors).toEqual([{
      message: 'The order was not placed: payments answered HTTP 500. Nothing was charged and no stock is held.',
      path: ['placeOrder'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'payments', upstreamStatus: 500, step: 'charge', undone: true },
    }]);
    const id = (await switchboard.state('payments')).closedOrderIds.at(-1);
    expect(await orderTrace(id)).toEqual({ order: null, orderClosed: false, payments: [], reservation: 'RELEASED' });
    expect(await stockTotal('prod-0006')).toBe(before);
  });

  it('refunds the charge and releases the stock when recording the order fails', async () => {
    await switchboard.inject('catalog', { kind: 'error', status: 503, operations: ['recordOrder'] });
    const { body } = await place(newKey(), [{ productId: 'prod-0008', quantity: 1 }]);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The order was not placed: catalog answered HTTP 503. Nothing was charged and no stock is held.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'catalog', step: 'record', undone: true },
    });
    const id = (await switchboard.state('catalog')).cancelledIds.at(-1);
    expect(await orderTrace(id)).toEqual({ order: null, orderClosed: true, payments: ['REFUNDED'], reservation: 'RELEASED' });
  });

  it('charges once when the charge timed out after payments took it: the retry gets the first answer', async () => {
    await switchboard.inject('payments', { kind: 'latency', ms: 600, phase: 'after', operations: ['createPayment'], count: 1 });
    const { body } = await place(newKey(), [{ productId: 'prod-0009', quantity: 1 }]);
    expect(body.errors).toBeUndefined();
    const id = body.data!.placeOrder.id;
    expect(await orderTrace(id)).toEqual({ order: 'PLACED', orderClosed: false, payments: ['SUCCEEDED'], reservation: 'COMMITTED' });
    const { payments } = await switchboard.requests();
    expect(payments.filter((call) => call.operation === 'createPayment').map((call) => call.status)).toEqual([0, 201]);
  });

  it('refunds a charge it never heard back about, and keeps retrying an undo until it succeeds', async () => {
    await switchboard.inject('payments', [
      { kind: 'latency', ms: 600, phase: 'after', operations: ['createPayment'] },
      { kind: 'error', status: 503, operations: ['refundOrder'], count: 6 },
    ]);
    const { body } = await place(newKey(), [{ productId: 'prod-0010', quantity: 1 }]);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The order was not placed: payments did not answer within 300 ms. What was done before is being undone.',
      extensions: { code: 'UPSTREAM_TIMEOUT', source: 'payments', step: 'charge', undone: false },
    });
    await switchboard.gateway.background.settled();
    const id = (await switchboard.state('payments')).closedOrderIds.at(-1);
    expect(await orderTrace(id)).toEqual({ order: null, orderClosed: false, payments: ['REFUNDED'], reservation: 'RELEASED' });
  });
});
