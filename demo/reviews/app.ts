/**
 * The demo reviews service (`sources/reviews/schema.graphql`): GraphQL served by graphql-yoga at
 * `/graphql`, behind a bearer token, with a batch field over many product ids.
 *
 *   const reviews = await startReviewsService({ port: 0 });
 *   await fetch(`${reviews.url}/graphql`, {
 *     method: 'POST',
 *     headers: { authorization: 'Bearer demo-reviews-token', 'content-type': 'application/json' },
 *     body: JSON.stringify({ query: '{ productReviews(productIds: ["prod-0001"]) { averageRating } }' }),
 *   });
 */
import { readFile } from 'node:fs/promises';
import { createSchema, createYoga } from 'graphql-yoga';
import { projectPath } from '../../gateway/config/project.js';
import { createWorld, type World } from '../world/seed.js';
import { DEMO_CREDENTIALS } from '../world/config.js';
import { startHttpService, type ServiceHandle, type ServingOptions } from '../world/http-service.js';
import { createReviewsResolvers } from './resolvers.js';
import { useBearerToken } from './use-bearer-token.js';
import { useRequestLog, type RequestLogContext } from './use-request-log.js';

export const REVIEWS_SCHEMA_PATH = projectPath('sources', 'reviews', 'schema.graphql');
/** The GraphQL endpoint's path under the service's base URL. */
export const REVIEWS_GRAPHQL_PATH = '/graphql';

export interface ReviewsServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added delay and replay, for benchmarks (see ServingOptions). */
  serving?: ServingOptions;
  /** A world shared with the other demo upstreams; a new `createWorld()` by default. */
  world?: World;
  token?: string;
}

export async function startReviewsService(options: ReviewsServiceOptions = {}): Promise<ServiceHandle> {
  const world = options.world ?? createWorld();
  const yoga = createYoga<RequestLogContext>({
    schema: createSchema({ typeDefs: await readFile(REVIEWS_SCHEMA_PATH, 'utf8'), resolvers: createReviewsResolvers(world) }),
    graphqlEndpoint: REVIEWS_GRAPHQL_PATH,
    graphiql: false,
    landingPage: false,
    maskedErrors: true,
    plugins: [useBearerToken(options.token ?? DEMO_CREDENTIALS.reviewsToken), useRequestLog({ keyArgument: 'productIds' })],
  });
  return startHttpService({
    name: 'reviews',
    port: options.port,
    serving: options.serving,
    dialect: 'graphql',
    handler: (req, res, entry) => yoga.handle(req, res, { logEntry: entry }),
  });
}
