// POST /webhooks/<source> on the gateway: signed deliveries from payments (JSON) and the warehouse
// ERP (XML), each refused delivery with its 4xx and one log line, a redelivered event acknowledged
// but recorded once, and the bounded event log behind it.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { signWebhook as signPayload } from '../demo/world/index.js';
import { randomUUID } from 'node:crypto';
import { createMemoryEventLog, type EventLog } from '../gateway/events/event-log.js';
import { createRedisEventLog } from '../gateway/events/redis-event-log.js';
import { REDIS_URL, removeKeys } from './helpers/redis.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { log } from '../gateway/logging/log.js';

let switchboard: TestSwitchboard;
/** The events the gateway holds for a topic, oldest first. */
const held = async (topic: string) => (await switchboard.gateway.events.since(topic))!.events;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

// The gateway's log (gateway/logging/log.ts): one line per refused delivery.
const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
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
    expect((await held('payments')).at(-1)).toEqual({
      seq: expect.any(Number), id: 'evt_accept_1', topic: 'payments', type: 'payment.succeeded', occurredAt: '2026-11-24T10:00:00.000Z', data: JSON.parse(body).data,
    });
  });

  it('acknowledges a redelivered event id without recording it again', async () => {
    const body = paymentEvent('evt_twice');
    await deliver('payments', body);
    const before = (await held('payments')).length;
    expect(await deliver('payments', body)).toEqual({ status: 200, body: { received: true, id: 'evt_twice', duplicate: true } });
    expect(await held('payments')).toHaveLength(before);
  });

  it('accepts the ERP\'s XML stock change', async () => {
    expect(await deliver('inventory', stockEvent('stk_1'), { secret: INVENTORY_SECRET, contentType: 'text/xml; charset=utf-8' }))
      .toEqual({ status: 200, body: { received: true, id: 'stk_1', duplicate: false } });
    expect((await held('stock')).at(-1)).toEqual({
      seq: expect.any(Number), id: 'stk_1', topic: 'stock', type: 'stock.changed', occurredAt: '2026-11-24T10:00:00.000Z',
      // The XML as the gateway reads it: text by element name, Warehouses a list as the manifest says.
      data: {
        EventId: 'stk_1', OccurredAt: '2026-11-24T10:00:00Z', Sku: 'SKU-0001', Total: '7',
        Warehouses: [{ Warehouse: 'AMS', Quantity: '5' }, { Warehouse: 'DUB', Quantity: '2' }],
      },
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
    ['for no such source', 'billing', paymentEvent(), {}, 404, 'not_found', 'There is no webhook route for "billing"; the sources are inventory, payments.'],
  ])('refuses a delivery %s with a 4xx and one log line', async (_, source, body, options, status, error, message) => {
    const before = (await held('payments')).length;
    const answer = await deliver(source, body, options as Parameters<typeof deliver>[2]);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toBe(error);
    if (message) expect(answer.body.message).toBe(message);
    else expect(answer.body.message).toMatch(/^The delivery is refused: the signature's timestamp is 30\d s away from now, more than the 300 s allowed\.$/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![1])).toContain(`refused with ${status}`);
    expect(await held('payments')).toHaveLength(before);
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const response = await switchboard.gateway.yoga.fetch('http://switchboard/webhooks/payments');
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'POST']);
  });
});

// The same contract for both implementations: in memory, and in Redis as replicas share it.
const REDIS_PREFIX = `switchboard-test:${randomUUID()}:`;
describe.each([
  ['in memory', async () => createMemoryEventLog({ capacity: 3 })],
  ['in Redis', async () => createRedisEventLog({ url: REDIS_URL, keyPrefix: REDIS_PREFIX, topics: ['t', 'other'], capacity: 3 })],
])('the event log %s', (_, create) => {
  let log: EventLog;
  beforeAll(async () => {
    log = await create();
  });
  afterAll(async () => {
    await log?.close();
    await removeKeys(REDIS_PREFIX);
  });

  it('keeps the last events of each topic, reads from any id it holds, and knows an id it dropped', async () => {
    const event = (id: string) => ({ id, topic: 't', type: 'x', occurredAt: '2026-01-01T00:00:00.000Z', data: { id } });
    const heard: [string, number][] = [];
    const everywhere: string[] = [];
    const stop = log.listen('t', (e) => heard.push([e.id, e.seq]));
    const stopAll = log.onEvent((e) => everywhere.push(e.id));
    for (const id of ['a', 'b', 'c', 'd']) expect(await log.record(event(id))).toBe(true);
    expect(await log.record(event('a'))).toBe(false);
    await until(() => heard.length === 4);
    stop();
    stopAll();
    await log.record(event('e'));
    expect(heard).toEqual([['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
    expect(everywhere).toEqual(['a', 'b', 'c', 'd']);
    expect(await log.since('t')).toEqual({ afterSeq: 2, events: [{ ...event('c'), seq: 3 }, { ...event('d'), seq: 4 }, { ...event('e'), seq: 5 }] });
    expect(await log.since('t', 'c')).toEqual({ afterSeq: 3, events: [{ ...event('d'), seq: 4 }, { ...event('e'), seq: 5 }] });
    expect(await log.since('t', 'a')).toBeUndefined();
    expect(await log.since('other')).toEqual({ afterSeq: 0, events: [] });
    expect(log.listenerCount('t')).toBe(0);
  });
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not true within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
