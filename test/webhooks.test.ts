// POST /webhooks/<source> on the gateway: signed deliveries from payments (JSON) and the warehouse
// ERP (XML), each refused delivery with its 4xx and one log line, a redelivered event acknowledged
// but recorded once, and the bounded event log behind it.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CREDENTIALS } from '../sources/world/index.js';
import { signPayload } from '../gateway/webhooks/signature.js';
import { createEventLog } from '../gateway/webhooks/event-log.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

const warn = vi.spyOn(console, 'warn');
beforeEach(() => warn.mockClear());

const PAYMENTS_SECRET = DEMO_CREDENTIALS.paymentsWebhookSecret;
const INVENTORY_SECRET = DEMO_CREDENTIALS.inventoryWebhookSecret;
let ids = 0;
const paymentEvent = (id = `evt_${Date.now()}_${ids++}`) => JSON.stringify({
  id,
  type: 'payment.succeeded',
  occurredAt: '2026-11-24T10:00:00.000Z',
  data: { payment: { id: 'pay-00001', orderId: 'ord-00001', amount: 12.5, currency: 'EUR', status: 'SUCCEEDED', method: 'CARD', createdAt: '2026-11-24T10:00:00.000Z' } },
});
const stockEvent = (id: string) => '<?xml version="1.0"?><StockChanged xmlns="http://switchboard.example/inventory">'
  + `<EventId>${id}</EventId><OccurredAt>2026-11-24T10:00:00Z</OccurredAt><Sku>SKU-0001</Sku><Total>7</Total>`
  + '<Warehouses><Warehouse>AMS</Warehouse><Quantity>5</Quantity></Warehouses><Warehouses><Warehouse>DUB</Warehouse><Quantity>2</Quantity></Warehouses>'
  + '</StockChanged>';

async function deliver(source: string, body: string, options: { secret?: string; contentType?: string; signature?: string | null; method?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json; charset=utf-8' };
  const signature = options.signature === undefined ? signPayload(options.secret ?? PAYMENTS_SECRET, body) : options.signature;
  if (signature !== null) headers['switchboard-signature'] = signature;
  const response = await switchboard.gateway.yoga.fetch(`http://switchboard/webhooks/${source}`, {
    method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : body,
  });
  return { status: response.status, body: await response.json() };
}

describe('deliveries', () => {
  it('accepts a signed payments event with a charset parameter, records it and answers once it is recorded', async () => {
    const body = paymentEvent('evt_accept_1');
    expect(await deliver('payments', body)).toEqual({ status: 200, body: { received: true, id: 'evt_accept_1', duplicate: false } });
    expect(switchboard.gateway.events.since('payments')!.at(-1)).toEqual({
      id: 'evt_accept_1', topic: 'payments', type: 'payment.succeeded', occurredAt: '2026-11-24T10:00:00.000Z', data: JSON.parse(body).data,
    });
  });

  it('acknowledges a redelivered event id without recording it again', async () => {
    const body = paymentEvent('evt_twice');
    await deliver('payments', body);
    const held = switchboard.gateway.events.since('payments')!.length;
    expect(await deliver('payments', body)).toEqual({ status: 200, body: { received: true, id: 'evt_twice', duplicate: true } });
    expect(switchboard.gateway.events.since('payments')).toHaveLength(held);
  });

  it('accepts the ERP\'s XML stock change', async () => {
    expect(await deliver('inventory', stockEvent('stk_1'), { secret: INVENTORY_SECRET, contentType: 'text/xml; charset=utf-8' }))
      .toEqual({ status: 200, body: { received: true, id: 'stk_1', duplicate: false } });
    expect(switchboard.gateway.events.since('stock')!.at(-1)).toEqual({
      id: 'stk_1', topic: 'stock', type: 'stock.changed', occurredAt: '2026-11-24T10:00:00.000Z',
      data: { sku: 'SKU-0001', total: 7, warehouses: [{ warehouse: 'AMS', quantity: 5 }, { warehouse: 'DUB', quantity: 2 }] },
    });
  });

  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['forged (another secret)', 'payments', paymentEvent(), { secret: 'not-the-secret' }, 401, 'invalid_signature', 'The delivery is refused: the signature does not match the body.'],
    ['stale (301 s old)', 'payments', paymentEvent(), { signature: signPayload(PAYMENTS_SECRET, paymentEvent('evt_stale'), now - 301) }, 401, 'invalid_signature', null],
    ['unsigned', 'payments', paymentEvent(), { signature: null }, 401, 'invalid_signature', 'The delivery is refused: the switchboard-signature header is missing.'],
    ['signed garbage header', 'payments', paymentEvent(), { signature: 'v1=abc' }, 401, 'invalid_signature', 'The delivery is refused: the switchboard-signature header must read t=<unix seconds>,v1=<hex HMAC-SHA256>.'],
    ['malformed JSON', 'payments', '{"id": "evt_x", ', {}, 400, 'malformed_delivery', 'The body is not valid JSON.'],
    ['an unknown event type', 'payments', paymentEvent().replace('payment.succeeded', 'payment.exploded'), {}, 400, 'malformed_delivery',
      '`type` must be one of payment.succeeded, payment.failed, payment.refunded, but got: "payment.exploded".'],
    ['the wrong content type', 'payments', paymentEvent(), { contentType: 'text/plain' }, 415, 'unsupported_media_type', 'payments webhooks must be application/json, but got: "text/plain".'],
    ['XML cut short', 'inventory', stockEvent('stk_cut').slice(0, 120), { secret: INVENTORY_SECRET, contentType: 'application/xml' }, 400, 'malformed_delivery', 'The body must be a StockChanged XML document.'],
    ['oversized (300 KB)', 'payments', JSON.stringify({ pad: 'x'.repeat(300_000) }), {}, 413, 'payload_too_large', 'The body must be at most 262144 bytes.'],
    ['for no such source', 'billing', paymentEvent(), {}, 404, 'not_found', 'There is no webhook route for "billing"; the sources are payments, inventory.'],
  ])('refuses a delivery %s with a 4xx and one log line', async (_, source, body, options, status, error, message) => {
    const held = switchboard.gateway.events.since('payments')!.length;
    const answer = await deliver(source, body, options as Parameters<typeof deliver>[2]);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toBe(error);
    if (message) expect(answer.body.message).toBe(message);
    else expect(answer.body.message).toMatch(/^The delivery is refused: the signature's timestamp is 30\d s away from now, more than the 300 s allowed\.$/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(`refused with ${status}`);
    expect(switchboard.gateway.events.since('payments')).toHaveLength(held);
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const response = await switchboard.gateway.yoga.fetch('http://switchboard/webhooks/payments');
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'POST']);
  });
});

describe('the event log', () => {
  it('keeps the last events of each topic, reads from any id it holds, and forgets an id only long after', () => {
    const log = createEventLog({ capacity: 3 });
    const event = (id: string) => ({ id, topic: 't', type: 'x', occurredAt: '2026-01-01T00:00:00.000Z', data: {} });
    const heard: string[] = [];
    const stop = log.listen('t', (e) => heard.push(e.id));
    for (const id of ['a', 'b', 'c', 'd']) expect(log.record(event(id))).toBe(true);
    expect(log.record(event('a'))).toBe(false);
    stop();
    log.record(event('e'));
    expect(heard).toEqual(['a', 'b', 'c', 'd']);
    expect(log.since('t')!.map((e) => e.id)).toEqual(['c', 'd', 'e']);
    expect(log.since('t', 'c')!.map((e) => e.id)).toEqual(['d', 'e']);
    expect(log.since('t', 'a')).toBeUndefined();
    expect(log.since('other')).toEqual([]);
  });
});
