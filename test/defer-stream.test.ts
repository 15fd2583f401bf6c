/**
 * `@defer` and `@stream` (issue 24): a product page whose reviews are deferred gets its first part
 * while the reviews upstream is held back (a proxy that answers when the test says so), then the
 * rest; read by Apollo Client 4 over multipart/mixed and over SSE, and over every transport with
 * exact parts. Stitched fields still batch (one call per source per level, in the request logs), and
 * the query limits, the access rules and trusted documents hold for the deferred parts.
 */
import { describe, expect, it } from 'vitest';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { customerById, ordersOf, productById, ratingOf, reviewsOf, stockOf, world } from './helpers/expected.js';
import { startHeldUpstream } from './helpers/held-upstream.js';
import { startReplica } from './helpers/replica.js';
import { callCounts, switchboardForFile } from './helpers/switchboard.js';
import { ENTRIES, partsOver, sendOver } from './helpers/transports.js';

const switchboard = switchboardForFile();

const PAGE = `query ProductPage($id: ID!) {
  product(id: $id) {
    id
    name
    price
    stock { total }
    ... @defer(label: "reviews") { rating reviews { title rating } }
  }
}`;
const ID = 'prod-0012';
const product = productById.get(ID)!;
const firstPart = { data: { product: { id: ID, name: product.name, price: product.price, stock: { total: stockOf(product.sku).total } } }, hasNext: true };
const reviewsPart = {
  incremental: [{ data: { rating: ratingOf(ID), reviews: reviewsOf(ID).map((review) => ({ title: review.title, rating: review.rating })) }, path: ['product'], label: 'reviews' }],
  hasNext: false,
};
const authorization = () => `Bearer ${switchboard.staffToken}`;
/** Resolves when `done()` holds, checking every 5 ms for up to 5 s. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 5 s.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a product page whose reviews come later', () => {
  it('reaches Apollo Client (multipart/mixed) in two parts: the first while the reviews upstream is held, the rest once it answers', async () => {
    expect(reviewsPart.incremental[0]!.data.reviews.length).toBeGreaterThan(0);
    const held = await startHeldUpstream(process.env.REVIEWS_URL!);
    const replica = await startReplica({ ...process.env, REVIEWS_URL: held.url });
    const client = new ApolloClient({
      link: new HttpLink({ uri: replica.served.url, headers: { authorization: authorization() } }),
      cache: new InMemoryCache(),
      incrementalHandler: new Defer20220824Handler(),
    });
    const seen: { data?: unknown; dataState?: string }[] = [];
    const subscription = client.watchQuery({ query: gql(PAGE), variables: { id: ID } }).subscribe((result) => void seen.push(result));
    try {
      await until(() => seen.some((result) => result.dataState === 'streaming'), 'the first part');
      // The reviews were asked for, and nothing has answered them.
      await held.arrived();
      expect(held.received()).toBe(1);
      const streaming = seen.find((result) => result.dataState === 'streaming')!;
      expect(withoutTypenames(streaming.data)).toEqual(firstPart.data);
      expect(seen.some((result) => result.dataState === 'complete')).toBe(false);
      held.release();
      await until(() => seen.some((result) => result.dataState === 'complete'), 'the deferred part');
      const complete = seen.find((result) => result.dataState === 'complete')!;
      expect(withoutTypenames(complete.data)).toEqual({ product: { ...firstPart.data.product, ...reviewsPart.incremental[0]!.data } });
      expect(held.received()).toBe(1);
    } finally {
      subscription.unsubscribe();
      client.stop();
      await replica.close();
      await held.close();
    }
  });

  it('reaches an SSE client part by part: the first before the reviews upstream answers, then the rest, then complete', async () => {
    const held = await startHeldUpstream(process.env.REVIEWS_URL!);
    const replica = await startReplica({ ...process.env, REVIEWS_URL: held.url });
    try {
      const response = await fetch(replica.served.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: authorization() }, body: JSON.stringify({ query: PAGE, variables: { id: ID } }) });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const events = () => text.split('\n\n').filter((event) => event.startsWith('event:'));
      const read = async (count: number) => {
        while (events().length < count) text += (await reader.read()).value ?? '';
      };
      await read(1);
      await held.arrived();
      expect(events()).toEqual([`event: next\ndata: ${JSON.stringify(firstPart)}`]);
      held.release();
      await read(3);
      expect(events()).toEqual([`event: next\ndata: ${JSON.stringify(firstPart)}`, `event: next\ndata: ${JSON.stringify(reviewsPart)}`, 'event: complete\ndata:']);
    } finally {
      await replica.close();
      await held.close();
    }
  });
});

describe('parts over every transport', () => {
  const LIST = '{ products(first: 5) { id name ... @defer { stock { total } reviews { title } } } }';
  const products = world.products.slice(0, 5);
  const LIST_PARTS = [
    { data: { products: products.map((item) => ({ id: item.id, name: item.name })) }, hasNext: true },
    {
      incremental: products.map((item, index) => ({ data: { stock: { total: stockOf(item.sku).total }, reviews: reviewsOf(item.id).map((review) => ({ title: review.title })) }, path: ['products', index] })),
      hasNext: false,
    },
  ];

  it.each(ENTRIES.filter((entry) => entry !== 'http-get'))('over %s: the same parts, and one call per source for the deferred fields of every product', async (entry) => {
    const parts = await partsOver(entry, switchboard.url, { query: LIST }, { authorization: authorization() });
    expect(parts).toEqual(LIST_PARTS);
    const requests = await switchboard.requests();
    expect(callCounts(requests)).toEqual({ catalog: 1, payments: 0, inventory: 1, reviews: 1 });
    expect(requests.inventory[0]!.keys).toHaveLength(5);
  });

  it('over GET too, for a client that sends its queries so', async () => {
    expect(await partsOver('http-get', switchboard.url, { query: LIST }, { authorization: authorization() })).toEqual(LIST_PARTS);
  });

  it('@stream sends the first items at once and the others after, their stock still read in one call', async () => {
    const parts = await partsOver('http-post', switchboard.url, { query: '{ products(first: 4) @stream(initialCount: 1) { id stock { total } } }' }, { authorization: authorization() });
    const item = (index: number) => ({ id: world.products[index]!.id, stock: { total: stockOf(world.products[index]!.sku).total } });
    expect(parts[0]).toEqual({ data: { products: [item(0)] }, hasNext: true });
    // However the items are grouped into parts, each comes once, in order, at its index.
    const streamed = parts.slice(1).flatMap((part) => (part as { incremental?: { items: unknown[]; path: unknown[] }[] }).incremental ?? []);
    expect(streamed.flatMap((piece) => piece.items)).toEqual([item(1), item(2), item(3)]);
    expect(streamed.map((piece) => piece.path)).toEqual([['products', 1], ['products', 2], ['products', 3]]);
    expect(parts.at(-1)).toMatchObject({ hasNext: false });
    const requests = await switchboard.requests();
    expect(callCounts(requests)).toEqual({ catalog: 1, payments: 0, inventory: 1, reviews: 0 });
  });
});

describe('the rules hold for deferred parts', () => {
  it('an access rule refuses a deferred field of another customer in its part, with its path', async () => {
    const [customer, other] = [world.customers[2]!, world.customers[3]!];
    const query = 'query($id: ID!) { customer(id: $id) { name ... @defer(label: "orders") { orders { id } } } }';
    const own = await partsOver('http-post', switchboard.url, { query, variables: { id: customer.id } }, { authorization: `Bearer ${await switchboard.tokenFor(customer.id)}` });
    expect(own).toEqual([
      { data: { customer: { name: customerById.get(customer.id)!.name } }, hasNext: true },
      { incremental: [{ data: { orders: ordersOf(customer.id).map((order) => ({ id: order.id })) }, path: ['customer'], label: 'orders' }], hasNext: false },
    ]);
    const stranger = await partsOver('http-post', switchboard.url, { query, variables: { id: customer.id } }, { authorization: `Bearer ${await switchboard.tokenFor(other.id)}` });
    expect(stranger[0]).toEqual({ data: { customer: { name: customerById.get(customer.id)!.name } }, hasNext: true });
    const refused = (stranger[1] as { incremental: { data: unknown; path: unknown; errors: { path: unknown; extensions: { code: string } }[] }[] }).incremental[0]!;
    expect([refused.data, refused.path, refused.errors.map((error) => [error.path, error.extensions.code])]).toEqual([null, ['customer'], [[['customer', 'orders'], 'FORBIDDEN']]]);
  });

  it('an upstream failing in a deferred part is said there, with its code and path, and counted; the first part stands', async () => {
    const counted = async () => Number(/^switchboard_graphql_errors_total\{code="UPSTREAM_UNAVAILABLE"\} (\d+)$/m.exec((await switchboard.gateway.scrape(null)).body)?.[1] ?? 0);
    const before = await counted();
    await switchboard.inject('inventory', { kind: 'error', status: 503, count: 20 });
    const parts = await partsOver('http-post', switchboard.url, { query: `{ product(id: "${ID}") { name ... @defer { stock { total } } } }` }, { authorization: authorization() });
    expect(parts[0]).toEqual({ data: { product: { name: product.name } }, hasNext: true });
    const failed = (parts[1] as { incremental: { errors: { message: string; path: unknown; extensions: Record<string, unknown> }[] }[] }).incremental[0]!.errors[0]!;
    expect([failed.path, failed.extensions.code, failed.extensions.source, 'stack' in failed.extensions]).toEqual([['product', 'stock'], 'UPSTREAM_UNAVAILABLE', 'inventory', false]);
    expect(await counted()).toBe(before + 1);
  });

  it('the query limits count the deferred fragments: a document too deep in them is refused whole, before anything runs', async () => {
    const deep = '{ products(first: 1) { id ... @defer { reviews { author { orders { lines { product { reviews { author { orders { lines { product { id } } } } } } } } } } } } }';
    const answer = await sendOver('http-post', switchboard.url, { query: deep }, { authorization: authorization() });
    expect(answer.result?.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });

  it('with TRUSTED_DOCUMENTS=only, a trusted page with @defer answers in parts by its hash; another document is refused', async () => {
    const only = await startReplica({ ...process.env, TRUSTED_DOCUMENTS: 'only' });
    try {
      const { default: manifest } = await import('../generated/client/persisted-documents.json', { with: { type: 'json' } });
      const [documentId] = Object.entries(manifest as Record<string, string>).find(([, document]) => document.includes('@defer'))!;
      const parts = await partsOver('http-post', only.served.url, { documentId, variables: { id: ID } }, { authorization: authorization() });
      expect(parts.map((part) => (part as { hasNext: boolean }).hasNext)).toEqual([true, false]);
      expect((parts[0] as { data: { product: { name: string } } }).data.product.name).toBe(product.name);
      const refused = await sendOver('http-post', only.served.url, { query: PAGE, variables: { id: ID } }, { authorization: authorization() });
      expect(refused.result?.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    } finally {
      await only.close();
    }
  });
});

describe('bad input', () => {
  const refusal = async (query: string, accept = 'multipart/mixed, application/graphql-response+json') => {
    const response = await fetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', accept, authorization: authorization() }, body: JSON.stringify({ query }) });
    return [response.status, await response.json()];
  };

  it('@defer on a mutation\'s root, @stream on a field that is no list, a label twice: refused, nothing run', async () => {
    expect(await refusal('mutation { ... @defer { placeOrder(idempotencyKey: "k-defer", customerId: "cust-0001", lines: []) { id } } }')).toEqual([400, {
      errors: [{ message: 'Defer directive cannot be used on root mutation type "Mutation".', locations: [{ line: 1, column: 16 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    }]);
    expect(await refusal(`{ product(id: "${ID}") @stream(initialCount: 1) { id } }`)).toEqual([400, {
      errors: [{ message: 'Stream directive cannot be used on non-list field "product" on type "Query".', locations: [{ line: 1, column: 28 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    }]);
    const [status, body] = await refusal(`{ product(id: "${ID}") { ... @defer(label: "a") { name } ... @defer(label: "a") { price } } }`);
    expect([status, body.errors.map((error: { message: string }) => error.message)]).toEqual([400, ['Defer/Stream directive label argument must be unique.']]);
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });

  it('a client that reads no answer in parts is told how to ask, before anything runs', async () => {
    expect(await refusal(`{ product(id: "${ID}") { name ... @defer { rating } } }`, 'application/json')).toEqual([406, {
      errors: [{ message: 'This operation answers in parts (@defer or @stream): send Accept: multipart/mixed or text/event-stream, or ask without them.', extensions: { code: 'NOT_ACCEPTABLE' } }],
    }]);
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });
});

/** Private: Apollo Client's data without the `__typename` it adds to every selection. */
function withoutTypenames(data: unknown): unknown {
  return JSON.parse(JSON.stringify(data), (key, value: unknown) => (key === '__typename' ? undefined : value));
}
