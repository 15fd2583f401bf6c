/**
 * The demo's launcher (`npm start`): a demo upstream for every demo source the environment does not
 * point elsewhere, the demo's credentials where none are set, and then the gateway, exactly as it
 * serves anyone's sources (gateway/server/start.ts). The gateway knows nothing of this file.
 *
 *   const switchboard = await startSwitchboard(process.env);
 *   switchboard.demo.catalog?.url;   // 'http://127.0.0.1:4101'
 */
import { loadConfig } from '../gateway/config/config.js';
import { sourceUrlVariable } from '../gateway/config/source-manifests.js';
import { startGateway, type RunningGateway } from '../gateway/server/start.js';
import { credentialsFromEnv } from './world/config.js';
import { graph } from '#graph';
import { DEMO_CREDENTIALS, DEMO_PORTS, DEMO_SERVICE_NAMES, startDemoServices, type DemoService, type DemoServiceName } from './world/index.js';

export interface RunningSwitchboard extends RunningGateway {
  /** The demo upstreams this launcher started. */
  demo: Partial<Record<DemoServiceName, DemoService>>;
}

/**
 * What the demo's client tokens are signed with (`npm run token` mints one). A demo value: a real
 * deployment sets its own AUTH_JWT_SECRET, or AUTH_JWKS_URL.
 */
export const DEMO_TOKEN_SECRET = 'demo-switchboard-token-secret-0123456789';

/** The demo credentials, as the variables the demo sources' manifests name (sources/<name>/source.json). */
export const DEMO_VARIABLES: Record<string, string> = {
  AUTH_JWT_SECRET: DEMO_TOKEN_SECRET,
  CATALOG_API_KEY: DEMO_CREDENTIALS.catalogApiKey,
  PAYMENTS_CLIENT_ID: DEMO_CREDENTIALS.paymentsClientId,
  PAYMENTS_CLIENT_SECRET: DEMO_CREDENTIALS.paymentsClientSecret,
  INVENTORY_USERNAME: DEMO_CREDENTIALS.inventoryUsername,
  INVENTORY_PASSWORD: DEMO_CREDENTIALS.inventoryPassword,
  REVIEWS_TOKEN: DEMO_CREDENTIALS.reviewsToken,
  PAYMENTS_WEBHOOK_SECRET: DEMO_CREDENTIALS.paymentsWebhookSecret,
  INVENTORY_WEBHOOK_SECRET: DEMO_CREDENTIALS.inventoryWebhookSecret,
};

/** The example operation GraphiQL opens with in the demo. */
export const DEMO_FIRST_OPERATION = 'products-with-stock-and-reviews.graphql';

export async function startSwitchboard(env: NodeJS.ProcessEnv = process.env): Promise<RunningSwitchboard> {
  const missing = DEMO_SERVICE_NAMES.filter((name) => !env[sourceUrlVariable(name)]);
  // PORT=0 asks for a free port: the demo upstreams then take free ports too.
  const randomPorts = env.PORT === '0';
  // Everything but the demo upstreams' URLs is checked before they start, so that a bad variable is
  // what the operator reads, rather than a demo port already taken.
  const placeholders = Object.fromEntries(missing.map((name) => [sourceUrlVariable(name), 'http://127.0.0.1:1']));
  loadConfig({ ...(missing.length ? DEMO_VARIABLES : {}), ...env, ...placeholders });
  // The demo upstreams expect what the gateway will send (and sign webhooks with what it checks).
  const demo = missing.length
    ? await startDemoServices(missing, (name) => (randomPorts ? 0 : DEMO_PORTS[name]), { credentials: credentialsFromEnv(env) })
    : {};
  try {
    for (const name of missing) env[sourceUrlVariable(name)] = demoEndpoint(name, demo[name]!.url);
    if (missing.length) for (const [name, value] of Object.entries(DEMO_VARIABLES)) env[name] ??= value;
    // GraphiQL opens on the demo's front page: products with their stock and reviews.
    env.GRAPHIQL_FIRST_OPERATION ??= DEMO_FIRST_OPERATION;
    const gateway = await startGateway(env, { graph, quiet: missing });
    // The demo upstreams deliver their webhooks to this gateway.
    for (const [name, service] of Object.entries(demo)) service.webhooks?.point(`${gateway.origin}/webhooks/${name}`);
    return {
      ...gateway,
      demo,
      async shutdown() {
        const outcome = await gateway.shutdown();
        await Promise.all(Object.values(demo).map((service) => service.close()));
        return outcome;
      },
      async close() {
        await gateway.close();
        await Promise.all(Object.values(demo).map((service) => service.close()));
      },
    };
  } catch (error) {
    await Promise.all(Object.values(demo).map((service) => service.close()));
    throw error;
  }
}

/** The URL the gateway calls for a demo source (the SOAP and GraphQL endpoints sit on a path). */
export function demoEndpoint(name: DemoServiceName, base: string): string {
  if (name === 'inventory') return `${base}/inventory`;
  if (name === 'reviews') return `${base}/graphql`;
  return base;
}
