/**
 * The resolvers of `sources/reviews/schema.graphql` over the seeded world: summaries per product
 * are computed once, so a batch of 500 product ids costs 500 map lookups. Errors are made with yoga's
 * `createGraphQLError`, so that they are instances of the graphql-js copy yoga masks errors with.
 *
 *   createSchema({ typeDefs, resolvers: createReviewsResolvers(world) });
 */
import { createGraphQLError } from 'graphql-yoga';
import type { ReviewRecord, World } from '../world/seed.js';
import { groupBy, indexBy, newestFirst } from '../world/lookup.js';

/** The most product ids one `productReviews` call may ask for, as the schema says. */
export const MAX_PRODUCT_IDS = 500;

export interface ProductReviews {
  productId: string;
  averageRating: number | null;
  count: number;
  reviews: ReviewRecord[];
}

export function createReviewsResolvers(world: World) {
  const reviews = indexBy(world.reviews, (review) => review.id);
  const summaries = new Map([...groupBy(world.reviews, (review) => review.productId)]
    .map(([productId, ofProduct]) => [productId, summarize(productId, ofProduct)]));
  return {
    Query: {
      productReviews(_: unknown, { productIds }: { productIds: string[] }): ProductReviews[] {
        if (productIds.length > MAX_PRODUCT_IDS) {
          throw createGraphQLError(`\`productIds\` must list at most ${MAX_PRODUCT_IDS} ids, but got: ${productIds.length}.`, {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        return productIds.map((productId) => summaries.get(productId) ?? summarize(productId, []));
      },
      review: (_: unknown, { id }: { id: string }): ReviewRecord | null => reviews.get(id) ?? null,
    },
  };
}

/** Private: a product's reviews, newest first, with their mean rating rounded to 2 decimals. */
function summarize(productId: string, ofProduct: ReviewRecord[]): ProductReviews {
  const total = ofProduct.reduce((sum, review) => sum + review.rating, 0);
  return {
    productId,
    averageRating: ofProduct.length === 0 ? null : Math.round((total / ofProduct.length) * 100) / 100,
    count: ofProduct.length,
    reviews: newestFirst(ofProduct, (review) => review.createdAt),
  };
}
