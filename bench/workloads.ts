/**
 * What the benchmarks send, and the fewest upstream calls that can answer each request: the bench
 * reports calls per request against them, and the benchmark smoke in `npm test` fails above them.
 *
 * Two kinds. The headline is `varied` traffic, as shoppers send it: every request asks something
 * different (a random page, product, search word or customer), with variables or with the values
 * written into the document. The `identical` workloads send one query over and over; Switchboard
 * shares identical reads in flight, which no baseline does, so they measure that sharing.
 *
 *   const w1 = WORKLOADS.find((w) => w.name === 'W1-vars')!;
 *   w1.request(17); // { query: 'query ProductsPage($after: String!) { … }', variables: { after: 'prod-0412' }, minimalCalls: { catalog: 2, … } }
 */
import type { DemoServiceName as SourceName } from '../demo/world/index.js';
import { createWorld } from '../demo/world/seed.js';
import { operation, type Form, type GraphQLRequest } from './operations.js';

export type Calls = Record<SourceName, number>;

export interface ClientRequest extends GraphQLRequest {
  /** The customer whose token the request carries (`Authorization: Bearer …`), if any. */
  customer?: string;
  /** The fewest calls per source that answer it, given the batch caps each upstream documents. */
  minimalCalls: Calls;
}

export interface Workload {
  /** `W1`, `W1-vars`, `session-literal`, `W1@<size>` for the size sweep, … */
  name: string;
  kind: 'varied' | 'identical';
  description: string;
  /** The n-th request of the workload (always the same one for an identical workload). */
  request(n: number): ClientRequest;
  /** The fewest calls per request, on average over the workload's mix. */
  minimalCalls: Calls;
  /**
   * A varied workload's values, each asked once before any target is measured (a space asked once
   * for a target is not asked again): the upstreams then replay their answers to every target alike.
   */
  priming?: { space: string; requests(): ClientRequest[] }[];
}

export interface IdenticalWorkload extends Workload {
  query: string;
}

// The batch caps the demo upstreams document (as in demo/graph/loaders.ts).
const INVENTORY_MAX_SKUS = 250;
const REVIEWS_MAX_IDS = 500;

const calls = (catalog: number, inventory = 0, reviews = 0): Calls => ({ catalog, payments: 0, inventory, reviews });

function identical(name: string, description: string, query: string, minimalCalls: Calls): IdenticalWorkload {
  return { name, kind: 'identical', description, query, minimalCalls, request: () => ({ query, minimalCalls }) };
}

/** W1 at any size: products with their stock (SOAP) and reviews (GraphQL) with each author (REST). */
export function productsWithStockAndReviews(first: number): IdenticalWorkload {
  // One page, then every author in one batch (the world has 200 customers, under catalog's cap of 250).
  return identical(
    first === 100 ? 'W1' : `W1@${first}`,
    `${first} products with stock, reviews and each review's author`,
    `{ products(first: ${first}) { id name stock { total } reviews { rating author { name } } } }`,
    calls(2, Math.ceil(first / INVENTORY_MAX_SKUS), Math.ceil(first / REVIEWS_MAX_IDS)),
  );
}

export const W1 = productsWithStockAndReviews(100);

export const W2 = identical('W2', '100 products, catalog fields only', '{ products(first: 100) { id name price } }', calls(1));

const PRODUCT_FIELDS = `{ id sku name description category price currency
    stock { total warehouses { warehouse quantity } }
    rating reviews { id rating title body createdAt author { id name country } } }`;

/** W3's product: one with several reviews by different customers, so that every stitched field has data. */
export const W3_PRODUCT_ID = 'prod-0001';

// The product, then its reviews' authors in one batch; stock and reviews in one call each.
export const W3 = identical('W3', 'one product by id with every stitched field', `{ product(id: "${W3_PRODUCT_ID}") ${PRODUCT_FIELDS} }`, calls(2, 1, 1));

// The operations of the varied workloads: a list page, a product page, a search, a customer's orders.
export const LIST_PAGE = operation<{ after: string }>('ProductsPage', { after: 'String!' },
  '{ products(first: 100, after: $after) { id name stock { total } reviews { rating author { name } } } }');
export const PRODUCT_PAGE = operation<{ id: string }>('ProductPage', { id: 'ID!' }, `{ product(id: $id) ${PRODUCT_FIELDS} }`);
export const SEARCH = operation<{ words: string }>('SearchProducts', { words: 'String!' },
  '{ products(first: 20, search: $words) { id name price stock { total } rating } }');
export const CUSTOMER_ORDERS = operation<{ id: string }>('CustomerOrders', { id: 'ID!' },
  '{ customer(id: $id) { name orders { id placedAt status total lines { quantity product { name } } } } }');

// What the varied workloads draw from, chosen in the demo world so that every request has data and
// its minimal calls are known: the first 1,000 pages (the last ten SKUs are locked for an audit and
// answer a fault), the products with reviews, words that name products, customers with orders.
const world = createWorld();
const open = world.products.filter((product) => Number(product.id.slice(5)) <= 1100);
const PAGE_CURSORS = Array.from({ length: 1000 }, (_, index) => `prod-${String(index).padStart(4, '0')}`);
const reviewed = new Set(world.reviews.map((review) => review.productId));
const PRODUCT_IDS = open.filter((product) => reviewed.has(product.id)).map((product) => product.id);
const SEARCH_WORDS = [...new Set(open.flatMap((product) => [product.name, ...product.name.split(' ')]).map((word) => word.toLowerCase()))]
  .filter((words) => open.filter((product) => product.name.toLowerCase().includes(words)).length >= 20);
/** The customers with orders, whose order histories the workloads ask for with their token. */
export const CUSTOMER_IDS = [...new Set(world.orders.map((order) => order.customerId))].sort();

/**
 * What a varied request picks from: its values, and the request for a value. The upstreams replay what
 * they answered before (bench/upstreams.ts), so the bench asks every value once before it measures
 * (`Workload.priming`): the first target measured does not pay for the upstreams' first answers.
 */
interface Choice<T> {
  space: string;
  values: readonly T[];
  salt: number;
  ask: (value: T, n: number, form: Form) => ClientRequest;
}

const LIST_PAGES: Choice<string> = {
  space: 'list pages', values: PAGE_CURSORS, salt: 1,
  ask: (after, n, form) => ({ ...LIST_PAGE.request({ after }, form, n), minimalCalls: W1.minimalCalls }),
};
const PRODUCT_PAGES: Choice<string> = {
  space: 'product pages', values: PRODUCT_IDS, salt: 2,
  ask: (id, n, form) => ({ ...PRODUCT_PAGE.request({ id }, form, n), minimalCalls: W3.minimalCalls }),
};
// Twenty matches at most, stock and ratings each in one call.
const SEARCHES: Choice<string> = {
  space: 'searches', values: SEARCH_WORDS, salt: 3,
  ask: (words, n, form) => ({ ...SEARCH.request({ words }, form, n), minimalCalls: calls(1, 1, 1) }),
};
// The customer, their orders, and the products of the orders' lines (under catalog's cap of 250).
const ORDER_HISTORIES: Choice<string> = {
  space: 'order histories', values: CUSTOMER_IDS, salt: 4,
  ask: (id, n, form) => ({ ...CUSTOMER_ORDERS.request({ id }, form, n), customer: id, minimalCalls: calls(3) }),
};

/** Private: a well-mixed pick among `values` for the n-th request (the same n, the same pick). */
function pick<T>(values: readonly T[], n: number, salt: number): T {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ salt;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return values[((h ^ (h >>> 16)) >>> 0) % values.length]!;
}

const draw = <T>(choice: Choice<T>) => (n: number, form: Form) => choice.ask(pick(choice.values, n, choice.salt), n, form);

/** A shopping session's mix, in fixed proportions: 10 product pages, 7 list pages, 3 order histories in 20. */
function session(n: number, form: Form): ClientRequest {
  const slot = n % 20;
  return draw(slot < 10 ? PRODUCT_PAGES : slot < 17 ? LIST_PAGES : ORDER_HISTORIES)(n, form);
}

function varied(name: string, description: string, request: (n: number, form: Form) => ClientRequest, choices: Choice<string>[]): Workload[] {
  return (['vars', 'literal'] as const).map((suffix) => {
    const form: Form = suffix === 'vars' ? 'variables' : 'literal';
    const sample = Array.from({ length: 20 }, (_, n) => request(n, form).minimalCalls);
    const mean = (source: SourceName) => sample.reduce((sum, c) => sum + c[source], 0) / sample.length;
    return {
      name: `${name}-${suffix}`,
      kind: 'varied',
      description: `${description}, ${form === 'variables' ? 'values as variables' : 'values written into the document, every document distinct'}`,
      request: (n) => request(n, form),
      minimalCalls: { catalog: mean('catalog'), payments: mean('payments'), inventory: mean('inventory'), reviews: mean('reviews') },
      // The upstreams see the same calls whatever the form: one priming serves both.
      priming: choices.map((choice) => ({ space: choice.space, requests: () => choice.values.map((value, n) => choice.ask(value, n, 'variables')) })),
    };
  });
}

export const VARIED_WORKLOADS: readonly Workload[] = [
  ...varied('W1', 'W1 at a random page of 1,000 (`after`)', draw(LIST_PAGES), [LIST_PAGES]),
  ...varied('W3', `W3 for a random product of ${PRODUCT_IDS.length}`, draw(PRODUCT_PAGES), [PRODUCT_PAGES]),
  ...varied('search', `20 products matching random words (${SEARCH_WORDS.length} choices), with stock and rating`, draw(SEARCHES), [SEARCHES]),
  ...varied('session', 'shoppers: 10 product pages, 7 list pages, 3 order histories with a customer token, in 20', session, [PRODUCT_PAGES, LIST_PAGES, ORDER_HISTORIES]),
];

export const IDENTICAL_WORKLOADS: readonly IdenticalWorkload[] = [W1, W2, W3, productsWithStockAndReviews(10), productsWithStockAndReviews(1000)];

/** Every workload of `npm run bench`, in report order: the varied traffic, then one query repeated. */
export const WORKLOADS: readonly Workload[] = [...VARIED_WORKLOADS, ...IDENTICAL_WORKLOADS];
