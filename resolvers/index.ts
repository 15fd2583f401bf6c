/**
 * The resolvers of the stitched graph (resolvers/schema.graphql) that need code: the product list's
 * page, placing an order, and the subscriptions. The joins between sources are declared in the SDL
 * with @join, and answered by the gateway (gateway/stitching/).
 */
import type { Upstreams } from '../gateway/upstream/index.js';
import type { Resolvers } from '../generated/resolvers.js';
import { loadersFor, type SourcesContext } from './loaders.js';
import { createOrderDesk, type PlaceOrderInput } from './place-order.js';
import { subscriptionResolvers } from './subscriptions.js';

export const resolvers: Resolvers = {
  Query: {
    // `first` is checked with the other query limits (gateway/plugins/use-query-limits.ts, MAX_PAGE_SIZE).
    products: (_: unknown, args: { first: number; after?: string | null; search?: string | null }, context: SourcesContext) =>
      loadersFor(context).productPage(args),
  },
  Subscription: subscriptionResolvers,
  Mutation: {
    placeOrder: (_: unknown, input: PlaceOrderInput, context: SourcesContext) => context.orders!.place(input, context),
  },
};

/** What the stitched graph's code needs of the gateway, given once when it starts. */
export interface GraphOptions {
  upstreams: Upstreams;
  /** Each source's URL, by name. */
  urls: Readonly<Record<string, string>>;
}

/**
 * What this code adds to every request's context (the order desk placeOrder runs on), and the work
 * it leaves running in the background (undoing and committing, retried until they succeed).
 */
export function createGraphContext(options: GraphOptions) {
  const orders = createOrderDesk(options);
  return { context: { orders }, settled: () => orders.settled(), close: () => orders.close() };
}
