/**
 * Switchboard's Prometheus metrics (prom-client), one registry per gateway: what operators chart
 * and alert on, by the names Prometheus' conventions give them (`_total` counters, `_seconds`
 * histograms, base units). Every label value is bounded: sources, their operations and the error
 * codes come from the contracts and the gateway; client operation names, which clients choose, are
 * kept for the first MAX_OPERATION_NAMES seen and counted as `other` after that.
 *
 * Gauges read the gateway's own state when scraped (admission, circuit breakers, open
 * subscriptions); counters and histograms are fed by the plugins and the upstream side.
 *
 *   const metrics = createMetrics({ admission: admission.load, breakers: () => …, subscriptions: () => … });
 *   createUpstreams(config, { observer: metrics.upstream });
 *   await metrics.registry.metrics();   // the text a scrape reads
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestLoad } from '../plugins/use-concurrency-limit.js';
import type { BreakerState } from '../upstream/circuit-breaker.js';
import type { EntityCacheObserver } from '../cache/entity-cache.js';
import type { PersistedQueryObserver } from '../plugins/use-trusted-documents.js';
import type { ResponseCacheObserver } from '../cache/use-response-cache.js';
import type { UpstreamObserver } from '../upstream/observer.js';

/** How a client reaches an operation. */
export type Transport = 'http' | 'sse' | 'graphql-sse' | 'graphql-ws';

export interface MetricsSources {
  admission: () => RequestLoad;
  /** Each source's circuit breaker, by source name. */
  breakers: () => Record<string, BreakerState>;
  /** Entities the entity cache holds now. */
  /** What the entity cache holds in this gateway's memory (undefined: none, or the shared store). */
  cacheHeld: () => { entities: number; bytes: number } | undefined;
  /** What the response cache holds in this gateway's memory (undefined: none, or the shared store). */
  responsesHeld: () => { responses: number; bytes: number } | undefined;
  /** The automatic persisted queries held in this replica's memory, when they are kept there. */
  persistedHeld?: () => { entries: number; bytes: number } | undefined;
}

export interface GatewayMetrics {
  registry: Registry;
  /** One operation answered (a subscription: once its stream started). */
  operation(labels: { name: string; type: string; transport: Transport; status: number }, seconds: number): void;
  /** An error in an answer, by its `extensions.code`; `source`, its `extensions.source` where it names one. */
  error(code: string, source?: string): void;
  /** A request refused by admission control (503 OVERLOADED). */
  refused(): void;
  /** A subscription stream opened or ended. */
  subscription(transport: Transport, change: 1 | -1): void;
  /** A webhook delivery, accepted, a duplicate, or refused for `reason`. */
  webhook(source: string, outcome: 'accepted' | 'duplicate' | 'refused', reason?: string): void;
  /** An event heard from the shared event log `seconds` after a replica recorded it. */
  eventHeard(seconds: number): void;
  upstream: UpstreamObserver;
  entityCache: EntityCacheObserver;
  responseCache: ResponseCacheObserver;
  /** An answer sent 304 Not Modified. */
  notModified(): void;
  persistedQueries: PersistedQueryObserver;
}

export const MAX_OPERATION_NAMES = 200;
const MAX_CODES = 100;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(sources: MetricsSources): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const operationName = bounded(MAX_OPERATION_NAMES);
  const code = bounded(MAX_CODES);

  const operations = new Histogram({
    name: 'switchboard_graphql_request_duration_seconds',
    help: 'GraphQL operations answered, from arrival to the answer (a subscription: to its first byte), by operation, transport and HTTP status.',
    labelNames: ['operation_name', 'operation_type', 'transport', 'status'], buckets: SECONDS, registers,
  });
  const errors = new Counter({ name: 'switchboard_graphql_errors_total', help: 'Errors in GraphQL answers, by extensions.code.', labelNames: ['code'], registers });
  // Label values: the configured sources, and `unknown` where the error could not tell which.
  const mismatches = new Counter({ name: 'switchboard_upstream_contract_mismatches_total', help: 'Values in upstream answers that did not fit the pinned contract (UPSTREAM_CONTRACT_MISMATCH), by source.', labelNames: ['source'], registers });
  const mismatchSource = bounded(MAX_CODES);
  const subscriptions = new Gauge({ name: 'switchboard_subscriptions_open', help: 'Subscription streams open on this gateway, by transport.', labelNames: ['transport'], registers });
  for (const transport of ['sse', 'graphql-sse', 'graphql-ws'] satisfies Transport[]) subscriptions.set({ transport }, 0);
  new Gauge({
    name: 'switchboard_admission_requests', help: 'GraphQL requests running and waiting for a slot (admission control).', labelNames: ['state'], registers,
    collect() {
      const load = sources.admission();
      this.set({ state: 'running' }, load.running);
      this.set({ state: 'waiting' }, load.waiting);
    },
  });
  new Gauge({ name: 'switchboard_admission_limit', help: 'GraphQL requests that may run at once now, as adapted.', registers, collect() {
    this.set(sources.admission().limit);
  } });
  const refusals = new Counter({ name: 'switchboard_admission_refused_total', help: 'GraphQL requests refused with 503 OVERLOADED: every slot taken and the queue full.', registers });
  const webhooks = new Counter({ name: 'switchboard_webhooks_received_total', help: 'Webhook deliveries, by source and outcome (accepted, duplicate, refused) and the reason of a refusal.', labelNames: ['source', 'outcome', 'reason'], registers });
  const lag = new Histogram({ name: 'switchboard_event_log_lag_seconds', help: 'From an event recorded by any replica to this gateway hearing it.', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers });

  const attempts = new Histogram({
    name: 'switchboard_upstream_request_duration_seconds',
    help: 'Exchanges with upstreams (each attempt), by source, operation, HTTP status class and the error it came to.',
    labelNames: ['source', 'operation', 'status_class', 'error_code'], buckets: SECONDS, registers,
  });
  const perSource = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames: ['source', ...labelNames], registers });
  const retries = perSource('switchboard_upstream_retries_total', 'Upstream calls tried again (timeouts, lost connections, 429, 5xx).');
  const shortCircuits = perSource('switchboard_upstream_short_circuits_total', 'Upstream calls failed at once by an open circuit breaker.');
  const budgetWaits = perSource('switchboard_upstream_budget_waits_total', 'Upstream calls that waited for the request budget before they went.');
  const budgetRefusals = perSource('switchboard_upstream_budget_refusals_total', 'Upstream calls the request budget refused (UPSTREAM_RATE_LIMITED).');
  const shared = perSource('switchboard_upstream_shared_calls_total', 'Upstream calls answered by an identical read already in flight.');
  const tokens = perSource('switchboard_upstream_token_fetches_total', 'OAuth2 access tokens asked for, by outcome.', ['outcome']);
  new Gauge({
    name: 'switchboard_upstream_circuit_breaker_state', help: 'Each source\'s circuit breaker: 1 for its state now, 0 for the others.', labelNames: ['source', 'state'], registers,
    collect() {
      for (const [source, now] of Object.entries(sources.breakers())) {
        for (const state of ['closed', 'open', 'half-open'] satisfies BreakerState[]) this.set({ source, state }, state === now ? 1 : 0);
      }
    },
  });

  // Label values: the types the manifests keep, a bounded set.
  const lookups = new Counter({ name: 'switchboard_entity_cache_lookups_total', help: 'Entities the stitched graph looked for in the entity cache, by type and outcome (hit, miss).', labelNames: ['type', 'outcome'], registers });
  const batches = new Counter({ name: 'switchboard_entity_cache_batches_total', help: 'Stitched batches that looked in the entity cache, by type and outcome: hit (all held), partial, miss (none held).', labelNames: ['type', 'outcome'], registers });
  const invalidations = new Counter({ name: 'switchboard_entity_cache_invalidations_total', help: 'Entities a webhook said changed, by type, and whether the cache held them.', labelNames: ['type', 'held'], registers });
  new Gauge({ name: 'switchboard_entity_cache_entities', help: 'Entities the entity cache holds in this replica\'s memory (0 with the cache shared in Redis: Redis tells its own).', registers, collect() {
    this.set(sources.cacheHeld()?.entities ?? 0);
  } });
  new Gauge({ name: 'switchboard_entity_cache_bytes', help: 'Bytes of the values the entity cache holds in this replica\'s memory, as JSON (0 with the cache shared in Redis).', registers, collect() {
    this.set(sources.cacheHeld()?.bytes ?? 0);
  } });

  const responseLookups = new Counter({ name: 'switchboard_response_cache_lookups_total', help: 'Kept queries looked for in the response cache, by outcome (hit: answered without running; miss: run).', labelNames: ['outcome'], registers });
  new Gauge({ name: 'switchboard_response_cache_answers', help: 'Answers the response cache holds in this replica\'s memory (0 with the cache shared in Redis).', registers, collect() {
    this.set(sources.responsesHeld()?.responses ?? 0);
  } });
  new Gauge({ name: 'switchboard_response_cache_bytes', help: 'Bytes of the answers the response cache holds in this replica\'s memory (0 with the cache shared in Redis).', registers, collect() {
    this.set(sources.responsesHeld()?.bytes ?? 0);
  } });

  const notModified = new Counter({ name: 'switchboard_http_not_modified_total', help: 'Answers sent 304 Not Modified: the client had the answer its If-None-Match named.', registers });

  const persisted = new Counter({ name: 'switchboard_persisted_queries_total', help: 'Automatic persisted queries asked by hash alone (hit: found; miss: PERSISTED_QUERY_NOT_FOUND, the client sends the document) and documents registered.', labelNames: ['outcome'], registers });
  new Gauge({ name: 'switchboard_persisted_queries_documents', help: 'Documents registered as automatic persisted queries in this replica\'s memory (0 with them in Redis).', registers, collect() {
    this.set(sources.persistedHeld?.()?.entries ?? 0);
  } });

  return {
    registry,
    persistedQueries: {
      looked: (outcome) => persisted.inc({ outcome }),
      registered: () => persisted.inc({ outcome: 'registered' }),
    },
    responseCache: {
      looked: (outcome) => responseLookups.inc({ outcome }),
    },
    notModified: () => notModified.inc(),
    entityCache: {
      looked(type, hits, misses) {
        if (hits > 0) lookups.inc({ type, outcome: 'hit' }, hits);
        if (misses > 0) lookups.inc({ type, outcome: 'miss' }, misses);
        batches.inc({ type, outcome: misses === 0 ? 'hit' : hits === 0 ? 'miss' : 'partial' });
      },
      invalidated: (type, held) => invalidations.inc({ type, held: String(held) }),
    },
    operation: ({ name, type, transport, status }, seconds) => operations.observe({ operation_name: operationName(name), operation_type: type, transport, status: String(status) }, seconds),
    error(value, source) {
      errors.inc({ code: code(value) });
      if (value === 'UPSTREAM_CONTRACT_MISMATCH') mismatches.inc({ source: mismatchSource(source ?? 'unknown') });
    },
    refused: () => refusals.inc(),
    subscription: (transport, change) => subscriptions.inc({ transport }, change),
    webhook: (source, outcome, reason = '') => webhooks.inc({ source, outcome, reason }),
    eventHeard: (seconds) => lag.observe(Math.max(0, seconds)),
    upstream: {
      attempted: (source, operation, outcome) => attempts.observe({
        source, operation, status_class: outcome.status === undefined ? 'none' : `${Math.floor(outcome.status / 100)}xx`, error_code: outcome.code ?? '',
      }, outcome.seconds),
      retried: (source) => retries.inc({ source }),
      shortCircuited: (source) => shortCircuits.inc({ source }),
      budgetWaited: (source) => budgetWaits.inc({ source }),
      budgetRefused: (source) => budgetRefusals.inc({ source }),
      shared: (source) => shared.inc({ source }),
      tokenFetched: (source, outcome) => tokens.inc({ source, outcome }),
    },
  };
}

/** Private: a label value kept as it is for the first `max` distinct ones, `other` after them. */
function bounded(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}
