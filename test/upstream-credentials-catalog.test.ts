// A wrong catalog API key: catalog answers 401, and the fields it serves get UPSTREAM_AUTH_FAILED.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard({ CATALOG_API_KEY: 'wrong-catalog-key' });
});
afterAll(() => switchboard?.close());

it('gives catalog fields UPSTREAM_AUTH_FAILED, with the gateway answering 200', async () => {
  const { status, body } = await switchboard.query('{ product(id: "prod-0001") { id } }');
  expect(status).toBe(200);
  expect(body).toEqual({
    data: { product: null },
    errors: [{
      message: "catalog refused Switchboard's credentials (HTTP 401).",
      path: ['product'],
      extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'catalog', upstreamStatus: 401 },
    }],
  });
  expect(JSON.stringify(body)).not.toMatch(/wrong-catalog-key|127\.0\.0\.1/);
});
