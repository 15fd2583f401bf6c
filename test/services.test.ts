/**
 * The four demo upstreams, end to end over real sockets on port 0: exact data from the seeded world,
 * exact statuses and error bodies, and the request logs that prove what each call asked for.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as soap from 'soap';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCatalogService } from '../demo/catalog/app.js';
import { INVENTORY_PATH, INVENTORY_WSDL_PATH, startInventoryService } from '../demo/inventory/app.js';
import { startPaymentsService } from '../demo/payments/app.js';
import { startReviewsService } from '../demo/reviews/app.js';
import { DEMO_CREDENTIALS, startDemoServices, startDemoWorld, type ServiceHandle } from '../demo/world/index.js';
import { createWorld, type StockRecord } from '../demo/world/seed.js';
import { verifySignature } from '../gateway/events/signature.js';

/** The scheme the demo providers sign in, as sources/payments/source.json declares it. */
const STRIPE_SCHEME = { scheme: 'stripe', header: 'switchboard-signature', encoding: 'hex' } as const;

// The services build their own world; the same seed must give the same data.
const world = createWorld();

/**
 * The request log of a service, as `GET /_admin/requests` serves it, without the headers of each
 * entry (the fault and policy tests read those).
 */
async function requestsOf(service: ServiceHandle) {
  const response = await fetch(`${service.url}/_admin/requests`);
  const log = await response.json();
  return { ...log, requests: log.requests.map(({ headers: _, ...entry }: { headers: unknown }) => entry) };
}

function resetLog(service: ServiceHandle) {
  return fetch(`${service.url}/_admin/reset`, { method: 'POST' });
}

describe('catalog', () => {
  let catalog: ServiceHandle;
  /** `apiKey: null` sends no key. */
  const get = (path: string, apiKey: string | null = DEMO_CREDENTIALS.catalogApiKey) =>
    fetch(`${catalog.url}${path}`, { headers: apiKey === null ? {} : { 'x-api-key': apiKey } });

  beforeAll(async () => {
    catalog = await startCatalogService({ port: 0 });
  });
  afterAll(() => catalog.close());
  beforeEach(() => resetLog(catalog));

  it('reads a batch of products by ids in their order, leaves out unknown ids, in one logged call', async () => {
    const full = world.products.slice(0, 250).map((product) => product.id).reverse();
    expect(await (await get(`/products?ids=${full.join(',')}`)).json()).toEqual([...world.products.slice(0, 250)].reverse());
    await resetLog(catalog);

    const ids = ['prod-0007', 'prod-0003', 'prod-9999', 'prod-0001'];
    const response = await get(`/products?ids=${ids.join(',')}&first=2`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([world.products[6], world.products[2], world.products[0]]);
    expect(await requestsOf(catalog)).toEqual({
      count: 1,
      requests: [{
        method: 'GET', path: '/products', operation: 'listProducts', keys: ids, status: 200,
        query: { ids: ids.join(','), first: '2' },
      }],
    });
  });

  it('pages through products in id order with first and after', async () => {
    const firstPage = await (await get('/products?first=3')).json();
    const secondPage = await (await get(`/products?first=3&after=${firstPage[2].id}`)).json();
    const defaultPage = await (await get('/products')).json();

    expect(firstPage).toEqual(world.products.slice(0, 3));
    expect(secondPage).toEqual(world.products.slice(3, 6));
    expect(defaultPage).toEqual(world.products.slice(0, 20));
  });

  it('searches product names case-insensitively', async () => {
    const expected = world.products.filter((product) => product.name.toLowerCase().includes('desk lamp')).slice(0, 5);
    const response = await get('/products?search=DESK%20Lamp&first=5');

    expect(expected).toHaveLength(5);
    expect(await response.json()).toEqual(expected);
  });

  it('reads customers and orders by id, and the orders of customers newest first', async () => {
    const customers = await (await get('/customers?ids=cust-0002,cust-0001')).json();
    const order = await (await get('/orders/ord-00010')).json();
    const ofCustomers = await (await get('/orders?customerIds=cust-0001,cust-0002')).json();

    expect(customers).toEqual([world.customers[1], world.customers[0]]);
    expect(order).toEqual(world.orders[9]);
    expect(ofCustomers).toEqual(world.orders
      .filter((candidate) => candidate.customerId === 'cust-0001' || candidate.customerId === 'cust-0002')
      .sort((a, b) => b.placedAt.localeCompare(a.placedAt)));
  });

  it('answers 401 when the API key is missing or wrong', async () => {
    const missing = await get('/products', null);
    const wrong = await get('/products', 'not-the-key');

    expect([missing.status, await missing.json()]).toEqual([401, { error: 'unauthorized', message: 'The X-Api-Key header is missing.' }]);
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: 'unauthorized', message: 'The X-Api-Key header is wrong.' }]);
  });

  it('answers 400 over the batch cap and for a bad `first`, naming the parameter', async () => {
    const ids = world.products.slice(0, 251).map((product) => product.id).join(',');
    const cases = [
      [`/products?ids=${ids}`, '`ids` must be a comma-separated list of at most 250 ids, but got: 251.'],
      [`/customers?ids=${ids}`, '`ids` must be a comma-separated list of 1 to 250 ids, but got: 251.'],
      [`/orders?customerIds=${ids}`, '`customerIds` must be a comma-separated list of at most 250 ids, but got: 251.'],
      ['/customers', '`ids` must be a comma-separated list of 1 to 250 ids, but got: 0.'],
      ['/products?first=1001', '`first` must be an integer from 1 to 1000, but got: "1001".'],
      ['/products?first=2.5', '`first` must be an integer from 1 to 1000, but got: "2.5".'],
      ['/orders', 'Pass exactly one of `ids` and `customerIds`.'],
    ];
    for (const [path, message] of cases) {
      const response = await get(path!);
      expect([path, response.status, await response.json()]).toEqual([path, 400, { error: 'bad_request', message }]);
    }
  });

  it('answers 404 for an unknown id and an unknown route', async () => {
    const product = await get('/products/prod-9999');
    const route = await get('/nothing');

    expect([product.status, await product.json()]).toEqual([404, { error: 'not_found', message: 'No product with id "prod-9999".' }]);
    expect([route.status, await route.json()]).toEqual([404, { error: 'not_found', message: 'No route GET /nothing.' }]);
  });

  it('counts logged requests, leaves admin routes out, and resets', async () => {
    await get('/products/prod-0001');
    await get('/products/prod-0002', null);
    expect(await requestsOf(catalog)).toEqual({
      count: 2,
      requests: [
        { method: 'GET', path: '/products/prod-0001', operation: 'getProduct', keys: ['prod-0001'], status: 200, query: {} },
        { method: 'GET', path: '/products/prod-0002', operation: 'getProduct', keys: ['prod-0002'], status: 401, query: {} },
      ],
    });

    const reset = await resetLog(catalog);
    expect(reset.status).toBe(204);
    expect(await requestsOf(catalog)).toEqual({ count: 0, requests: [] });
  });
});

describe('payments', () => {
  let payments: ServiceHandle;
  const { paymentsClientId: clientId, paymentsClientSecret: clientSecret } = DEMO_CREDENTIALS;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const requestToken = (body: string, headers: Record<string, string> = {}) => fetch(`${payments.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  const tokenFor = async () => (await (await requestToken('grant_type=client_credentials', { authorization: basic(clientId, clientSecret) })).json()).access_token as string;
  const getPayments = (path: string, token?: string) =>
    fetch(`${payments.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    payments = await startPaymentsService({ port: 0, tokenTtlSeconds: 1 });
  });
  afterAll(() => payments.close());
  beforeEach(() => resetLog(payments));

  it('issues tokens to a client authenticated by HTTP Basic or by form fields', async () => {
    const byBasic = await requestToken('grant_type=client_credentials', { authorization: basic(clientId, clientSecret) });
    const byForm = await requestToken(`grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`);
    const tokens = [];
    for (const response of [byBasic, byForm]) {
      const body = await response.json();
      expect([response.status, response.headers.get('cache-control'), body]).toEqual([200, 'no-store', {
        access_token: expect.stringMatching(/^[\w-]{43}$/), token_type: 'Bearer', expires_in: 1, scope: 'payments:read payments:write',
      }]);
      tokens.push(body.access_token);
    }
    expect(tokens[0]).not.toBe(tokens[1]);
    expect((await requestsOf(payments)).requests.map((entry: { operation: string; keys: string[] }) => [entry.operation, entry.keys]))
      .toEqual([['issueToken', []], ['issueToken', []]]);
  });

  it('refuses a wrong client with 401 invalid_client and another grant type with 400 unsupported_grant_type', async () => {
    const wrongBasic = await requestToken('grant_type=client_credentials', { authorization: basic(clientId, 'wrong') });
    const wrongForm = await requestToken(`grant_type=client_credentials&client_id=${clientId}&client_secret=wrong`);
    const wrongGrant = await requestToken('grant_type=password', { authorization: basic(clientId, clientSecret) });

    expect([wrongBasic.status, wrongBasic.headers.get('www-authenticate'), await wrongBasic.json()])
      .toEqual([401, 'Basic realm="payments"', { error: 'invalid_client' }]);
    expect([wrongForm.status, await wrongForm.json()]).toEqual([401, { error: 'invalid_client' }]);
    expect([wrongGrant.status, await wrongGrant.json()]).toEqual([400, { error: 'unsupported_grant_type' }]);
  });

  it('reads the payments of a batch of orders in one logged call', async () => {
    const token = await tokenFor();
    const orderIds = ['ord-00005', 'ord-00002', 'ord-99999'];
    const response = await getPayments(`/payments?orderIds=${orderIds.join(',')}`, token);
    const one = await getPayments('/payments/pay-00003', token);

    expect([response.status, await response.json()]).toEqual([200, [world.payments[4], world.payments[1]]]);
    expect([one.status, await one.json()]).toEqual([200, world.payments[2]]);
    expect((await requestsOf(payments)).requests[1]).toEqual({
      method: 'GET', path: '/payments', operation: 'listPayments', keys: orderIds, status: 200, query: { orderIds: orderIds.join(',') },
    });
  });

  it('answers 400 over the batch cap', async () => {
    const orderIds = world.orders.slice(0, 101).map((order) => order.id).join(',');
    const response = await getPayments(`/payments?orderIds=${orderIds}`, await tokenFor());

    expect([response.status, await response.json()]).toEqual([400, {
      error: 'bad_request', message: '`orderIds` must be a comma-separated list of 1 to 100 ids, but got: 101.',
    }]);
  });

  it('answers 401 invalid_token for a missing, unknown or expired token', async () => {
    const token = await tokenFor();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const cases = [
      [undefined, 'The bearer token is missing.'],
      ['not-a-token', 'The bearer token is not known.'],
      [token, 'The bearer token has expired.'],
    ];
    for (const [presented, message] of cases) {
      const response = await getPayments('/payments?orderIds=ord-00001', presented);
      expect([response.status, response.headers.get('www-authenticate'), await response.json()])
        .toEqual([401, 'Bearer error="invalid_token"', { error: 'invalid_token', message }]);
    }
  });
});

describe('payments webhooks', () => {
  let payments: ServiceHandle;
  let receiver: Server;
  const received: { body: string; signature: string; contentType: string }[] = [];
  const answers = [503, 200];

  beforeAll(async () => {
    payments = await startPaymentsService({ port: 0, serving: { webhookRetry: { baseDelayMs: 10, maxDelayMs: 50 } } });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['switchboard-signature']), contentType: String(req.headers['content-type']) });
        res.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(async () => {
    await payments.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const admin = async () => (await fetch(`${payments.url}/_admin/webhooks`)).json();
  const charge = async () => {
    const token = (await (await fetch(`${payments.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${DEMO_CREDENTIALS.paymentsClientId}&client_secret=${DEMO_CREDENTIALS.paymentsClientSecret}`,
    })).json()).access_token;
    return fetch(`${payments.url}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'hook-1' },
      body: JSON.stringify({ orderId: 'ord-hook', amount: 12.5, currency: 'EUR' }),
    });
  };

  it('holds events until pointed somewhere, then delivers each signed, retrying until 2xx, once per charge', async () => {
    const created = await (await charge()).json();
    expect(await admin()).toEqual({ target: null, pending: 1, delivered: 0, attempts: 0, deliveries: [{ id: expect.stringMatching(/^evt_/), type: 'payment.succeeded', attempts: [], delivered: false }] });

    const refused = await fetch(`${payments.url}/_admin/webhooks`, { method: 'PUT', body: '{"url":"ftp://example"}' });
    expect([refused.status, (await refused.json()).error]).toEqual([400, 'bad_target']);
    const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/payments`;
    const pointed = await fetch(`${payments.url}/_admin/webhooks`, { method: 'PUT', body: JSON.stringify({ url: target }) });
    expect([pointed.status, await pointed.json()]).toEqual([200, { target }]);
    await payments.webhooks!.settled();

    // The same Idempotency-Key again is the same charge: no second event.
    expect((await charge()).headers.get('idempotent-replayed')).toBe('true');
    await payments.webhooks!.settled();
    const report = await admin();
    expect(report).toMatchObject({ target, pending: 0, delivered: 1, attempts: 2 });
    expect(report.deliveries[0].attempts).toEqual([503, 200]);

    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    for (const delivery of received) {
      expect(delivery.contentType).toBe('application/json; charset=utf-8');
      expect(verifySignature(STRIPE_SCHEME, new Headers({ 'switchboard-signature': delivery.signature }), Buffer.from(delivery.body), DEMO_CREDENTIALS.paymentsWebhookSecret)).toEqual({ ok: true });
    }
    expect(JSON.parse(received[0]!.body)).toEqual({
      id: report.deliveries[0].id,
      type: 'payment.succeeded',
      occurredAt: expect.any(String),
      data: { payment: created },
    });
  });
});

describe('inventory', () => {
  let inventory: ServiceHandle;
  let endpoint: string;
  const { inventoryUsername: username, inventoryPassword: password } = DEMO_CREDENTIALS;
  const stock = new Map(world.stock.map((record) => [record.sku, record]));

  async function clientWith(security: soap.ISecurity) {
    const client = await soap.createClientAsync(INVENTORY_WSDL_PATH, { endpoint });
    client.setSecurity(security);
    return client;
  }

  /** The SOAP Fault and HTTP status of a call that must fail. */
  async function faultOf(call: Promise<unknown>) {
    const error = await call.then(() => expect.fail('the call should have failed'), (failure: unknown) => failure);
    const { root, response } = error as { root: { Envelope: { Body: { Fault: unknown } } }; response: { status: number } };
    return { status: response.status, fault: root.Envelope.Body.Fault };
  }

  /** The WSDL's StockLevel of a record, as node-soap's client parses it (no element for no warehouse). */
  function levelOf(record: StockRecord) {
    const warehouses = record.warehouses.map(({ warehouse, quantity }) => ({ Warehouse: warehouse, Quantity: quantity }));
    const total = record.warehouses.reduce((sum, line) => sum + line.quantity, 0);
    return { Sku: record.sku, Total: total, ...(warehouses.length > 0 ? { Warehouses: warehouses } : {}) };
  }

  beforeAll(async () => {
    inventory = await startInventoryService({ port: 0 });
    endpoint = `${inventory.url}${INVENTORY_PATH}`;
  });
  afterAll(() => inventory.close());
  beforeEach(() => resetLog(inventory));

  it('answers a batch of SKUs in request order, unknown SKUs left out, in one logged call', async () => {
    const withoutStock = world.stock.find((record) => record.warehouses.length === 0)!.sku;
    const skus = ['SKU-0003', 'SKU-0001', 'SKU-9999', withoutStock, 'SKU-0002'];
    const client = await clientWith(new soap.WSSecurity(username, password));
    const [result] = await client.GetStockLevelsAsync({ Sku: skus });

    expect(result).toEqual({ StockLevel: ['SKU-0003', 'SKU-0001', withoutStock, 'SKU-0002'].map((sku) => levelOf(stock.get(sku)!)) });
    expect(await requestsOf(inventory)).toEqual({
      count: 1,
      requests: [{ method: 'POST', path: '/inventory', operation: 'GetStockLevels', keys: skus, status: 200 }],
    });
  });

  it('accepts a PasswordDigest UsernameToken', async () => {
    const client = await clientWith(new soap.WSSecurity(username, password, { passwordType: 'PasswordDigest' }));
    const [result] = await client.GetStockLevelsAsync({ Sku: ['SKU-0004'] });

    expect(result).toEqual({ StockLevel: [levelOf(stock.get('SKU-0004')!)] });
  });

  it('answers a wrong password with a wsse:FailedAuthentication Fault and logs the call', async () => {
    const client = await clientWith(new soap.WSSecurity(username, 'wrong'));

    expect(await faultOf(client.GetStockLevelsAsync({ Sku: ['SKU-0001'] }))).toEqual({
      status: 500,
      fault: { faultcode: 'wsse:FailedAuthentication', faultstring: 'The security token could not be authenticated or authorized' },
    });
    expect((await requestsOf(inventory)).requests).toEqual([
      { method: 'POST', path: '/inventory', operation: 'GetStockLevels', keys: ['SKU-0001'], status: 500 },
    ]);
  });

  it('answers a request without SOAPAction with a soap:Client Fault and HTTP 500, before reading it', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
    });

    expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([500, 'text/xml; charset=utf-8',
      '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
      + '<faultcode>soap:Client</faultcode><faultstring>The SOAPAction header must be one of '
      + ['GetStockLevels', 'ReserveStock', 'ReleaseReservation', 'CommitReservation'].map((op) => `"http://switchboard.example/inventory/${op}"`).join(', ')
      + ', but got: none.</faultstring>'
      + '</soap:Fault></soap:Body></soap:Envelope>']);
    expect((await requestsOf(inventory)).requests).toEqual([{ method: 'POST', path: '/inventory', operation: '', keys: [], status: 500 }]);
  });

  it('fails the whole call with a soap:Server STOCK_LOCKED Fault when a SKU is locked for audit', async () => {
    const locked = world.stock.find((record) => record.lockedForAudit)!.sku;
    const client = await clientWith(new soap.WSSecurity(username, password));

    expect(await faultOf(client.GetStockLevelsAsync({ Sku: ['SKU-0001', locked] }))).toEqual({
      status: 500,
      fault: {
        faultcode: 'soap:Server',
        faultstring: `Stock record ${locked} is locked for a stock audit.`,
        detail: { InventoryFault: { Code: 'STOCK_LOCKED', Sku: locked } },
      },
    });
  });

  it('refuses more than 250 SKUs with a soap:Client BATCH_TOO_LARGE Fault', async () => {
    const skus = world.stock.filter((record) => !record.lockedForAudit).slice(0, 251).map((record) => record.sku);
    const client = await clientWith(new soap.WSSecurity(username, password));

    expect(await faultOf(client.GetStockLevelsAsync({ Sku: skus }))).toEqual({
      status: 500,
      fault: {
        faultcode: 'soap:Client',
        faultstring: 'GetStockLevels takes at most 250 SKUs per call, but got: 251.',
        detail: { InventoryFault: { Code: 'BATCH_TOO_LARGE' } },
      },
    });
  });
});

describe('reviews', () => {
  let reviews: ServiceHandle;
  const PRODUCT_REVIEWS = 'query ($ids: [ID!]!) { productReviews(productIds: $ids) '
    + '{ productId averageRating count reviews { id productId customerId rating title body createdAt } } }';
  /** `token: null` sends no Authorization header. */
  const post = (body: unknown, token: string | null = DEMO_CREDENTIALS.reviewsToken) => fetch(`${reviews.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });

  /** What the seed says `productReviews` must answer for one product. */
  function expectedReviewsOf(productId: string) {
    const ofProduct = world.reviews
      .filter((review) => review.productId === productId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const mean = ofProduct.reduce((sum, review) => sum + review.rating, 0) / ofProduct.length;
    return {
      productId,
      averageRating: ofProduct.length === 0 ? null : Math.round(mean * 100) / 100,
      count: ofProduct.length,
      reviews: ofProduct,
    };
  }

  beforeAll(async () => {
    reviews = await startReviewsService({ port: 0 });
  });
  afterAll(() => reviews.close());
  beforeEach(() => resetLog(reviews));

  it('answers productReviews for a batch of ids, in their order, in one logged call', async () => {
    const unreviewed = world.products.find((product) => !world.reviews.some((review) => review.productId === product.id))!.id;
    const ids = ['prod-0002', 'prod-0001', unreviewed, 'prod-9999'];
    const response = await post({ query: PRODUCT_REVIEWS, variables: { ids } });

    expect([response.status, await response.json()]).toEqual([200, { data: { productReviews: ids.map(expectedReviewsOf) } }]);
    expect(expectedReviewsOf('prod-0001').count).toBeGreaterThan(1);
    expect(await requestsOf(reviews)).toEqual({
      count: 1,
      requests: [{ method: 'POST', path: '/graphql', operation: 'productReviews', keys: ids, status: 200 }],
    });
  });

  it('answers review by id, and null for an unknown id', async () => {
    const response = await post({
      query: '{ review(id: "rev-00003") { id productId customerId rating title body createdAt } none: review(id: "rev-0") { id } }',
    });

    expect(await response.json()).toEqual({ data: { review: world.reviews[2], none: null } });
    expect((await requestsOf(reviews)).requests[0]).toMatchObject({ operation: 'review,review', keys: [] });
  });

  it('refuses more than 500 product ids with a GraphQL error', async () => {
    const ids = world.products.slice(0, 501).map((product) => product.id);
    const response = await post({ query: PRODUCT_REVIEWS, variables: { ids } });

    expect(await response.json()).toEqual({
      data: null,
      errors: [{
        message: '`productIds` must list at most 500 ids, but got: 501.',
        locations: [{ line: 1, column: PRODUCT_REVIEWS.indexOf('productReviews') + 1 }],
        path: ['productReviews'],
        extensions: { code: 'BAD_USER_INPUT' },
      }],
    });
  });

  it('answers 401 with WWW-Authenticate when the bearer token is missing or wrong', async () => {
    const missing = await post({ query: '{ review(id: "rev-00001") { id } }' }, null);
    const wrong = await post({ query: '{ review(id: "rev-00001") { id } }' }, 'wrong');

    expect([missing.status, missing.headers.get('www-authenticate'), await missing.json()]).toEqual([401, 'Bearer realm="reviews"', {
      errors: [{ message: 'An `Authorization: Bearer <token>` header is required.', extensions: { code: 'UNAUTHENTICATED' } }],
    }]);
    expect([wrong.status, wrong.headers.get('www-authenticate'), await wrong.json()]).toEqual([401, 'Bearer realm="reviews", error="invalid_token"', {
      errors: [{ message: 'The bearer token is wrong.', extensions: { code: 'UNAUTHENTICATED' } }],
    }]);
    expect((await requestsOf(reviews)).requests.map((entry: { status: number }) => entry.status)).toEqual([401, 401]);
  });
});

describe('startDemoWorld', () => {
  it('starts the four upstreams over one world and closes them', async () => {
    const demo = await startDemoWorld();
    try {
      const services = [demo.catalog, demo.payments, demo.inventory, demo.reviews];
      expect(services.map((service) => service.name)).toEqual(['catalog', 'payments', 'inventory', 'reviews']);
      expect(demo.world).toEqual(world);
      for (const service of services) {
        expect([service.url, await requestsOf(service)]).toEqual([`http://127.0.0.1:${service.port}`, { count: 0, requests: [] }]);
      }
    } finally {
      await demo.close();
    }
    await expect(fetch(`${demo.catalog.url}/_admin/requests`)).rejects.toThrow();
  });

  it('starts only the services asked for, on the ports asked for', async () => {
    const demo = await startDemoServices(['reviews']);
    try {
      expect(Object.keys(demo)).toEqual(['reviews']);
    } finally {
      await demo.reviews?.close();
    }
  });

  it('refuses a taken port and a bad token lifetime with messages that name them', async () => {
    const taken = await startCatalogService();
    try {
      await expect(startDemoServices(['reviews', 'catalog'], (name) => (name === 'catalog' ? taken.port : 0)))
        .rejects.toThrow(`catalog could not listen on 127.0.0.1:${taken.port}: listen EADDRINUSE`);
    } finally {
      await taken.close();
    }
    await expect(startPaymentsService({ tokenTtlSeconds: 0 })).rejects.toThrow('tokenTtlSeconds must be a positive integer, but got: 0.');
  });
});

describe('quota and fault injection', () => {
  let catalog: ServiceHandle;
  const key = { 'x-api-key': DEMO_CREDENTIALS.catalogApiKey };
  const faults = (method: string, body?: unknown) =>
    fetch(`${catalog.url}/_admin/faults`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    catalog = await startCatalogService({ port: 0 });
  });
  afterAll(() => catalog.close());

  it('refuses a call over the quota with 429 and Retry-After', async () => {
    const limited = await startCatalogService({ port: 0, serving: { quota: { perSecond: 1, burst: 3 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await fetch(`${limited.url}/products/prod-0001`, { headers: key }));
      expect(statuses.map((response) => response.status)).toEqual([200, 200, 200, 429]);
      expect(statuses[3]!.headers.get('retry-after')).toBe('1');
      expect(await statuses[3]!.json()).toEqual({ error: 'rate_limited', message: 'Over the quota of 1 calls per second.' });
    } finally {
      await limited.close();
    }
  });

  it('hits only the operations and the number of requests a fault names, then forgets it', async () => {
    expect((await faults('POST', { kind: 'error', status: 503, operations: ['listCustomers'], count: 1 })).status).toBe(201);
    expect(await (await faults('GET')).json()).toEqual({ faults: [{ kind: 'error', status: 503, operations: ['listCustomers'], count: 1 }] });
    const other = await fetch(`${catalog.url}/products/prod-0001`, { headers: key });
    const hit = await fetch(`${catalog.url}/customers?ids=cust-0001`, { headers: key });
    const after = await fetch(`${catalog.url}/customers?ids=cust-0001`, { headers: key });
    expect([other.status, hit.status, after.status]).toEqual([200, 503, 200]);
    expect(await hit.json()).toEqual({ error: 'injected_fault', message: 'HTTP 503: the service is having trouble.' });
    expect(await (await faults('GET')).json()).toEqual({ faults: [] });
  });

  it.each([
    [{ kind: 'explode' }, '`kind` must be one of latency, error, rate-limit, malformed, reset, down, soap-fault, but got: "explode".'],
    [{ kind: 'soap-fault' }, '`soap-fault` is for SOAP services only.'],
    [{ kind: 'latency' }, 'A `latency` fault needs `ms`.'],
    [{ kind: 'error', rate: 2 }, '`rate` must be a number from 0 to 1, but got: 2.'],
    [{ kind: 'error', status: 200 }, '`status` must be an integer from 400 to 599, but got: 200.'],
    [{ kind: 'reset', phase: 'during' }, '`phase` must be "before" or "after", but got: "during".'],
    [{ kind: 'down', when: 'now' }, 'A fault has no field "when"; known: kind, operations, count, rate, ms, phase, status, retryAfterSeconds.'],
    ['not json', 'The body must be JSON: one fault or a list of faults.'],
  ])('refuses the fault %j with a 400 that says why', async (fault, message) => {
    const response = await fetch(`${catalog.url}/_admin/faults`, { method: 'POST', body: fault === 'not json' ? '{' : JSON.stringify(fault) });
    expect([response.status, await response.json()]).toEqual([400, { error: 'bad_fault', message }]);
  });

  it('clears every fault with DELETE', async () => {
    await faults('POST', [{ kind: 'down' }, { kind: 'malformed' }]);
    expect((await faults('DELETE')).status).toBe(204);
    expect(await (await faults('GET')).json()).toEqual({ faults: [] });
  });
});
