// How operators start, probe and stop Switchboard: liveness and readiness, the request deadline, and a
// graceful shutdown that answers every request in flight, ends subscriptions with their protocols'
// own words, refuses new connections and exits 0 (the bundle, as `npm start` runs it, gets SIGTERM).
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startDemoBundle } from './helpers/demo-bundle.js';
import { startFlakyProxy } from './helpers/flaky-proxy.js';
import { REDIS_URL, removeKeys } from './helpers/redis.js';
import { world } from './helpers/expected.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

const readJson = async (response: Response) => ({ status: response.status, body: await response.json() });

describe('the bundle on SIGTERM', () => {
  it('answers all 50 requests in flight, takes no new connection, and exits 0', async () => {
    const demo = await startDemoBundle({ SHUTDOWN_TIMEOUT_MS: '20000' });
    try {
      // Every catalog answer takes 1.5 s: the requests are all in flight when the signal comes.
      const fault = await fetch(`${demo.demoUrls.catalog}/_admin/faults`, { method: 'POST', body: JSON.stringify({ kind: 'latency', ms: 1500 }) });
      expect(fault.status).toBe(201);
      const products = world.products.slice(0, 50);
      const answers = products.map((product) => fetch(demo.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ product(id: "${product.id}") { id name } }` }),
      }).then(readJson));
      const origin = new URL(demo.gatewayUrl).origin;
      for (let running = 0; running < 50;) {
        running = (await (await fetch(`${origin}/healthz`)).json()).requests.running;
      }
      demo.kill('SIGTERM');
      expect(await Promise.all(answers)).toEqual(products.map((product) => ({ status: 200, body: { data: { product: { id: product.id, name: product.name } } } })));
      expect(await demo.exited).toBe(0);
      const refused = await new Promise<string>((resolve) => {
        createConnection({ host: '127.0.0.1', port: Number(new URL(origin).port) })
          .once('connect', () => resolve('connected'))
          .once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      expect(demo.output()).toContain('Switchboard is shutting down (SIGTERM): no new connections, finishing the requests in flight.');
      expect(demo.output()).toContain('Switchboard stopped: every request in flight was answered.');
    } finally {
      await demo.stop();
    }
  }, 60_000);
});

describe('readiness, the deadline and draining in the gateway', () => {
  let switchboard: TestSwitchboard;
  beforeAll(async () => {
    switchboard = await startTestSwitchboard({ REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => switchboard?.close());

  it('is alive and ready while it serves, with its admission limits', async () => {
    const ready = await readJson(await fetch(`${switchboard.origin}/readyz`));
    expect(ready).toEqual({ status: 200, body: { status: 'ready', checks: { schema: 'ok' }, requests: { running: 0, waiting: 0, limit: 64 } } });
    expect(await readJson(await fetch(`${switchboard.origin}/healthz`))).toEqual({ status: 200, body: { status: 'ok', requests: { running: 0, waiting: 0, limit: 64 } } });
  });

  it('answers 504 REQUEST_TIMEOUT when a query outlasts REQUEST_TIMEOUT_MS, and the next query as usual', async () => {
    await switchboard.inject('catalog', { kind: 'latency', ms: 3000, count: 1 });
    const started = performance.now();
    const late = await switchboard.query('{ product(id: "prod-0001") { name } }');
    expect(performance.now() - started).toBeLessThan(2500);
    expect(late).toEqual({
      status: 504,
      body: { data: null, errors: [{ message: 'Switchboard did not finish this request within 1000 ms (REQUEST_TIMEOUT_MS).', extensions: { code: 'REQUEST_TIMEOUT' } }] },
    });
    expect(await switchboard.query('{ product(id: "prod-0002") { name } }')).toEqual({ status: 200, body: { data: { product: { name: world.products[1]!.name } } } });
  });

  it('drains: not ready, subscriptions completed (SSE) and closed 1001 (graphql-ws), the request in flight answered', async () => {
    const token = switchboard.staffToken;
    // A subscriber over SSE and one over graphql-ws, both live.
    const sse = await fetch(switchboard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { stockChanged { sku } }' }),
    });
    expect(sse.status).toBe(200);
    const sseText = sse.text();
    const socketClosed = new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: switchboard.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        on: { closed: (event) => resolve({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
      });
      client.subscribe({ query: 'subscription { stockChanged { sku } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    while (switchboard.gateway.events.listenerCount('stock') < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    // A query in flight when the shutdown starts: the catalog answers it in 500 ms.
    await switchboard.inject('catalog', { kind: 'latency', ms: 500, count: 1 });
    const inFlight = switchboard.query('{ product(id: "prod-0003") { name } }');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const shutdown = switchboard.shutdown(5000);
    expect(await readJson(await switchboard.gateway.yoga.fetch('http://switchboard/readyz'))).toEqual({
      status: 503,
      body: { status: 'draining', checks: { schema: 'ok' }, requests: { running: 1, waiting: 0, limit: expect.any(Number) } },
    });
    expect(await inFlight).toEqual({ status: 200, body: { data: { product: { name: world.products[2]!.name } } } });
    expect(await sseText).toMatch(/event: complete\n/);
    expect(await socketClosed).toEqual({ code: 1001, reason: 'Going away' });
    expect(await shutdown).toEqual({ finished: true });
    expect(switchboard.inFlight()).toBe(0);
  });
});

describe('readiness with replicas sharing Redis', () => {
  it('is not ready while Redis does not answer, and ready again once it does', async () => {
    const proxy = await startFlakyProxy(REDIS_URL);
    const prefix = `switchboard-readyz-${process.pid}:`;
    const switchboard = await startTestSwitchboard({ REDIS_URL: proxy.url.replace(/^http/, 'redis'), REDIS_KEY_PREFIX: prefix });
    const readiness = async () => {
      const { status, body } = await readJson(await fetch(`${switchboard.origin}/readyz`));
      return { http: status, status: body.status, checks: body.checks };
    };
    try {
      expect(await readiness()).toEqual({ http: 200, status: 'ready', checks: { schema: 'ok', redis: 'ok' } });
      proxy.mode = 'down';
      proxy.cutConnections();
      expect(await readiness()).toEqual({ http: 503, status: 'unavailable', checks: { schema: 'ok', redis: 'unreachable' } });
      // Alive all the same: restarting the process would not bring Redis back.
      expect((await fetch(`${switchboard.origin}/healthz`)).status).toBe(200);
      proxy.mode = 'up';
      let again = await readiness();
      for (let tries = 0; again.http !== 200 && tries < 50; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        again = await readiness();
      }
      expect(again).toEqual({ http: 200, status: 'ready', checks: { schema: 'ok', redis: 'ok' } });
    } finally {
      await switchboard.close();
      await proxy.close();
      await removeKeys(prefix);
    }
  }, 30_000);
});
