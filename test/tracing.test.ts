// OpenTelemetry traces as a collector receives them (an in-process OTLP/HTTP receiver): the span
// tree of a stitched query under the client's traceparent, each upstream attempt's span matched to
// the traceparent the demo upstream logged, retries and failures, an unsampled client, a payment's
// webhook and the subscription event it causes linked to the order that took it, and the spans still
// queued sent when the bundle gets SIGTERM. (Without an endpoint no trace header goes upstream:
// test/upstream-policy.test.ts, client headers.)
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './helpers/otlp-receiver.js';
import { startDemoBundle } from './helpers/demo-bundle.js';
import { subscribe } from './helpers/subscribers.js';
import { startTestSwitchboard, type LoggedRequest, type TestSwitchboard } from './helpers/switchboard.js';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const ERROR = 2;
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let traces = 0;
/** A new trace id and the client's own span id, as a traced front end would send them. */
const clientTrace = (sampled = true) => {
  const traceId = (++traces).toString(16).padStart(8, '0').repeat(4);
  const parent = 'c1e2f3a4b5c6d7e8';
  return { traceId, parent, traceparent: `00-${traceId}-${parent}-${sampled ? '01' : '00'}` };
};

/** The spans of one trace, with a way to read its tree. */
function treeOf(spans: ReceivedSpan[], traceId: string) {
  const mine = spans.filter((span) => span.traceId === traceId);
  const children = (parent: ReceivedSpan) => mine.filter((span) => span.parentSpanId === parent.spanId).sort((a, b) => a.name.localeCompare(b.name));
  const one = (name: string) => {
    const found = mine.filter((span) => span.name === name);
    if (found.length !== 1) throw new Error(`The trace has ${found.length} spans named ${name}: ${mine.map((span) => span.name).join(', ')}`);
    return found[0]!;
  };
  return { spans: mine, children, one, names: (parent: ReceivedSpan) => children(parent).map((span) => span.name) };
}

const PAGE = 'query Page { products(first: 2) { id name stock { total } reviews { rating author { name } } } }';

describe('traces of a gateway sending them over OTLP', () => {
  let receiver: OtlpReceiver;
  let switchboard: TestSwitchboard;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    switchboard = await startTestSwitchboard({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=collector-key-1',
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_SERVICE_NAME: 'switchboard-tests',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    });
  });
  afterAll(async () => {
    await switchboard?.close();
    await receiver?.close();
  });

  const post = (query: string, traceparent: string | undefined, variables: Record<string, unknown> = {}) => fetch(switchboard.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${switchboard.staffToken}`, ...(traceparent ? { traceparent } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  /** The spans of a trace once its request span has arrived (it ends last). */
  const settledTrace = async (traceId: string) => treeOf(await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId && span.kind === SERVER)), traceId);
  const upstreamCalls = async () => Object.entries(await switchboard.requests()).flatMap(([source, calls]) => calls.map((call: LoggedRequest) => ({ source, ...call })));

  it('follows a stitched query from the client through each batch to each upstream attempt, and tells each upstream its span', async () => {
    await switchboard.resetLogs();
    const { traceId, parent, traceparent } = clientTrace();
    const response = await post(PAGE, traceparent);
    expect(response.status).toBe(200);
    expect((await response.json() as { errors?: unknown }).errors).toBeUndefined();
    const trace = await settledTrace(traceId);

    const request = trace.one('POST /graphql');
    expect([request.parentSpanId, request.kind, request.status.code]).toEqual([parent, SERVER, 0]);
    expect(request.attributes).toEqual({
      'http.request.method': 'POST', 'url.path': '/graphql', 'http.route': '/graphql', 'http.response.status_code': 200,
      'switchboard.request_id': response.headers.get('x-request-id'),
    });
    expect(trace.names(request)).toEqual(['graphql.parse', 'graphql.validate', 'query Page']);
    const execution = trace.one('query Page');
    expect(execution.attributes).toEqual({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'Page' });
    // The root field's call, then one batch per stitched level and source, each with its one attempt.
    expect(trace.names(execution)).toEqual(['catalog listProducts', 'stitch catalog.listCustomers', 'stitch inventory.getStockLevels', 'stitch reviews.productReviews']);
    const batches = trace.children(execution).filter((span) => span.name.startsWith('stitch '));
    expect(batches.map((batch) => trace.names(batch))).toEqual([['catalog listCustomers'], ['inventory GetStockLevels'], ['reviews productReviews']]);

    // Every upstream call is one attempt span, and the upstream saw that span as its parent.
    const calls = await upstreamCalls();
    const attempts = trace.spans.filter((span) => span.kind === CLIENT);
    expect(calls.map((call) => `${call.source} ${call.operation}`).sort()).toEqual(attempts.map((span) => span.name).sort());
    for (const call of calls) {
      const attempt = trace.one(`${call.source} ${call.operation}`);
      expect(call.headers.traceparent).toBe(`00-${traceId}-${attempt.spanId}-01`);
      expect(attempt.attributes).toMatchObject({ 'switchboard.source': call.source, 'switchboard.operation': call.operation, 'http.response.status_code': 200, 'server.address': '127.0.0.1' });
      expect(attempt.attributes).not.toHaveProperty('http.request.resend_count');
      const batch = batches.find((one) => one.spanId === attempt.parentSpanId);
      // A batch asks for every key of its level at once: its size is what the upstream was asked.
      if (batch) expect(batch.attributes['switchboard.batch.size']).toBe(call.keys.length);
    }
    expect(batches.find((batch) => batch.name === 'stitch inventory.getStockLevels')!.attributes['switchboard.batch.size']).toBe(2);

    expect(request.resource).toEqual({ 'service.name': 'switchboard-tests', 'service.version': VERSION, 'deployment.environment.name': 'test' });
    expect(receiver.exports.at(-1)!['x-collector-key']).toBe('collector-key-1');
    // Nothing of the exchange's secrets: no query string, no header value, on any span.
    expect(JSON.stringify(trace.spans.map(({ startNs, endNs, ...span }) => span))).not.toMatch(/demo-catalog-key|Bearer|api-key/i);
  });

  it('makes a retried attempt a span of its own, and marks what failed with its code', async () => {
    await switchboard.resetLogs();
    await switchboard.inject('catalog', { kind: 'rate-limit', retryAfterSeconds: 1, count: 1, operations: ['listProducts'] });
    await switchboard.inject('inventory', { kind: 'soap-fault', count: 1 });
    const { traceId, traceparent } = clientTrace();
    const response = await post('query Stock { products(first: 2) { id stock { total } } }', traceparent);
    const answer = await response.json() as { errors?: { extensions: { code: string } }[] };
    expect(answer.errors?.map((error) => error.extensions.code)).toEqual(['SOAP_FAULT', 'SOAP_FAULT']);
    const trace = await settledTrace(traceId);

    const listings = trace.spans.filter((span) => span.name === 'catalog listProducts').sort((a, b) => Number(a.startNs - b.startNs));
    expect(listings.map((span) => [span.attributes['http.response.status_code'], span.attributes['http.request.resend_count'], span.attributes['error.type'], span.status.code]))
      .toEqual([[429, undefined, '429', ERROR], [200, 1, undefined, 0]]);
    const calls = (await upstreamCalls()).filter((call) => call.operation === 'listProducts');
    expect(calls.map((call) => call.headers.traceparent)).toEqual(listings.map((span) => `00-${traceId}-${span.spanId}-01`));

    const stock = trace.one('stitch inventory.getStockLevels');
    expect([stock.attributes['error.type'], stock.status.code]).toEqual(['SOAP_FAULT', ERROR]);
    expect(trace.one('inventory GetStockLevels').attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
    const execution = trace.one('query Stock');
    expect([execution.attributes['graphql.error.codes'], execution.attributes['error.type'], execution.status.code]).toEqual([['SOAP_FAULT'], 'SOAP_FAULT', ERROR]);
    await switchboard.clearFaults();
  });

  it('records nothing of a trace its client did not sample, and still tells the upstreams its id, unsampled', async () => {
    await switchboard.resetLogs();
    const { traceId, traceparent } = clientTrace(false);
    expect((await post(PAGE, traceparent)).status).toBe(200);
    // A sampled request after it: once its spans are in, the unsampled one's would have been too.
    const after = clientTrace();
    await post('{ products(first: 1) { id } }', after.traceparent);
    await settledTrace(after.traceId);
    expect(receiver.spans.filter((span) => span.traceId === traceId)).toEqual([]);
    const sent = (await upstreamCalls()).map((call) => call.headers.traceparent).filter((header) => header?.includes(traceId));
    expect(sent).toHaveLength(4);
    for (const header of sent) expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  });

  it('starts a trace of its own for a client without a traceparent or with a malformed one', async () => {
    for (const traceparent of [undefined, '00-not-a-trace-01', `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`]) {
      const before = receiver.spans.length;
      const response = await post('query Mine { products(first: 1) { id } }', traceparent);
      const requestId = response.headers.get('x-request-id');
      const spans = await receiver.waitFor((all) => all.slice(before).some((span) => span.attributes['switchboard.request_id'] === requestId));
      const request = spans.find((span) => span.attributes['switchboard.request_id'] === requestId)!;
      expect(request.parentSpanId).toBeUndefined();
      expect(request.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(request.traceId).not.toBe('0'.repeat(32));
    }
  });

  it('links the webhook a payment causes, and the event each subscriber receives, to the order that took the payment', async () => {
    const subscriber = subscribe('yoga-sse', switchboard.url, 'subscription Payments { paymentEvents { id type } }', {}, switchboard.staffToken);
    while (switchboard.gateway.events.listenerCount('payments') === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const { traceId, traceparent } = clientTrace();
    const placed = await post(`mutation Place($key: String!, $lines: [OrderLineInput!]!) { placeOrder(idempotencyKey: $key, customerId: "cust-0007", lines: $lines) { id payment { status } } }`,
      traceparent, { key: `trace-${Date.now()}`, lines: [{ productId: 'prod-0001', quantity: 1 }] });
    const order = await placed.json() as { data: { placeOrder: { payment: { status: string } } } };
    expect(order.data.placeOrder.payment.status).toBe('SUCCEEDED');
    const event = await subscriber.next(10_000);
    subscriber.close();
    const eventId = event.data!.paymentEvents.id as string;
    expect(event.data!.paymentEvents.type).toBe('PAYMENT_SUCCEEDED');

    // The subscription's span ends with its stream (the subscriber left).
    const spans = await receiver.waitFor((all) => all.some((span) => span.name === 'subscription Payments')
      && all.some((span) => span.name === 'event payments' && span.attributes['switchboard.event.id'] === eventId)
      && all.some((span) => span.traceId === traceId && span.name === 'POST /webhooks/payments'));
    const trace = treeOf(spans, traceId);
    const charge = trace.one('payments createPayment');
    expect(trace.one('mutation Place').spanId).toBe(charge.parentSpanId);
    // The provider sent the charge's traceparent with its webhook: the delivery continues the order's trace.
    const delivery = trace.one('POST /webhooks/payments');
    expect([delivery.parentSpanId, delivery.kind, delivery.attributes['http.response.status_code']]).toEqual([charge.spanId, SERVER, 200]);
    // The subscriber's event: under its subscription, linked to the delivery.
    const received = spans.find((span) => span.name === 'event payments' && span.attributes['switchboard.event.id'] === eventId)!;
    expect([received.kind, received.links, received.attributes['switchboard.event.type']]).toEqual([CONSUMER, [{ traceId, spanId: delivery.spanId }], 'payment.succeeded']);
    const subscription = spans.find((span) => span.spanId === received.parentSpanId);
    expect(subscription?.name).toBe('subscription Payments');
    expect(subscription?.traceId).not.toBe(traceId);
  });
});

describe('the bundle on SIGTERM', () => {
  it('sends the spans still queued before it exits', async () => {
    const receiver = await startOtlpReceiver();
    // A delay no test waits for: only the shutdown can send them.
    const demo = await startDemoBundle({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_BSP_SCHEDULE_DELAY: '600000' });
    try {
      const { traceId, traceparent } = clientTrace();
      const response = await fetch(demo.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent },
        body: JSON.stringify({ query: 'query One { product(id: "prod-0001") { name stock { total } } }' }),
      });
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.spans).toEqual([]);
      demo.kill('SIGTERM');
      expect(await demo.exited).toBe(0);
      expect(treeOf(receiver.spans, traceId).spans.map((span) => span.name).sort()).toEqual([
        'POST /graphql', 'catalog listProducts', 'graphql.parse', 'graphql.validate', 'inventory GetStockLevels', 'query One', 'stitch catalog.listProducts', 'stitch inventory.getStockLevels',
      ]);
    } finally {
      await demo.stop();
      await receiver.close();
    }
  }, 60_000);
});
