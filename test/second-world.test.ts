// A second world, from configuration alone: three upstreams whose contracts nobody here wrote (a
// Swagger 2.0 shipping API keyed by an API key in the query, a SOAP 1.2 billing service that wants a
// WS-Security digest and wraps its invoices, a GraphQL CRM behind OAuth2 client credentials), added
// with `source:add --auth`, joined to each other and to the demo's orders and customers by @join in
// the SDL, and a shipping webhook (GitHub's signature) reaching a subscriber of an @event field. No
// line of gateway code is written for them; every upstream counts what it was asked.
import { createHmac, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TOKEN_SECRET, DEMO_VARIABLES, demoEndpoint } from '../demo/launch.js';
import { DEMO_SERVICE_NAMES, startDemoWorld, type DemoWorld } from '../demo/world/index.js';
import { mintToken } from '../gateway/plugins/auth/tokens.js';
import { FIXTURES, listen, serveSoap, type Upstream } from './helpers/contract-upstreams.js';
import { ordersOf, world } from './helpers/expected.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';
import { subscribe } from './helpers/subscribers.js';
import { usernameTokenValid } from './helpers/username-token.js';

const FOLDER = `${FIXTURES}second-world/`;
const customer = world.customers[2]!;
const orders = ordersOf(customer.id);
const SECRETS = {
  SHIPPING_API_KEY: 'ship-key-1', BILLING_USERNAME: 'shop', BILLING_PASSWORD: 'bill-pass-2', CRM_CLIENT_ID: 'crm-client', CRM_CLIENT_SECRET: 'crm-secret-3',
  SHIPPING_WEBHOOK_SECRET: 'ship-hook-4',
};
// The providers' own data, by order: one shipment each (two for the first), an invoice each, a CRM record.
const shipmentsOf = (orderId: string, index: number) => Array.from({ length: index === 0 ? 2 : 1 }, (_, n) => ({
  id: `SHP-${orderId}-${n}`, orderId, carrier: 'DHL', status: n === 0 ? 'DELIVERED' : 'IN_TRANSIT', trackingCode: `JD${index}${n}`,
}));
const SHIPMENTS = orders.flatMap((order, index) => shipmentsOf(order.id, index));
const INVOICES = orders.map((order, index) => ({ Number: `INV-${index + 1}`, OrderId: order.id, Total: String(order.total), Currency: order.currency }));

let demo: DemoWorld;
let shipping: Upstream;
let billing: Upstream;
let crm: Upstream & { tokens: number };
let project: ProjectCopy;
let gateway: RunningCopy;
const billingAuthentic: boolean[] = [];

beforeAll(async () => {
  demo = await startDemoWorld();
  shipping = await listen((req, res) => {
    const url = new URL(req.url!, 'http://shipping');
    if (url.searchParams.get('api_key') !== SECRETS.SHIPPING_API_KEY) return res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad key"}');
    const ids = url.searchParams.getAll('orderIds').flatMap((value) => value.split(','));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(SHIPMENTS.filter((shipment) => ids.includes(shipment.orderId))));
  });
  billing = await serveSoap(join(FOLDER, 'billing.wsdl'), {
    BillingService: {
      BillingSoap12Port: {
        GetInvoices: (args: { OrderId: string | string[] }) => {
          const envelope = billing.requests.at(-1)!.envelope ?? '';
          billingAuthentic.push(usernameTokenValid(envelope, { username: SECRETS.BILLING_USERNAME, password: SECRETS.BILLING_PASSWORD, type: 'digest' }));
          const ids = [args.OrderId].flat();
          return { Invoices: { Invoice: INVOICES.filter((invoice) => ids.includes(invoice.OrderId)) } };
        },
      },
    },
  });
  const contacts = createYoga({
    schema: createSchema({
      typeDefs: readFileSync(join(FOLDER, 'crm.graphql'), 'utf8'),
      resolvers: { Query: { contacts: (_: unknown, { customerIds }: { customerIds: string[] }) => customerIds.map((id) => ({ customerId: id, tier: 'GOLD', accountManager: 'Ines' })) } },
    }),
    logging: false,
  });
  const issued = new Set<string>();
  const crmServer = await listen(async (req, res, body) => {
    if (req.url === '/oauth/token') {
      const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (basic !== `${SECRETS.CRM_CLIENT_ID}:${SECRETS.CRM_CLIENT_SECRET}` || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
        return res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      }
      const token = randomUUID();
      issued.add(token);
      crm.tokens += 1;
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 3600 }));
    }
    if (!issued.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return res.writeHead(401).end();
    const answer = await contacts.fetch(`http://crm${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
  });
  crm = Object.assign(crmServer, { tokens: 0 });

  project = copyProject();
  const add = (...args: string[]) => {
    const result = project.run('npm', ['run', '-s', 'source:add', '--', ...args]);
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout;
  };
  add('shipping', join(FOLDER, 'shipping.swagger.json'), '--endpoint', `${shipping.url}/v3`, '--auth', 'apiKey:query:api_key');
  add('billing', join(FOLDER, 'billing.wsdl'), '--endpoint', `${billing.url}/soap`, '--auth', 'wsSecurity:digest');
  add('crm', join(FOLDER, 'crm.graphql'), '--endpoint', `${crm.url}/graphql`, '--auth', `oauth2:${crm.url}/oauth/token`);
  // What the user writes by hand: the joins and the subscription in the SDL, the webhook in the manifest.
  appendFileSync(join(project.root, 'demo', 'graph', 'schema.graphql'), readFileSync(join(FOLDER, 'joins.graphql'), 'utf8'));
  const manifestPath = join(project.root, 'sources', 'shipping', 'source.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.webhook = {
    secret: '{env.SHIPPING_WEBHOOK_SECRET}', signature: { scheme: 'github' }, format: 'json', topic: 'shipments',
    id: 'delivery', type: 'action', time: 'sentAt', invalidates: [{ type: 'ShippingShipment', key: 'shipment.id' }],
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const built = project.run('npm', ['run', '-s', 'build']);
  if (built.status !== 0) throw new Error(built.stderr);
  const demoUrls = Object.fromEntries(DEMO_SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, demoEndpoint(name, demo[name].url)]));
  gateway = await project.start({ ...DEMO_VARIABLES, ...demoUrls, ...SECRETS });
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  project?.remove();
  await Promise.all([shipping, billing, crm].map((upstream) => upstream?.close()));
  await demo?.close();
});

const staff = () => mintToken({ secret: DEMO_TOKEN_SECRET, issuer: 'switchboard', audience: 'switchboard-api' }, { subject: 'support-1', scope: 'staff' });
async function query(text: string, variables: Record<string, unknown>) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await staff()}` },
    body: JSON.stringify({ query: text, variables }),
  });
  return response.json() as Promise<{ data?: any; errors?: unknown[] }>;
}

it('answers a customer with the CRM\'s record, and each order with its shipments, their invoice and its own, one call per source', async () => {
  await Promise.all(DEMO_SERVICE_NAMES.map((name) => fetch(`${demo[name].url}/_admin/reset`, { method: 'POST' })));
  // What the upstreams were sent before (the gateway's start asks each whether it answers).
  const counts = () => [shipping.requests.length, billing.requests.length, crm.requests.filter((request) => request.url === '/graphql').length, crm.tokens];
  const before = counts();
  const body = await query(`query($id: ID!) {
    customer(id: $id) { name crm { tier accountManager } orders { id invoice { number total } shipments { id status invoice { number } } } }
  }`, { id: customer.id });
  expect(body.errors).toBeUndefined();
  expect(body.data.customer).toEqual({
    name: customer.name,
    crm: { tier: 'GOLD', accountManager: 'Ines' },
    orders: orders.map((order, index) => ({
      id: order.id,
      invoice: { number: `INV-${index + 1}`, total: String(order.total) },
      shipments: shipmentsOf(order.id, index).map((shipment) => ({ id: shipment.id, status: shipment.status, invoice: { number: `INV-${index + 1}` } })),
    })),
  });
  // One call each: the CRM for the customer, shipping for every order, billing for every order and
  // shipment (the same keys, one loader), after one token; the catalog for the customer and the orders.
  expect(counts().map((count, index) => count - before[index]!)).toEqual([1, 1, 1, 1]);
  const catalog = (await (await fetch(`${demo.catalog.url}/_admin/requests`)).json()) as { count: number };
  expect(catalog.count).toBe(2);
  // Each with its credential, checked by the provider: the key in the query, a digest in the envelope.
  expect(shipping.requests.at(-1)!.url).toMatch(/^\/v3\/shipments\?.*\bapi_key=ship-key-1(&|$)/);
  expect(billingAuthentic).toEqual([true]);
  expect(billing.requests.at(-1)!.headers?.contentType).toMatch(/^application\/soap\+xml/);
});

it('delivers a shipping webhook to a subscriber of its orders, joined to billing, and refuses a forged one', async () => {
  const order = orders[0]!;
  const events = subscribe('yoga-sse', gateway.url, 'subscription($orderId: ID) { shipmentEvents(orderId: $orderId) { id type shipment { id status invoice { number } } } }', { orderId: order.id }, await staff());
  await new Promise((resolve) => setTimeout(resolve, 300));
  const post = (payload: object, secret = SECRETS.SHIPPING_WEBHOOK_SECRET) => {
    const text = JSON.stringify(payload);
    return fetch(gateway.url.replace(/\/graphql$/, '/webhooks/shipping'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(text).digest('hex')}` },
      body: text,
    });
  };
  const shipment = { ...SHIPMENTS[0]!, status: 'DELIVERED' };
  expect((await post({ delivery: 'dlv-9', action: 'shipment.delivered', sentAt: '2026-12-06T10:00:00Z', shipment }, 'guess')).status).toBe(401);
  expect((await post({ delivery: 'dlv-8', action: 'shipment.created', sentAt: '2026-12-06T09:00:00Z', shipment: { ...shipment, orderId: 'ord-other' } })).status).toBe(200);
  expect((await post({ delivery: 'dlv-9', action: 'shipment.delivered', sentAt: '2026-12-06T10:00:00Z', shipment })).status).toBe(200);
  expect(await events.next(10_000)).toEqual({
    data: { shipmentEvents: { id: 'dlv-9', type: 'shipment.delivered', shipment: { id: shipment.id, status: 'DELIVERED', invoice: { number: 'INV-1' } } } },
  });
  events.close();
});
