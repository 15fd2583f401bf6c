// Client authentication: JWT bearer tokens (a shared secret, or an issuer's keys from a JWKS URL),
// checked for signature, issuer, audience and expiry; field rules for personal data, orders,
// payments and placeOrder; 401 for a bad token or an operation refused as a whole.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mintToken } from '../gateway/plugins/auth/tokens.js';
import { DEMO_TOKEN_SECRET } from '../demo/launch.js';
import { customerById, ordersOf, paymentOfOrder, productById, world } from './helpers/expected.js';
import { subscribe, TRANSPORTS } from './helpers/subscribers.js';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

const AUTH = { secret: DEMO_TOKEN_SECRET, issuer: 'switchboard', audience: 'switchboard-api' };
const owner = world.customers[2]!;
const stranger = world.customers[3]!;
const order = ordersOf(owner.id)[0]!;

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());
beforeEach(() => switchboard.resetLogs());

const as = async (token: string | null, query: string, variables?: Record<string, unknown>) =>
  switchboard.query(query, variables, { authorization: token === null ? '' : `Bearer ${token}` });

describe('public data', () => {
  it('answers the catalog, stock, reviews and reviewers\' public profile without a token', async () => {
    const { status, body } = await as(null, '{ product(id: "prod-0001") { name reviews { author { id name country } } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.product.name).toBe(productById.get('prod-0001')!.name);
  });
});

describe('personal data, orders and payments', () => {
  const ORDER = 'query($id: ID!) { order(id: $id) { id total payment { amount } } }';

  it('answers a customer\'s own personal data and orders to that customer\'s token', async () => {
    const token = await mintToken(AUTH, { subject: owner.id });
    const { status, body } = await as(token, 'query($id: ID!) { customer(id: $id) { email orders { id } } }', { id: owner.id });
    expect([status, body]).toEqual([200, { data: { customer: { email: owner.email, orders: ordersOf(owner.id).map(({ id }) => ({ id })) } } }]);
  });

  it('refuses the personal fields only, with UNAUTHENTICATED, when there is no token; the rest is answered', async () => {
    const { status, body } = await as(null, '{ product(id: "prod-0002") { name } customer(id: "cust-0003") { name email } }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { product: { name: productById.get('prod-0002')!.name }, customer: null },
      errors: [{
        message: 'This field needs a bearer token: send `Authorization: Bearer <token>`.',
        path: ['customer', 'email'],
        extensions: { code: 'UNAUTHENTICATED' },
      }],
    });
  });

  it('refuses another customer\'s order with FORBIDDEN, and answers it to the owner and to staff', async () => {
    const expected = { order: { id: order.id, total: order.total, payment: paymentOfOrder.has(order.id) ? { amount: paymentOfOrder.get(order.id)!.amount } : null } };
    expect((await as(await mintToken(AUTH, { subject: owner.id }), ORDER, { id: order.id })).body).toEqual({ data: expected });
    expect((await as(switchboard.staffToken, ORDER, { id: order.id })).body).toEqual({ data: expected });
    const { status, body } = await as(await mintToken(AUTH, { subject: stranger.id }), ORDER, { id: order.id });
    expect([status, body.data, body.errors?.map((error) => [error.path, error.extensions?.code, error.message])]).toEqual([200, { order: null }, [
      [['order'], 'FORBIDDEN', 'This token may not read or act for another customer.'],
    ]]);
  });

  it('refuses an order without a token as a whole: 401, without asking any upstream', async () => {
    const response = await switchboard.gateway.yoga.fetch('http://switchboard/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ORDER, variables: { id: order.id } }),
    });
    expect([response.status, response.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    expect(await response.json()).toMatchObject({ data: { order: null }, errors: [{ path: ['order'], extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });
});

describe('placeOrder', () => {
  const PLACE = `mutation($key: String!, $customerId: ID!) {
    placeOrder(idempotencyKey: $key, customerId: $customerId, lines: [{ productId: "prod-0007", quantity: 1 }]) { id customer { name } }
  }`;

  it('needs a token: 401 without one, and nothing is reserved or charged', async () => {
    const { status, body } = await as(null, PLACE, { key: 'auth-1', customerId: owner.id });
    expect([status, body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });

  it('refuses an order for another customer with FORBIDDEN, and places one for the token\'s own', async () => {
    const token = await mintToken(AUTH, { subject: owner.id });
    const refused = await as(token, PLACE, { key: 'auth-2', customerId: stranger.id });
    expect(refused.body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['placeOrder'], 'FORBIDDEN']]);
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
    const placed = await as(token, PLACE, { key: 'auth-3', customerId: owner.id });
    expect(placed.body.data!.placeOrder.customer).toEqual({ name: customerById.get(owner.id)!.name });
  });
});

describe('bad tokens', () => {
  const QUERY = '{ product(id: "prod-0001") { name } }';
  const unsigned = (claims: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['forged (another secret)', () => mintToken({ ...AUTH, secret: 'an-attacker-secret-of-32-characters!' }, { subject: owner.id, scope: 'staff' }), 'invalid_token', 'the token\'s signature does not match'],
    ['expired (2 minutes ago)', () => mintToken(AUTH, { subject: owner.id, ttlSeconds: -120 }), 'invalid_token', 'the token has expired'],
    ['for another audience', () => mintToken(AUTH, { subject: owner.id, audience: 'another-api' }), 'invalid_token', 'the token is not meant for this API (aud)'],
    ['from another issuer', () => mintToken(AUTH, { subject: owner.id, issuer: 'someone-else' }), 'invalid_token', 'the token comes from another issuer (iss)'],
    ['unsigned (alg none)', async () => unsigned({ sub: owner.id, iss: AUTH.issuer, aud: AUTH.audience, exp: now() + 600, scope: 'staff' }), 'invalid_token', 'the token is signed with an algorithm this gateway does not accept'],
    ['without an expiry', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(owner.id).setIssuer(AUTH.issuer).setAudience(AUTH.audience)
      .sign(new TextEncoder().encode(AUTH.secret)), 'invalid_token', 'the token lacks a valid exp claim'],
    ['not a JWT', async () => 'not.a.jwt', 'invalid_token', 'the token is not a well-formed JWT'],
  ])('refuses a token %s with 401 and says why, before any upstream is asked', async (_, token, error, reason) => {
    const response = await switchboard.gateway.yoga.fetch('http://switchboard/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect([response.status, response.headers.get('www-authenticate')]).toEqual([401, `Bearer error="${error}"`]);
    expect(await response.json()).toEqual({ errors: [{ message: `The bearer token is refused: ${reason}.`, extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(callCounts(await switchboard.requests())).toEqual({ catalog: 0, payments: 0, inventory: 0, reviews: 0 });
  });

  it('refuses an Authorization header that is not a bearer token with 401 invalid_request', async () => {
    const { status, body } = await switchboard.query(QUERY, undefined, { authorization: 'Basic c3dpdGNoYm9hcmQ6cGFzc3dvcmQ=' });
    expect([status, body]).toEqual([401, { errors: [{ message: 'The Authorization header must read `Bearer <token>`.', extensions: { code: 'UNAUTHENTICATED' } }] }]);
  });
});

describe('payment events', () => {
  const EVENTS = 'subscription($orderId: ID) { paymentEvents(orderId: $orderId) { id } }';

  it.each(TRANSPORTS)('over %s: no token is UNAUTHENTICATED, another customer\'s order FORBIDDEN, a bad token refused', async (transport) => {
    const results = [];
    const cases: [Record<string, unknown>, string | undefined][] = [
      [{ orderId: order.id }, undefined],
      [{ orderId: order.id }, await mintToken(AUTH, { subject: stranger.id })],
      [{}, await mintToken(AUTH, { subject: owner.id })],
      [{ orderId: order.id }, await mintToken(AUTH, { subject: owner.id, ttlSeconds: -120 })],
    ];
    for (const [variables, token] of cases) {
      const subscriber = subscribe(transport, switchboard.url, EVENTS, variables, token);
      const result = await subscriber.next().catch((error: Error) => ({ failed: error.message }));
      subscriber.close();
      results.push('errors' in result ? result.errors!.map((error) => error.extensions?.code) : result);
    }
    expect(results).toEqual([['UNAUTHENTICATED'], ['FORBIDDEN'], ['FORBIDDEN'], ['UNAUTHENTICATED']]);
  });

  it('a customer\'s token subscribes to the events of its own order', async () => {
    const subscriber = subscribe('graphql-ws', switchboard.url, EVENTS, { orderId: order.id }, await mintToken(AUTH, { subject: owner.id }));
    try {
      const listening = () => switchboard.gateway.events.listenerCount('payments') > 0;
      for (let i = 0; i < 200 && !listening(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(listening()).toBe(true);
    } finally {
      subscriber.close();
    }
  });
});

describe('npm run token', () => {
  it('mints a token the gateway accepts, for a customer or for staff', async () => {
    const mint = (...args: string[]) => spawnSync('node_modules/.bin/tsx', ['scripts/token.ts', ...args], { encoding: 'utf8', env: { ...process.env, AUTH_JWT_SECRET: DEMO_TOKEN_SECRET } });
    const customer = mint(owner.id);
    expect(customer.status).toBe(0);
    const { body } = await as(customer.stdout.trim(), 'query($id: ID!) { customer(id: $id) { email } }', { id: owner.id });
    expect(body).toEqual({ data: { customer: { email: owner.email } } });
    const refused = mint();
    expect([refused.status, refused.stderr.trim()]).toEqual([1, 'No token: Name one subject, the customer id the token acts for: npm run token -- cust-0003 [--staff] [--ttl 3600]']);
  });
});

describe('tokens checked against an issuer\'s keys (AUTH_JWKS_URL)', () => {
  let issuer: Server;
  let keyed: TestSwitchboard;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
    issuer = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    keyed = await startTestSwitchboard({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/jwks.json`, AUTH_ISSUER: 'https://id.example/' });
  });
  afterAll(async () => {
    await keyed?.close();
    await new Promise((resolve) => issuer?.close(resolve));
    delete process.env.AUTH_JWKS_URL;
    delete process.env.AUTH_ISSUER;
  });

  const signed = (key: CryptoKey, kid = 'key-1') => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setSubject(owner.id)
    .setIssuer('https://id.example/').setAudience(AUTH.audience).setExpirationTime('10m').sign(key);
  const ask = async (token: string) => keyed.query('query($id: ID!) { customer(id: $id) { email } }', { id: owner.id }, { authorization: `Bearer ${token}` });

  it('accepts a token signed with a published key, and refuses one signed with another', async () => {
    expect((await ask(await signed(privateKey))).body).toEqual({ data: { customer: { email: owner.email } } });
    const other = await generateKeyPair('RS256');
    const refused = await ask(await signed(other.privateKey));
    expect([refused.status, refused.body.errors?.[0]?.message]).toEqual([401, 'The bearer token is refused: the token\'s signature does not match.']);
    const unknownKey = await ask(await signed(other.privateKey, 'key-2'));
    expect([unknownKey.status, unknownKey.body.errors?.[0]?.message]).toEqual([401, 'The bearer token is refused: the token is signed with a key the issuer does not publish.']);
    // A token signed with a shared secret is not one of the issuer's: HS256 is not accepted here.
    const hs = await ask(await mintToken({ ...AUTH, issuer: 'https://id.example/' }, { subject: owner.id }));
    expect([hs.status, hs.body.errors?.[0]?.message]).toEqual([401, 'The bearer token is refused: the token is signed with an algorithm this gateway does not accept.']);
  });
});
