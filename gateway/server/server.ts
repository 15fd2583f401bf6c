/**
 * The Switchboard gateway: graphql-yoga over the built mesh, in this process (no forked workers).
 * `server.ts` only assembles; each concern is a `use-*.ts` plugin.
 *
 *   import { graph } from '#graph';
 *   const gateway = await createGateway(loadConfig(), { graph });
 *   http.createServer(gateway.yoga).listen(4000);
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createYoga, useSchema, type CORSOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useQueryLimits } from '../plugins/use-query-limits.js';
import { useContractConstraints } from '../plugins/use-contract-constraints.js';
import { useRequestLimits } from '../plugins/use-request-limits.js';
import { MANIFEST_PATH, readManifest, useTrustedDocuments } from '../plugins/use-trusted-documents.js';
import { ConfigError, type GatewayConfig } from '../config/config.js';
import { createRedisStore, useRateLimits } from '../plugins/use-rate-limits.js';
import { startGraphCode, type GraphCode } from '../stitching/graph-code.js';
import { PROJECT_ROOT, projectPath, projectVersion } from '../config/project.js';
import { createRestMediaLookup } from '../sources/rest/openapi-media.js';
import { sourceUrlVariable } from '../config/source-manifests.js';
import { createSourceClients } from '../sources/source-clients.js';
import { createUpstreams, type Upstreams } from '../upstream/index.js';
import { createSharedBudgets } from '../upstream/shared-budget.js';
import { createErrorShape } from '../plugins/use-error-shape.js';
import type { SourceOfField } from '../plugins/contract-mismatch.js';
import { checkLeafValues } from '../sources/leaf-checks.js';
import { readExampleOperations, renderGraphiQLPage, useGraphiQL } from '../plugins/use-graphiql.js';
import { useConcurrencyLimit } from '../plugins/use-concurrency-limit.js';
import { useGraphQLSse } from '../plugins/use-graphql-sse.js';
import { useReplayedResults } from './replay-operation.js';
import { addedSourceSdk, loadBuiltMesh, servedGraph } from './served-graph.js';
import { useAuth } from '../plugins/auth/use-auth.js';
import { useHealth } from '../plugins/use-health.js';
import { useRequestDeadline } from '../plugins/use-request-deadline.js';
import { createMetrics } from '../metrics/metrics.js';
import { log } from '../logging/log.js';
import { upstreamLog } from '../logging/upstream-log.js';
import { observeAll } from '../upstream/observer.js';
import { scrape, useMetrics } from '../metrics/use-metrics.js';
import { createTracing } from '../tracing/tracing.js';
import { useTracing } from '../tracing/use-tracing.js';
import { useCompiledOperations } from '../plugins/use-compiled-operations.js';
import { useIncrementalDelivery } from '../plugins/use-incremental-delivery.js';
import { useUpstreamScope } from '../plugins/use-upstream-scope.js';
import { useWebhooks, WEBHOOKS_PATH } from '../events/use-webhooks.js';
import { createMemoryEventLog, type EventLog } from '../events/event-log.js';
import { createRedisEventLog } from '../events/redis-event-log.js';
import { createInvalidations, forgetInFlightReads, invalidateOnEvents, type Invalidations } from '../events/invalidation.js';
import { answerPolicies, startCaches, useResponseCaching, type ServedGraph } from '../cache/start-caches.js';
import { useHttpCaching } from '../cache/use-http-caching.js';
import { openUsageStore } from '../usage/operation-usage.js';
import { createMemoryQueryStore, createRedisQueryStore } from '../plugins/persisted-query-store.js';
import type { CompressionSettings } from './compression.js';
import { createUsageRecorder } from '../usage/use-operation-usage.js';
import { useCacheAdmin } from '../cache/use-cache-admin.js';

export const GRAPHQL_PATH = '/graphql';
/** Where the graphql-sse protocol is served (yoga's own SSE answers at GRAPHQL_PATH). */
export const GRAPHQL_SSE_PATH = `${GRAPHQL_PATH}/stream`;
export const METRICS_PATH = '/metrics';
const OPERATIONS_FOLDER = projectPath('test', 'operations');

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  /** This gateway's way to its upstreams, with each source's policy (breaker state, for one). */
  upstreams: Upstreams;
  /** The work the project's graph code left in the background (GraphCode): `settled()` waits for what is still being retried. */
  background: { settled(): Promise<void> };
  /** The events the upstreams' webhooks brought, per topic. */
  events: EventLog;
  /** Told which entities each new event changed; a cache listens here (gateway/events/invalidation.ts). */
  invalidations: Invalidations;
  /** What a WebSocket may carry (gateway/server/graphql-ws.ts): the body limit, and operations open at once. */
  sockets: { maxMessageBytes: number; maxOperations: number };
  /** How answers are compressed for clients that read it (gateway/server/compression.ts); none when off. */
  compression?: CompressionSettings;
  /** Told of each answer sent `304 Not Modified` (gateway/server/send-answer.ts). */
  notModified(): void;
  /**
   * The first step of a graceful shutdown (http-server.ts): `/readyz` answers 503 from now on, and
   * every subscription stream completes (its subscriber resumes elsewhere with `after`).
   */
  drain(): void;
  /** A Prometheus scrape of this gateway's metrics, as `GET /metrics` answers it (`authorization`: the scrape's header). */
  scrape(authorization: string | null): Promise<{ status: number; headers: Record<string, string>; body: string }>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** The project's own code for its stitched graph (package.json's `#graph`; gateway/stitching/graph-code.ts). */
  graph: GraphCode;
  /**
   * Whether the stitched fields batch their upstream calls (the default). Off, every item costs its
   * own call, as Mesh does out of the box: the benchmarks' baseline (a), never a production setting.
   */
  batching?: boolean;
  /** More yoga plugins, after Switchboard's own (the tests' response audit). */
  plugins?: Plugin[];
}

export async function createGateway(config: GatewayConfig, options: GatewayOptions): Promise<Gateway> {
  // The composition reads a source's endpoint from `{env.<NAME>_URL}`: its manifest's default, unless set.
  for (const source of Object.values(config.sources)) process.env[sourceUrlVariable(source.name)] ??= source.url;
  const mesh = await loadBuiltMesh();
  // A value an upstream answers that its type refuses is said to be the provider's (leaf-checks.ts).
  for (const source of mesh.rawSources) checkLeafValues(source.schema);
  // What each REST operation's contract says (media, required bodies), read once for the schema and the upstreams.
  const restMedia = createRestMediaLookup(PROJECT_ROOT);
  // Checked before anything else opens (Redis, upstream clients): a schema it cannot serve stops the start.
  let graphServed: ServedGraph;
  try {
    graphServed = servedGraph(mesh, config, options.graph, restMedia);
  } catch (error) {
    mesh.destroy();
    throw error;
  }
  const batching = options.batching ?? true;
  // Read when scraped: the admission control and the upstreams are made below.
  const metrics = createMetrics({
    admission: () => admission.load(),
    breakers: () => Object.fromEntries(Object.entries(upstreams.policies).map(([name, policy]) => [name, policy.breaker.state])),
    cacheHeld: () => caches.entities?.held(),
    responsesHeld: () => caches.responses?.held(),
    persistedHeld: () => registered?.held(),
  });
  // A provider's quota is one for every replica: with Redis, the request budgets are shared there.
  const budgets = config.redis ? createSharedBudgets(config.redis) : undefined;
  const upstreams = createUpstreams(config, { restMedia, observer: observeAll(metrics.upstream, upstreamLog(log)), ...(budgets ? { budgets } : {}) });
  // Replicas share the event log through Redis; one gateway alone keeps it in memory.
  const events = config.redis
    ? await createRedisEventLog({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, topics: Object.values(config.webhooks.sources).map((hook) => hook.topic), heard: metrics.eventHeard })
    : createMemoryEventLog();
  const rateCounters = config.redis ? createRedisStore(config.redis) : undefined;
  const invalidations = createInvalidations();
  forgetInFlightReads(invalidations, upstreams);
  const caches = await startCaches(config, invalidations, metrics.entityCache);
  // What an answer may be kept for, and by whom: the response cache's rule, and the HTTP caches'.
  const policyOf = answerPolicies(graphServed, config);
  // Documents clients register by hash (automatic persisted queries), shared by replicas through Redis.
  const apq = config.persistedQueries;
  const registered = apq && (apq.store === 'redis' && config.redis
    ? createRedisQueryStore(config.redis, apq, (message) => log.warn(message))
    : createMemoryQueryStore(apq));
  // The operations clients send, for the schema checks (npm run schema:check), when recorded.
  const usage = config.operationUsage && createUsageRecorder(openUsageStore(config.operationUsage, config.redis), { warn: (message) => log.warn(message) });
  const entityCache = caches.entities;
  // What a delivery changed is invalidated before it is acknowledged; every other replica hears it.
  const invalidateEvent = invalidateOnEvents(events, invalidations, config.webhooks.sources);
  const urls = Object.fromEntries(Object.values(config.sources).map((source) => [source.name, source.url]));
  const graph = startGraphCode(options.graph, { upstreams, urls, invalidations });
  const errorShape = createErrorShape((error, requestId) => log.error({ err: error, requestId }, 'unexpected error'), sourceOfField(config));
  const admission = useConcurrencyLimit({ path: GRAPHQL_PATH, maxConcurrent: config.maxConcurrentRequests, maxQueued: config.maxQueuedRequests });
  const deadline = useRequestDeadline({ timeoutMs: config.requestTimeoutMs });
  const tracing = createTracing(config.tracing, { version: projectVersion() });
  // GraphQL requests (over every transport) and webhook deliveries; not probes, scrapes or GraphiQL's page.
  const traced = useTracing(tracing, { traced: (path) => path === GRAPHQL_PATH || path === GRAPHQL_SSE_PATH || path.startsWith(WEBHOOKS_PATH) });
  // In production the gateway's own port serves metrics only with a token; a port of their own is the operator's to guard.
  const metricsAccess = { ...(config.metrics.token ? { token: config.metrics.token } : {}), tokenRequired: config.production && config.metrics.port === undefined };
  let draining = false;
  if (config.graphiqlFirstOperation && !existsSync(join(OPERATIONS_FOLDER, config.graphiqlFirstOperation))) {
    throw new ConfigError(`GRAPHIQL_FIRST_OPERATION names ${config.graphiqlFirstOperation}, which is not in test/operations/.`);
  }
  const yoga = createYoga({
    graphqlEndpoint: GRAPHQL_PATH,
    // GraphiQL is served by useGraphiQL (offline, compressed); yoga's own page needs a CDN.
    graphiql: false,
    landingPage: false,
    maskedErrors: { maskError: errorShape.maskError },
    // Yoga's own lines go to the gateway's log, at its level.
    logging: {
      debug: (...args: unknown[]) => log.debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => log.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => log.warn(args.map(String).join(' ')),
      // Yoga logs each error it masks, without its request: Switchboard's own line of it (errorShape) has both.
      error: (...args: unknown[]) => log.debug(args.map(String).join(' ')),
    },
    batching: config.maxBatchSize > 0 ? { limit: config.maxBatchSize } : false,
    // The body limit is useRequestLimits' (MAX_BODY_BYTES, far below yoga's 25 MB). Yoga's own would
    // pipe every body through a TransformStream, whose teardown makes an AbortError (a DOMException
    // with its stack) per request: 5% of a small query's CPU (bench, W2).
    maxRequestBodySize: false,
    cors: corsOptions(config.corsOrigins),
    // Every request reaches the sources through their Mesh handlers, without Mesh's per-request SDK.
    context: { ...addedSourceSdk(mesh, config), ...graph.context, batching, events, ...(entityCache ? { entityCache } : {}), sources: createSourceClients(mesh.rawSources, {
      requestText: upstreams.requestText,
      env: process.env,
      endpoints: urls,
    }) },
    plugins: [
      // First: a request refused by any plugin after it is still counted, and traced.
      traced.plugin,
      useMetrics(metrics, { endpoint: GRAPHQL_PATH, ...(config.metrics.port === undefined ? { path: METRICS_PATH } : {}), ...metricsAccess }),
      useRequestLimits({ maxBytes: config.maxBodyBytes }),
      ...optional(useTrustedDocuments({ mode: config.trustedDocuments, manifest: readManifest(MANIFEST_PATH, config.trustedDocuments), ...(registered ? { registered, observer: metrics.persistedQueries } : {}) })),
      deadline.arrival,
      admission,
      useUpstreamScope(upstreams),
      // Before the response cache, which ends a kept answer's execution before later plugins see it.
      useHttpCaching({ policyOf, varyOn: [...new Set(Object.values(config.sources).flatMap((source) => source.forwardHeaders))] }),
      // Before the compiled operations: a kept query's document asks for its entities' keys too.
      ...(caches.responses ? [useResponseCaching(caches.responses, graphServed, policyOf, upstreams.seenByAny, metrics.responseCache)] : []),
      // Each query shape is compiled to JavaScript once (documents that differ only in literal values share one).
      useCompiledOperations(),
      deadline.execution,
      useAuth(config.auth),
      useSchema(graphServed.schema),
      // @defer and @stream: a page's slow parts come later, over multipart/mixed or SSE.
      useIncrementalDelivery(),
      useQueryLimits(config.queryLimits),
      ...optional(usage?.plugin),
      useContractConstraints(),
      // Without introspection, "Did you mean …?" in validation errors would still spell the schema out.
      ...(config.introspection ? [] : [useDisableIntrospection(), blockFieldSuggestionsPlugin() as Plugin]),
      useRateLimits({ limits: config.rateLimits, store: rateCounters?.store }),
      useReplayedResults(),
      useGraphQLSse({ endpoint: GRAPHQL_SSE_PATH, maxBodyBytes: config.maxBodyBytes, yoga: () => served }),
      errorShape.plugin,
      useCacheAdmin({ token: config.adminToken, caches, invalidations, typesOf: keptTypesBySource(config) }),
      useHealth({ load: admission.load, draining: () => draining, ...(config.redis ? { redis: () => events.reachable() } : {}) }),
      useWebhooks({ log: events, ...config.webhooks, observe: metrics.webhook, traceparent: traced.traceparent, invalidate: invalidateEvent }),
      ...(options.plugins ?? []),
      ...(config.graphiql ? [useGraphiQL({ endpoint: GRAPHQL_PATH, page: () => renderGraphiQLPage(GRAPHQL_PATH, readExampleOperations(OPERATIONS_FOLDER, config.graphiqlFirstOperation)) })] : []),
    ],
  });
  const served = yoga as unknown as Gateway['yoga'];
  return {
    yoga: served,
    upstreams,
    background: { settled: graph.settled },
    events,
    invalidations,
    sockets: { maxMessageBytes: config.maxBodyBytes, maxOperations: config.maxOperationsPerSocket },
    ...(config.compression ? { compression: config.compression } : {}),
    notModified: metrics.notModified,
    scrape: (authorization) => scrape(metrics, metricsAccess, authorization),
    drain() {
      draining = true;
      events.endStreams();
    },
    async close() {
      graph.close();
      await events.close();
      await rateCounters?.close();
      await budgets?.close();
      await entityCache?.close();
      await caches.responses?.close();
      await usage?.close();
      await registered?.close();
      mesh.destroy();
      // Last: the spans of everything above are sent.
      await tracing.shutdown();
    },
  };
}

function optional<T>(plugin: T | undefined): T[] {
  return plugin ? [plugin] : [];
}

/** Private: the added source whose root field a field is, by its field prefix (`crm_accounts` → `crm`). */
function sourceOfField(config: GatewayConfig): SourceOfField {
  const added = [...config.added].sort((a, b) => b.manifest.fieldPrefix.length - a.manifest.fieldPrefix.length);
  return (field) => added.find((source) => field.startsWith(source.manifest.fieldPrefix))?.name;
}

/** Private: CORS as configured: any origin, the listed ones, or none (no CORS headers at all). */
function corsOptions(origins: readonly string[]): CORSOptions | false {
  if (origins.length === 0) return false;
  if (origins.includes('*')) return { origin: '*', methods: ['GET', 'POST'] };
  return { origin: [...origins], methods: ['GET', 'POST'], credentials: true };
}

/** Private: the types each source keeps in the entity cache (its manifest's `cache`), for the sources that keep any. */
function keptTypesBySource(config: GatewayConfig): Record<string, string[]> {
  return Object.fromEntries(Object.values(config.sources).flatMap((source) => (source.manifest.cache ? [[source.name, Object.keys(source.manifest.cache)]] : [])));
}
