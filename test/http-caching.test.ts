/**
 * Answers that HTTP caches may keep (issue 24): a query over GET says `public, max-age` from the
 * freshness its sources declared, anything for a viewer `private, no-cache`, an error or a mutation
 * `no-store`; every answer caches may keep has a strong ETag, and `If-None-Match` naming it gets 304
 * with no body. Proven with undici's own HTTP cache (RFC 9111), as a phone's or a CDN's would keep
 * them, against the demo world's request logs: the response cache is off here, so what reaches the
 * gateway reaches the upstreams.
 */
import { OperationTypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Agent, interceptors, fetch as undiciFetch, type Dispatcher } from 'undici';
import { cacheControlFor } from '../gateway/cache/use-http-caching.js';
import { productById, stockOf, world } from './helpers/expected.js';
import { startReplica } from './helpers/replica.js';
import { switchboardForFile } from './helpers/switchboard.js';

const switchboard = switchboardForFile();

const PRODUCT = 'query Product($id: ID!) { product(id: $id) { id name stock { total } } }';
const productAnswer = (id: string) => ({ data: { product: { id, name: productById.get(id)!.name, stock: { total: stockOf(productById.get(id)!.sku).total } } } });
const ORDERS = 'query Orders($id: ID!) { customer(id: $id) { name orders { id } } }';
const NONE = { catalog: 0, payments: 0, inventory: 0, reviews: 0 };
const calls = async () => Object.fromEntries(Object.entries(await switchboard.requests()).map(([name, logged]) => [name, logged.length]));

interface Asked {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  url?: string;
  dispatcher?: Dispatcher;
}

/** One request as a client sends it (a staff token unless `authorization` is given; '' sends none), through `dispatcher` when given. */
async function ask({ query, variables = {}, headers = {}, method = 'GET', url = switchboard.url, dispatcher }: Asked) {
  const target = method === 'GET' ? `${url}?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}` : url;
  const { authorization = `Bearer ${switchboard.staffToken}`, ...rest } = headers;
  const response = await undiciFetch(target, {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : { 'x-graphql-csrf': '1' }), ...(authorization ? { authorization } : {}), ...rest },
    ...(method === 'POST' ? { body: JSON.stringify({ query, variables }) } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  });
  const text = await response.text();
  const header = (name: string) => response.headers.get(name);
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined, cacheControl: header('cache-control'), etag: header('etag'), vary: header('vary'), age: header('age') };
}
/** An HTTP cache as RFC 9111 has it, in memory: `shared` as a CDN's, `private` as a phone's. */
const httpCache = (type: 'shared' | 'private') => new Agent().compose(interceptors.cache({ type }));
const notModified = async () => Number(/^switchboard_http_not_modified_total (\d+)$/m.exec((await switchboard.gateway.scrape(null)).body)?.[1] ?? 0);

describe('a public query over GET', () => {
  it('may be kept for the least freshness of what it holds, and a CDN serves it again without asking', async () => {
    const first = await ask({ query: PRODUCT, variables: { id: 'prod-0003' } });
    // Product is fresh 300 s (catalog's manifest), StockLevel 60 s (the ERP's): the least.
    expect([first.status, first.body, first.cacheControl, first.vary]).toEqual([200, productAnswer('prod-0003'), 'public, max-age=60', 'accept, accept-encoding']);
    expect(first.etag).toMatch(/^"[\w-]{32}"$/);
    expect(await calls()).toEqual({ ...NONE, catalog: 1, inventory: 1 });

    const cdn = httpCache('shared');
    await switchboard.resetLogs();
    const kept = await ask({ query: PRODUCT, variables: { id: 'prod-0004' }, dispatcher: cdn });
    const again = await ask({ query: PRODUCT, variables: { id: 'prod-0004' }, dispatcher: cdn });
    expect([again.status, again.text, again.etag]).toEqual([200, kept.text, kept.etag]);
    // Asked once: the second was the CDN's.
    expect(await calls()).toEqual({ ...NONE, catalog: 1, inventory: 1 });
    // Other variables are another answer.
    const other = await ask({ query: PRODUCT, variables: { id: 'prod-0005' }, dispatcher: cdn });
    expect(other.body).toEqual(productAnswer('prod-0005'));
    expect(await calls()).toEqual({ ...NONE, catalog: 2, inventory: 2 });
  });

  it('answers 304 with no body to a client that has it, and the answer to one that has another', async () => {
    const { etag, text } = await ask({ query: PRODUCT, variables: { id: 'prod-0006' } });
    const before = await notModified();
    const revalidated = await ask({ query: PRODUCT, variables: { id: 'prod-0006' }, headers: { 'if-none-match': etag! } });
    expect([revalidated.status, revalidated.text, revalidated.etag, revalidated.cacheControl, revalidated.vary]).toEqual([304, '', etag, 'public, max-age=60', 'accept, accept-encoding']);
    const listed = await ask({ query: PRODUCT, variables: { id: 'prod-0006' }, headers: { 'if-none-match': `"another", W/${etag}` } });
    expect(listed.status).toBe(304);
    const stale = await ask({ query: PRODUCT, variables: { id: 'prod-0006' }, headers: { 'if-none-match': '"not-this-one"' } });
    expect([stale.status, stale.text, stale.etag]).toEqual([200, text, etag]);
    expect(await notModified()).toBe(before + 2);
  });

  it('over POST, or with no freshness declared, is kept but asked again each time: a phone revalidates it for a 304, which costs no body', async () => {
    const phone = httpCache('private');
    const first = await ask({ query: PRODUCT, variables: { id: 'prod-0007' }, method: 'POST' });
    // Shared caches keep GETs only: a POST is the client's own, revalidated by its ETag.
    expect([first.cacheControl, first.vary, first.etag === null]).toEqual(['private, no-cache', 'accept, authorization, accept-encoding', false]);
    // A GET of a type no source gives a freshness (the ERP's warehouses) is revalidated the same way.
    const WAREHOUSES = 'query($id: ID!) { product(id: $id) { id stock { warehouses { warehouse quantity } } } }';
    const before = await notModified();
    await switchboard.resetLogs();
    const held = await ask({ query: WAREHOUSES, variables: { id: 'prod-0007' }, headers: { authorization: '' }, dispatcher: phone });
    const again = await ask({ query: WAREHOUSES, variables: { id: 'prod-0007' }, headers: { authorization: '' }, dispatcher: phone });
    expect([held.status, held.cacheControl, again.status, again.text]).toEqual([200, 'public, no-cache', 200, held.text]);
    expect(held.body.data.product.stock.warehouses.length).toBeGreaterThan(0);
    // Asked twice (no-cache): the second answer was a 304, its body the phone's.
    expect(await notModified()).toBe(before + 1);
    expect(await calls()).toEqual({ ...NONE, catalog: 2, inventory: 2 });
  });
});

describe('a viewer\'s query', () => {
  it('is private to that viewer: a CDN keeps none of it, and another customer asking the same is refused', async () => {
    const cdn = httpCache('shared');
    const customer = world.customers[2]!;
    const own = await ask({ query: ORDERS, variables: { id: customer.id }, headers: { authorization: `Bearer ${await switchboard.tokenFor(customer.id)}` }, dispatcher: cdn });
    expect([own.status, own.cacheControl, own.vary, own.body.data.customer.name]).toEqual([200, 'private, no-cache', 'accept, authorization, accept-encoding', customer.name]);
    expect(own.etag).toMatch(/^"[\w-]{32}"$/);
    const stranger = await ask({ query: ORDERS, variables: { id: customer.id }, headers: { authorization: `Bearer ${await switchboard.tokenFor(world.customers[3]!.id)}` }, dispatcher: cdn });
    expect([stranger.status, stranger.cacheControl, stranger.etag]).toEqual([200, 'no-store', null]);
    expect(stranger.body.errors.map((error: { path: unknown; extensions: { code: string } }) => [error.path, error.extensions.code])).toEqual([[['customer', 'orders'], 'FORBIDDEN']]);
  });
});

describe('what no cache may keep', () => {
  it('an answer with errors, a refused document, a mutation, a batch, an answer in parts: no-store, and no ETag', async () => {
    await switchboard.inject('inventory', { kind: 'error', status: 503, count: 20 });
    const failed = await ask({ query: PRODUCT, variables: { id: 'prod-0011' } });
    expect([failed.status, failed.cacheControl, failed.etag, failed.body.errors[0].extensions.code]).toEqual([200, 'no-store', null, 'UPSTREAM_UNAVAILABLE']);
    await switchboard.clearFaults();
    const invalid = await ask({ query: '{ products(first: 1) { nickname } }', headers: { 'if-none-match': '*' } });
    expect([invalid.status, invalid.cacheControl, invalid.etag, invalid.body.errors[0].extensions.code]).toEqual([200, 'no-store', null, 'GRAPHQL_VALIDATION_FAILED']);
    const mutation = await ask({ query: 'mutation { placeOrder(idempotencyKey: "", customerId: "cust-0001", lines: []) { id } }', method: 'POST' });
    expect([mutation.cacheControl, mutation.etag]).toEqual(['no-store', null]);
    const overGet = await ask({ query: 'mutation { placeOrder(idempotencyKey: "k", customerId: "cust-0001", lines: []) { id } }' });
    expect([overGet.status, overGet.etag]).toEqual([405, null]);
    const batch = await undiciFetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${switchboard.staffToken}` }, body: JSON.stringify([{ query: '{ product(id: "prod-0001") { id } }' }, { query: '{ product(id: "prod-0002") { id } }' }]) });
    expect([batch.status, batch.headers.get('cache-control'), batch.headers.get('etag')]).toEqual([200, 'no-store', null]);
    await batch.text();
    const inParts = await undiciFetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'multipart/mixed', authorization: `Bearer ${switchboard.staffToken}` }, body: JSON.stringify({ query: '{ product(id: "prod-0001") { id ... @defer { name } } }' }) });
    expect([inParts.status, inParts.headers.get('content-type'), inParts.headers.get('cache-control'), inParts.headers.get('etag')]).toEqual([200, 'multipart/mixed; boundary="-"', 'no-store', null]);
    await inParts.text();
  });

  it('the rule, case by case', () => {
    const policy = { maxAgeSeconds: 60, scope: 'PUBLIC' as const, types: ['Product'] };
    const answer = { method: 'GET', executions: 1, operation: OperationTypeNode.QUERY, policy, errors: false };
    expect(cacheControlFor(answer)).toBe('public, max-age=60');
    expect(cacheControlFor({ ...answer, method: 'POST', policy: undefined })).toBe('private, no-cache');
    expect(cacheControlFor({ ...answer, policy: { ...policy, maxAgeSeconds: 0 } })).toBe('public, no-cache');
    expect(cacheControlFor({ ...answer, policy: { ...policy, scope: 'PRIVATE' } })).toBe('private, no-cache');
    expect(cacheControlFor({ ...answer, errors: true })).toBe('no-store');
    expect(cacheControlFor({ ...answer, executions: 2 })).toBe('no-store');
    expect(cacheControlFor({ ...answer, operation: OperationTypeNode.MUTATION })).toBe('no-store');
  });
});

describe('with the response cache, a forwarded header and compression off', () => {
  it('says how old a kept answer is, varies by the header the sources see, and still answers 304', async () => {
    const replica = await startReplica({ ...process.env, RESPONSE_CACHE: 'memory', CATALOG_FORWARD_HEADERS: 'accept-language', COMPRESSION: 'off' });
    try {
      const url = replica.served.url;
      const first = await ask({ query: PRODUCT, variables: { id: 'prod-0008' }, url });
      expect([first.status, first.cacheControl, first.vary, first.age]).toEqual([200, 'public, max-age=60', 'accept, accept-language', null]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await switchboard.resetLogs();
      const kept = await ask({ query: PRODUCT, variables: { id: 'prod-0008' }, url });
      expect([kept.text, kept.etag, kept.age]).toEqual([first.text, first.etag, '1']);
      expect(await calls()).toEqual(NONE);
      const revalidated = await ask({ query: PRODUCT, variables: { id: 'prod-0008' }, url, headers: { 'if-none-match': first.etag! } });
      expect([revalidated.status, revalidated.text, revalidated.age]).toEqual([304, '', '1']);
    } finally {
      await replica.close();
    }
  });
});
