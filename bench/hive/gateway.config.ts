/**
 * Hive Gateway config for `hive-gateway supergraph -c gateway.config.ts`.
 * Port/host/fork come from the CLI (or PORT / HOST / FORK env); see run.sh.
 * Upstream URLs and credentials are read by the transports at request time from the environment
 * (CATALOG_URL, CATALOG_API_KEY, PAYMENTS_URL, PAYMENTS_CLIENT_ID, PAYMENTS_CLIENT_SECRET, REVIEWS_URL, REVIEWS_TOKEN, INVENTORY_USERNAME, INVENTORY_PASSWORD);
 * INVENTORY_URL is baked into supergraph.graphql by mesh-compose.
 */
import { defineConfig } from '@graphql-hive/gateway';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { cappedResolvers } from './capped-resolvers.ts';
import { usePaymentsOAuth } from './payments-oauth.ts';

const required = ['CATALOG_URL', 'CATALOG_API_KEY', 'PAYMENTS_URL', 'PAYMENTS_CLIENT_ID', 'PAYMENTS_CLIENT_SECRET', 'REVIEWS_URL', 'REVIEWS_TOKEN', 'INVENTORY_USERNAME', 'INVENTORY_PASSWORD'];
const missing = required.filter((name) => !process.env[name]);
if (missing.length) throw new Error(`Hive baseline: missing environment variables: ${missing.join(', ')}`);

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  // Production-ish: no GraphiQL/Laboratory, no landing page, errors masked, warn-level logs.
  graphiql: false,
  landingPage: false,
  maskedErrors: {
    // Masking as default, plus: drop `extensions.request/response` from upstream errors. transport-soap
    // puts the whole SOAP request there (with the WS-Security password in clear) and its errors are
    // GraphQLErrors, so plain `maskedErrors: true` sends them to the client.
    maskError(error, message, isDev) {
      const masked = yogaMaskError(error, message, isDev);
      if (!(masked instanceof GraphQLError) || !('request' in masked.extensions || 'response' in masked.extensions)) return masked;
      const { request: _request, response: _response, ...extensions } = masked.extensions;
      return new GraphQLError(masked.message, { nodes: masked.nodes, path: masked.path, originalError: masked.originalError, extensions });
    },
  },
  // Product.rating is always resolved here (a @resolveTo to a scalar `result` returns null).
  // STITCH=gateway (supergraph composed with STITCH=gateway too): stock/reviews/author resolved here
  // as well, with per-upstream batch caps, instead of by @resolveTo. See capped-resolvers.ts.
  additionalResolvers: [
    process.env.STITCH === 'gateway' ? cappedResolvers : { Product: { rating: cappedResolvers.Product.rating } },
  ],
  plugins: () => [usePaymentsOAuth()],
  logging: (process.env.LOG_LEVEL as 'warn' | 'info' | 'debug' | undefined) ?? 'warn',
});
