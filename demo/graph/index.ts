/**
 * The demo's stitched graph (schema.graphql here, named in .meshrc.yaml) where it needs code: the
 * product list's page, placing an order, and the subscriptions that shape their events. The joins
 * between sources are declared in the SDL with @join, and answered by the gateway (gateway/stitching/).
 * package.json names this module `#graph`: the launchers give it to the gateway.
 */
import type { GraphCode } from '../../gateway/stitching/graph-code.js';
import type { Resolvers } from '../../generated/resolvers.js';
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

/** The resolvers above, and the order desk placeOrder runs on, with its retried undos and commits. */
export const graph: GraphCode = {
  resolvers,
  start(options) {
    const orders = createOrderDesk(options);
    return { context: { orders }, settled: () => orders.settled(), close: () => orders.close() };
  },
};
