// Prometheus metrics as a scraper reads them: `GET /metrics` after a scripted load with faults, checked
// by Prometheus' own promtool and its counters asserted by source, operation and code; label values
// bounded however many operation names clients invent; and who may scrape.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, signWebhook } from '../demo/world/index.js';
import { world } from './helpers/expected.js';
import { scrapeMetrics } from './helpers/prometheus.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

describe('metrics after a scripted load with faults', () => {
  let switchboard: TestSwitchboard;
  beforeAll(async () => {
    switchboard = await startTestSwitchboard();
  });
  afterAll(() => switchboard?.close());

  const deliver = (body: string, signature = signWebhook(DEMO_CREDENTIALS.paymentsWebhookSecret, body), source = 'payments') =>
    fetch(`${switchboard.origin}/webhooks/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', 'switchboard-signature': signature }, body });

  it('counts operations, errors, upstream attempts and retries, webhooks, breakers and admission', async () => {
    await switchboard.inject('catalog', { kind: 'rate-limit', retryAfterSeconds: 1, count: 1, operations: ['listProducts'] });
    await switchboard.inject('inventory', { kind: 'soap-fault', count: 1 });
    const page = 'query FrontPage { products(first: 2) { id name stock { total } } }';
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await switchboard.query(page));
    expect(answers.map((answer) => [answer.status, answer.body.errors?.map((error) => error.extensions?.code) ?? []])).toEqual([[200, ['SOAP_FAULT', 'SOAP_FAULT']], [200, []], [200, []]]);
    expect((await switchboard.query('{ nope }')).status).toBe(400);

    const payment = world.payments[0]!;
    const event = JSON.stringify({ id: 'evt_metrics_1', type: 'payment.succeeded', occurredAt: '2026-12-07T10:00:00Z', data: { payment } });
    expect((await deliver(event)).status).toBe(200);
    expect((await deliver(event)).status).toBe(200);
    expect((await deliver(event, 't=1,v1=00')).status).toBe(401);
    expect((await deliver(event, undefined, 'nowhere')).status).toBe(404);

    const metrics = await scrapeMetrics(`${switchboard.origin}/metrics`);
    // promtool's only findings are three of prom-client's own process gauges, which it names like counters.
    expect(metrics.problems.split('\n')).toEqual([
      'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_resources_total non-counter metrics should not have "_total" suffix (exit 3)',
    ]);
    const operation = { operation_name: 'FrontPage', operation_type: 'query', transport: 'http', status: '200' };
    expect(metrics.value('switchboard_graphql_request_duration_seconds_count', operation)).toBe(3);
    expect(metrics.value('switchboard_graphql_request_duration_seconds_count', { operation_name: 'none', operation_type: 'unknown', transport: 'http', status: '400' })).toBe(1);
    expect(metrics.value('switchboard_graphql_errors_total', { code: 'SOAP_FAULT' })).toBe(2);
    expect(metrics.value('switchboard_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);

    const attempts = (source: string, operation: string, statusClass: string) =>
      metrics.value('switchboard_upstream_request_duration_seconds_count', { source, operation, status_class: statusClass, error_code: '' });
    expect([attempts('catalog', 'listProducts', '4xx'), attempts('catalog', 'listProducts', '2xx')]).toEqual([1, 3]);
    expect([attempts('inventory', 'GetStockLevels', '5xx'), attempts('inventory', 'GetStockLevels', '2xx')]).toEqual([1, 2]);
    expect(metrics.value('switchboard_upstream_retries_total', { source: 'catalog' })).toBe(1);
    expect(metrics.value('switchboard_upstream_retries_total', { source: 'inventory' })).toBeUndefined();
    expect(metrics.value('switchboard_upstream_circuit_breaker_state', { source: 'inventory', state: 'closed' })).toBe(1);
    expect(metrics.value('switchboard_upstream_circuit_breaker_state', { source: 'inventory', state: 'open' })).toBe(0);

    expect(metrics.value('switchboard_webhooks_received_total', { source: 'payments', outcome: 'accepted', reason: '' })).toBe(1);
    expect(metrics.value('switchboard_webhooks_received_total', { source: 'payments', outcome: 'duplicate', reason: '' })).toBe(1);
    expect(metrics.value('switchboard_webhooks_received_total', { source: 'payments', outcome: 'refused', reason: 'invalid_signature' })).toBe(1);
    expect(metrics.value('switchboard_webhooks_received_total', { source: 'unknown', outcome: 'refused', reason: 'not_found' })).toBe(1);

    // Adapted to the load between 16 and MAX_CONCURRENT_REQUESTS (use-concurrency-limit.ts).
    expect(metrics.value('switchboard_admission_limit')).toSatisfy((limit: number) => limit >= 16 && limit <= 64);
    expect(metrics.value('switchboard_admission_requests', { state: 'running' })).toBe(0);
    expect(metrics.types.get('process_resident_memory_bytes')).toBe('gauge');
  });

  it('counts open subscriptions by transport, until they end', async () => {
    const controller = new AbortController();
    const response = await fetch(switchboard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${switchboard.staffToken}` },
      body: JSON.stringify({ query: 'subscription { stockChanged { sku } }' }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect((await scrapeMetrics(`${switchboard.origin}/metrics`)).value('switchboard_subscriptions_open', { transport: 'sse' })).toBe(1);
    controller.abort();
    let open = 1;
    for (let tries = 0; open !== 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      open = (await scrapeMetrics(`${switchboard.origin}/metrics`)).value('switchboard_subscriptions_open', { transport: 'sse' })!;
    }
    expect(open).toBe(0);
  });

  it('has every metric the Grafana dashboard charts (ops/grafana/switchboard.json)', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../ops/grafana/switchboard.json', import.meta.url), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const charted = new Set(dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/\b(switchboard|process|nodejs)_\w+/g) ?? [])));
    const scraped = await scrapeMetrics(`${switchboard.origin}/metrics`);
    const missing = [...charted].filter((name) => !scraped.types.has(name.replace(/_(bucket|count|sum)$/, '')));
    expect([charted.size > 15, missing]).toEqual([true, []]);
  });

  it('keeps at most 200 client operation names, counting the rest as other', async () => {
    for (let i = 0; i < 250; i++) expect((await switchboard.query(`query Invented${i} { __typename }`)).status).toBe(200);
    const names = new Set((await scrapeMetrics(`${switchboard.origin}/metrics`)).samples
      .filter((one) => one.name === 'switchboard_graphql_request_duration_seconds_count').map((one) => one.labels.operation_name));
    expect(names.size).toBe(200 + 1);
    expect(names.has('other')).toBe(true);
  });
});

describe('who may scrape', () => {
  it('serves a port of its own, with a token, and nothing else there', async () => {
    const switchboard = await startTestSwitchboard({ METRICS_PORT: '0', METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      expect(switchboard.metricsUrl).not.toBe(`${switchboard.origin}/metrics`);
      expect((await fetch(`${switchboard.origin}/metrics`)).status).toBe(404);
      const refused = await fetch(switchboard.metricsUrl);
      expect([refused.status, refused.headers.get('www-authenticate'), await refused.text()]).toEqual([401, 'Bearer realm="metrics"', 'A scrape must carry Authorization: Bearer <METRICS_TOKEN>.\n']);
      expect((await fetch(switchboard.metricsUrl, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await scrapeMetrics(switchboard.metricsUrl, { authorization: 'Bearer scrape-token-0123456789' })).types.get('switchboard_admission_limit')).toBe('gauge');
      expect((await fetch(switchboard.metricsUrl.replace('/metrics', '/graphql'))).status).toBe(404);
    } finally {
      await switchboard.close();
    }
  });

  it('in production, serves the gateway port only with a token', async () => {
    const switchboard = await startTestSwitchboard({ NODE_ENV: 'production', METRICS_PORT: '', METRICS_TOKEN: '' });
    try {
      const response = await fetch(`${switchboard.origin}/metrics`);
      expect([response.status, await response.text()]).toEqual([404, 'Metrics are served on this port only with METRICS_TOKEN set (or on METRICS_PORT).\n']);
    } finally {
      await switchboard.close();
      process.env.NODE_ENV = 'test';
    }
  });
});
