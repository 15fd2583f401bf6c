// Webhooks declared in a source's manifest, for providers the demo does not imitate: a carrier that
// signs GitHub's way (`X-Hub-Signature-256: sha256=<hex>`) and times its events in unix seconds, and
// a ledger that sends XML signed with a bare base64 HMAC (`X-Ledger-Signature`, as Shopify signs).
// Each delivery is signed here with Node's HMAC, apart from the gateway's check; the event log,
// dedup and invalidation treat them as they treat the demo's.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceManifest } from '../gateway/config/source-manifests.js';
import type { EntityRef } from '../gateway/events/invalidation.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

const source = (name: string, webhook: Record<string, unknown>): SourceManifest => ({
  name, kind: 'openapi', contract: 'openapi.json', endpoint: `https://${name}.example`, credentials: [], policy: {}, idempotentOperations: [],
  webhook: webhook as unknown as SourceManifest['webhook'],
});

const CARRIER_SECRET = 'carrier-hook-secret';
const LEDGER_SECRET = 'ledger-hook-secret';
const carrier = source('carrier', {
  secret: '{env.CARRIER_WEBHOOK_SECRET}', signature: { scheme: 'github', header: 'x-hub-signature-256', encoding: 'hex' }, format: 'json', lists: [],
  topic: 'shipments', id: 'delivery.id', type: 'action', types: ['shipment.delivered', 'shipment.lost'], time: 'delivery.at', data: 'shipment',
  required: [], invalidates: [{ type: 'Shipment', key: 'id' }, { type: 'Order', key: 'orderRef' }],
});
const ledger = source('ledger', {
  secret: '{env.LEDGER_WEBHOOK_SECRET}', signature: { scheme: 'hmac', header: 'x-ledger-signature', encoding: 'base64' }, format: 'xml', lists: ['Line'],
  topic: 'invoices', id: 'Id', typeValue: 'invoice.posted', types: [], time: 'PostedAt', required: ['Total'], invalidates: [{ type: 'Invoice', key: 'Number' }],
});

let switchboard: TestSwitchboard;
const changed: EntityRef[][] = [];
beforeAll(async () => {
  switchboard = await startTestSwitchboard({ CARRIER_WEBHOOK_SECRET: CARRIER_SECRET, LEDGER_WEBHOOK_SECRET: LEDGER_SECRET }, { sources: [carrier, ledger] });
  switchboard.gateway.invalidations.onInvalidate((entities) => changed.push([...entities]));
});
afterAll(() => switchboard?.close());

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body);
async function deliver(name: string, body: string, headers: Record<string, string>) {
  const response = await switchboard.gateway.yoga.fetch(`http://switchboard/webhooks/${name}`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}
const held = async (topic: string) => (await switchboard.gateway.events.since(topic))!.events;

describe('a GitHub-style signature over JSON', () => {
  const shipment = (id: string, action = 'shipment.delivered') => JSON.stringify({
    action, delivery: { id, at: 1_796_000_000 }, shipment: { id: 'SHP-1', orderRef: 'ord-77', status: 'DELIVERED' },
  });
  const signed = (body: string, secret = CARRIER_SECRET) => ({ 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmac(secret, body).digest('hex')}` });

  it('records the event where the manifest says its parts are, once, and tells what it changed', async () => {
    changed.length = 0;
    const body = shipment('dlv-1');
    expect(await deliver('carrier', body, signed(body))).toEqual({ status: 200, body: { received: true, id: 'dlv-1', duplicate: false } });
    expect(await deliver('carrier', body, signed(body))).toEqual({ status: 200, body: { received: true, id: 'dlv-1', duplicate: true } });
    expect(await held('shipments')).toEqual([{
      seq: 1, id: 'dlv-1', topic: 'shipments', type: 'shipment.delivered', occurredAt: new Date(1_796_000_000_000).toISOString(),
      data: { id: 'SHP-1', orderRef: 'ord-77', status: 'DELIVERED' },
    }]);
    // The redelivery's too: what an event changed is dropped before it is recorded, so before it is known for a redelivery.
    const delivered = [{ typename: 'Shipment', id: 'SHP-1', source: 'carrier' }, { typename: 'Order', id: 'ord-77', source: 'carrier' }];
    expect(changed).toEqual([delivered, delivered]);
  });

  it.each([
    ['signed with another secret', shipment('dlv-2'), (body: string) => signed(body, 'guess'), 401, 'The delivery is refused: the signature does not match the body.'],
    ['signed the Stripe way', shipment('dlv-3'), () => ({ 'content-type': 'application/json', 'x-hub-signature-256': 't=1,v1=ab' }), 401,
      'The delivery is refused: the x-hub-signature-256 header must read sha256=<hex HMAC-SHA256>.'],
    ['unsigned', shipment('dlv-4'), () => ({ 'content-type': 'application/json' }), 401, 'The delivery is refused: the x-hub-signature-256 header is missing.'],
    ['of a type not declared', shipment('dlv-5', 'shipment.eaten'), signed, 400, '`action` must be one of shipment.delivered, shipment.lost, but got: "shipment.eaten".'],
    ['without the key of what it changed', JSON.stringify({ action: 'shipment.lost', delivery: { id: 'dlv-6', at: 1 }, shipment: { id: 'SHP-2' } }), signed, 400,
      '`shipment.orderRef` must hold a value.'],
    ['without an id', JSON.stringify({ action: 'shipment.lost', delivery: { at: 1 }, shipment: {} }), signed, 400, '`delivery.id` must hold the event\'s id.'],
  ])('refuses a delivery %s, naming why', async (_, body, headers, status, message) => {
    const answer = await deliver('carrier', body, headers(body));
    expect([answer.status, answer.body.message]).toEqual([status, message]);
    expect(await held('shipments')).toHaveLength(1);
  });
});

describe('a bare base64 HMAC over XML', () => {
  const invoice = (id: string, lines: number) => `<?xml version="1.0"?><led:InvoicePosted xmlns:led="urn:ledger"><led:Id>${id}</led:Id>`
    + `<led:PostedAt>2026-12-01T09:30:00+01:00</led:PostedAt><led:Number>INV-9</led:Number><led:Total>42.50</led:Total>`
    + `${Array.from({ length: lines }, (_, index) => `<led:Line><led:Sku>SKU-${index}</led:Sku></led:Line>`).join('')}</led:InvoicePosted>`;
  const signed = (body: string) => ({ 'content-type': 'application/xml', 'x-ledger-signature': hmac(LEDGER_SECRET, body).digest('base64') });

  it('reads the document by local names, a declared list as a list even of one, and the time in UTC', async () => {
    changed.length = 0;
    const body = invoice('inv-evt-1', 1);
    expect(await deliver('ledger', body, signed(body))).toEqual({ status: 200, body: { received: true, id: 'inv-evt-1', duplicate: false } });
    expect((await held('invoices')).at(-1)).toEqual({
      seq: 1, id: 'inv-evt-1', topic: 'invoices', type: 'invoice.posted', occurredAt: '2026-12-01T08:30:00.000Z',
      data: { Id: 'inv-evt-1', PostedAt: '2026-12-01T09:30:00+01:00', Number: 'INV-9', Total: '42.50', Line: [{ Sku: 'SKU-0' }] },
    });
    expect(changed).toEqual([[{ typename: 'Invoice', id: 'INV-9', source: 'ledger' }]]);
  });

  it('refuses a hex digest where base64 is declared, and JSON where XML is', async () => {
    const body = invoice('inv-evt-2', 2);
    const hex = await deliver('ledger', body, { 'content-type': 'application/xml', 'x-ledger-signature': hmac(LEDGER_SECRET, body).digest('hex') });
    expect([hex.status, hex.body.message]).toEqual([401, 'The delivery is refused: the x-ledger-signature header must read the base64 HMAC-SHA256 of the body.']);
    const json = await deliver('ledger', '{}', { 'content-type': 'application/json', 'x-ledger-signature': hmac(LEDGER_SECRET, '{}').digest('base64') });
    expect([json.status, json.body.message]).toEqual([415, 'ledger webhooks must be text/xml or application/xml, but got: "application/json".']);
  });
});
