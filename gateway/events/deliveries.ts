/**
 * What each source's webhook deliveries look like, read into Switchboard's events: payments sends
 * JSON (`{ id, type, occurredAt, data: { payment } }`), the warehouse ERP sends XML, as legacy systems
 * do (`<StockChanged><EventId/><OccurredAt/><Sku/><Total/><Warehouses>…</Warehouses></StockChanged>`).
 * Each reader checks the body once and throws a `DeliveryError` naming what is wrong.
 *
 *   readDelivery('payments', 'application/json; charset=utf-8', body);  // { id, topic: 'payments', type, occurredAt, data }
 */
import { parse, type TNode } from 'txml/txml';
import type { WebhookEvent } from './event-log.js';

export class DeliveryError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export type WebhookSource = 'payments' | 'inventory';

export const WEBHOOK_SOURCES: readonly WebhookSource[] = ['payments', 'inventory'];

/** The topics the sources' events are published to: payments' events, and the ERP's stock changes. */
export const WEBHOOK_TOPICS: readonly string[] = ['payments', 'stock'];

const PAYMENT_TYPES = new Set(['payment.succeeded', 'payment.failed', 'payment.refunded']);

export function readDelivery(source: WebhookSource, contentType: string | null, body: Buffer): WebhookEvent {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (source === 'payments') {
    if (mediaType !== 'application/json') throw new DeliveryError(415, `payments webhooks must be application/json, but got: ${JSON.stringify(contentType ?? '')}.`);
    return readPaymentEvent(body);
  }
  if (mediaType !== 'text/xml' && mediaType !== 'application/xml') {
    throw new DeliveryError(415, `inventory webhooks must be text/xml or application/xml, but got: ${JSON.stringify(contentType ?? '')}.`);
  }
  return readStockChange(body);
}

/** Private: a payments event. */
function readPaymentEvent(body: Buffer): WebhookEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DeliveryError(400, 'The body is not valid JSON.');
  }
  const event = raw as { id?: unknown; type?: unknown; occurredAt?: unknown; data?: { payment?: Record<string, unknown> } } | null;
  if (typeof event?.id !== 'string' || event.id === '' || event.id.length > 200) throw new DeliveryError(400, '`id` must be the event\'s id.');
  if (typeof event.type !== 'string' || !PAYMENT_TYPES.has(event.type)) {
    throw new DeliveryError(400, `\`type\` must be one of ${[...PAYMENT_TYPES].join(', ')}, but got: ${JSON.stringify(event.type)}.`);
  }
  const occurredAt = readTime(event.occurredAt);
  const payment = event.data?.payment;
  if (typeof payment?.id !== 'string' || typeof payment.orderId !== 'string' || typeof payment.amount !== 'number') {
    throw new DeliveryError(400, '`data.payment` must be a payment with `id`, `orderId` and `amount`.');
  }
  return { id: event.id, topic: 'payments', type: event.type, occurredAt, data: { payment } };
}

/** Private: a stock change from the ERP. */
function readStockChange(body: Buffer): WebhookEvent {
  const text = body.toString('utf8');
  const root = parse(text).find((node): node is TNode => typeof node === 'object' && !node.tagName.startsWith('?'));
  if (!root || localName(root.tagName) !== 'StockChanged' || !text.trimEnd().endsWith('>')) {
    throw new DeliveryError(400, 'The body must be a StockChanged XML document.');
  }
  const child = (name: string) => root.children.find((node): node is TNode => typeof node === 'object' && localName(node.tagName) === name);
  const textOf = (node: TNode | undefined) => (node?.children.filter((part) => typeof part === 'string').join('') ?? '').trim();
  const id = textOf(child('EventId'));
  const sku = textOf(child('Sku'));
  const total = Number(textOf(child('Total')));
  if (!id || id.length > 200) throw new DeliveryError(400, 'StockChanged must hold an EventId.');
  if (!sku) throw new DeliveryError(400, 'StockChanged must hold a Sku.');
  if (!Number.isInteger(total)) throw new DeliveryError(400, 'StockChanged must hold a whole Total.');
  const warehouses = root.children
    .filter((node): node is TNode => typeof node === 'object' && localName(node.tagName) === 'Warehouses')
    .map((node) => {
      const part = (name: string) => textOf(node.children.find((c): c is TNode => typeof c === 'object' && localName(c.tagName) === name));
      const quantity = Number(part('Quantity'));
      if (!part('Warehouse') || !Number.isInteger(quantity)) throw new DeliveryError(400, 'Each Warehouses element must hold a Warehouse and a whole Quantity.');
      return { warehouse: part('Warehouse'), quantity };
    });
  return { id, topic: 'stock', type: 'stock.changed', occurredAt: readTime(textOf(child('OccurredAt'))), data: { sku, total, warehouses } };
}

/** Private: an ISO-8601 time, as the event says it happened. */
function readTime(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new DeliveryError(400, '`occurredAt` must be an ISO-8601 time.');
  return new Date(value).toISOString();
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
