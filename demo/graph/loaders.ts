/**
 * Per-request DataLoaders of what the hand-written resolvers read from the catalog: the product
 * list's page, placeOrder's customer and products, and an order for the payment events' access
 * rule. (The joins between sources are declared in demo/graph/schema.graphql and loaded by the
 * gateway, gateway/stitching/.) A new set is created for every request (see `loadersFor`): nothing
 * is cached across requests.
 */
import DataLoader from 'dataloader';
import type { DemoServiceName as SourceName } from '../world/config.js';
import { asUpstreamError } from '../../gateway/errors.js';
import type { SourceClients } from '../../gateway/sources/source-clients.js';
import type { ProductRecord, CustomerRecord, OrderRecord } from '../world/seed.js';

export type Product = ProductRecord;
export type Customer = CustomerRecord;
export type Order = OrderRecord;

/** What the loaders need of a request's context (gateway/server/server.ts provides it). */
export interface SourcesContext {
  /** How the loaders reach each source (gateway/sources/source-clients.ts). */
  sources: SourceClients;
  /** False only in the benchmarks' unbatched baseline (GatewayOptions.batching). */
  batching?: boolean;
  /** Places orders (demo/graph/place-order.ts). */
  orders?: import('./place-order.js').OrderDesk;
}

// What each loader asks its upstream for: every field the public types read, so that one call serves
// every selection of the same level.
const PRODUCT = '{ id sku name description category price currency }';
const CUSTOMER = '{ id name email country createdAt }';
const ORDER = '{ id customerId placedAt status currency total lines { productId quantity unitPrice } }';

// The catalog's batch cap (sources/catalog/openapi.yaml).
const CATALOG_MAX_IDS = 250;

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
    /** An order by id: the payment events' access rule reads it (subscriptions.ts); placeOrder primes it. */
    orders: new DataLoader<string, Order | null>(
      async (ids) => byKey(ids, await call<Order>('catalog', 'listOrders', { ids }, ORDER), (o) => o.id),
      { maxBatchSize: CATALOG_MAX_IDS, batch },
    ),
    customers: new DataLoader<string, Customer | null>(
      async (ids) => byKey(ids, await call<Customer>('catalog', 'listCustomers', { ids }, CUSTOMER), (c) => c.id),
      { maxBatchSize: CATALOG_MAX_IDS, batch },
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

/** Private: the rows in the order of `keys`; a key the upstream left out gets null. */
function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}
