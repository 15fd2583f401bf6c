// One source's policy on its own, against a plain HTTP server on port 0 that counts what it gets:
// the concurrency limit, and which calls are retried.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../gateway/config/config.js';
import { exchange } from '../gateway/upstream/http-exchange.js';
import { createUpstreamPolicy } from '../gateway/upstream/policy.js';

let server: Server;
let url: string;
let inFlight = 0;
let most = 0;
let calls = 0;
let status = 200;
beforeAll(async () => {
  server = createServer((req, res) => {
    calls += 1;
    inFlight += 1;
    most = Math.max(most, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    }, 50);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  [inFlight, most, calls, status] = [0, 0, 0, 200];
});

const policyWith = (variables: Record<string, string>) => {
  const config = loadConfig({
    CATALOG_URL: url, PAYMENTS_URL: url, INVENTORY_URL: url, REVIEWS_URL: url,
    CATALOG_API_KEY: 'k', PAYMENTS_CLIENT_ID: 'i', PAYMENTS_CLIENT_SECRET: 's', INVENTORY_USERNAME: 'u', INVENTORY_PASSWORD: 'p', REVIEWS_TOKEN: 't',
    REVIEWS_RETRY_BASE_MS: '1',
    ...variables,
  });
  return createUpstreamPolicy('reviews', config.sources.reviews!.policy);
};

it('keeps at most MAX_CONCURRENT calls in flight, and runs the rest as slots free up', async () => {
  const policy = policyWith({ REVIEWS_MAX_CONCURRENT: '2' });
  const replies = await Promise.all(Array.from({ length: 8 }, () =>
    policy.run({ idempotent: true, attempt: () => exchange(url, {}, 1000) })));
  expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(200));
  expect([calls, most]).toEqual([8, 2]);
});

it('retries a read or a call with an idempotency key on 503, but never a plain write', async () => {
  const policy = policyWith({ REVIEWS_RETRIES: '2' });
  status = 503;
  const read = await policy.run({ idempotent: true, attempt: () => exchange(url, {}, 1000) });
  expect([read.status, calls]).toEqual([503, 3]);
  calls = 0;
  const write = await policy.run({ idempotent: false, attempt: () => exchange(url, { method: 'POST', body: 'x' }, 1000) });
  expect([write.status, calls]).toEqual([503, 1]);
});
