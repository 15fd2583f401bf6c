/**
 * The resolvers of the stitched graph (resolvers/schema.graphql). Each one reads its parent's key and
 * asks a per-request loader, which batches the whole level into one upstream call.
 */
import { loadersFor, type Customer, type Order, type Product, type Review, type SourcesContext } from './loaders.js';
import type { PlaceOrderInput } from './place-order.js';
import { subscriptionResolvers } from './subscriptions.js';

export const resolvers = {
  Query: {
    // `first` is checked with the other query limits (gateway/plugins/use-query-limits.ts, MAX_PAGE_SIZE).
    products: (_: unknown, args: { first: number; after?: string | null; search?: string | null }, context: SourcesContext) =>
      loadersFor(context).productPage(args),
    product: (_: unknown, { id }: { id: string }, context: SourcesContext) => loadersFor(context).products.load(id),
    customer: (_: unknown, { id }: { id: string }, context: SourcesContext) => loadersFor(context).customers.load(id),
    order: (_: unknown, { id }: { id: string }, context: SourcesContext) => loadersFor(context).orders.load(id),
  },
  Subscription: subscriptionResolvers,
  Payment: {
    order: (payment: { orderId: string }, _: unknown, context: SourcesContext) => loadersFor(context).orders.load(payment.orderId),
  },
  Mutation: {
    placeOrder: (_: unknown, input: PlaceOrderInput, context: SourcesContext) => context.orders!.place(input, context),
  },
  Product: {
    stock: (product: Product, _: unknown, context: SourcesContext) => loadersFor(context).stock.load(product.sku),
    reviews: async (product: Product, _: unknown, context: SourcesContext) =>
      (await loadersFor(context).reviewsOfProduct.load(product.id))?.reviews ?? [],
    rating: async (product: Product, _: unknown, context: SourcesContext) =>
      (await loadersFor(context).reviewsOfProduct.load(product.id))?.averageRating ?? null,
  },
  Review: {
    author: (review: Review, _: unknown, context: SourcesContext) => loadersFor(context).customers.load(review.customerId),
  },
  Customer: {
    orders: (customer: Customer, _: unknown, context: SourcesContext) => loadersFor(context).ordersOfCustomer.load(customer.id),
  },
  Order: {
    customer: (order: Order, _: unknown, context: SourcesContext) => loadersFor(context).customers.load(order.customerId),
    payment: (order: Order, _: unknown, context: SourcesContext) => loadersFor(context).paymentOfOrder.load(order.id),
  },
  OrderLine: {
    product: (line: { productId: string }, _: unknown, context: SourcesContext) => loadersFor(context).products.load(line.productId),
  },
};
