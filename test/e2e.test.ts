// End to end over real sockets: what `npm start` runs (.mesh/demo.mjs) with PORT=0 (the gateway and the demo
// upstreams on free ports), the front-page query, health, the GraphQL-over-HTTP audit, and GraphiQL
// in headless Chromium with every non-local request refused.
import { serverAudits } from 'graphql-http';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoBundle, type DemoBundle } from './helpers/demo-bundle.js';
import { customerById, reviewsOf, stockOf, world } from './helpers/expected.js';

const FRONT_PAGE = '{ products(first: 100) { id name stock { total } reviews { rating author { name } } } }';

let demo: DemoBundle;
let gatewayUrl: string;
let demoUrls: Record<string, string>;
let startedIn: number;

beforeAll(async () => {
  // Production, with GraphiQL enabled as an operator would for this test (it is off by default there).
  demo = await startDemoBundle({ GRAPHIQL: 'true' });
  ({ gatewayUrl, demoUrls } = demo);
  const first = await post(FRONT_PAGE);
  expect(first.status).toBe(200);
  startedIn = Date.now() - demo.spawnedAt;
}, 60_000);

afterAll(async () => {
  await demo?.stop();
});

async function post(query: string) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

describe('npm start', () => {
  it('prints the gateway URL and the four demo upstreams, and answers the front-page query within 10 s', async () => {
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(Object.keys(demoUrls).sort()).toEqual(['catalog', 'inventory', 'payments', 'reviews']);
    expect(startedIn).toBeLessThan(10_000);
    const { body } = await post(FRONT_PAGE);
    expect(body.data.products).toHaveLength(100);
    expect(body.data.products[0]).toEqual({
      id: world.products[0]!.id,
      name: world.products[0]!.name,
      stock: { total: stockOf(world.products[0]!.sku).total },
      reviews: reviewsOf(world.products[0]!.id).map((r) => ({ rating: r.rating, author: { name: customerById.get(r.customerId)!.name } })),
    });
  });

  it('serves the demo upstreams request logs, showing the batched calls and what the caches keep', async () => {
    await Promise.all(Object.values(demoUrls).map((url) => fetch(`${url}/_admin/reset`, { method: 'POST' })));
    const counts = async () => Object.fromEntries(await Promise.all(Object.entries(demoUrls).map(async ([name, url]) => {
      const log = (await (await fetch(`${url}/_admin/requests`)).json()) as { count: number };
      return [name, log.count];
    })));
    // The next hundred products: one call per source and level, however many products.
    const next = await post(FRONT_PAGE.replace('first: 100', `first: 100, after: "${world.products[99]!.id}"`));
    expect(next.body.data.products).toHaveLength(100);
    expect(await counts()).toEqual({ catalog: 2, payments: 0, inventory: 1, reviews: 1 });
    // The front page again, asked before: every type it holds has a freshness (the manifests' "cache", the graph's
    // @cacheControl for reviews), so the response cache answers it whole, and nobody is asked.
    const again = await post(FRONT_PAGE);
    expect(again.body.data.products).toHaveLength(100);
    expect(await counts()).toEqual({ catalog: 2, payments: 0, inventory: 1, reviews: 1 });
    // Another selection of the same products runs, and finds their stock and authors in the entity cache.
    await post(FRONT_PAGE.replace('id name', 'id sku'));
    expect(await counts()).toEqual({ catalog: 3, payments: 0, inventory: 1, reviews: 2 });
  });

  it('answers GET /healthz with 200', async () => {
    const response = await fetch(new URL('/healthz', gatewayUrl));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', requests: { running: 0, waiting: 0, limit: expect.any(Number) } });
  });

  it('passes every MUST of the GraphQL-over-HTTP audit', async () => {
    // GET requests must carry Switchboard's CSRF header (a browser page elsewhere cannot send it).
    const audits = serverAudits({
      url: gatewayUrl,
      fetchFn: (input: RequestInfo | URL, init: RequestInit = {}) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), 'x-graphql-csrf': '1' } }),
    });
    const results = await Promise.all(audits.map(async (audit) => ({ ...(await audit.fn()), name: audit.name })));
    const failedMusts = results.filter((r) => r.status === 'error' && r.name.startsWith('MUST'));
    const tally: Record<string, number> = { ok: 0, warn: 0, notice: 0, error: 0 };
    for (const r of results) tally[r.status] = (tally[r.status] ?? 0) + 1;
    console.log(`graphql-http audit: ${results.length} audits, ${tally.ok} ok, ${tally.warn} warn, ${tally.notice} notice, ${tally.error} error; MUST: ${results.filter((r) => r.name.startsWith('MUST')).length} run, ${failedMusts.length} failed`);
    expect(failedMusts.map((r) => r.name)).toEqual([]);
  });

  it('serves GraphiQL without any outside asset, compressed and revalidated by ETag', async () => {
    const response = await fetch(gatewayUrl, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const html = await response.text();
    expect(html).toContain('<title>Switchboard</title>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:|unpkg\.com|cdn\.jsdelivr/);
    const again = await fetch(gatewayUrl, { headers: { accept: 'text/html', 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('runs the example query in GraphiQL in headless Chromium, offline', async () => {
    await inGraphiQL(async (page) => {
      await page.locator('.graphiql-execute-button').click({ timeout: 20_000 });
      await expect.poll(() => resultText(page), { timeout: 20_000 }).toContain(`"name": "${world.products[0]!.name}"`);
    });
  });

  it('shows a page whose reviews are deferred (@defer) whole in GraphiQL, once its second part came', async () => {
    const [review] = reviewsOf('prod-0012');
    await inGraphiQL(async (page) => {
      await page.locator('.graphiql-tab', { hasText: 'ProductWithReviewsLater' }).click({ timeout: 20_000 });
      await page.locator('.graphiql-execute-button').click({ timeout: 20_000 });
      await expect.poll(() => resultText(page), { timeout: 20_000 }).toContain(`"title": "${review!.title}"`);
      expect(await resultText(page)).toContain(`"name": "${world.products[11]!.name}"`);
    });
  });
});

/** Private: GraphiQL opened in headless Chromium, offline: any request off this machine is refused, and fails the test. */
async function inGraphiQL(use: (page: Page) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const refused: string[] = [];
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'blob:' || url.protocol === 'data:') return route.continue();
      refused.push(url.href);
      return route.abort();
    });
    await page.goto(gatewayUrl);
    await use(page);
  } finally {
    await browser.close();
  }
  expect(refused).toEqual([]);
}

/** Private: GraphiQL's result pane, its white space folded (Monaco renders spaces as no-break spaces). */
async function resultText(page: Page): Promise<string> {
  return (await page.locator('.result-window').innerText()).replace(/\s+/g, ' ');
}
