// Client rate limits with @envelop/rate-limiter, as a client meets them: per token subject (or per
// address without a token), on the expensive fields only; a refused operation is HTTP 429 with
// RATE_LIMITED, Retry-After in seconds, and no upstream call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../gateway/config/config.js';
import { createGateway } from '../gateway/server/server.js';
import { graph } from '#graph';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard({ RATE_LIMITS: 'Query.products=3/2s,Mutation.placeOrder=2/10s' });
});
afterAll(() => switchboard?.close());
beforeEach(() => switchboard.resetLogs());

const PRODUCTS = '{ products(first: 2) { id } }';
const as = async (subject: string, query: string, variables?: Record<string, unknown>) =>
  switchboard.query(query, variables, { authorization: `Bearer ${await switchboard.tokenFor(subject)}` });

describe('per client, on the expensive fields', () => {
  it('refuses the fourth product list in the window with 429, RATE_LIMITED and Retry-After in seconds, then lets it through again', async () => {
    for (let i = 0; i < 3; i++) expect((await as('cust-0011', PRODUCTS)).status).toBe(200);
    await switchboard.resetLogs();
    const response = await switchboard.gateway.yoga.fetch('http://switchboard/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await switchboard.tokenFor('cust-0011')}` },
      body: JSON.stringify({ query: PRODUCTS }),
    });
    const retryAfter = response.headers.get('retry-after');
    expect(response.status).toBe(429);
    expect(retryAfter).toMatch(/^[12]$/);
    expect(await response.json()).toEqual({
      errors: [{
        message: 'Too many requests for products: at most 3 in 2 s per client. Try again after Retry-After seconds.',
        extensions: { code: 'RATE_LIMITED', field: 'Query.products', retryAfter },
      }],
    });
    expect(callCounts(await switchboard.requests()).catalog).toBe(0);
    // Another client is not affected, nor are fields without a limit.
    expect((await as('cust-0012', PRODUCTS)).status).toBe(200);
    expect((await as('cust-0011', '{ product(id: "prod-0001") { id } }')).body).toEqual({ data: { product: { id: 'prod-0001' } } });
    await new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000));
    expect((await as('cust-0011', PRODUCTS)).status).toBe(200);
  });

  it('counts a client without a token by its address', async () => {
    const anonymous = () => fetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PRODUCTS }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await anonymous()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('counts a limited field however the document asks it: aliased, in a fragment, beside fields without a limit', async () => {
    const statuses = [];
    for (const query of [
      '{ list: products(first: 1) { id } }',
      'query { ...Page } fragment Page on Query { products(first: 1) { id } }',
      '{ product(id: "prod-0001") { id } again: products(first: 1) { id } }',
      '{ ... on Query { products(first: 1) { id } } }',
    ]) statuses.push((await as('cust-0014', query)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // A document without one is not counted, before or after.
    expect((await as('cust-0014', '{ product(id: "prod-0001") { id } }')).body).toEqual({ data: { product: { id: 'prod-0001' } } });
  });

  it('refuses the third order in the window before anything is reserved or charged', async () => {
    const place = (key: string) => as('cust-0013', `mutation($key: String!) {
      placeOrder(idempotencyKey: $key, customerId: "cust-0013", lines: [{ productId: "prod-0009", quantity: 1 }]) { id }
    }`, { key });
    expect((await place('rl-1')).status).toBe(200);
    expect((await place('rl-2')).status).toBe(200);
    await switchboard.resetLogs();
    const third = await place('rl-3');
    expect([third.status, third.body.errors?.[0]?.extensions?.code]).toEqual([429, 'RATE_LIMITED']);
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });
});

describe('RATE_LIMITS', () => {
  it('stops the start naming an entry it cannot read, or a field the schema does not have', async () => {
    expect(() => loadConfig({ ...process.env, RATE_LIMITS: 'Query.products=many/1m' })).toThrow(
      'RATE_LIMITS must be entries like Query.products=120/60s (the window in ms, s or m) separated by commas, or none, but got: "Query.products=many/1m".',
    );
    await expect(createGateway(loadConfig({ ...process.env, RATE_LIMITS: 'Query.prodcts=10/1m' }), { graph }))
      .rejects.toThrow('RATE_LIMITS names Query.prodcts, which is not a field of the schema.');
    expect(loadConfig({ ...process.env, RATE_LIMITS: '' }).rateLimits).toEqual([
      { type: 'Query', field: 'products', max: 120, windowMs: 60_000 },
      { type: 'Mutation', field: 'placeOrder', max: 20, windowMs: 60_000 },
    ]);
  });
});
