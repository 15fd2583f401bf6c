// NODE_ENV=production: an upstream answering garbage gives a typed error with no stack, no internal
// message, no upstream URL and none of the upstream's body (Mesh's OpenAPI handler would put both in).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
let garbage: Server;

beforeAll(async () => {
  // A catalog that answers 200 with a body that is not JSON: the OpenAPI handler fails unexpectedly.
  garbage = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "prod-0001", oops');
  });
  await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
  process.env.NODE_ENV = 'production';
  switchboard = await startTestSwitchboard({ CATALOG_URL: `http://127.0.0.1:${(garbage.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await switchboard?.close();
  garbage?.closeAllConnections();
  garbage?.close();
});

it('answers an unreadable upstream body with UPSTREAM_BAD_RESPONSE and nothing internal', async () => {
  const { status, body } = await switchboard.query('{ product(id: "prod-0001") { id name } }');
  expect(status).toBe(200);
  expect(body).toEqual({
    data: { product: null },
    errors: [{
      message: 'catalog answered with a response Switchboard could not read.',
      path: ['product'],
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'catalog' },
    }],
  });
  expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.(js|ts):\d+|127\.0\.0\.1|oops|Unexpected token/);
});
