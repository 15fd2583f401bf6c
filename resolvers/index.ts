/**
 * The resolvers of the stitched graph (resolvers/schema.graphql) that need code: the product list's
 * page, placing an order, and the subscriptions. The joins between sources are declared in the SDL
 * with @join, and answered by the gateway (gateway/stitching/).
 */
import { loadersFor, type SourcesContext } from './loaders.js';
import type { PlaceOrderInput } from './place-order.js';
import { subscriptionResolvers } from './subscriptions.js';

export const resolvers = {
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
