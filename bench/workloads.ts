/**
 * What the benchmarks send, and the fewest upstream calls that can answer each: the bench reports
 * calls per request against `minimalCalls`, and the benchmark smoke in `npm test` fails above it.
 *
 *   const w1 = WORKLOADS.find((w) => w.name === 'W1')!;
 *   w1.minimalCalls; // { catalog: 2, payments: 0, inventory: 1, reviews: 1 }
 */
import type { DemoServiceName as SourceName } from '../demo/world/index.js';

export interface Workload {
  /** `W1`, `W2`, `W3`, or `W1@<size>` for the size sweep. */
  name: string;
  description: string;
  query: string;
  /** The fewest calls per source that answer the query, given the batch caps each upstream documents. */
  minimalCalls: Record<SourceName, number>;
}

// The batch caps the demo upstreams document (as in demo/graph/loaders.ts).
const INVENTORY_MAX_SKUS = 250;
const REVIEWS_MAX_IDS = 500;

/** W1 at any size: products with their stock (SOAP) and reviews (GraphQL) with each author (REST). */
export function productsWithStockAndReviews(first: number): Workload {
  return {
    name: first === 100 ? 'W1' : `W1@${first}`,
    description: `${first} products with stock, reviews and each review's author`,
    query: `{ products(first: ${first}) { id name stock { total } reviews { rating author { name } } } }`,
    // One page, then every author in one batch (the world has 200 customers, under catalog's cap of 250).
    minimalCalls: {
      catalog: 2,
      payments: 0,
      inventory: Math.ceil(first / INVENTORY_MAX_SKUS),
      reviews: Math.ceil(first / REVIEWS_MAX_IDS),
    },
  };
}

export const W1 = productsWithStockAndReviews(100);

export const W2: Workload = {
  name: 'W2',
  description: '100 products, catalog fields only',
  query: '{ products(first: 100) { id name price } }',
  minimalCalls: { catalog: 1, payments: 0, inventory: 0, reviews: 0 },
};

/** W3's product: one with several reviews by different customers, so that every stitched field has data. */
export const W3_PRODUCT_ID = 'prod-0001';

export const W3: Workload = {
  name: 'W3',
  description: 'one product by id with every stitched field',
  query: `{ product(id: "${W3_PRODUCT_ID}") { id sku name description category price currency
    stock { total warehouses { warehouse quantity } }
    rating reviews { id rating title body createdAt author { id name country } } } }`,
  // The product, then its reviews' authors in one batch; stock and reviews in one call each.
  minimalCalls: { catalog: 2, payments: 0, inventory: 1, reviews: 1 },
};

/** Every workload of `npm run bench`, in report order: W1–W3, then W1's size sweep. */
export const WORKLOADS: readonly Workload[] = [
  W1,
  W2,
  W3,
  productsWithStockAndReviews(10),
  productsWithStockAndReviews(1000),
];
