/** Runs the demo reviews service on its own: `npx tsx demo/reviews/server.ts` (PORT, REVIEWS_TOKEN). */
import { runService } from '../world/run-service.js';
import { REVIEWS_GRAPHQL_PATH, startReviewsService } from './app.js';

await runService('reviews', (port, credentials) => startReviewsService({ port, token: credentials.reviewsToken }), REVIEWS_GRAPHQL_PATH);
