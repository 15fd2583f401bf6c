/**
 * The demo world's credentials and ports: the defaults, and how `demo/<name>/server.ts`
 * reads them from environment variables (checked once, at start-up).
 *
 *   const credentials = credentialsFromEnv(process.env); // DEMO_CREDENTIALS where a variable is unset
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { intFromEnv } from '../../lib/env.js';

export type DemoServiceName = 'catalog' | 'payments' | 'inventory' | 'reviews';

export interface DemoCredentials {
  catalogApiKey: string;
  paymentsClientId: string;
  paymentsClientSecret: string;
  paymentsTokenTtlSeconds: number;
  inventoryUsername: string;
  inventoryPassword: string;
  reviewsToken: string;
  /** What payments and the ERP sign their webhooks with. */
  paymentsWebhookSecret: string;
  inventoryWebhookSecret: string;
}

export const DEMO_CREDENTIALS: Readonly<DemoCredentials> = Object.freeze({
  catalogApiKey: 'demo-catalog-key',
  paymentsClientId: 'switchboard',
  paymentsClientSecret: 'demo-payments-secret',
  paymentsTokenTtlSeconds: 300,
  inventoryUsername: 'switchboard',
  inventoryPassword: 'demo-inventory-password',
  reviewsToken: 'demo-reviews-token',
  paymentsWebhookSecret: 'demo-payments-webhook-secret',
  inventoryWebhookSecret: 'demo-inventory-webhook-secret',
});

/** The port each demo upstream listens on when started on its own. */
export const DEMO_PORTS: Readonly<Record<DemoServiceName, number>> = Object.freeze({
  catalog: 4101,
  payments: 4102,
  inventory: 4103,
  reviews: 4104,
});

type Env = Record<string, string | undefined>;

export function credentialsFromEnv(env: Env): DemoCredentials {
  const text = (name: string, fallback: string) => env[name] || fallback;
  return {
    catalogApiKey: text('CATALOG_API_KEY', DEMO_CREDENTIALS.catalogApiKey),
    paymentsClientId: text('PAYMENTS_CLIENT_ID', DEMO_CREDENTIALS.paymentsClientId),
    paymentsClientSecret: text('PAYMENTS_CLIENT_SECRET', DEMO_CREDENTIALS.paymentsClientSecret),
    paymentsTokenTtlSeconds: intFromEnv(env, 'PAYMENTS_TOKEN_TTL_SECONDS', DEMO_CREDENTIALS.paymentsTokenTtlSeconds, 1, 86_400),
    inventoryUsername: text('INVENTORY_USERNAME', DEMO_CREDENTIALS.inventoryUsername),
    inventoryPassword: text('INVENTORY_PASSWORD', DEMO_CREDENTIALS.inventoryPassword),
    reviewsToken: text('REVIEWS_TOKEN', DEMO_CREDENTIALS.reviewsToken),
    paymentsWebhookSecret: text('PAYMENTS_WEBHOOK_SECRET', DEMO_CREDENTIALS.paymentsWebhookSecret),
    inventoryWebhookSecret: text('INVENTORY_WEBHOOK_SECRET', DEMO_CREDENTIALS.inventoryWebhookSecret),
  };
}

/** `PORT`, or the service's default port when unset. */
export function portFromEnv(env: Env, service: DemoServiceName): number {
  return intFromEnv(env, 'PORT', DEMO_PORTS[service], 0, 65_535);
}

/**
 * Compares a presented secret with the expected one in constant time, so that response times do not
 * leak how much of a guess was right. Hashing first makes the lengths equal, as `timingSafeEqual` needs.
 */
export function safeEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
