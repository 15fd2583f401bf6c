/**
 * Baseline (b): a hand-written aggregator, the limit for a gateway in this runtime. Plain `node:http`
 * on both sides with keep-alive agents, exactly the minimal upstream calls, hand-built SOAP envelopes
 * read with regular expressions, and the response JSON assembled directly. It answers only the
 * benchmark's workloads (bench/workloads.ts), recognised by their query text (the varied ones with
 * `match`, which reads their values from the variables or the document), and checks a customer's
 * token as Switchboard does (jose, the same secret, issuer and audience).
 *
 *   node --import tsx bench/targets/aggregator.ts   # reads CATALOG_URL, INVENTORY_URL, REVIEWS_URL, ...
 *   # prints {"url":"http://127.0.0.1:<port>/graphql"}
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { CUSTOMER_ORDERS, LIST_PAGE, PRODUCT_PAGE, SEARCH, W2, W3, W3_PRODUCT_ID } from '../workloads.js';

const env = process.env as Record<string, string>;
const CATALOG = env.CATALOG_URL!;
const INVENTORY = env.INVENTORY_URL!;
const REVIEWS = env.REVIEWS_URL!;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Product { id: string; sku: string; name: string; description: string; category: string; price: number; currency: string }
interface Customer { id: string; name: string; country: string }
interface Review { id: string; customerId: string; rating: number; title: string; body: string; createdAt: string }
interface ProductReviews { productId: string; averageRating: number | null; reviews: Review[] }
interface Order { id: string; placedAt: string; status: string; total: number; lines: { productId: string; quantity: number }[] }
interface Stock { sku: string; total: number; warehouses: { warehouse: string; quantity: number }[] }

function call(url: string, init: { method?: string; headers: Record<string, string>; body?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 200)}`));
        else resolve(text);
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const catalogGet = async <T>(path: string): Promise<T[]> =>
  JSON.parse(await call(`${CATALOG}${path}`, { headers: { 'x-api-key': env.CATALOG_API_KEY! } })) as T[];

async function customers(ids: string[]): Promise<Map<string, Customer>> {
  const pages = await Promise.all(chunks(ids, 250).map((part) => catalogGet<Customer>(`/customers?ids=${part.join(',')}`)));
  return new Map(pages.flat().map((c) => [c.id, c]));
}

async function stock(skus: string[]): Promise<Map<string, Stock>> {
  const replies = await Promise.all(chunks(skus, 250).map((part) => call(INVENTORY, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://switchboard.example/inventory/GetStockLevels"' },
    body: '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
      + 'xmlns:inv="http://switchboard.example/inventory"><soap:Header><wsse:Security soap:mustUnderstand="1" '
      + 'xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken>'
      + `<wsse:Username>${env.INVENTORY_USERNAME}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/`
      + `oasis-200401-wss-username-token-profile-1.0#PasswordText">${env.INVENTORY_PASSWORD}</wsse:Password></wsse:UsernameToken>`
      + `</wsse:Security></soap:Header><soap:Body><inv:GetStockLevelsRequest>${part.map((sku) => `<inv:Sku>${sku}</inv:Sku>`).join('')}`
      + '</inv:GetStockLevelsRequest></soap:Body></soap:Envelope>',
  })));
  const levels = new Map<string, Stock>();
  for (const xml of replies) {
    for (const [, inner] of xml.matchAll(/<StockLevel>([\s\S]*?)<\/StockLevel>/g)) {
      const sku = /<Sku>([^<]*)<\/Sku>/.exec(inner!)![1]!;
      const total = Number(/<Total>([^<]*)<\/Total>/.exec(inner!)![1]);
      const warehouses = [...inner!.matchAll(/<Warehouse>([^<]*)<\/Warehouse><Quantity>([^<]*)<\/Quantity>/g)]
        .map(([, warehouse, quantity]) => ({ warehouse: warehouse!, quantity: Number(quantity) }));
      levels.set(sku, { sku, total, warehouses });
    }
  }
  return levels;
}

async function reviews(productIds: string[]): Promise<Map<string, ProductReviews>> {
  const replies = await Promise.all(chunks(productIds, 500).map(async (part) => {
    const text = await call(REVIEWS, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.REVIEWS_TOKEN}` },
      body: JSON.stringify({
        query: 'query($ids:[ID!]!){productReviews(productIds:$ids){productId averageRating reviews{id customerId rating title body createdAt}}}',
        variables: { ids: part },
      }),
    });
    return (JSON.parse(text) as { data: { productReviews: ProductReviews[] } }).data.productReviews;
  }));
  return new Map(replies.flat().map((r) => [r.productId, r]));
}

/** Products with stock, reviews and authors: stock and reviews in parallel, then the authors. */
async function withStockAndReviews(products: Product[]) {
  const [levels, reviewed] = await Promise.all([stock(products.map((p) => p.sku)), reviews(products.map((p) => p.id))]);
  const authorIds = new Set<string>();
  for (const r of reviewed.values()) for (const review of r.reviews) authorIds.add(review.customerId);
  const authors = authorIds.size ? await customers([...authorIds]) : new Map<string, Customer>();
  return { levels, reviewed, authors };
}

async function w1(first: number, after?: string): Promise<unknown> {
  const products = await catalogGet<Product>(`/products?first=${first}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
  const { levels, reviewed, authors } = await withStockAndReviews(products);
  return {
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      stock: levels.has(p.sku) ? { total: levels.get(p.sku)!.total } : null,
      reviews: (reviewed.get(p.id)?.reviews ?? []).map((r) => ({ rating: r.rating, author: { name: authors.get(r.customerId)?.name } })),
    })),
  };
}

async function w2(): Promise<unknown> {
  const products = await catalogGet<Product>('/products?first=100');
  return { products: products.map((p) => ({ id: p.id, name: p.name, price: p.price })) };
}

async function w3(id: string): Promise<unknown> {
  const [p] = await catalogGet<Product>(`/products?ids=${encodeURIComponent(id)}`);
  if (!p) return { product: null };
  const { levels, reviewed, authors } = await withStockAndReviews([p]);
  const r = reviewed.get(p.id);
  return {
    product: {
      id: p.id, sku: p.sku, name: p.name, description: p.description, category: p.category, price: p.price, currency: p.currency,
      stock: levels.get(p.sku) ? { total: levels.get(p.sku)!.total, warehouses: levels.get(p.sku)!.warehouses } : null,
      rating: r?.averageRating ?? null,
      reviews: (r?.reviews ?? []).map((review) => {
        const author = authors.get(review.customerId);
        return {
          id: review.id, rating: review.rating, title: review.title, body: review.body, createdAt: review.createdAt,
          author: author ? { id: author.id, name: author.name, country: author.country } : null,
        };
      }),
    },
  };
}

async function search(words: string): Promise<unknown> {
  const products = await catalogGet<Product>(`/products?first=20&search=${encodeURIComponent(words)}`);
  const skus = products.map((p) => p.sku);
  const [levels, reviewed] = products.length ? await Promise.all([stock(skus), reviews(products.map((p) => p.id))]) : [new Map<string, Stock>(), new Map<string, ProductReviews>()];
  return {
    products: products.map((p) => ({
      id: p.id, name: p.name, price: p.price,
      stock: levels.has(p.sku) ? { total: levels.get(p.sku)!.total } : null,
      rating: reviewed.get(p.id)?.averageRating ?? null,
    })),
  };
}

const tokenKey = new TextEncoder().encode(env.AUTH_JWT_SECRET!);

/** A customer's orders, for that customer's own token only. */
async function customerOrders(id: string, authorization: string | undefined): Promise<unknown> {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw new Error('A token is needed.');
  const { payload } = await jwtVerify(token, tokenKey, { issuer: 'switchboard', audience: 'switchboard-api', algorithms: ['HS256'] });
  if (payload.sub !== id) throw new Error('Not your orders.');
  const [[customer], orders] = await Promise.all([
    catalogGet<Customer>(`/customers?ids=${encodeURIComponent(id)}`),
    catalogGet<Order>(`/orders?customerIds=${encodeURIComponent(id)}`),
  ]);
  if (!customer) return { customer: null };
  const productIds = [...new Set(orders.flatMap((order) => order.lines.map((line) => line.productId)))];
  const products = new Map((productIds.length ? await catalogGet<Product>(`/products?ids=${productIds.join(',')}`) : []).map((p) => [p.id, p]));
  return {
    customer: {
      name: customer.name,
      orders: orders.map((order) => ({
        id: order.id, placedAt: order.placedAt, status: order.status, total: order.total,
        lines: order.lines.map((line) => ({ quantity: line.quantity, product: products.has(line.productId) ? { name: products.get(line.productId)!.name } : null })),
      })),
    },
  };
}

function answer(query: string, variables: Record<string, unknown> | undefined, authorization: string | undefined): Promise<unknown> {
  if (query === W2.query) return w2();
  if (query === W3.query) return w3(W3_PRODUCT_ID);
  const w1Size = /^\{ products\(first: (\d+)\) \{ id name stock \{ total \} reviews \{ rating author \{ name \} \} \} \}$/.exec(query);
  if (w1Size) return w1(Number(w1Size[1]));
  const page = LIST_PAGE.match(query, variables);
  if (page) return w1(100, page.after);
  const product = PRODUCT_PAGE.match(query, variables);
  if (product) return w3(product.id);
  const found = SEARCH.match(query, variables);
  if (found) return search(found.words);
  const orders = CUSTOMER_ORDERS.match(query, variables);
  if (orders) return customerOrders(orders.id, authorization);
  return Promise.reject(new Error('The aggregator answers only the benchmark workloads.'));
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const body: Buffer[] = [];
  req.on('data', (chunk: Buffer) => body.push(chunk));
  req.on('end', () => {
    let request: { query: string; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(Buffer.concat(body).toString('utf8')) as typeof request;
    } catch {
      res.writeHead(400).end();
      return;
    }
    answer(request.query, request.variables, req.headers.authorization).then(
      (data) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data })),
      (error: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: error.message }] })),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` }));
});
process.once('SIGTERM', () => process.exit(0));
