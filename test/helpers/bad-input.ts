/**
 * The bad-input battery: requests a careless or hostile client sends, each with the answer
 * Switchboard must give. Shared by the battery test and the production-mode checks.
 */
import { createHash } from 'node:crypto';
import { mintToken } from '../../gateway/plugins/auth/tokens.js';
import { DEMO_TOKEN_SECRET } from '../../demo/launch.js';

export interface BadRequest {
  name: string;
  method?: string;
  /** Appended to the GraphQL endpoint (a query string for GET). */
  search?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Which token to send: none, a valid customer's, or a bad one built by the test. */
  token?: 'forged' | 'expired' | 'wrong-audience' | 'customer';
  status: number;
  code: string;
}

const AUTH = { secret: DEMO_TOKEN_SECRET, issuer: 'switchboard', audience: 'switchboard-api' };

/** The token a case sends: none, a valid customer's, or a bad one. */
export async function tokenOfKind(kind: BadRequest['token']): Promise<string | undefined> {
  if (kind === 'forged') return mintToken({ ...AUTH, secret: 'an-attacker-secret-of-32-characters!' }, { subject: 'cust-0001', scope: 'staff' });
  if (kind === 'expired') return mintToken(AUTH, { subject: 'cust-0001', ttlSeconds: -600 });
  if (kind === 'wrong-audience') return mintToken(AUTH, { subject: 'cust-0001', audience: 'another-api' });
  if (kind === 'customer') return mintToken(AUTH, { subject: 'cust-0099' });
  return undefined;
}

const json = (value: unknown) => JSON.stringify(value);
const nested = (depth: number) => `{ customer(id: "cust-0001") ${'{ orders { customer '.repeat(depth)}{ id }${' } }'.repeat(depth)} }`;
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: product(id: "prod-0001") { id }`).join(' ')} }`;

export const BAD_REQUESTS: BadRequest[] = [
  { name: 'a depth bomb (25 levels)', body: json({ query: nested(12) }), status: 400, code: 'QUERY_TOO_COMPLEX' },
  { name: 'an alias bomb (200 aliases)', body: json({ query: `{ product(id: "prod-0001") { ${Array.from({ length: 200 }, (_, i) => `a${i}: id`).join(' ')} } }` }), status: 400, code: 'QUERY_TOO_COMPLEX' },
  { name: 'a token bomb (5,000 tokens)', body: json({ query: `{ product(id: "prod-0001") { ${'id '.repeat(5000)} } }` }), status: 400, code: 'QUERY_TOO_COMPLEX' },
  { name: 'a directive bomb (100 directives)', body: json({ query: `{ product(id: "prod-0001") { id ${'@include(if: true) '.repeat(100)} } }` }), status: 400, code: 'QUERY_TOO_COMPLEX' },
  { name: 'a fragment cycle', body: json({ query: 'query { product(id: "prod-0001") { ...A } } fragment A on Product { id ...B } fragment B on Product { name ...A }' }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'too many root fields (12)', body: json({ query: aliases(12) }), status: 400, code: 'QUERY_TOO_COMPLEX' },
  { name: 'a cost bomb (nested lists of 1,000)', body: json({ query: '{ products(first: 1000) { reviews { author { orders { lines { product { reviews { id } } } } } } } }' }), status: 400, code: 'QUERY_TOO_COMPLEX' },
  { name: 'first: 1000000', body: json({ query: '{ products(first: 1000000) { id } }' }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'first: 0 in a variable', body: json({ query: 'query($n: Int) { products(first: $n) { id } }', variables: { n: 0 } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a batch flood (50 operations)', body: json(Array.from({ length: 50 }, () => ({ query: '{ __typename }' }))), status: 413, code: 'BAD_REQUEST' },
  { name: 'an oversized body (300 KB)', body: json({ query: '{ __typename }', pad: 'x'.repeat(300_000) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'oversized variables (200 KB)', body: json({ query: 'query($s: String) { products(search: $s) { id } }', variables: { s: 'x'.repeat(200_000) } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'invalid JSON', body: '{"query": "{ __typename }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON that is not an object', body: '"{ __typename }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'no query at all', body: json({ variables: {} }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a query that is not a string', body: json({ query: { kind: 'Document' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables that are not an object', body: json({ query: '{ __typename }', variables: [1, 2] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a syntax error', body: json({ query: '{ product(id: "prod-0001") { id }' }), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'control characters in the document', body: json({ query: '{ \u0000\u0007 }' }), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field', body: json({ query: '{ products { secret } }' }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a variable of the wrong type', body: json({ query: 'query($id: ID!) { product(id: $id) { id } }', variables: { id: { $gt: '' } } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a missing required variable', body: json({ query: 'query($id: ID!) { product(id: $id) { id } }' }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an unknown operation name', body: json({ query: 'query A { __typename }', operationName: 'B' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'the wrong content type (text/plain)', headers: { 'content-type': 'text/plain' }, body: json({ query: '{ __typename }' }), status: 403, code: 'CSRF_HEADER_REQUIRED' },
  { name: 'an unsupported content type (application/xml)', headers: { 'content-type': 'application/xml', 'x-graphql-csrf': '1' }, body: '<query/>', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a GET without the CSRF header', method: 'GET', search: `?query=${encodeURIComponent('{ __typename }')}`, status: 403, code: 'CSRF_HEADER_REQUIRED' },
  { name: 'a mutation over GET', method: 'GET', headers: { 'x-graphql-csrf': '1' }, search: `?query=${encodeURIComponent('mutation { placeOrder(idempotencyKey: "k", customerId: "cust-0001", lines: []) { id } }')}`, status: 405, code: 'BAD_REQUEST' },
  { name: 'an unknown document hash', body: json({ documentId: `sha256:${createHash('sha256').update('nope').digest('hex')}` }), status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' },
  { name: 'an unknown Apollo persisted-query hash', body: json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }), status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' },
  { name: 'a forged token', token: 'forged', body: json({ query: '{ __typename }' }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an expired token', token: 'expired', body: json({ query: '{ __typename }' }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token for another audience', token: 'wrong-audience', body: json({ query: '{ __typename }' }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an Authorization that is not a bearer token', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, body: json({ query: '{ __typename }' }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'another customer\'s order', token: 'customer', body: json({ query: '{ order(id: "ord-00001") { id } }' }), status: 200, code: 'FORBIDDEN' },
  { name: 'placeOrder without a token', body: json({ query: 'mutation { placeOrder(idempotencyKey: "k", customerId: "cust-0001", lines: [{ productId: "prod-0001", quantity: 1 }]) { id } }' }), status: 401, code: 'UNAUTHENTICATED' },
];
