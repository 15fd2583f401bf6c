// The upstream policy as clients live it, against the real demo upstreams: the request budget that
// keeps a burst under catalog's quota, the OAuth token fetched once for 50 requests, the circuit
// breaker, Retry-After, reads shared in flight across client requests, and which client headers
// reach which upstream. Call counts come from the upstreams' own logs.
import { describe, expect, it } from 'vitest';
import { callCounts, switchboardForFile } from './helpers/switchboard.js';
import { paymentOfOrder, productById, ratingOf, world } from './helpers/expected.js';

const switchboard = switchboardForFile({
  REVIEWS_RETRIES: '1',
  REVIEWS_RETRY_BASE_MS: '10',
  REVIEWS_BREAKER_FAILURES: '4',
  REVIEWS_BREAKER_COOLDOWN_MS: '500',
  REVIEWS_FORWARD_HEADERS: 'accept-language',
});

describe('the request budget', () => {
  it('shapes a burst of 200 concurrent client queries under catalog\'s quota: every query answered, no 429', async () => {
    const pages = Array.from({ length: 200 }, (_, i) => world.products[i]!.id);
    const answers = await Promise.all(pages.map((after) =>
      switchboard.query('query($after: String) { products(first: 2, after: $after) { id } }', { after })));
    answers.forEach(({ status, body }, i) => {
      expect(status).toBe(200);
      expect(body).toEqual({ data: { products: world.products.slice(i + 1, i + 3).map(({ id }) => ({ id })) } });
    });
    const { catalog } = await switchboard.requests();
    expect(catalog).toHaveLength(200);
    expect(catalog.filter((call) => call.status !== 200)).toEqual([]);
  });
});

describe('OAuth2 client credentials', () => {
  it('fetches one new token for 50 concurrent requests that all meet an expired one', async () => {
    await switchboard.query('{ order(id: "ord-00001") { payment { id } } }');
    const token = await fetch(`${switchboard.world.payments.url}/_admin/faults`, { method: 'POST', body: '{"kind":"expire-tokens"}' });
    expect(token.status).toBe(201);
    await switchboard.resetLogs();
    const ids = world.orders.slice(0, 50).map((order) => order.id);
    const answers = await Promise.all(ids.map((id) => switchboard.query('query($id: ID!) { order(id: $id) { payment { id } } }', { id })));
    answers.forEach(({ body }, i) => expect(body).toEqual({ data: { order: { payment: { id: paymentOfOrder.get(ids[i]!)!.id } } } }));
    const { payments } = await switchboard.requests();
    expect(payments.filter((call) => call.operation === 'issueToken')).toHaveLength(1);
    // The requests that met the expired token (401) went again with the new one; the later ones had it already.
    const statuses = payments.filter((call) => call.operation === 'listPayments').map((call) => call.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(50);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 401)).toBe(true);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(1);
  });
});

describe('Retry-After', () => {
  it('retries a read after a 429, as late as the provider asks, and answers', async () => {
    await switchboard.inject('reviews', { kind: 'rate-limit', retryAfterSeconds: 1, count: 1 });
    const started = Date.now();
    const { body } = await switchboard.query('{ product(id: "prod-0001") { rating } }');
    expect(body).toEqual({ data: { product: { rating: ratingOf('prod-0001') } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const { reviews } = await switchboard.requests();
    expect(reviews.map((call) => [call.status, call.fault ?? null])).toEqual([[429, 'rate-limit'], [200, null]]);
  });
});

describe('in-flight sharing', () => {
  it('makes one call per source for 20 identical reads from 20 concurrent clients', async () => {
    await switchboard.inject('catalog', { kind: 'latency', ms: 200 });
    await switchboard.inject('reviews', { kind: 'latency', ms: 200 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => switchboard.query('{ product(id: "prod-0002") { name rating } }')));
    for (const { body } of answers) {
      expect(body).toEqual({ data: { product: { name: productById.get('prod-0002')!.name, rating: ratingOf('prod-0002') } } });
    }
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 1, payments: 0, inventory: 0, reviews: 1 });
  });

  it('shares a read only between clients whose forwarded headers are the same', async () => {
    await switchboard.inject('reviews', { kind: 'latency', ms: 200 });
    const languages = ['nl-NL', 'de-DE', 'nl-NL', 'de-DE', 'fr-FR'];
    const answers = await Promise.all(languages.map((language) => switchboard.query('{ product(id: "prod-0004") { rating } }', undefined, { 'accept-language': language })));
    for (const { body } of answers) expect(body).toEqual({ data: { product: { rating: ratingOf('prod-0004') } } });
    // reviews allows accept-language: one call per language, each with its own.
    const { reviews } = await switchboard.requests();
    expect(reviews.map((call) => call.headers['accept-language']).sort()).toEqual(['de-DE', 'fr-FR', 'nl-NL']);
  });
});

describe('the circuit breaker', () => {
  const QUERY = '{ product(id: "prod-0003") { name rating } }';
  const name = productById.get('prod-0003')!.name;

  it('opens after 4 failed attempts, fails fast without calling, and closes after a successful probe', async () => {
    await switchboard.inject('reviews', { kind: 'error', status: 500 });
    for (let i = 0; i < 2; i++) {
      const { body } = await switchboard.query(QUERY);
      expect(body.errors).toEqual([{ message: 'reviews answered HTTP 500.', path: ['product', 'rating'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'reviews', upstreamStatus: 500 } }]);
    }
    expect(callCounts(await switchboard.requests()).reviews).toBe(4);
    expect(switchboard.gateway.upstreams.policies.reviews!.breaker.state).toBe('open');

    const open = await switchboard.query(QUERY);
    expect(open.body.data).toEqual({ product: { name, rating: null } });
    expect(open.body.errors).toEqual([{
      message: 'reviews is failing; Switchboard stopped calling it for now.',
      path: ['product', 'rating'],
      extensions: { code: 'CIRCUIT_OPEN', source: 'reviews', retryAfter: 1 },
    }]);
    expect(callCounts(await switchboard.requests()).reviews).toBe(4);

    // Recovered, but the breaker waits out its cooldown before it lets a probe through.
    await switchboard.clearFaults();
    expect((await switchboard.query(QUERY)).body.errors?.[0]?.extensions?.code).toBe('CIRCUIT_OPEN');
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect((await switchboard.query(QUERY)).body).toEqual({ data: { product: { name, rating: ratingOf('prod-0003') } } });
    expect(switchboard.gateway.upstreams.policies.reviews!.breaker.state).toBe('closed');
    expect(callCounts(await switchboard.requests()).reviews).toBe(5);
  });

  it('opens again at once when the probe fails', async () => {
    await switchboard.inject('reviews', { kind: 'error', status: 503 });
    for (let i = 0; i < 2; i++) await switchboard.query(QUERY);
    expect(switchboard.gateway.upstreams.policies.reviews!.breaker.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect(switchboard.gateway.upstreams.policies.reviews!.breaker.state).toBe('half-open');
    const probe = await switchboard.query(QUERY);
    expect(probe.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'reviews', upstreamStatus: 503 });
    expect(switchboard.gateway.upstreams.policies.reviews!.breaker.state).toBe('open');
    expect(callCounts(await switchboard.requests()).reviews).toBe(5);
    await switchboard.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect((await switchboard.query(QUERY)).body.errors).toBeUndefined();
  });
});

describe('client headers', () => {
  it('reach an upstream only through its allowlist; a client\'s Authorization never does, nor its traceparent without tracing', async () => {
    const clientToken = await switchboard.tokenFor(world.orders.find((order) => order.id === 'ord-00001')!.customerId);
    const { body } = await switchboard.query(
      '{ product(id: "prod-0001") { stock { total } rating } order(id: "ord-00001") { payment { id } } }',
      undefined,
      { authorization: `Bearer ${clientToken}`, 'accept-language': 'nl-NL', 'x-tenant': 'acme', traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` },
    );
    expect(body.errors).toBeUndefined();
    const requests = await switchboard.requests();
    const headersOf = (source: keyof typeof requests) => requests[source].filter((call) => call.operation !== 'issueToken').map((call) => call.headers);
    // reviews allows accept-language; its bearer token is Switchboard's own.
    expect(headersOf('reviews')).toEqual([expect.objectContaining({ authorization: 'Bearer demo-reviews-token', 'accept-language': 'nl-NL' })]);
    expect(headersOf('reviews')[0]!.traceparent).toBeUndefined();
    for (const source of ['catalog', 'payments', 'inventory'] as const) {
      for (const headers of headersOf(source)) {
        expect(headers['accept-language']).toBeUndefined();
        expect(headers['x-tenant']).toBeUndefined();
        expect(headers.traceparent).toBeUndefined();
        expect(headers.authorization ?? '').not.toContain(clientToken);
      }
    }
    expect(headersOf('catalog')[0]!['x-api-key']).toBe('demo-catalog-key');
    expect(headersOf('payments')[0]!.authorization).toMatch(/^Bearer \S+$/);
    expect(JSON.stringify(requests)).not.toContain(clientToken);
    expect(paymentOfOrder.get('ord-00001')).toBeDefined();
  });
});
