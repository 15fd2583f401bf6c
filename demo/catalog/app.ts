/**
 * The demo shop platform (`sources/catalog/openapi.yaml`): products, customers and orders over REST,
 * behind an `X-Api-Key` header, with batch reads by `?ids=` and pagination by `first` + `after`.
 *
 *   const catalog = await startCatalogService({ port: 0 });
 *   await fetch(`${catalog.url}/products?ids=prod-0002,prod-0001`, { headers: { 'x-api-key': 'demo-catalog-key' } });
 */
import { createWorld, type ProductRecord, type World } from '../world/seed.js';
import { DEMO_CREDENTIALS, safeEqual } from '../world/config.js';
import { createTokenBucket } from '../../gateway/upstream/token-bucket.js';
import { startHttpService, type ServiceHandle, type ServingOptions } from '../world/http-service.js';
import { contractRoute, createJsonHandler, found, intParam, listParam, ok, problem, type JsonRequest, type JsonRoute } from '../world/json-api.js';
import { groupBy, indexBy, newestFirst, pickAll } from '../world/lookup.js';
import { createOrderWrites, type OrderIndexes } from './orders.js';
import { projectPath } from '../../gateway/config/project.js';

export interface CatalogServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added delay and replay, for benchmarks (see ServingOptions). */
  serving?: ServingOptions;
  /** A world shared with the other demo upstreams; a new `createWorld()` by default. */
  world?: World;
  apiKey?: string;
}

/** The most ids one batch read may ask for (`maxItems` in openapi.yaml). */
export const MAX_IDS = 250;
/**
 * The quota per API key, as shop platforms have one: 200 calls per second, with bursts of up to 100.
 * A call over it gets 429 with `Retry-After`. `ServingOptions.quota` changes or lifts it.
 */
export const CATALOG_QUOTA = { perSecond: 200, burst: 100 };
const PAGE = { min: 1, max: 1000, fallback: 20 };

export async function startCatalogService(options: CatalogServiceOptions = {}): Promise<ServiceHandle> {
  const world = options.world ?? createWorld();
  const apiKey = options.apiKey ?? DEMO_CREDENTIALS.catalogApiKey;
  const quota = options.serving?.quota === false ? undefined : { ...CATALOG_QUOTA, ...options.serving?.quota };
  const calls = quota && createTokenBucket({ ...quota, maxWaitMs: 0 });
  const indexes: OrderIndexes = {
    products: indexBy(world.products, (product) => product.id),
    customers: indexBy(world.customers, (customer) => customer.id),
    orders: indexBy(world.orders, (order) => order.id),
    ordersByCustomer: groupBy(world.orders, (order) => order.customerId),
  };
  const writes = createOrderWrites(indexes);
  const handler = createJsonHandler([...catalogRoutes(world, indexes), ...writes.routes, contractRoute(projectPath('sources', 'catalog', 'openapi.yaml'))], (request) => {
    requireApiKey(request, apiKey);
    if (calls && calls.reserve() === undefined) {
      throw problem(429, 'rate_limited', `Over the quota of ${quota.perSecond} calls per second.`, { 'retry-after': '1' });
    }
  });
  return startHttpService({
    name: 'catalog',
    port: options.port,
    serving: options.serving,
    handler,
    dialect: 'json',
    operationOf: handler.operationOf,
    state: writes.recorded,
  });
}

/** Private: the read routes of the contract, over indexes built once (and kept up to date by the writes). */
function catalogRoutes(world: World, { products, customers, orders, ordersByCustomer }: OrderIndexes): JsonRoute[] {
  return [
    { method: 'GET', path: '/products', operation: 'listProducts', keyParams: ['ids'], handle: ({ query }) => ok(listProducts(world, products, query)) },
    { method: 'GET', path: '/products/{id}', operation: 'getProduct', handle: ({ params }) => ok(found(products.get(params.id!), 'product', params.id!)) },
    {
      method: 'GET', path: '/customers', operation: 'listCustomers', keyParams: ['ids'],
      handle: ({ query }) => ok(pickAll(customers, listParam(query, 'ids', { max: MAX_IDS, required: true })!)),
    },
    { method: 'GET', path: '/customers/{id}', operation: 'getCustomer', handle: ({ params }) => ok(found(customers.get(params.id!), 'customer', params.id!)) },
    {
      method: 'GET', path: '/orders', operation: 'listOrders', keyParams: ['ids', 'customerIds'],
      handle: ({ query }) => {
        const ids = listParam(query, 'ids', { max: MAX_IDS });
        const customerIds = listParam(query, 'customerIds', { max: MAX_IDS });
        if ((ids === undefined) === (customerIds === undefined)) {
          throw problem(400, 'bad_request', 'Pass exactly one of `ids` and `customerIds`.');
        }
        return ok(ids ? pickAll(orders, ids) : newestFirst(pickAll(ordersByCustomer, customerIds!), (order) => order.placedAt));
      },
    },
    { method: 'GET', path: '/orders/{id}', operation: 'getOrder', handle: ({ params }) => ok(found(orders.get(params.id!), 'order', params.id!)) },
  ];
}

/**
 * Private: `GET /products`. With `ids` it is a batch read in the order of `ids`, and `first`,
 * `after` and `search` do not apply (clients such as Mesh send the default `first` along with
 * `ids`, which must not cut a batch down to 20). Otherwise it is a page in id order.
 */
function listProducts(world: World, products: Map<string, ProductRecord>, query: URLSearchParams) {
  const first = intParam(query, 'first', PAGE);
  const ids = listParam(query, 'ids', { max: MAX_IDS });
  if (ids) return pickAll(products, ids);
  const search = query.get('search')?.toLowerCase();
  const after = query.get('after');
  // Ids are zero-padded, so comparing them as strings follows the id order, and `after` need not exist.
  return world.products
    .filter((product) => (after === null || product.id > after) && (!search || product.name.toLowerCase().includes(search)))
    .slice(0, first);
}

/** Private: the API key check, answering 401 with a `Problem` as the contract says. */
function requireApiKey({ req }: JsonRequest, apiKey: string): void {
  const presented = req.headers['x-api-key'];
  if (typeof presented !== 'string' || presented === '') {
    throw problem(401, 'unauthorized', 'The X-Api-Key header is missing.');
  }
  if (!safeEqual(presented, apiKey)) throw problem(401, 'unauthorized', 'The X-Api-Key header is wrong.');
}
