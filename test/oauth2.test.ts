// The OAuth2 client-credentials cache against the real payments token endpoint: one call however
// many ask at once, a new token before the old one expires, and a clear error for wrong credentials.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exchange, toResponse } from '../gateway/upstream/http-exchange.js';
import { createClientCredentials } from '../gateway/upstream/credentials/oauth2-client-credentials.js';
import { startPaymentsService } from '../demo/payments/app.js';
import type { ServiceHandle } from '../demo/world/index.js';

let payments: ServiceHandle;
beforeAll(async () => {
  // Tokens live 2 s: the cache refreshes them after half their life, before they expire.
  payments = await startPaymentsService({ port: 0, tokenTtlSeconds: 2 });
});
afterAll(() => payments?.close());

const tokens = (clientSecret = 'demo-payments-secret') => createClientCredentials({
  source: 'payments',
  tokenUrl: `${payments.url}/oauth/token`,
  clientId: 'switchboard',
  clientSecret,
  variables: 'PAYMENTS_CLIENT_ID and PAYMENTS_CLIENT_SECRET',
  send: async (url, init) => toResponse(await exchange(url, init, 2000)),
});
const tokenCalls = () => payments.log.entries.filter((entry) => entry.operation === 'issueToken').length;

it('fetches one token for 20 concurrent callers, and a new one before the first expires', async () => {
  payments.log.reset();
  const cache = tokens();
  const first = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
  expect(new Set(first).size).toBe(1);
  expect(tokenCalls()).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const second = await cache.get();
  expect(second).not.toBe(first[0]);
  expect(tokenCalls()).toBe(2);
  // The old token was still good when it was replaced: the refresh came before the expiry.
  const stillGood = await fetch(`${payments.url}/payments?orderIds=ord-00001`, { headers: { authorization: `Bearer ${first[0]}` } });
  expect(stillGood.status).toBe(200);
});

it('names the variables to fix when payments refuses the client credentials', async () => {
  await expect(tokens('wrong').get()).rejects.toMatchObject({
    message: "payments refused Switchboard's client credentials; check PAYMENTS_CLIENT_ID and PAYMENTS_CLIENT_SECRET.",
    extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'payments' },
  });
});
