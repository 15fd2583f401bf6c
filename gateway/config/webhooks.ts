/**
 * The webhooks a source declares in its manifest ("webhook"): how its deliveries are signed, what
 * they are written in, where in each one the event's id, type, time and the keys of what it changed
 * are, and the topic its events are published to. The gateway takes them at `POST /webhooks/<source>`
 * (gateway/events/use-webhooks.ts) exactly as it takes the demo's.
 *
 *   "webhook": {
 *     "secret": "{env.SHIPPING_WEBHOOK_SECRET}",
 *     "signature": { "scheme": "github" },
 *     "format": "json", "topic": "shipments", "id": "delivery.id", "type": "action", "time": "delivery.at",
 *     "invalidates": [{ "type": "Shipment", "key": "shipment.id" }]
 *   }
 */
import type { Env } from '../../lib/env.js';
import { isHeaderName } from '../../lib/http.js';

/** How a delivery is signed: each one an HMAC-SHA256 with the source's secret. */
export interface SignatureScheme {
  /**
   * `stripe`: `t=<unix seconds>,v1=<hex>` over `<t>.<body>`, within a tolerance of now (Stripe's;
   * the demo's, in `Switchboard-Signature`). `github`: `sha256=<hex>` over the body
   * (`X-Hub-Signature-256`). `hmac`: the bare digest over the body, hex or base64, in the header named.
   */
  scheme: 'stripe' | 'github' | 'hmac';
  /** The header it travels in (lower case). */
  header: string;
  /** `hmac` only: how the digest is written. */
  encoding: 'hex' | 'base64';
}

/** One entity an event changes: its public type and where its key is in the data the event publishes. */
export interface Invalidation {
  type: string;
  key: string;
}

export interface WebhookDeclaration {
  /** The signing secret, `{env.NAME}`; unset in the environment, the source takes no webhooks. */
  secret: string;
  signature: SignatureScheme;
  format: 'json' | 'xml';
  /** XML only: the root element's local name. */
  root?: string;
  /** XML only: child elements read as lists even when one is there. */
  lists: string[];
  topic: string;
  /** Paths (`data.payment.id`; XML: local names) to the event's id, type and time. */
  id: string;
  type?: string;
  /** The type of every event, where the payload carries none. */
  typeValue?: string;
  /** The types taken; others are refused. All when empty. */
  types: string[];
  time: string;
  /** The part of the payload the event publishes; all of it when left out. */
  data?: string;
  /** Paths that must hold a value. */
  required: string[];
  invalidates: Invalidation[];
  /** How far the `stripe` scheme's timestamp may be from now; WEBHOOK_TOLERANCE_SECONDS when left out. */
  toleranceSeconds?: number;
}

const SCHEME_HEADERS: Record<SignatureScheme['scheme'], string | undefined> = { stripe: 'stripe-signature', github: 'x-hub-signature-256', hmac: undefined };
const PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;
const KEYS = ['secret', 'signature', 'format', 'root', 'lists', 'topic', 'id', 'type', 'typeValue', 'types', 'time', 'data', 'required', 'invalidates', 'toleranceSeconds'];

/** Checks a manifest's "webhook"; `fail` throws with the reason. */
export function checkDeclaredWebhook(raw: unknown, fail: (why: string) => never): WebhookDeclaration | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('has a "webhook" that is not an object');
  const hook = raw as Record<string, unknown>;
  const unknown = Object.keys(hook).find((key) => !KEYS.includes(key));
  if (unknown) fail(`has webhook.${unknown}, which a webhook does not take (it takes ${KEYS.join(', ')})`);
  const text = (key: string, pattern?: RegExp): string => {
    const value = hook[key];
    if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) fail(`has no valid webhook.${key}`);
    return value as string;
  };
  const optional = (key: string, pattern?: RegExp) => (hook[key] === undefined ? undefined : text(key, pattern));
  const list = (key: string, pattern: RegExp): string[] => {
    const value = hook[key] ?? [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !pattern.test(item))) fail(`has webhook.${key} that is not a list of ${pattern === PATH ? 'paths' : 'names'}`);
    return value as string[];
  };
  const secret = text('secret');
  if (!/^\{env\.[A-Za-z_][A-Za-z0-9_]*\}$/.test(secret)) fail('holds a secret in webhook.secret: write the environment variable that holds it instead, as {env.NAME}');
  const signature = (hook.signature ?? {}) as Record<string, unknown>;
  if (typeof signature !== 'object' || Array.isArray(signature)) fail('has a webhook.signature that is not an object');
  const scheme = signature.scheme as SignatureScheme['scheme'];
  if (!(scheme in SCHEME_HEADERS)) fail(`has webhook.signature.scheme ${JSON.stringify(signature.scheme)}, which is none of stripe, github, hmac`);
  const header = signature.header ?? SCHEME_HEADERS[scheme];
  if (typeof header !== 'string' || !isHeaderName(header)) fail(`has no valid webhook.signature.header${scheme === 'hmac' ? ' (the hmac scheme names none by default)' : ''}`);
  const encoding = signature.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64') fail('has webhook.signature.encoding that is neither hex nor base64');
  const format = text('format');
  if (format !== 'json' && format !== 'xml') fail(`has webhook.format ${JSON.stringify(format)}, which is neither json nor xml`);
  if (hook.type !== undefined && hook.typeValue !== undefined) fail('has both webhook.type and webhook.typeValue: the type is in the payload, or the same for every event');
  const invalidates = hook.invalidates ?? [];
  if (!Array.isArray(invalidates) || invalidates.some((entry) => typeof entry?.type !== 'string' || !/^[A-Z_a-z]\w*$/.test(entry.type) || typeof entry.key !== 'string' || !PATH.test(entry.key) || Object.keys(entry).length !== 2)) {
    fail('has webhook.invalidates that is not a list of { "type": <public type name>, "key": <path> }');
  }
  const tolerance = hook.toleranceSeconds;
  if (tolerance !== undefined && (!Number.isInteger(tolerance) || (tolerance as number) < 1)) fail('has webhook.toleranceSeconds that is not a whole number of seconds');
  const root = optional('root', /^[A-Za-z_][\w.-]*$/);
  const type = optional('type', PATH);
  const typeValue = optional('typeValue');
  const data = optional('data', PATH);
  return {
    secret,
    signature: { scheme, header: (header as string).toLowerCase(), encoding },
    format,
    ...(root ? { root } : {}),
    lists: list('lists', /^[A-Za-z_][\w.-]*$/),
    topic: text('topic', /^[a-z][a-z0-9-]{0,39}$/),
    id: text('id', PATH),
    ...(type ? { type } : {}),
    ...(typeValue ? { typeValue } : {}),
    types: list('types', /^\S+$/),
    time: text('time', PATH),
    ...(data ? { data } : {}),
    required: list('required', PATH),
    invalidates: invalidates as Invalidation[],
    ...(tolerance !== undefined ? { toleranceSeconds: tolerance as number } : {}),
  };
}

/** The variable that holds a webhook's secret, and its value when set. */
export function webhookSecret(declaration: WebhookDeclaration, env: Env): { variable: string; value?: string } {
  const variable = declaration.secret.slice('{env.'.length, -1);
  const value = env[variable]?.trim();
  return value ? { variable, value } : { variable };
}
