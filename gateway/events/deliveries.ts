/**
 * A webhook delivery read into one of Switchboard's events, as its source declares
 * (gateway/config/webhooks.ts): JSON, or XML read into the same shape (each element an object of its
 * children by local name, or its text; repeated elements, and those the declaration lists, as
 * lists). The declaration's paths then give the event's id, type, time and published data, and
 * name what must be there. Each check throws a `DeliveryError` naming what is wrong.
 *
 *   readDelivery('carrier', declaration, 'application/json; charset=utf-8', body);
 *   // { id: 'evt_1', topic: 'shipments', type: 'shipment.delivered', occurredAt, data: { shipment: { … } } }
 */
import { parse, type TNode } from 'txml/txml';
import { valueAt } from '../../lib/paths.js';
import type { WebhookDeclaration } from '../config/webhooks.js';
import type { WebhookEvent } from './event-log.js';

export class DeliveryError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
const XML_TYPE = /^(application|text)\/([\w.-]+\+)?xml$/;

export function readDelivery(source: string, hook: WebhookDeclaration, contentType: string | null, body: Buffer): WebhookEvent {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = hook.format === 'json';
  if (!(json ? JSON_TYPE : XML_TYPE).test(mediaType)) {
    throw new DeliveryError(415, `${source} webhooks must be ${json ? 'application/json' : 'text/xml or application/xml'}, but got: ${JSON.stringify(contentType ?? '')}.`);
  }
  const payload = json ? readJson(body) : readXml(body, hook);
  const id = valueAt(payload, hook.id);
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '' || String(id).length > 200) {
    throw new DeliveryError(400, `\`${hook.id}\` must hold the event's id.`);
  }
  const type = hook.type === undefined ? (hook.typeValue ?? hook.topic) : valueAt(payload, hook.type);
  if (typeof type !== 'string' || type === '' || (hook.types.length > 0 && !hook.types.includes(type))) {
    const expected = hook.types.length > 0 ? `one of ${hook.types.join(', ')}` : 'the event\'s type';
    throw new DeliveryError(400, `\`${hook.type}\` must be ${expected}, but got: ${JSON.stringify(type ?? null)}.`);
  }
  const occurredAt = readTime(valueAt(payload, hook.time), hook.time);
  const present = (value: unknown) => value !== undefined && value !== null && value !== '' && typeof value !== 'object';
  for (const path of hook.required) {
    if (!present(valueAt(payload, path))) throw new DeliveryError(400, `\`${path}\` must hold a value.`);
  }
  const data = hook.data === undefined ? payload : valueAt(payload, hook.data);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new DeliveryError(400, `\`${hook.data}\` must be an object.`);
  // The keys of what it changed are read from what it publishes, on every replica (invalidation.ts).
  for (const { key } of hook.invalidates) {
    const path = hook.data === undefined ? key : `${hook.data}.${key}`;
    if (!present(valueAt(data, key))) throw new DeliveryError(400, `\`${path}\` must hold a value.`);
  }
  return { id: String(id), topic: hook.topic, type, occurredAt, data: data as Record<string, unknown> };
}

/** Private: a JSON payload, an object. */
function readJson(body: Buffer): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DeliveryError(400, 'The body is not valid JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new DeliveryError(400, 'The body must be a JSON object.');
  return raw as Record<string, unknown>;
}

/** Private: an XML payload, its root element as an object of its children by local name. */
function readXml(body: Buffer, hook: WebhookDeclaration): Record<string, unknown> {
  const text = body.toString('utf8');
  const what = hook.root ? `a ${hook.root} XML document` : 'an XML document';
  let nodes: (TNode | string)[];
  try {
    nodes = parse(text);
  } catch {
    throw new DeliveryError(400, `The body must be ${what}.`);
  }
  const root = nodes.find((node): node is TNode => typeof node === 'object' && !node.tagName.startsWith('?') && !node.tagName.startsWith('!'));
  if (!root || (hook.root && localName(root.tagName) !== hook.root) || !text.trimEnd().endsWith('>')) throw new DeliveryError(400, `The body must be ${what}.`);
  const value = elementValue(root, new Set(hook.lists));
  return typeof value === 'object' ? value : {};
}

/** Private: an element's children by local name, or its text when it has none. */
function elementValue(element: TNode, lists: ReadonlySet<string>): Record<string, unknown> | string {
  const children = element.children.filter((node): node is TNode => typeof node === 'object');
  if (children.length === 0) return element.children.filter((part) => typeof part === 'string').join('').trim();
  const object: Record<string, unknown> = {};
  for (const child of children) {
    const name = localName(child.tagName);
    const value = elementValue(child, lists);
    if (Object.hasOwn(object, name)) {
      const held = object[name];
      object[name] = Array.isArray(held) ? [...held, value] : [held, value];
    } else {
      object[name] = lists.has(name) ? [value] : value;
    }
  }
  return object;
}

/** Private: an ISO-8601 time, or unix seconds (Stripe's `created`), as the event says it happened. */
function readTime(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value * 1000).toISOString();
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new DeliveryError(400, `\`${path}\` must be an ISO-8601 time or unix seconds.`);
  return new Date(value).toISOString();
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
