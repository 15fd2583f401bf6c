/**
 * Runs the demo payment processor on its own: `npx tsx demo/payments/server.ts`
 * (PORT, PAYMENTS_CLIENT_ID, PAYMENTS_CLIENT_SECRET, PAYMENTS_TOKEN_TTL_SECONDS, PAYMENTS_WEBHOOK_SECRET, and WEBHOOK_URL: where webhooks go).
 */
import { runService } from '../world/run-service.js';
import { startPaymentsService } from './app.js';

await runService('payments', (port, credentials) => startPaymentsService({
  port,
  clientId: credentials.paymentsClientId,
  clientSecret: credentials.paymentsClientSecret,
  tokenTtlSeconds: credentials.paymentsTokenTtlSeconds,
  webhookSecret: credentials.paymentsWebhookSecret,
  webhookUrl: process.env.WEBHOOK_URL || undefined,
}));
