/**
 * The demo payment processor (`sources/payments/openapi.yaml`): payments of orders over REST, behind
 * short-lived OAuth2 client-credentials tokens from `POST /oauth/token`.
 *
 *   const payments = await startPaymentsService({ port: 0, tokenTtlSeconds: 1 });
 *   // POST /oauth/token (Basic switchboard:demo-payments-secret, grant_type=client_credentials), then
 *   await fetch(`${payments.url}/payments?orderIds=ord-00001`, { headers: { authorization: `Bearer ${token}` } });
 */
import { randomUUID } from 'node:crypto';
import { createWorld, type World } from '../world/seed.js';
import { DEMO_CREDENTIALS } from '../world/config.js';
import { startHttpService, type ServiceHandle, type ServingOptions } from '../world/http-service.js';
import { contractRoute, createJsonHandler, found, listParam, ok, type JsonRoute } from '../world/json-api.js';
import { groupBy, indexBy, pickAll } from '../world/lookup.js';
import { createCharges, type PaymentEventType, type PaymentIndexes } from './charges.js';
import { createWebhookSender } from '../world/webhook-sender.js';
import type { PaymentRecord } from '../world/seed.js';
import { projectPath } from '../../gateway/config/project.js';
import { createTokenRoute, createTokenStore, requireBearerToken } from './oauth.js';

export interface PaymentsServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added delay and replay, for benchmarks (see ServingOptions). */
  serving?: ServingOptions;
  /** A world shared with the other demo upstreams; a new `createWorld()` by default. */
  world?: World;
  clientId?: string;
  clientSecret?: string;
  /** How long an access token lives; short, so that clients must handle expiry. */
  tokenTtlSeconds?: number;
  /** What webhooks are signed with. */
  webhookSecret?: string;
  /** Where webhooks go (the gateway's `/webhooks/payments`); they wait until it is set (`PUT /_admin/webhooks`). */
  webhookUrl?: string;
}

/** The most order ids one batch read may ask for, as the contract says. */
export const MAX_ORDER_IDS = 100;

export async function startPaymentsService(options: PaymentsServiceOptions = {}): Promise<ServiceHandle> {
  const world = options.world ?? createWorld();
  const tokens = createTokenStore(options.tokenTtlSeconds ?? DEMO_CREDENTIALS.paymentsTokenTtlSeconds);
  const client = {
    clientId: options.clientId ?? DEMO_CREDENTIALS.paymentsClientId,
    clientSecret: options.clientSecret ?? DEMO_CREDENTIALS.paymentsClientSecret,
  };
  const indexes: PaymentIndexes = {
    payments: indexBy(world.payments, (payment) => payment.id),
    paymentsByOrder: groupBy(world.payments, (payment) => payment.orderId),
  };
  const webhooks = createWebhookSender({
    secret: options.webhookSecret ?? DEMO_CREDENTIALS.paymentsWebhookSecret,
    contentType: 'application/json; charset=utf-8',
    target: options.webhookUrl,
    retry: options.serving?.webhookRetry,
  });
  const charges = createCharges(indexes, (type, payment, traceparent) => webhooks.send({ ...paymentEvent(type, payment), ...(traceparent ? { headers: { traceparent } } : {}) }));
  const routes = [createTokenRoute(client, tokens), ...paymentRoutes(indexes), ...charges.routes, contractRoute(projectPath('sources', 'payments', 'openapi.yaml'))];
  const handler = createJsonHandler(routes, (request) => requireBearerToken(request, tokens));
  return startHttpService({
    name: 'payments',
    port: options.port,
    serving: options.serving,
    handler,
    dialect: 'json',
    operationOf: handler.operationOf,
    actions: { 'expire-tokens': () => tokens.expireAll() },
    state: charges.recorded,
    webhooks,
  });
}

/** The webhook of a payment's change: `{ id, type, occurredAt, data: { payment } }`, the payment as it is now. */
export function paymentEvent(type: PaymentEventType, payment: PaymentRecord) {
  const id = `evt_${randomUUID()}`;
  return { id, type, body: JSON.stringify({ id, type, occurredAt: new Date().toISOString(), data: { payment: { ...payment } } }) };
}

/** Private: the read routes of the contract, over indexes built once (and kept up to date by the writes). */
function paymentRoutes({ payments, paymentsByOrder }: PaymentIndexes): JsonRoute[] {
  return [
    {
      method: 'GET', path: '/payments', operation: 'listPayments', keyParams: ['orderIds'],
      handle: ({ query }) => ok(pickAll(paymentsByOrder, listParam(query, 'orderIds', { max: MAX_ORDER_IDS, required: true })!)),
    },
    { method: 'GET', path: '/payments/{id}', operation: 'getPayment', handle: ({ params }) => ok(found(payments.get(params.id!), 'payment', params.id!)) },
  ];
}
