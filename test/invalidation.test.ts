// Events invalidate what the gateway holds about the entities they change: the hook a cache will
// use (`gateway.invalidations`), and the reads in flight that a query arriving after the event must
// not join.
import { expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { createWebhookSender } from '../demo/world/webhook-sender.js';
import { stockChangedEvent } from '../demo/inventory/reservations.js';
import { productById, stockOf, world } from './helpers/expected.js';
import { callCounts, switchboardForFile } from './helpers/switchboard.js';

const switchboard = switchboardForFile();

/** Delivers events signed as `source` would, and waits until the gateway acknowledged them. */
async function deliver(source: 'payments' | 'inventory', ...events: { id: string; type: string; body: string }[]) {
  const sender = createWebhookSender({
    secret: source === 'payments' ? DEMO_CREDENTIALS.paymentsWebhookSecret : DEMO_CREDENTIALS.inventoryWebhookSecret,
    contentType: source === 'payments' ? 'application/json' : 'text/xml; charset=utf-8',
    target: `${switchboard.origin}/webhooks/${source}`,
  });
  for (const event of events) sender.send(event);
  await sender.settled();
  sender.close();
  expect(sender.report().deliveries.map((delivery) => delivery.attempts)).toEqual(events.map(() => [200]));
}

const payment = world.payments[3]!;
const paymentEvent = (id: string) => ({
  id,
  type: 'payment.refunded',
  body: JSON.stringify({ id, type: 'payment.refunded', occurredAt: '2026-11-24T10:00:00Z', data: { payment: { ...payment, status: 'REFUNDED' } } }),
});

it('tells the hook which entities each delivery changed, before it is acknowledged', async () => {
  const told: unknown[] = [];
  const stop = switchboard.gateway.invalidations.onInvalidate((entities) => told.push(entities));
  const stock = stockChangedEvent({ sku: 'SKU-0003', lockedForAudit: false, warehouses: [{ warehouse: 'AMS', quantity: 4 }] });
  await deliver('payments', paymentEvent('evt_inv_1'), paymentEvent('evt_inv_1'));
  await deliver('inventory', stock);
  stop();
  const paid = [{ typename: 'Payment', id: payment.id, source: 'payments' }, { typename: 'Order', id: payment.orderId, source: 'payments' }];
  expect(told).toEqual([
    // As the demo's manifests declare them (webhook.invalidates); the source is the one whose event it was.
    // A redelivery too: what it changed is dropped before it is recorded, and so before it is known for one.
    paid,
    paid,
    [{ typename: 'StockLevel', id: 'SKU-0003', source: 'inventory' }],
  ]);
});

const STOCK = '{ product(id: "prod-0005") { stock { total } } }';
const expected = { data: { product: { stock: { total: stockOf(productById.get('prod-0005')!.sku).total } } } };

/** Two identical stock queries 100 ms apart while the ERP takes 400 ms; `between` runs in the gap. */
async function twoReads(between: () => Promise<void>) {
  await switchboard.inject('inventory', { kind: 'latency', ms: 400 });
  const first = switchboard.query(STOCK);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await between();
  const second = switchboard.query(STOCK);
  expect((await first).body).toEqual(expected);
  expect((await second).body).toEqual(expected);
  return callCounts(await switchboard.requests()).inventory;
}

it('a query after a stock change does not join a stock read that started before it', async () => {
  // Without an event, the second query joins the first one's call.
  expect(await twoReads(async () => undefined)).toBe(1);
  await switchboard.resetLogs();
  const sku = productById.get('prod-0005')!.sku;
  const changed = stockChangedEvent({ sku, lockedForAudit: false, warehouses: stockOf(sku).warehouses.map((line) => ({ ...line })) });
  expect(await twoReads(() => deliver('inventory', changed))).toBe(2);
});

it('a payment event leaves the reads of other sources shared', async () => {
  expect(await twoReads(() => deliver('payments', paymentEvent('evt_inv_2')))).toBe(1);
});
