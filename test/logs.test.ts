// The log as an operator reads it from the bundle (`npm start`, production): JSON lines, every line
// of a request carrying its request id, the same one the client got in `x-request-id`, and never a
// credential, the gateway's or the client's.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { log } from '../gateway/logging/log.js';
import { startTestSwitchboard } from './helpers/switchboard.js';
import { DEMO_TOKEN_SECRET } from '../demo/launch.js';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { mintToken } from '../gateway/plugins/auth/tokens.js';
import { startDemoBundle, type DemoBundle } from './helpers/demo-bundle.js';

let demo: DemoBundle;
beforeAll(async () => {
  demo = await startDemoBundle({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
}, 60_000);
afterAll(() => demo?.stop());

/** The JSON lines the bundle has written so far. */
const lines = () => demo.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

async function linesOf(requestId: string, count: number) {
  for (let tries = 0; tries < 50; tries++) {
    const found = lines().filter((line) => line.requestId === requestId);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return lines().filter((line) => line.requestId === requestId);
}

it('writes a failing request as JSON lines that all carry its request id and no secret', async () => {
  const token = await mintToken({ secret: DEMO_TOKEN_SECRET, issuer: 'switchboard', audience: 'switchboard-api' }, { subject: 'cus-0001' });
  await fetch(`${demo.demoUrls.catalog}/_admin/faults`, { method: 'POST', body: JSON.stringify({ kind: 'error', status: 503, count: 3 }) });
  const response = await fetch(demo.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'checkout-7f3a' },
    body: JSON.stringify({ query: 'query Shelf { products(first: 2) { id } }' }),
  });
  expect(response.headers.get('x-request-id')).toBe('checkout-7f3a');
  expect((await response.json()).errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');

  const own = await linesOf('checkout-7f3a', 4);
  expect(own.map((line) => [line.level, line.msg, line.source ?? line.path, line.operation ?? null, line.status])).toEqual([
    ['warn', 'upstream attempt failed', 'catalog', 'listProducts', 503],
    ['warn', 'upstream attempt failed', 'catalog', 'listProducts', 503],
    ['warn', 'upstream attempt failed', 'catalog', 'listProducts', 503],
    ['info', 'request', '/graphql', null, 200],
  ]);
  expect(own.every((line) => typeof line.time === 'string' && !Number.isNaN(Date.parse(String(line.time))))).toBe(true);
  const everything = demo.output();
  for (const secret of [token, DEMO_TOKEN_SECRET, DEMO_CREDENTIALS.catalogApiKey, DEMO_CREDENTIALS.inventoryPassword, DEMO_CREDENTIALS.paymentsClientSecret, DEMO_CREDENTIALS.reviewsToken]) {
    expect(everything).not.toContain(secret);
  }
});

it('writes a refused webhook delivery with its request id', async () => {
  const response = await fetch(`${new URL(demo.gatewayUrl).origin}/webhooks/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'switchboard-signature': 't=1,v1=00', 'x-request-id': 'hook-51c2' },
    body: '{"id":"evt_1"}',
  });
  expect(response.status).toBe(401);
  expect((await linesOf('hook-51c2', 2)).map((line) => [line.level, line.source ?? line.path, line.status, line.msg])).toEqual([
    ['warn', 'payments', 401, expect.stringMatching(/^webhook POST \/webhooks\/payments refused with 401: The delivery is refused: /)],
    ['info', '/webhooks/payments', 401, 'request'],
  ]);
});

it('gives a request without an id a new one, and refuses to echo one that is not sane', async () => {
  const plain = await fetch(demo.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
  const id = plain.headers.get('x-request-id')!;
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect((await linesOf(id, 1)).map((line) => line.msg)).toEqual(['request']);
  const odd = await fetch(demo.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': '<script>alert(1)</script>' }, body: '{"query":"{ __typename }"}' });
  expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

it('logs an unexpected error once, with the request id its client got, and tells the client nothing of it', async () => {
  // A resolver's bug, as the execution's result carries it.
  const broken: Plugin = {
    onExecute({ args, setExecuteFn }) {
      if (args.operationName !== 'Broken') return;
      setExecuteFn(async () => ({ data: null, errors: [new GraphQLError('Cannot read properties of undefined', { path: ['products'], originalError: new TypeError('Cannot read properties of undefined (reading \'db-host-10.0.0.3\')') })] }));
    },
  };
  const switchboard = await startTestSwitchboard({}, { plugins: [broken] });
  const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
  try {
    const response = await fetch(switchboard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${switchboard.staffToken}`, 'x-request-id': 'broken-9d1e' },
      body: JSON.stringify({ query: 'query Broken { products(first: 1) { id } }', operationName: 'Broken' }),
    });
    expect(await response.json()).toEqual({ data: null, errors: [{ message: 'Unexpected error.', path: ['products'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(response.headers.get('x-request-id')).toBe('broken-9d1e');
    expect(error.mock.calls.map(([fields, message]) => [(fields as { requestId?: string }).requestId, ((fields as { err: Error }).err).message, message])).toEqual([
      ['broken-9d1e', 'Cannot read properties of undefined (reading \'db-host-10.0.0.3\')', 'unexpected error'],
    ]);
  } finally {
    error.mockRestore();
    await switchboard.close();
  }
});
