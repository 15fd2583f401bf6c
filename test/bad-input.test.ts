// The bad-input battery: each request a careless or hostile client sends gets its status and code,
// quickly, and nothing internal; afterwards the gateway is healthy. Then trusted documents, and what
// production turns off (introspection, GraphiQL, CORS for unlisted origins).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MANIFEST_PATH } from '../gateway/plugins/use-trusted-documents.js';
import { DEMO_TOKEN_SECRET } from '../demo/launch.js';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { BAD_REQUESTS, tokenOfKind, type BadRequest } from './helpers/bad-input.js';
import { productById } from './helpers/expected.js';
import { createResponseAudit, findLeak } from './helpers/response-audit.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

/** Sends one bad request over the gateway's socket, as a client would. */
async function send(request: BadRequest) {
  const token = await tokenOfKind(request.token);
  const headers: Record<string, string> = {
    accept: 'application/graphql-response+json',
    ...(request.method === 'GET' ? {} : { 'content-type': 'application/json' }),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...request.headers,
  };
  const started = performance.now();
  const response = await fetch(`${switchboard.url}${request.search ?? ''}`, { method: request.method ?? 'POST', headers, body: request.method === 'GET' ? undefined : request.body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

const SECRETS = () => [
  DEMO_CREDENTIALS.catalogApiKey, DEMO_CREDENTIALS.paymentsClientSecret, DEMO_CREDENTIALS.inventoryPassword, DEMO_CREDENTIALS.reviewsToken,
  DEMO_CREDENTIALS.paymentsWebhookSecret, DEMO_CREDENTIALS.inventoryWebhookSecret, DEMO_TOKEN_SECRET,
  ...['catalog', 'payments', 'inventory', 'reviews'].map((name) => switchboard.world[name as 'catalog'].url),
];

describe('the bad-input battery', () => {
  it('has at least 30 cases', () => {
    expect(BAD_REQUESTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_REQUESTS.map((request) => [request.name, request] as const))('%s: its status and code, within 100 ms, nothing internal', async (_, request) => {
    // Warm: the first request of a kind may compile or load something once; the answer must not change.
    await send(request);
    const { status, text, ms } = await send(request);
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    expect({ status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status: request.status, code: request.code });
    expect(ms).toBeLessThan(100);
    expect(findLeak(text, SECRETS())).toBeUndefined();
  });

  it('refuses a body sent without Content-Length (chunked) as soon as it passes the limit', async () => {
    const { request } = await import('node:http');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(`{"query":"{ __typename }","pad":"`);
      // 40 chunks of 4 KB: 160 KB in all, over the 100 KB limit; the gateway answers without waiting for the end.
      for (let i = 0; i < 40; i++) req.write('x'.repeat(4096));
      req.end('"}');
    });
    expect([answer.status, JSON.parse(answer.body).errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('cuts off a client that keeps sending long after its body was refused, and answers the next request', async () => {
    const { request } = await import('node:http');
    const outcome = await new Promise<string>((resolve) => {
      const req = request(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume().on('end', () => resolve(`answered ${res.statusCode}`)).on('error', () => resolve(`answered ${res.statusCode}, then cut`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(`cut: ${error.code}`));
      // 8 MB, far past the 100 KB limit and the 1 MB the gateway drops after refusing: it stops reading.
      const chunk = 'x'.repeat(65_536);
      let sent = 0;
      const write = () => {
        while (sent < 128) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      req.write('{"query":"{ __typename }","pad":"');
      write();
    });
    expect(outcome).toMatch(/^(answered 413|cut: (ECONNRESET|EPIPE))/);
    const { status, body } = await switchboard.query('{ product(id: "prod-0003") { name } }');
    expect([status, body.data!.product.name]).toEqual([200, productById.get('prod-0003')!.name]);
  });

  it('leaves the gateway healthy: /health answers and a normal query is whole', async () => {
    const health = await fetch(`${switchboard.origin}/health`);
    expect(health.status).toBe(200);
    const { status, body } = await switchboard.query('{ product(id: "prod-0003") { name rating } }');
    expect(status).toBe(200);
    expect(body.data!.product.name).toBe(productById.get('prod-0003')!.name);
    expect(body.errors).toBeUndefined();
  });

  it('checks every answer of the suite\'s gateways for stacks, upstream addresses and secrets, and would see one', async () => {
    expect(switchboard.auditedAnswers()).toBeGreaterThanOrEqual(BAD_REQUESTS.length * 2);
    const secret = DEMO_CREDENTIALS.inventoryPassword;
    expect(findLeak(JSON.stringify({ errors: [{ message: String(new Error('boom').stack) }] }), [])).toBe('a stack trace');
    expect(findLeak(`{"message":"${switchboard.world.catalog.url}/products failed"}`, SECRETS())).toMatch(/an upstream address or a secret/);
    expect(findLeak(`{"password":"${secret}"}`, SECRETS())).toMatch(/an upstream address or a secret/);
    const audit = createResponseAudit(() => [secret]);
    await audit.plugin.onResponse!({ request: new Request('http://switchboard/graphql'), response: Response.json({ echoed: secret }) } as never);
    expect(audit.findings).toEqual([`GET /graphql answered "${secret}" (an upstream address or a secret): {"echoed":"${secret}"}`]);
  });
});

describe('trusted documents', () => {
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
  const [hash, document] = Object.entries(manifest).find(([, text]) => text.includes('ProductDetails'))!;

  it('runs a document from the manifest by its hash, as documentId or as Apollo\'s persisted query', async () => {
    expect(document).toContain('query ProductDetails');
    const byId = await fetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId: hash, variables: { id: 'prod-0002' } }) });
    const apollo = await fetch(switchboard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash.replace('sha256:', '') } }, variables: { id: 'prod-0002' } }),
    });
    for (const response of [byId, apollo]) {
      const body = await response.json();
      expect([response.status, body.data?.product?.name]).toEqual([200, productById.get('prod-0002')!.name]);
    }
  });
});

describe('TRUSTED_DOCUMENTS=only', () => {
  let locked: TestSwitchboard;
  beforeAll(async () => {
    locked = await startTestSwitchboard({ TRUSTED_DOCUMENTS: 'only' });
  });
  afterAll(async () => {
    await locked?.close();
    delete process.env.TRUSTED_DOCUMENTS;
  });

  it('runs trusted documents only: a document sent as text is refused with PERSISTED_QUERY_ONLY, a hash runs', async () => {
    const { status, body } = await locked.query('{ product(id: "prod-0001") { name } }');
    expect([status, body.errors?.[0]?.extensions?.code]).toEqual([400, 'PERSISTED_QUERY_ONLY']);
    const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
    const hash = Object.entries(manifest).find(([, text]) => text.includes('ProductDetails'))![0];
    const byHash = await fetch(locked.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId: hash, variables: { id: 'prod-0001' } }) });
    expect((await byHash.json()).data.product.name).toBe(productById.get('prod-0001')!.name);
  });
});

describe('in production (NODE_ENV=production, CORS_ORIGINS=https://shop.example)', () => {
  let production: TestSwitchboard;
  beforeAll(async () => {
    production = await startTestSwitchboard({ NODE_ENV: 'production', CORS_ORIGINS: 'https://shop.example' });
  });
  afterAll(async () => {
    await production?.close();
    process.env.NODE_ENV = 'test';
    delete process.env.CORS_ORIGINS;
  });

  it('answers no introspection and serves no GraphiQL', async () => {
    const page = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(page.status).not.toBe(200);
    expect(await page.text()).not.toContain('graphiql');
    const introspection = await fetch(production.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    });
    const refused = await introspection.json();
    expect([introspection.status, refused.errors?.[0]?.extensions?.code, refused.data]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED', undefined]);
    expect(refused.errors[0].message).toMatch(/introspection/i);
    // Nor do validation errors spell the schema out.
    const misspelt = await production.query('{ prodct(id: "prod-0001") { name } }');
    expect(misspelt.body.errors?.[0]?.message).toBe('Cannot query field "prodct" on type "Query". [Suggestion hidden]');
    const development = await switchboard.query('{ prodct(id: "prod-0001") { name } }');
    expect(development.body.errors?.[0]?.message).toBe('Cannot query field "prodct" on type "Query". Did you mean "product" or "products"?');
  });

  it('lets the listed origin call from a browser, and no other', async () => {
    const preflight = (origin: string) => fetch(production.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBe('https://shop.example');
    // yoga names the allowed origin whoever asks; a browser on another origin then refuses the answer.
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});
