/**
 * Disposable Switchboards for tests: the four demo upstreams on port 0 and the gateway in this
 * process, listening on 127.0.0.1:0 (the demo upstreams deliver their webhooks there, and WebSocket
 * and SSE clients connect there). `query` goes through yoga's fetch (HTTP semantics, no socket). The
 * upstreams' request logs are read over HTTP, as `GET /_admin/requests`, the way an operator would.
 * Every JSON answer is audited for stacks, upstream addresses and secrets (response-audit.ts):
 * `close()` fails the test file if one leaked.
 */
import { loadConfig } from '../../gateway/config/config.js';
import { readSourceManifests, sourceUrlVariable, type SourceManifest } from '../../gateway/config/source-manifests.js';
import { DEMO_VARIABLES, demoEndpoint } from '../../demo/launch.js';
import { createGateway, GRAPHQL_PATH, type Gateway } from '../../gateway/server/server.js';
import { serveGateway } from '../../gateway/server/http-server.js';
import { mintToken, type TokenClaims } from '../../gateway/plugins/auth/tokens.js';
import { DEMO_CREDENTIALS, startDemoWorld, type ServingOptions } from '../../demo/world/index.js';
import type { Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { graph } from '#graph';
import { createResponseAudit } from './response-audit.js';

export type DemoWorld = Awaited<ReturnType<typeof startDemoWorld>>;
export const SOURCES = ['catalog', 'payments', 'inventory', 'reviews'] as const;
export type Source = (typeof SOURCES)[number];

export interface LoggedRequest {
  method: string;
  path: string;
  operation: string;
  keys: string[];
  status: number;
  headers: Record<string, string>;
  fault?: string;
}

export interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

export interface TestSwitchboard {
  world: DemoWorld;
  gateway: Gateway;
  /** The gateway's GraphQL URL on its socket (`ws://` with the same host and path for graphql-ws). */
  url: string;
  /** `http://127.0.0.1:<port>`: the webhooks are under `/webhooks/<source>`. */
  origin: string;
  /** Where a scraper reads the metrics (`METRICS_PORT=0` puts them on a free port of their own). */
  metricsUrl: string;
  /** How many JSON answers the leak audit has read so far. */
  auditedAnswers(): number;
  /** A valid token with the staff scope (every customer's data). */
  staffToken: string;
  /** A valid token for one customer. */
  tokenFor(customerId: string, claims?: Partial<TokenClaims>): Promise<string>;
  /**
   * `headers` are the client's own, added to the request. Without an `authorization` among them the
   * query carries a staff token (`staffToken`), as the tests of other concerns need; an empty one
   * sends no token.
   */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  /** What each upstream received since the last `resetLogs`. */
  requests(): Promise<Record<Source, LoggedRequest[]>>;
  resetLogs(): Promise<void>;
  /** Sets faults on an upstream, as `POST /_admin/faults` does (demo/world/faults.ts). */
  inject(source: Source, fault: Record<string, unknown> | Record<string, unknown>[]): Promise<void>;
  /** Clears every upstream's faults. */
  clearFaults(): Promise<void>;
  /** What an upstream changed through its API (`GET /_admin/state`). */
  state(source: Source): Promise<any>;
  /** Requests the gateway's socket is answering now. */
  inFlight(): number;
  /** A graceful stop of the gateway's socket, as on SIGTERM (http-server.ts); `close()` still ends the rest. */
  shutdown(timeoutMs: number): Promise<{ finished: boolean }>;
  close(): Promise<void>;
}

/**
 * `variables` overrides what the gateway is configured with (not what the upstreams expect), so
 * a test can give the gateway wrong credentials.
 */
export async function startTestSwitchboard(
  variables: Record<string, string> = {},
  options: { serving?: ServingOptions; plugins?: Plugin[]; sources?: SourceManifest[] } = {},
): Promise<TestSwitchboard> {
  const world = await startDemoWorld({ serving: options.serving });
  const urls = Object.fromEntries(SOURCES.map((name) => [sourceUrlVariable(name), demoEndpoint(name, world[name].url)]));
  // Client rate limits are tested on their own (test/rate-limits.test.ts); the other tests are one busy client.
  // The entity cache too (test/entity-cache.test.ts): the other tests count every upstream call a query makes.
  Object.assign(process.env, urls, DEMO_VARIABLES, { RATE_LIMITS: 'none', ENTITY_CACHE: 'off', RESPONSE_CACHE: 'off' }, variables);
  // More sources beside the demo's: their manifests, as if they were in sources/.
  const config = loadConfig(process.env, [...readSourceManifests(), ...(options.sources ?? [])]);
  const audit = createResponseAudit(() => [
    ...Object.values(world).flatMap((service) => (typeof service === 'object' && service && 'url' in service ? [String(service.url)] : [])),
    // The secrets (client ids and user names are not).
    DEMO_CREDENTIALS.catalogApiKey, DEMO_CREDENTIALS.paymentsClientSecret, DEMO_CREDENTIALS.inventoryPassword,
    DEMO_CREDENTIALS.reviewsToken, DEMO_CREDENTIALS.paymentsWebhookSecret, DEMO_CREDENTIALS.inventoryWebhookSecret,
    config.auth.secret ?? '',
  ]);
  const gateway = await createGateway(config, { graph, plugins: [audit.plugin, ...(options.plugins ?? [])] });
  const tokenFor = (subject: string, claims: Partial<TokenClaims> = {}) => mintToken(config.auth, { subject, ...claims });
  // A gateway that checks tokens against an issuer's keys (AUTH_JWKS_URL) has no secret to mint with.
  const staffToken = config.auth.secret ? await tokenFor('staff-tests', { scope: 'staff' }) : '';
  const served = await serveGateway(gateway, { port: 0, host: '127.0.0.1', metricsPort: config.metrics.port });
  for (const name of ['payments', 'inventory'] as const) world[name].webhooks!.point(`${served.origin}/webhooks/${name}`);
  const services = { catalog: world.catalog, payments: world.payments, inventory: world.inventory, reviews: world.reviews };
  return {
    world,
    gateway,
    url: served.url,
    origin: served.origin,
    metricsUrl: served.metricsUrl,
    staffToken,
    tokenFor,
    auditedAnswers: audit.checked,
    async query(query, variables, headers = {}) {
      const { authorization = `Bearer ${staffToken}`, ...others } = headers;
      const response = await gateway.yoga.fetch(`http://switchboard${GRAPHQL_PATH}`, {
        method: 'POST',
        headers: { ...others, ...(authorization ? { authorization } : {}), 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async requests() {
      const entries = await Promise.all(SOURCES.map(async (name) => {
        const response = await fetch(`${services[name].url}/_admin/requests`);
        const log = (await response.json()) as { count: number; requests: LoggedRequest[] };
        return [name, log.requests] as const;
      }));
      return Object.fromEntries(entries) as Record<Source, LoggedRequest[]>;
    },
    async resetLogs() {
      await Promise.all(SOURCES.map((name) => fetch(`${services[name].url}/_admin/reset`, { method: 'POST' })));
    },
    async inject(source, fault) {
      const response = await fetch(`${services[source].url}/_admin/faults`, { method: 'POST', body: JSON.stringify(fault) });
      if (response.status !== 201) throw new Error(`${source} refused the fault: ${await response.text()}`);
    },
    async state(source) {
      return (await fetch(`${services[source].url}/_admin/state`)).json();
    },
    async clearFaults() {
      await Promise.all(SOURCES.map((name) => fetch(`${services[name].url}/_admin/faults`, { method: 'DELETE' })));
    },
    inFlight: () => served.inFlight(),
    shutdown: (timeoutMs) => served.shutdown(timeoutMs),
    async close() {
      await served.close();
      await gateway.close();
      await world.close();
      if (audit.findings.length > 0) throw new Error(`Answers leaked what a client must never see:\n${audit.findings.join('\n')}`);
    },
  };
}

/** The number of calls each upstream received. */
/**
 * The test switchboard of a whole test file, as its tests use it: started before them (with
 * `variables`), closed after them, its faults cleared and its request logs reset before each test.
 *
 *   const switchboard = switchboardForFile({ RESPONSE_CACHE: 'memory' });
 *   it('…', async () => { await switchboard.query('{ __typename }'); });
 */
export function switchboardForFile(variables: Record<string, string> = {}): TestSwitchboard {
  let started: TestSwitchboard | undefined;
  beforeAll(async () => {
    started = await startTestSwitchboard(variables);
  }, 60_000);
  afterAll(() => started?.close());
  beforeEach(async () => {
    await started!.clearFaults();
    await started!.resetLogs();
  });
  return new Proxy({} as TestSwitchboard, {
    get(_, key) {
      if (!started) throw new Error('The test switchboard starts before the file\'s tests: use it inside them.');
      return Reflect.get(started, key);
    },
  });
}

export function callCounts(requests: Record<Source, LoggedRequest[]>): Record<Source, number> {
  return Object.fromEntries(SOURCES.map((name) => [name, requests[name].length])) as Record<Source, number>;
}
