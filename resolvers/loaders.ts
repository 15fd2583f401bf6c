/**
 * Per-request DataLoaders: every stitched field loads through one of these, so the items of one level
 * of a query reach each upstream as one batched call (split only where the upstream caps its batches).
 * A new set is created for every request (see `loadersFor`): nothing is cached across requests.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { DemoServiceName as SourceName } from '../demo/world/config.js';
import { badResponse } from '../gateway/errors.js';
import type { SourceClients } from '../gateway/sources/source-clients.js';
import type { ProductRecord, CustomerRecord, OrderRecord, PaymentRecord, ReviewRecord } from '../demo/world/seed.js';

export type Product = ProductRecord;
export type Customer = CustomerRecord;
export type Order = OrderRecord;
export type Payment = PaymentRecord;
export type Review = ReviewRecord;
export interface StockLevel {
  sku: string;
  total: number;
  warehouses: { warehouse: string; quantity: number }[];
}
export interface ProductReviews {
  productId: string;
  averageRating: number | null;
  count: number;
  reviews: Review[];
}

/** What the loaders need of a request's context (gateway/server/server.ts provides it). */
export interface SourcesContext {
  /** How the loaders reach each source (gateway/sources/source-clients.ts). */
  sources: SourceClients;
  /** False only in the benchmarks' unbatched baseline (GatewayOptions.batching). */
  batching?: boolean;
  /** Places orders (resolvers/place-order.ts). */
  orders?: import('./place-order.js').OrderDesk;
}

// What each loader asks its upstream for: every field the public types read, so that one call serves
// every selection of the same level.
const PRODUCT = '{ id sku name description category price currency }';
const CUSTOMER = '{ id name email country createdAt }';
const ORDER = '{ id customerId placedAt status currency total lines { productId quantity unitPrice } }';
const PAYMENT = '{ id orderId amount currency status method createdAt }';
const STOCK = '{ sku total warehouses { warehouse quantity } }';
const REVIEWS = '{ productId averageRating count reviews { id productId customerId rating title body createdAt } }';

// The batch caps the upstreams document (sources/*/openapi.yaml, inventory.wsdl, reviews SDL).
const CATALOG_MAX_IDS = 250;
const PAYMENTS_MAX_IDS = 100;
const INVENTORY_MAX_SKUS = 250;
const REVIEWS_MAX_IDS = 500;

export type Loaders = ReturnType<typeof createLoaders>;

export function createLoaders(context: SourcesContext) {
  const batch = context.batching ?? true;
  const call = async <T>(source: SourceName, field: string, args: Record<string, unknown>, selectionSet: string) => {
    try {
      return ((await context.sources[source]!.query(field, args, selectionSet, context)) ?? []) as T[];
    } catch (error) {
      // The error of every key of the batch.
      throw asUpstreamError(source, error as Error);
    }
  };
  const products = new DataLoader<string, Product | null>(
    async (ids) => byKey(ids, await call<Product>('catalog', 'listProducts', { ids }, PRODUCT), (p) => p.id),
    { maxBatchSize: CATALOG_MAX_IDS, batch },
  );
  return {
    products,
    /** A page of products; each is also primed into `products`, so stitching it again costs nothing. */
    async productPage(args: { first: number; after?: string | null; search?: string | null }): Promise<Product[]> {
      const page = await call<Product>('catalog', 'listProducts', args, PRODUCT);
      for (const product of page) products.prime(product.id, product);
      return page;
    },
    customers: new DataLoader<string, Customer | null>(
      async (ids) => byKey(ids, await call<Customer>('catalog', 'listCustomers', { ids }, CUSTOMER), (c) => c.id),
      { maxBatchSize: CATALOG_MAX_IDS, batch },
    ),
    orders: new DataLoader<string, Order | null>(
      async (ids) => byKey(ids, await call<Order>('catalog', 'listOrders', { ids }, ORDER), (o) => o.id),
      { maxBatchSize: CATALOG_MAX_IDS, batch },
    ),
    ordersOfCustomer: new DataLoader<string, Order[]>(
      async (customerIds) => groupByKey(customerIds, await call<Order>('catalog', 'listOrders', { customerIds }, ORDER), (o) => o.customerId),
      { maxBatchSize: CATALOG_MAX_IDS, batch },
    ),
    paymentOfOrder: new DataLoader<string, Payment | null>(
      async (orderIds) => byKey(orderIds, await call<Payment>('payments', 'listPayments', { orderIds }, PAYMENT), (p) => p.orderId),
      { maxBatchSize: PAYMENTS_MAX_IDS, batch },
    ),
    stock: new DataLoader<string, StockLevel | null>(
      async (skus) => byKey(skus, await call<StockLevel>('inventory', 'getStockLevels', { sku: skus }, STOCK), (s) => s.sku),
      { maxBatchSize: INVENTORY_MAX_SKUS, batch },
    ),
    /** Reviews and the rating share one loader: asking for both costs one call, not two. */
    reviewsOfProduct: new DataLoader<string, ProductReviews | null>(
      async (productIds) =>
        byKey(productIds, await call<ProductReviews>('reviews', 'productReviews', { productIds }, REVIEWS), (r) => r.productId),
      { maxBatchSize: REVIEWS_MAX_IDS, batch },
    ),
  };
}

const perRequest = new WeakMap<object, Loaders>();

/** The loaders of the request that `context` belongs to, created on first use. */
export function loadersFor(context: SourcesContext): Loaders {
  let loaders = perRequest.get(context);
  if (!loaders) {
    loaders = createLoaders(context);
    perRequest.set(context, loaders);
  }
  return loaders;
}

/**
 * The error the fields of a failed upstream call get. It loses the path of the source's own call
 * (`listCustomers`), so that graphql-js locates it at each field that asked
 * (`products.0.reviews.1.author`). An error that is not one of the upstream transport's typed errors
 * (a handler failing to read a body, say) carries the upstream's URL and body in its extensions: it
 * becomes UPSTREAM_BAD_RESPONSE instead, and the original goes to the server log only.
 */
export function asUpstreamError(source: SourceName, error: Error): GraphQLError {
  const first = error instanceof AggregateError && error.errors.length ? (error.errors[0] as Error) : error;
  if (first instanceof GraphQLError && first.extensions?.source === source && first.extensions.code) {
    return new GraphQLError(first.message, { extensions: first.extensions, originalError: first.originalError });
  }
  console.error(`[switchboard] ${source} answered unreadably:`, first);
  return badResponse(source);
}

/** Private: the rows in the order of `keys`; a key the upstream left out gets null. */
function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}

/** Private: the rows of each key, in the upstream's order. */
function groupByKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
