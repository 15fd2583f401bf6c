// The fault matrix: each source × each way an upstream fails, injected into the real demo upstreams
// (POST /_admin/faults). Every cell asserts the whole answer: the failing source's fields are null
// with its typed error, the other sources' fields keep their data, the gateway answers HTTP 200 (an
// upstream's status is never the gateway's), the upstream saw exactly the attempts the policy allows
// (reads are retried once here), and the same query is whole again once the fault is cleared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCounts, startTestSwitchboard, type Source, type TestSwitchboard } from './helpers/switchboard.js';
import { productById, ratingOf, stockOf, world } from './helpers/expected.js';

const TIMEOUT_MS = 300;
let switchboard: TestSwitchboard;
beforeAll(async () => {
  const policy = Object.fromEntries(['CATALOG', 'PAYMENTS', 'INVENTORY', 'REVIEWS'].flatMap((source) => [
    [`${source}_TIMEOUT_MS`, String(TIMEOUT_MS)],
    [`${source}_RETRIES`, '1'],
    [`${source}_RETRY_BASE_MS`, '10'],
    [`${source}_RETRY_MAX_DELAY_MS`, '1000'],
    // The breaker has tests of its own; here every cell must reach the upstream.
    [`${source}_BREAKER_FAILURES`, '1000'],
  ]));
  switchboard = await startTestSwitchboard(policy);
  // Payments' OAuth token is fetched once, before any fault: the cells are about the calls themselves.
  expect((await switchboard.query(QUERY)).body).toEqual({ data: WHOLE });
});
afterAll(() => switchboard?.close());

const QUERY = '{ product(id: "prod-0001") { name stock { total } rating } order(id: "ord-00001") { id payment { amount } } }';
const product = productById.get('prod-0001')!;
const WHOLE = {
  product: { name: product.name, stock: { total: stockOf(product.sku).total }, rating: ratingOf(product.id) },
  order: { id: 'ord-00001', payment: { amount: world.payments.find((p) => p.orderId === 'ord-00001')!.amount } },
};

/** The answer with one source's fields null, and the paths where its error shows. */
function withoutSource(source: Source): { data: unknown; paths: (string | number)[][] } {
  switch (source) {
    case 'catalog':
      // Every other source hangs off catalog's entities: with catalog gone, nothing else is asked.
      return { data: { product: null, order: null }, paths: [['product'], ['order']] };
    case 'inventory':
      return { data: { ...WHOLE, product: { ...WHOLE.product, stock: null } }, paths: [['product', 'stock']] };
    case 'reviews':
      return { data: { ...WHOLE, product: { ...WHOLE.product, rating: null } }, paths: [['product', 'rating']] };
    case 'payments':
      return { data: { ...WHOLE, order: { ...WHOLE.order, payment: null } }, paths: [['order', 'payment']] };
  }
}

interface Cell {
  fault: Record<string, unknown>;
  message: (source: Source) => string;
  extensions: (source: Source) => Record<string, unknown>;
  /** The calls the failing source receives for each of its calls in the query. */
  attempts: number;
}

const CELLS: Record<string, Cell> = {
  'down': {
    fault: { kind: 'down' },
    message: (source) => `${source} dropped the connection before it answered in full.`,
    extensions: () => ({ code: 'UPSTREAM_UNAVAILABLE' }),
    attempts: 2,
  },
  'slow past the timeout': {
    fault: { kind: 'latency', ms: TIMEOUT_MS * 3 },
    message: (source) => `${source} did not answer within ${TIMEOUT_MS} ms.`,
    extensions: () => ({ code: 'UPSTREAM_TIMEOUT' }),
    attempts: 2,
  },
  '500': {
    fault: { kind: 'error', status: 500 },
    message: (source) => `${source} answered HTTP 500.`,
    extensions: () => ({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 }),
    attempts: 2,
  },
  // Retry-After (2 s) is longer than this gateway waits before a retry (1 s): the call fails at once,
  // and every call to the source then waits out the 2 s (the healthy query after it does).
  '429 with a Retry-After longer than the gateway waits': {
    fault: { kind: 'rate-limit', retryAfterSeconds: 2 },
    message: (source) => `${source} answered HTTP 429.`,
    extensions: () => ({ code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfter: '2' }),
    attempts: 1,
  },
  'malformed body': {
    fault: { kind: 'malformed' },
    message: (source) => `${source} answered with a response Switchboard could not read.`,
    extensions: () => ({ code: 'UPSTREAM_BAD_RESPONSE' }),
    attempts: 1,
  },
  'connection reset mid-body': {
    fault: { kind: 'reset' },
    message: (source) => `${source} dropped the connection before it answered in full.`,
    extensions: () => ({ code: 'UPSTREAM_UNAVAILABLE' }),
    attempts: 2,
  },
};

const CALLS_IN_QUERY: Record<Source, number> = { catalog: 2, payments: 1, inventory: 1, reviews: 1 };

async function expectCell(source: Source, cell: Cell) {
  await switchboard.resetLogs();
  await switchboard.inject(source, cell.fault);
  const { status, body } = await switchboard.query(QUERY);
  await switchboard.clearFaults();
  const expected = withoutSource(source);
  expect(status).toBe(200);
  expect(body.data).toEqual(expected.data);
  const errors = [...(body.errors ?? [])].sort((a, b) => String(a.path).localeCompare(String(b.path)));
  expect(errors).toEqual(expected.paths.sort((a, b) => String(a).localeCompare(String(b))).map((path) => ({
    message: cell.message(source),
    path,
    extensions: { source, ...cell.extensions(source) },
  })));
  expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|demo-|stack|Bearer/);
  const counts = callCounts(await switchboard.requests());
  expect(counts[source]).toBe(CALLS_IN_QUERY[source] * cell.attempts);
  // Healthy after: the same query is whole again.
  expect((await switchboard.query(QUERY)).body).toEqual({ data: WHOLE });
}

describe.each(['catalog', 'payments', 'inventory', 'reviews'] as const)('%s', (source) => {
  it.each(Object.keys(CELLS))('%s', (name) => expectCell(source, CELLS[name]!));
});

it('inventory: a SOAP Fault is the answer, not an outage (no retry)', () =>
  expectCell('inventory', {
    fault: { kind: 'soap-fault' },
    message: () => 'inventory answered with a SOAP Fault: The service is temporarily unable to process the request.',
    extensions: () => ({ code: 'SOAP_FAULT', faultCode: 'soap:Server' }),
    attempts: 1,
  }));
