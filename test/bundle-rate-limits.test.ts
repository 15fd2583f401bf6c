// The bundle (.mesh/start.mjs, as `npm start` runs it) changes how @envelop/rate-limiter remembers a
// field without a limit (gateway/compose/build-mesh.ts): what it remembers must still read as no limit,
// again and again, while a limited field is counted and refused as the sources run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoBundle, type DemoBundle } from './helpers/demo-bundle.js';

let demo: DemoBundle;
beforeAll(async () => {
  demo = await startDemoBundle({ RATE_LIMITS: 'Query.product=2/60s' });
}, 60_000);
afterAll(() => demo?.stop());

const post = async (query: string) => {
  const response = await fetch(demo.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
};

describe('rate limits in the bundle', () => {
  it('never counts a field without a limit, however often asked, and refuses the third product page in the window, unless it is held', async () => {
    for (let i = 0; i < 6; i++) {
      expect(await post('{ products(first: 1) { id name } }')).toEqual({ status: 200, retryAfter: null, body: { data: { products: [{ id: 'prod-0001', name: 'Dune Espresso Cup' }] } } });
    }
    // Two product pages, then a third: each runs (none was answered before), and the third is refused.
    for (const id of ['prod-0001', 'prod-0002']) expect((await post(`{ product(id: "${id}") { id } }`)).body).toEqual({ data: { product: { id } } });
    const refused = await post('{ product(id: "prod-0003") { id } }');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(59);
    expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'RATE_LIMITED', field: 'Query.product', retryAfter: refused.retryAfter } })]);
    // A document with a limited field and others: refused as a whole; one without it still answers.
    expect((await post('{ products(first: 1) { id } product(id: "prod-0004") { id } }')).status).toBe(429);
    expect((await post('{ products(first: 1) { id } }')).body).toEqual({ data: { products: [{ id: 'prod-0001' }] } });
    // An answer the response cache holds runs no resolver and reaches no provider: it takes nothing of the allowance.
    expect((await post('{ product(id: "prod-0001") { id } }')).body).toEqual({ data: { product: { id: 'prod-0001' } } });
  });
});
