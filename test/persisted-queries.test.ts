/**
 * Automatic persisted queries (issue 24), as the real clients that use them speak the protocol:
 * Apollo Client 4 with its persisted-queries link over POST, urql with its persisted exchange over
 * GET; then each transport, the refusals, the query limits before anything is stored, `only` mode,
 * replicas sharing registrations through a real Redis, and the memory store's bound.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createMemoryQueryStore } from '../gateway/plugins/persisted-query-store.js';
import { REDIS_URL, removeKeys } from './helpers/redis.js';
import { startReplica } from './helpers/replica.js';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';
import { sendOver, type Entry } from './helpers/transports.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What each request to the gateway carried: its method, and whether a document and a hash. */
interface Sent { method: string; document: boolean; hash: boolean }

/** A fetch that notes what a client sends before sending it. */
function noting(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const params = request.method === 'GET'
      ? Object.fromEntries(new URL(request.url).searchParams)
      : (JSON.parse(await request.clone().text()) as Record<string, unknown>);
    const extensions = typeof params.extensions === 'string' ? JSON.parse(params.extensions) : params.extensions;
    sent.push({ method: request.method, document: typeof params.query === 'string' && params.query !== '', hash: Boolean(extensions?.persistedQuery) });
    return fetch(request);
  };
}

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
}, 60_000);
afterAll(() => switchboard?.close());

const PRODUCT = 'query Product($id: ID!) { product(id: $id) { id name stock { total } } }';

describe('Apollo Client 4 with its persisted-queries link', () => {
  const apollo = (sent: Sent[]) => new ApolloClient({
    link: new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: switchboard.url, fetch: noting(sent) })),
    cache: new InMemoryCache(),
  });

  /** The gateway's count of persisted-query lookups and registrations, by outcome. */
  const counted = async () => {
    const text = await (await fetch(switchboard.metricsUrl)).text();
    const count = (outcome: string) => Number(new RegExp(`^switchboard_persisted_queries_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    return { hit: count('hit'), miss: count('miss'), registered: count('registered'), documents: Number(/^switchboard_persisted_queries_documents (\d+)$/m.exec(text)?.[1]) };
  };

  it('sends the hash alone, registers the document once when asked, then the hash alone is enough; upstream calls as without it', async () => {
    const before = await counted();
    await switchboard.resetLogs();
    const plain = await switchboard.query(PRODUCT, { id: 'prod-0003' });
    const withoutHashes = callCounts(await switchboard.requests());

    await switchboard.resetLogs();
    const first: Sent[] = [];
    const answer = await apollo(first).query({ query: gql(PRODUCT), variables: { id: 'prod-0003' } });
    expect(first).toEqual([{ method: 'POST', document: false, hash: true }, { method: 'POST', document: true, hash: true }]);
    const { __typename: _product, ...product } = (answer.data as { product: Record<string, unknown> }).product;
    expect({ ...product, stock: { total: (product.stock as { total: number }).total } }).toEqual(plain.body.data!.product);
    expect(callCounts(await switchboard.requests())).toEqual(withoutHashes);

    // Another app (its own cache): the hash alone answers.
    await switchboard.resetLogs();
    const again: Sent[] = [];
    const second = await apollo(again).query({ query: gql(PRODUCT), variables: { id: 'prod-0004' } });
    expect(again).toEqual([{ method: 'POST', document: false, hash: true }]);
    expect((second.data as { product: { id: string } }).product.id).toBe('prod-0004');
    expect(callCounts(await switchboard.requests())).toEqual(withoutHashes);
    // Counted for the operator: one miss, one registration, one hit.
    expect(await counted()).toEqual({ hit: before.hit + 1, miss: before.miss + 1, registered: before.registered + 1, documents: before.documents + 1 });
  });
});

describe('urql with its persisted exchange, over GET', () => {
  it('asks by hash over GET, registers once, then GETs by hash alone', async () => {
    const urql = (sent: Sent[]) => new Client({
      url: switchboard.url,
      exchanges: [persistedExchange({ preferGetForPersistedQueries: true, generateHash: async (query) => sha256(query) }), fetchExchange],
      fetch: noting(sent),
      fetchOptions: { headers: { 'x-graphql-csrf': '1' } },
    });
    const document = 'query Names($first: Int) { products(first: $first) { id name } }';
    const first: Sent[] = [];
    const answer = await urql(first).query(document, { first: 2 }).toPromise();
    expect(answer.error).toBeUndefined();
    expect(answer.data).toEqual({ products: [{ id: 'prod-0001', name: 'Dune Espresso Cup' }, { id: 'prod-0002', name: 'Sable Water Bottle' }] });
    expect(first[0]).toEqual({ method: 'GET', document: false, hash: true });
    expect(first.at(-1)).toMatchObject({ document: true, hash: true });
    const again: Sent[] = [];
    const second = await urql(again).query(document, { first: 1 }).toPromise();
    expect(second.data).toEqual({ products: [{ id: 'prod-0001', name: 'Dune Espresso Cup' }] });
    expect(again).toEqual([{ method: 'GET', document: false, hash: true }]);
  });
});

describe('a registered hash over every transport', () => {
  const document = 'query Sku($id: ID!) { product(id: $id) { sku } }';
  const hash = sha256(document);
  beforeAll(async () => {
    expect((await sendOver('http-post', switchboard.url, { query: document, variables: { id: 'prod-0001' }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).result?.errors).toBeUndefined();
  });

  it.each(['http-post', 'http-get', 'yoga-sse', 'graphql-sse', 'graphql-ws'] as Entry[])('answers the hash alone over %s', async (entry) => {
    // graphql-ws and graphql-sse require a query: an empty one, as clients of hashes send it.
    const query = entry === 'graphql-ws' || entry === 'graphql-sse' ? { query: '' } : {};
    const answer = await sendOver(entry, switchboard.url, { ...query, variables: { id: 'prod-0002' }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, { authorization: `Bearer ${switchboard.staffToken}` });
    expect(answer.result).toEqual({ data: { product: { sku: 'SKU-0002' } } });
  });
});

describe('what is refused, and never stored', () => {
  const post = (body: Record<string, unknown>) => fetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${switchboard.staffToken}` }, body: JSON.stringify(body) })
    .then(async (response) => ({ status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }));
  const codeOf = (answer: Awaited<ReturnType<typeof post>>) => [answer.status, answer.body.errors?.map((error) => error.extensions?.code)];
  const hashOnly = (sha256Hash: string) => post({ extensions: { persistedQuery: { version: 1, sha256Hash } } });

  it('a hash that is not the document\'s, a hash that is not 64 hex digits, a version it does not know', async () => {
    const document = '{ products(first: 1) { id category } }';
    const wrong = sha256(`${document} `);
    const mismatch = await post({ query: document, extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } });
    expect([mismatch.status, mismatch.body]).toEqual([400, { errors: [{ message: 'persistedQuery.sha256Hash is not the SHA-256 of the document sent: nothing was registered; send the hash of exactly this text.', extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' } }] }]);
    expect(codeOf(await hashOnly(wrong))).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    expect(codeOf(await hashOnly(sha256(document)))).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    const short = await post({ query: document, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc123' } } });
    expect([short.status, short.body.errors?.[0]]).toEqual([400, { message: 'persistedQuery.sha256Hash must be the SHA-256 of the document, in 64 hexadecimal digits.', extensions: { code: 'PERSISTED_QUERY_INVALID_HASH' } }]);
    const version = await post({ query: document, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(document) } } });
    expect([version.status, version.body.errors?.[0]]).toEqual([400, { message: 'persistedQuery version 2 is not supported: send { "version": 1, "sha256Hash": "<the document\'s SHA-256>" }.', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }]);
    expect(codeOf(await post({ query: document, extensions: { persistedQuery: 'yes' } }))).toEqual([400, ['PERSISTED_QUERY_NOT_SUPPORTED']]);
  });

  it('a document over the query limits, or refused whole, or a mutation over GET, is not registered', async () => {
    const deep = `{ products(first: 1) { reviews { author { orders { lines { product { reviews { author { orders { lines { product { id } } } } } } } } } } } }`;
    // Refused whole by its cost, which is known only as it starts: nothing registered.
    const costly = await post({ query: deep, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(deep) } } });
    expect(codeOf(costly)).toEqual([200, ['QUERY_TOO_COMPLEX']]);
    expect(codeOf(await hashOnly(sha256(deep)))).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    const invalid = '{ products(first: 1) { nickname } }';
    expect(codeOf(await post({ query: invalid, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(invalid) } } }))).toEqual([200, ['GRAPHQL_VALIDATION_FAILED']]);
    expect(codeOf(await hashOnly(sha256(invalid)))).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    const aliased = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: products(first: 1) { id }`).join(' ')} }`;
    expect(codeOf(await post({ query: aliased, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(aliased) } } }))).toEqual([200, ['QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX']]);
    expect(codeOf(await hashOnly(sha256(aliased)))).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    const mutation = 'mutation { placeOrder(input: { lines: [] }) { id } }';
    const url = new URL(switchboard.url);
    url.searchParams.set('query', mutation);
    url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(mutation) } }));
    const overGet = await fetch(url, { headers: { 'x-graphql-csrf': '1', authorization: `Bearer ${switchboard.staffToken}` } });
    expect(overGet.status).toBe(405);
    expect(codeOf(await hashOnly(sha256(mutation)))).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
  });
});

describe('with TRUSTED_DOCUMENTS=only, and with replicas', () => {
  it('registers nothing new where only trusted documents run', async () => {
    const only = await startReplica({ ...process.env, TRUSTED_DOCUMENTS: 'only' });
    try {
      const document = '{ products(first: 1) { id } }';
      const answer = await sendOver('http-post', only.served.url, { query: document, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });
      expect(answer.result?.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
      const later = await sendOver('http-post', only.served.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });
      expect(later.result?.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    } finally {
      await only.close();
    }
  });

  it('finds on one replica what a client registered on another, through Redis', async () => {
    const prefix = `switchboard-test-${randomUUID()}:`;
    const env = { ...process.env, REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const [a, b] = [await startReplica(env), await startReplica(env)];
    try {
      const document = `query Shared { products(first: 1) { id price } }`;
      const persistedQuery = { version: 1, sha256Hash: sha256(document) };
      expect((await sendOver('http-post', a.served.url, { extensions: { persistedQuery } })).result?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await sendOver('http-post', a.served.url, { query: document, extensions: { persistedQuery } })).result?.errors).toBeUndefined();
      expect((await sendOver('http-post', b.served.url, { extensions: { persistedQuery } })).result).toEqual({ data: { products: [{ id: 'prod-0001', price: expect.any(Number) }] } });
    } finally {
      await a.close();
      await b.close();
      await removeKeys(prefix);
    }
  });
});

describe('the memory store', () => {
  it('stays within its bounds under 10,000 distinct documents', async () => {
    const store = createMemoryQueryStore({ maxEntries: 1000, maxBytes: 256 * 1024 });
    for (let i = 0; i < 10_000; i++) {
      const document = `query Q${i} { products(first: ${i % 50 + 1}) { id name ${'price '.repeat(i % 20)}} }`;
      await store.set(sha256(document), document);
    }
    const held = store.held()!;
    expect(held.entries).toBeLessThanOrEqual(1000);
    expect(held.bytes).toBeLessThanOrEqual(256 * 1024);
    // The most recent are kept; the first long gone.
    const last = `query Q9999 { products(first: 50) { id name ${'price '.repeat(19)}} }`;
    expect(await store.get(sha256(last))).toBe(last);
    expect(await store.get(sha256('query Q0 { products(first: 1) { id name } }'))).toBeUndefined();
    // A document larger than the whole bound is not kept.
    const huge = `{ products { ${'id '.repeat(100_000)}} }`;
    await store.set(sha256(huge), huge);
    expect(await store.get(sha256(huge))).toBeUndefined();
  });
});
