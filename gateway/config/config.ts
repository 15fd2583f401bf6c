/**
 * The gateway's configuration, read from environment variables and the sources' manifests
 * (`sources/<name>/source.json`) once, at start-up, and checked there: a bad value stops the start
 * with one line that names the variable or the manifest's field, and what to do.
 *
 *   const config = loadConfig(process.env);
 *   config.sources.carrier.url; // 'https://api.carrier.example/v1'
 */
import type { FieldRateLimit } from '../plugins/use-rate-limits.js';
import type { QueryLimits } from '../plugins/use-query-limits.js';
import type { TrustedDocumentsMode } from '../plugins/use-trusted-documents.js';
import type { Env } from '../../lib/env.js';
import { ConfigError, envReader, type EnvReader } from './env-reader.js';
import { resolveCredentials, type CredentialSettings } from './credentials.js';
import type { UsageSettings } from '../usage/operation-usage.js';
import type { PersistedQuerySettings } from '../plugins/persisted-query-store.js';
import type { CompressionSettings } from '../server/compression.js';
import { webhookSecret, type WebhookDeclaration } from './webhooks.js';
export { ConfigError } from './env-reader.js';
import { readTracingSettings, type TracingSettings } from './tracing-settings.js';
import { isAdded, MANIFEST, readSourceManifests, sourceUrlVariable, type AddedSource, type SourceManifest } from './source-manifests.js';

export interface SourceConfig {
  name: string;
  /** Where the upstream answers (`<NAME>_URL`, else the manifest's endpoint): a REST base URL, the SOAP endpoint, or the GraphQL endpoint. */
  url: string;
  /** How calls to this source are made (gateway/upstream/policy.ts). */
  policy: UpstreamPolicySettings;
  /** Client request headers (lower case) passed on to this source; none by default. `<NAME>_FORWARD_HEADERS` */
  forwardHeaders: string[];
  /** What each call carries (gateway/upstream/credentials/), values read from the environment. */
  credentials: CredentialSettings[];
  manifest: SourceManifest;
}

/** The upstream policy of one source; each field is read from `<SOURCE>_<NAME>` (see .env.example). */
export interface UpstreamPolicySettings {
  /** Longest wait for one attempt's complete answer. `<SOURCE>_TIMEOUT_MS` */
  timeoutMs: number;
  /** Further attempts of an idempotent call after a timeout, a lost connection, 429 or 5xx. `<SOURCE>_RETRIES` */
  retries: number;
  /** The first backoff; each next one doubles, with full jitter. `<SOURCE>_RETRY_BASE_MS` */
  retryBaseMs: number;
  /** The longest wait before a retry, `Retry-After` included; a longer `Retry-After` ends the call. `<SOURCE>_RETRY_MAX_DELAY_MS` */
  retryMaxDelayMs: number;
  /** Calls in flight to this source at once; the next ones wait. `<SOURCE>_MAX_CONCURRENT` */
  maxConcurrent: number;
  /** The request budget: calls per second, 0 for none. `<SOURCE>_RATE_PER_SECOND` */
  ratePerSecond: number;
  /** How many calls may go at once when the budget has been idle. `<SOURCE>_RATE_BURST` */
  rateBurst: number;
  /** The longest a call waits for the budget before it fails with UPSTREAM_RATE_LIMITED. `<SOURCE>_RATE_MAX_WAIT_MS` */
  rateMaxWaitMs: number;
  /** Consecutive failed attempts that open the circuit breaker. `<SOURCE>_BREAKER_FAILURES` */
  breakerFailures: number;
  /** How long an open breaker fails calls fast before it lets one probe through. `<SOURCE>_BREAKER_COOLDOWN_MS` */
  breakerCooldownMs: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  /** GraphQL requests executed at once, and how many more may wait (gateway/plugins/use-concurrency-limit.ts). */
  maxConcurrentRequests: number;
  maxQueuedRequests: number;
  /** The longest a query or mutation may take, arrival to answer (gateway/plugins/use-request-deadline.ts). `REQUEST_TIMEOUT_MS` */
  requestTimeoutMs: number;
  /**
   * Prometheus metrics (gateway/metrics/): served at /metrics on `metricsPort` when set, else on the
   * gateway's port; a scrape must carry `metricsToken` when it is set. `METRICS_PORT`, `METRICS_TOKEN`
   */
  metrics: { port?: number; token?: string };
  /**
   * The entity cache (gateway/cache/), for the types the sources' manifests give a freshness
   * (`cache`): `ENTITY_CACHE` is `memory` (at most `ENTITY_CACHE_MAX_ENTRIES` entities, the default
   * alone), `redis` (shared by replicas, the default with `REDIS_URL`) or `off`.
   */
  entityCache: { store: CacheStore; maxEntries: number; maxAgeMs: Record<string, number> };
  /**
   * The response cache (gateway/cache/use-response-cache.ts): whole answers of queries whose types all
   * have a freshness, `RESPONSE_CACHE` `memory` (at most `RESPONSE_CACHE_MAX_ENTRIES` answers and `RESPONSE_CACHE_MAX_MB` of them, the
   * default alone), `redis` (the default with `REDIS_URL`) or `off`.
   */
  responseCache: { store: CacheStore; maxEntries: number; maxBytes: number };
  /** Where the operations clients send are recorded (gateway/usage/), when they are: `OPERATION_USAGE`. */
  operationUsage?: UsageSettings;
  /** The token of the admin endpoints (`POST /admin/invalidate`), 16 characters or more; unset, they answer 404. `ADMIN_TOKEN` */
  adminToken?: string;
  /** OpenTelemetry tracing (gateway/tracing/), off unless an OTLP endpoint is set: `OTEL_EXPORTER_OTLP_ENDPOINT` and the other `OTEL_*` variables. */
  tracing?: TracingSettings;
  /** How long a shutdown (SIGTERM, SIGINT) waits for requests in flight before it closes their connections. `SHUTDOWN_TIMEOUT_MS` */
  shutdownTimeoutMs: number;
  /** Webhooks from the upstreams (gateway/events/use-webhooks.ts). */
  webhooks: {
    /** What each source that sends webhooks declared, with its secret when that is set (else it takes none). */
    sources: Record<string, ConfiguredWebhook>;
    toleranceSeconds: number;
    maxBytes: number;
  };
  /** How clients prove who they are (gateway/plugins/auth/): JWT bearer tokens. */
  auth: AuthConfig;
  /** Calls per client per window on the expensive fields (gateway/plugins/use-rate-limits.ts). `RATE_LIMITS` */
  rateLimits: FieldRateLimit[];
  /** What one operation may ask (gateway/plugins/use-query-limits.ts): `MAX_DEPTH`, `MAX_ALIASES`, … */
  queryLimits: QueryLimits;
  /** The largest request body, in bytes. `MAX_BODY_BYTES` */
  maxBodyBytes: number;
  /** The most operations open at once on one WebSocket (graphql-ws). `MAX_OPERATIONS_PER_SOCKET` */
  maxOperationsPerSocket: number;
  /** The most operations one batched HTTP request may hold (0: no batching). `MAX_BATCH_SIZE` */
  maxBatchSize: number;
  /** Whether the schema can be introspected; on in development, off in production unless set (or GraphiQL is). `INTROSPECTION` */
  introspection: boolean;
  /** Whether GraphiQL is served at the endpoint; like introspection. `GRAPHIQL` */
  graphiql: boolean;
  /** The example operation GraphiQL opens with (a file in test/operations/); the first by name when unset. `GRAPHIQL_FIRST_OPERATION` */
  graphiqlFirstOperation?: string;
  /** Origins whose browser pages may call the gateway (CORS); `*` for any. `CORS_ORIGINS` */
  corsOrigins: string[];
  /** Whether documents are taken by hash from the manifest, and whether only those (gateway/plugins/use-trusted-documents.ts). `TRUSTED_DOCUMENTS` */
  trustedDocuments: TrustedDocumentsMode;
  /**
   * Automatic persisted queries (gateway/plugins/use-trusted-documents.ts), with `TRUSTED_DOCUMENTS=accept`
   * unless `AUTOMATIC_PERSISTED_QUERIES=off`: in memory (at most `PERSISTED_QUERIES_MAX_ENTRIES`
   * documents and `PERSISTED_QUERIES_MAX_MB` of them), in Redis with `REDIS_URL` (each kept
   * `PERSISTED_QUERIES_TTL_SECONDS` after its last use).
   */
  persistedQueries?: PersistedQuerySettings & { store: 'memory' | 'redis' };
  /**
   * Answers compressed by `Accept-Encoding` (gateway/server/compression.ts) unless `COMPRESSION=off`:
   * whole answers of `COMPRESSION_MIN_BYTES` or more, streams part by part; gzip and deflate at
   * `COMPRESSION_GZIP_LEVEL`, brotli at `COMPRESSION_BROTLI_QUALITY`.
   */
  compression?: CompressionSettings;
  /**
   * Where replicas share their state (the webhook event log, for now): `REDIS_URL`, and
   * `REDIS_KEY_PREFIX` before every key. Unset, each gateway keeps it in memory.
   */
  redis?: { url: string; keyPrefix: string };
  /** Every source, by name (gateway/config/source-manifests.ts). */
  sources: Record<string, SourceConfig>;
  /** The sources whose root fields are public, added with `npm run source:add`, in name order. */
  added: AddedSourceConfig[];
}

export interface ConfiguredWebhook extends WebhookDeclaration {
  /** The variable the secret is read from, named when it is not set. */
  secretVariable: string;
  secretValue?: string;
}

export interface AddedSourceConfig extends SourceConfig {
  manifest: AddedSource;
}

export interface AuthConfig {
  /** A shared secret the tokens are signed with (HS256/384/512). `AUTH_JWT_SECRET` */
  secret?: string;
  /** Where the issuer publishes its signing keys (RS256, ES256, …). `AUTH_JWKS_URL` */
  jwksUrl?: string;
  /** The `iss` every token must carry. `AUTH_ISSUER` */
  issuer: string;
  /** The `aud` every token must carry. `AUTH_AUDIENCE` */
  audience: string;
  /** The scope that lets a token read and act for every customer (support, back office). `AUTH_STAFF_SCOPE` */
  staffScope: string;
}

/** Shorter HS256 secrets can be guessed offline from one token. */
const MIN_SECRET_LENGTH = 32;

/** Where neither a source's variables nor its manifest set a policy setting. */
const POLICY_DEFAULTS: UpstreamPolicySettings = {
  timeoutMs: 10_000,
  retries: 2,
  retryBaseMs: 100,
  retryMaxDelayMs: 5_000,
  maxConcurrent: 64,
  ratePerSecond: 0,
  rateBurst: 1,
  rateMaxWaitMs: 5_000,
  breakerFailures: 5,
  breakerCooldownMs: 10_000,
};
/** The settings a manifest's "policy" may give, by name. */
export const POLICY_SETTINGS = Object.keys(POLICY_DEFAULTS) as (keyof UpstreamPolicySettings)[];

export function loadConfig(env: Env = process.env, manifests: SourceManifest[] = readSourceManifests()): GatewayConfig {
  const read = envReader(env);
  const sources = manifests.map((manifest) => readSource(env, read, manifest));
  const production = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') === 'production';
  const usage = loadUsageSettings(env);
  const trustedDocuments = read.oneOf<TrustedDocumentsMode>('TRUSTED_DOCUMENTS', ['accept', 'only', 'off'], 'accept');
  return {
    port: read.port('PORT', 4000),
    host: read.string('HOST', '127.0.0.1'),
    production,
    maxConcurrentRequests: read.integer('MAX_CONCURRENT_REQUESTS', 64, 1, 10_000),
    maxQueuedRequests: read.integer('MAX_QUEUED_REQUESTS', 1000, 0, 1_000_000),
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
    metrics: {
      ...(env.METRICS_PORT?.trim() ? { port: read.port('METRICS_PORT', 0) } : {}),
      ...(env.METRICS_TOKEN?.trim() ? { token: read.token('METRICS_TOKEN', 16) } : {}),
    },
    entityCache: {
      // Replicas share one in Redis: each one's own memory would hear another replica's webhooks a few
      // milliseconds late, and could answer a read from before a change that replica acknowledged.
      store: cacheStore(read, 'ENTITY_CACHE', env),
      maxEntries: read.integer('ENTITY_CACHE_MAX_ENTRIES', 100_000, 1, 10_000_000),
      maxAgeMs: cachedTypes(manifests),
    },
    responseCache: {
      store: cacheStore(read, 'RESPONSE_CACHE', env),
      maxEntries: read.integer('RESPONSE_CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
      maxBytes: read.integer('RESPONSE_CACHE_MAX_MB', 64, 1, 65_536) * 1024 * 1024,
    },
    ...(usage ? { operationUsage: usage } : {}),
    ...(env.ADMIN_TOKEN?.trim() ? { adminToken: read.token('ADMIN_TOKEN', 16) } : {}),
    ...optionalTracing(env),
    webhooks: {
      sources: readWebhooks(env, manifests),
      toleranceSeconds: read.integer('WEBHOOK_TOLERANCE_SECONDS', 300, 1, 86_400),
      maxBytes: read.integer('WEBHOOK_MAX_BYTES', 262_144, 1024, 10_485_760),
    },
    auth: loadAuthConfig(env),
    rateLimits: readRateLimits(env.RATE_LIMITS),
    queryLimits: {
      maxPageSize: read.integer('MAX_PAGE_SIZE', 1000, 1, 100_000),
      maxDepth: read.integer('MAX_DEPTH', 10, 1, 100),
      maxAliases: read.integer('MAX_ALIASES', 15, 0, 1000),
      maxDirectives: read.integer('MAX_DIRECTIVES', 20, 0, 1000),
      maxTokens: read.integer('MAX_TOKENS', 1000, 10, 100_000),
      maxRootFields: read.integer('MAX_ROOT_FIELDS', 10, 1, 1000),
      maxCost: read.integer('MAX_COST', 50_000, 1, 100_000_000),
    },
    maxBodyBytes: read.integer('MAX_BODY_BYTES', 102_400, 1024, 10_485_760),
    maxBatchSize: read.integer('MAX_BATCH_SIZE', 10, 0, 100),
    maxOperationsPerSocket: read.integer('MAX_OPERATIONS_PER_SOCKET', 100, 1, 10_000),
    // GraphiQL needs introspection: enabling it in production enables introspection unless that is set apart.
    introspection: read.boolean('INTROSPECTION', read.boolean('GRAPHIQL', !production)),
    graphiql: read.boolean('GRAPHIQL', !production),
    ...(env.GRAPHIQL_FIRST_OPERATION?.trim() ? { graphiqlFirstOperation: read.fileName('GRAPHIQL_FIRST_OPERATION') } : {}),
    corsOrigins: read.list('CORS_ORIGINS', production ? [] : ['*']),
    trustedDocuments,
    ...(read.oneOf('COMPRESSION', ['on', 'off'], 'on') === 'on' ? { compression: {
      minBytes: read.integer('COMPRESSION_MIN_BYTES', 1024, 0, 10_485_760),
      gzipLevel: read.integer('COMPRESSION_GZIP_LEVEL', 6, 1, 9),
      brotliQuality: read.integer('COMPRESSION_BROTLI_QUALITY', 5, 0, 11),
    } } : {}),
    ...(trustedDocuments === 'accept' && read.oneOf('AUTOMATIC_PERSISTED_QUERIES', ['on', 'off'], 'on') === 'on' ? { persistedQueries: {
      store: env.REDIS_URL?.trim() ? 'redis' as const : 'memory' as const,
      maxEntries: read.integer('PERSISTED_QUERIES_MAX_ENTRIES', 10_000, 1, 10_000_000),
      maxBytes: read.integer('PERSISTED_QUERIES_MAX_MB', 16, 1, 65_536) * 1024 * 1024,
      ttlSeconds: read.integer('PERSISTED_QUERIES_TTL_SECONDS', 86_400, 60, 31_536_000),
    } } : {}),
    ...optionalRedis(env),
    sources: Object.fromEntries(sources.map((source) => [source.name, source])),
    added: sources.filter((source): source is AddedSourceConfig => isAdded(source.manifest)),
  };
}

/** Private: each source's declared webhook with its secret; two sources never publish to one topic. */
function readWebhooks(env: Env, manifests: readonly SourceManifest[]): Record<string, ConfiguredWebhook> {
  const declared = manifests.flatMap((manifest) => (manifest.webhook ? [[manifest.name, manifest.webhook] as const] : []));
  const topics = new Map<string, string>();
  for (const [name, webhook] of declared) {
    const other = topics.get(webhook.topic);
    if (other) throw new ConfigError(`${name}: sources/${name}/${MANIFEST} publishes its webhooks to the topic ${webhook.topic}, as ${other}'s do; give each source its own topic.`);
    topics.set(webhook.topic, name);
  }
  return Object.fromEntries(declared.map(([name, webhook]) => {
    const secret = webhookSecret(webhook, env);
    return [name, { ...webhook, secretVariable: secret.variable, ...(secret.value ? { secretValue: secret.value } : {}) }];
  }));
}

/**
 * Private: one source: where it answers (`<NAME>_URL`, else its manifest's endpoint), its policy,
 * the client headers it is passed, and its credentials read from the environment.
 */
function readSource(env: Env, read: EnvReader, manifest: SourceManifest): SourceConfig {
  const { name } = manifest;
  const variable = sourceUrlVariable(name);
  if (!env[variable]?.trim() && !manifest.endpoint) {
    throw new ConfigError(`${variable} must be set to the http(s) URL of the ${name} upstream: its manifest names none (see README, "Source manifests").`);
  }
  const url = env[variable]?.trim() ? read.url(variable) : manifest.endpoint!.replace(/\/+$/, '');
  const file = `sources/${name}/${MANIFEST}`;
  const credentials = resolveCredentials(name, manifest.credentials, env, file, (message) => {
    throw new ConfigError(message);
  });
  if (credentials.some((credential) => credential.type === 'mutualTls') && !url.startsWith('https:')) {
    throw new ConfigError(`${name}: ${file} declares a mutualTls credential, which needs an https URL, but ${variable} is ${url}.`);
  }
  return {
    name,
    url,
    policy: readPolicy(read, name, manifest.policy),
    forwardHeaders: read.headerList(`${name.toUpperCase()}_FORWARD_HEADERS`),
    credentials,
    manifest,
  };
}

/** Private: a source's policy, each setting from `<SOURCE>_<SETTING>`, else its manifest, else the default. */
function readPolicy(read: EnvReader, name: string, declared: Partial<UpstreamPolicySettings>): UpstreamPolicySettings {
  const fallback = { ...POLICY_DEFAULTS, ...declared };
  const prefix = name.toUpperCase();
  const int = (setting: string, value: number, min: number, max: number) => read.integer(`${prefix}_${setting}`, value, min, max);
  return {
    timeoutMs: int('TIMEOUT_MS', fallback.timeoutMs, 1, 600_000),
    retries: int('RETRIES', fallback.retries, 0, 10),
    retryBaseMs: int('RETRY_BASE_MS', fallback.retryBaseMs, 1, 60_000),
    retryMaxDelayMs: int('RETRY_MAX_DELAY_MS', fallback.retryMaxDelayMs, 0, 600_000),
    maxConcurrent: int('MAX_CONCURRENT', fallback.maxConcurrent, 1, 10_000),
    ratePerSecond: int('RATE_PER_SECOND', fallback.ratePerSecond, 0, 1_000_000),
    rateBurst: int('RATE_BURST', fallback.rateBurst, 1, 1_000_000),
    rateMaxWaitMs: int('RATE_MAX_WAIT_MS', fallback.rateMaxWaitMs, 0, 600_000),
    breakerFailures: int('BREAKER_FAILURES', fallback.breakerFailures, 1, 1_000_000),
    breakerCooldownMs: int('BREAKER_COOLDOWN_MS', fallback.breakerCooldownMs, 1, 3_600_000),
  };
}

/** What RATE_LIMITS is when unset: the product list and search, and placing orders. */
export const DEFAULT_RATE_LIMITS = 'Query.products=120/60s,Mutation.placeOrder=20/60s';

/**
 * Private: `Type.field=<max>/<window>` entries, comma-separated (`Query.products=120/60s`; the window
 * in ms, s or m), or `none`.
 */
function readRateLimits(raw: string | undefined): FieldRateLimit[] {
  const value = raw === undefined || raw.trim() === '' ? DEFAULT_RATE_LIMITS : raw.trim();
  if (value === 'none') return [];
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
  return value.split(',').map((entry) => {
    const match = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)=(\d+)\/(\d+)(ms|s|m)$/.exec(entry.trim());
    if (!match || Number(match[3]) < 1 || Number(match[4]) < 1) {
      throw new ConfigError(`RATE_LIMITS must be entries like Query.products=120/60s (the window in ms, s or m) separated by commas, or none, but got: ${JSON.stringify(entry.trim())}.`);
    }
    return { type: match[1]!, field: match[2]!, max: Number(match[3]), windowMs: Number(match[4]) * units[match[5]!]! };
  });
}

/** Where replicas share state, when `REDIS_URL` says: its URL and the prefix of every key (`REDIS_KEY_PREFIX`). */
export function optionalRedis(env: Env = process.env): { redis?: { url: string; keyPrefix: string } } {
  const read = envReader(env);
  return env.REDIS_URL?.trim() ? { redis: { url: read.redisUrl('REDIS_URL'), keyPrefix: read.string('REDIS_KEY_PREFIX', 'switchboard:') } } : {};
}

/**
 * Where the operations clients send are recorded, when they are (gateway/usage/): `OPERATION_USAGE`
 * is `off` (the default), `file` (`OPERATION_USAGE_FILE`) or `redis` (shared by replicas); at most
 * `OPERATION_USAGE_MAX_DOCUMENTS`; the checks count those seen in the last `OPERATION_USAGE_DAYS`.
 */
export function loadUsageSettings(env: Env = process.env): UsageSettings | undefined {
  const read = envReader(env);
  const store = read.oneOf('OPERATION_USAGE', ['off', 'file', 'redis'] as const, 'off');
  if (store === 'off') return undefined;
  if (store === 'redis' && !env.REDIS_URL?.trim()) throw new ConfigError('OPERATION_USAGE=redis needs REDIS_URL: set it, or use OPERATION_USAGE=file on a single gateway.');
  return {
    store,
    file: read.string('OPERATION_USAGE_FILE', '.switchboard/operation-usage.json'),
    maxDocuments: read.integer('OPERATION_USAGE_MAX_DOCUMENTS', 5000, 1, 1_000_000),
    days: read.integer('OPERATION_USAGE_DAYS', 30, 1, 3650),
  };
}

/** The client-token settings alone (`npm run token` needs no more); production refuses to start without a way to check tokens. */
export function loadAuthConfig(env: Env = process.env): AuthConfig {
  const read = envReader(env);
  const secret = env.AUTH_JWT_SECRET?.trim() || undefined;
  const jwksUrl = env.AUTH_JWKS_URL?.trim() ? read.url('AUTH_JWKS_URL') : undefined;
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`AUTH_JWT_SECRET must hold at least ${MIN_SECRET_LENGTH} characters; the value set holds ${secret.length}.`);
  }
  if (secret && jwksUrl) throw new ConfigError('Set one of AUTH_JWT_SECRET and AUTH_JWKS_URL, not both.');
  if (!secret && !jwksUrl && env.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_JWT_SECRET or AUTH_JWKS_URL must be set in production: without one no client token can be checked.');
  }
  return {
    ...(secret ? { secret } : {}),
    ...(jwksUrl ? { jwksUrl } : {}),
    issuer: read.string('AUTH_ISSUER', 'switchboard'),
    audience: read.string('AUTH_AUDIENCE', 'switchboard-api'),
    staffScope: read.string('AUTH_STAFF_SCOPE', 'staff'),
  };
}

/** Private: each cached type's freshness in milliseconds, from the manifests; one type, one source. */
function cachedTypes(manifests: readonly SourceManifest[]): Record<string, number> {
  const ages: Record<string, number> = {};
  const declaredBy: Record<string, string> = {};
  for (const manifest of manifests) {
    for (const [type, seconds] of Object.entries(manifest.cache ?? {})) {
      if (declaredBy[type] !== undefined) {
        throw new ConfigError(`${manifest.name}: sources/${manifest.name}/${MANIFEST} gives ${type} a freshness (cache), as ${declaredBy[type]}'s does; keep it in the manifest of the source that answers it.`);
      }
      declaredBy[type] = manifest.name;
      ages[type] = seconds * 1000;
    }
  }
  return ages;
}

/** Private: the tracing settings when an OTLP endpoint is set; a bad `OTEL_*` value stops the start. */
function optionalTracing(env: Env): { tracing?: TracingSettings } {
  try {
    const tracing = readTracingSettings(env);
    return tracing ? { tracing } : {};
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export type CacheStore = 'memory' | 'redis' | 'off';

/** Private: a cache's store (`ENTITY_CACHE`, `RESPONSE_CACHE`): Redis by default when Switchboard has one, and only then. */
function cacheStore(read: EnvReader, name: string, env: Env): CacheStore {
  const redis = Boolean(env.REDIS_URL?.trim());
  const store = read.oneOf<CacheStore>(name, ['memory', 'redis', 'off'], redis ? 'redis' : 'memory');
  if (store === 'redis' && !redis) throw new ConfigError(`${name}=redis needs REDIS_URL: set it, or use ${name}=memory on a single gateway.`);
  return store;
}
