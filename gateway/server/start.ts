/**
 * What `npm start` does once the composition is built: start a demo upstream for every source the
 * environment does not point elsewhere, check the configuration, and serve the gateway.
 */
import { DEMO_CREDENTIALS, DEMO_PORTS, startDemoServices, type DemoService } from '../../demo/world/index.js';
import { credentialsFromEnv } from '../../demo/world/config.js';
import { loadConfig, SOURCE_NAMES, SOURCE_URL_VARIABLES, type GatewayConfig, type SourceName } from '../config/config.js';
import { checkContracts } from '../compose/build-mesh.js';
import { sourceUrlVariable } from '../config/added-sources.js';
import { serveGateway } from './http-server.js';
import { createGateway } from './server.js';

export interface RunningSwitchboard {
  config: GatewayConfig;
  /** The GraphQL endpoint (HTTP, SSE and graphql-ws). */
  url: string;
  demo: Partial<Record<SourceName, DemoService>>;
  close(): Promise<void>;
}

/**
 * What the demo's client tokens are signed with (`npm run token` mints one). A demo value: a real
 * deployment sets its own AUTH_JWT_SECRET, or AUTH_JWKS_URL.
 */
export const DEMO_TOKEN_SECRET = 'demo-switchboard-token-secret-0123456789';

/** The demo credentials, as the variables the gateway reads them from. */
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

export async function startSwitchboard(env: NodeJS.ProcessEnv = process.env): Promise<RunningSwitchboard> {
  const missing = SOURCE_NAMES.filter((name) => !env[SOURCE_URL_VARIABLES[name]]);
  // PORT=0 asks for a free port: the demo upstreams then take free ports too.
  const randomPorts = env.PORT === '0';
  // Everything but the demo upstreams' URLs is checked before they start, so that a bad variable is
  // what the operator reads, rather than a demo port already taken.
  const placeholders = Object.fromEntries(missing.map((name) => [SOURCE_URL_VARIABLES[name], 'http://127.0.0.1:1']));
  loadConfig({ ...(missing.length ? DEMO_VARIABLES : {}), ...env, ...placeholders });
  // The demo upstreams expect what the gateway will send (and sign webhooks with what it checks).
  const demo = missing.length
    ? await startDemoServices(missing, (name) => (randomPorts ? 0 : DEMO_PORTS[name]), { credentials: credentialsFromEnv(env) })
    : {};
  try {
    for (const name of missing) {
      env[SOURCE_URL_VARIABLES[name]] = demoEndpoint(name, demo[name]!.url);
    }
    if (missing.length) for (const [name, value] of Object.entries(DEMO_VARIABLES)) env[name] ??= value;
    const config = loadConfig(env);
    // `npm start` builds the composition first (scripts/build.ts --if-stale); here only its inputs are checked.
    checkContracts();
    // Before the warnings about upstreams: a schema the gateway cannot serve is the one line to read.
    const gateway = await createGateway(config);
    await warnAboutUnreachable([
      ...SOURCE_NAMES.filter((name) => !missing.includes(name)).map((name) => ({ name, url: config.sources[name].url, variable: SOURCE_URL_VARIABLES[name] })),
      ...config.added.map(({ name, url }) => ({ name, url, variable: sourceUrlVariable(name) })),
    ]);
    const served = await serveGateway(gateway, { port: config.port, host: config.host }).catch(async (error: unknown) => {
      await gateway.close();
      throw error;
    });
    // The demo upstreams deliver their webhooks to this gateway.
    for (const [name, service] of Object.entries(demo)) service.webhooks?.point(`${served.origin}/webhooks/${name}`);
    return {
      config,
      url: served.url,
      demo,
      async close() {
        await served.close();
        await gateway.close();
        await Promise.all(Object.values(demo).map((service) => service.close()));
      },
    };
  } catch (error) {
    await Promise.all(Object.values(demo).map((service) => service.close()));
    throw error;
  }
}

/**
 * Private: one line for each configured upstream that does not answer at all. The gateway starts
 * anyway (an upstream may come up later, and a failing source costs only its own fields), but the
 * operator learns it now rather than from the first failing query.
 */
async function warnAboutUnreachable(sources: { name: string; url: string; variable: string }[]): Promise<void> {
  await Promise.all(sources.map(async ({ name, url, variable }) => {
    try {
      const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
      await response.body?.cancel();
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'no answer within 3 s' : 'connection failed';
      console.warn(`${name}: ${variable} does not answer (${reason}): start that upstream or point ${variable} at it; its fields fail until it answers.`);
    }
  }));
}

/** The URL the gateway calls for a demo source (the SOAP and GraphQL endpoints sit on a path). */
export function demoEndpoint(name: SourceName, base: string): string {
  if (name === 'inventory') return `${base}/inventory`;
  if (name === 'reviews') return `${base}/graphql`;
  return base;
}
