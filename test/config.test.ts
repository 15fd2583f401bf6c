// Misuse of the configuration: each bad value stops the start with one line naming the variable,
// pinned here word for word.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { asciiOnly, checkContracts, DEMO_BUNDLE, GATEWAY_BUNDLE } from '../gateway/compose/build-mesh.js';
import { mapAfterAsciiOnly } from '../gateway/compose/bundle-source-map.js';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { loadConfig } from '../gateway/config/config.js';
import { readSourceManifests, type AddedSource } from '../gateway/config/source-manifests.js';

const VALID = {
  CATALOG_URL: 'http://127.0.0.1:4101',
  PAYMENTS_URL: 'http://127.0.0.1:4102',
  INVENTORY_URL: 'http://127.0.0.1:4103/inventory',
  REVIEWS_URL: 'http://127.0.0.1:4104/graphql',
  CATALOG_API_KEY: 'k',
  PAYMENTS_CLIENT_ID: 'i',
  PAYMENTS_CLIENT_SECRET: 's',
  INVENTORY_USERNAME: 'u',
  INVENTORY_PASSWORD: 'p',
  REVIEWS_TOKEN: 't',
  AUTH_JWT_SECRET: 'a-secret-of-at-least-thirty-two-chars',
};

describe('loadConfig', () => {
  it('reads a valid environment', () => {
    const config = loadConfig({ ...VALID, PORT: '8080', NODE_ENV: 'production' });
    expect(config.port).toBe(8080);
    expect(config.production).toBe(true);
    expect([config.maxConcurrentRequests, config.maxQueuedRequests]).toEqual([64, 1000]);
    // The demo's sources are configured by their manifests like anyone's (sources/<name>/source.json).
    expect(config.sources.payments!.credentials).toEqual([{
      type: 'oauth2ClientCredentials', tokenUrl: '/oauth/token', clientId: 'i', clientSecret: 's', scopes: [],
      clientAuthentication: 'basic', variables: ['PAYMENTS_CLIENT_ID', 'PAYMENTS_CLIENT_SECRET'],
    }]);
    expect(config.sources.inventory).toMatchObject({
      name: 'inventory',
      url: 'http://127.0.0.1:4103/inventory',
      credentials: [{ type: 'wsSecurity', username: 'u', password: 'p', passwordType: 'digest' }],
      forwardHeaders: [],
      policy: {
        timeoutMs: 10_000, retries: 2, retryBaseMs: 100, retryMaxDelayMs: 5_000, maxConcurrent: 64,
        ratePerSecond: 0, rateBurst: 1, rateMaxWaitMs: 5_000, breakerFailures: 5, breakerCooldownMs: 10_000,
      },
    });
    // The demo catalog's quota is the catalog's default budget.
    expect(config.sources.catalog!.policy).toMatchObject({ ratePerSecond: 200, rateBurst: 50 });
  });

  it('reads each source\'s policy and header allowlist from its own variables', () => {
    const config = loadConfig({
      ...VALID,
      REVIEWS_TIMEOUT_MS: '250',
      REVIEWS_RETRIES: '0',
      REVIEWS_RATE_PER_SECOND: '10',
      REVIEWS_RATE_BURST: '3',
      REVIEWS_BREAKER_FAILURES: '2',
      REVIEWS_FORWARD_HEADERS: 'Accept-Language, x-request-id',
    });
    expect(config.sources.reviews!.policy).toMatchObject({ timeoutMs: 250, retries: 0, ratePerSecond: 10, rateBurst: 3, breakerFailures: 2 });
    expect(config.sources.reviews!.forwardHeaders).toEqual(['accept-language', 'x-request-id']);
    expect(config.sources.catalog!.policy.timeoutMs).toBe(10_000);
    expect(config.sources.catalog!.forwardHeaders).toEqual([]);
  });

  it('checks client tokens with a shared secret or an issuer\'s keys, for one issuer and audience', () => {
    expect(loadConfig(VALID).auth).toEqual({ secret: VALID.AUTH_JWT_SECRET, issuer: 'switchboard', audience: 'switchboard-api', staffScope: 'staff' });
    expect(loadConfig({ ...VALID, AUTH_JWT_SECRET: '', AUTH_JWKS_URL: 'https://id.example/jwks', AUTH_ISSUER: 'https://id.example/', AUTH_AUDIENCE: 'shop', AUTH_STAFF_SCOPE: 'support' }).auth)
      .toEqual({ jwksUrl: 'https://id.example/jwks', issuer: 'https://id.example/', audience: 'shop', staffScope: 'support' });
  });

  it('turns introspection, GraphiQL and open CORS off in production unless they are set', () => {
    const pick = (env: Record<string, string>) => {
      const config = loadConfig({ ...VALID, ...env });
      return [config.introspection, config.graphiql, config.corsOrigins];
    };
    expect(pick({})).toEqual([true, true, ['*']]);
    expect(pick({ NODE_ENV: 'production' })).toEqual([false, false, []]);
    expect(pick({ NODE_ENV: 'production', GRAPHIQL: 'true', CORS_ORIGINS: 'https://shop.example' })).toEqual([true, true, ['https://shop.example']]);
    expect(pick({ NODE_ENV: 'production', GRAPHIQL: 'true', INTROSPECTION: 'false' })).toEqual([false, true, []]);
  });

  it('traces only when an OTLP endpoint is set, with the standard OTEL_* variables', () => {
    expect(loadConfig(VALID).tracing).toBeUndefined();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/' };
    expect(loadConfig({ ...VALID, ...endpoint }).tracing).toEqual({
      url: 'https://collector.example:4318/v1/traces',
      headers: {},
      timeoutMs: 10_000,
      compression: 'none',
      serviceName: 'switchboard',
      resourceAttributes: {},
      sampler: { root: 'always_on', parentBased: true, ratio: 1 },
      batch: { delayMs: 5000, maxQueueSize: 2048, maxBatchSize: 512, exportTimeoutMs: 30_000 },
    });
    const tracing = loadConfig({
      ...VALID, ...endpoint, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/otlp/v1/traces', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=a%3Db,x-team=shop',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=checkout', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_RESOURCE_ATTRIBUTES: 'service.name=edge,deployment.environment.name=prod',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_BSP_MAX_QUEUE_SIZE: '8192',
    }).tracing!;
    expect([tracing.url, tracing.headers, tracing.compression, tracing.serviceName, tracing.sampler, tracing.batch.maxQueueSize]).toEqual([
      'http://tempo:4318/otlp/v1/traces', { 'x-key': 'a=b', 'x-team': 'checkout' }, 'gzip', 'edge', { root: 'traceidratio', parentBased: true, ratio: 0.25 }, 8192,
    ]);
    expect(loadConfig({ ...VALID, ...endpoint, OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
    expect(loadConfig({ ...VALID, ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeUndefined();
  });

  it('shares state through Redis only when REDIS_URL is set', () => {
    expect(loadConfig(VALID).redis).toBeUndefined();
    expect(loadConfig({ ...VALID, REDIS_URL: 'redis://127.0.0.1:6379/2' }).redis).toEqual({ url: 'redis://127.0.0.1:6379/2', keyPrefix: 'switchboard:' });
    expect(loadConfig({ ...VALID, REDIS_URL: 'rediss://cache.internal:6380', REDIS_KEY_PREFIX: 'shop-eu:' }).redis)
      .toEqual({ url: 'rediss://cache.internal:6380', keyPrefix: 'shop-eu:' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number from 0 to 65535, but got: "eighty".'],
    [{ PORT: '70000' }, 'PORT must be a port number from 0 to 65535, but got: "70000".'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test, but got: "prod".'],
    [{ CATALOG_URL: 'catalog.example.com' }, 'CATALOG_URL must be an http(s) URL, but got: "catalog.example.com".'],
    [{ REVIEWS_URL: 'ftp://reviews.example.com' }, 'REVIEWS_URL must be an http(s) URL, but got: "ftp://reviews.example.com".'],
    [{ PAYMENTS_CLIENT_SECRET: '' }, 'PAYMENTS_CLIENT_SECRET must be set: sources/payments/source.json sends it to payments (credentials[0].clientSecret, of its oauth2ClientCredentials credential), but it is missing.'],
    [{ INVENTORY_URL: undefined }, 'INVENTORY_URL must be set to the http(s) URL of the inventory upstream: its manifest names none (see README, "Source manifests").'],
    [{ MAX_CONCURRENT_REQUESTS: '0' }, 'MAX_CONCURRENT_REQUESTS must be an integer from 1 to 10000, but got: "0".'],
    [{ MAX_QUEUED_REQUESTS: 'many' }, 'MAX_QUEUED_REQUESTS must be an integer from 0 to 1000000, but got: "many".'],
    [{ CATALOG_TIMEOUT_MS: '0' }, 'CATALOG_TIMEOUT_MS must be an integer from 1 to 600000, but got: "0".'],
    [{ PAYMENTS_RETRIES: '-1' }, 'PAYMENTS_RETRIES must be an integer from 0 to 10, but got: "-1".'],
    [{ INVENTORY_RATE_PER_SECOND: '1.5' }, 'INVENTORY_RATE_PER_SECOND must be an integer from 0 to 1000000, but got: "1.5".'],
    [{ REVIEWS_BREAKER_FAILURES: 'five' }, 'REVIEWS_BREAKER_FAILURES must be an integer from 1 to 1000000, but got: "five".'],
    [{ WEBHOOK_TOLERANCE_SECONDS: '0' }, 'WEBHOOK_TOLERANCE_SECONDS must be an integer from 1 to 86400, but got: "0".'],
    [{ WEBHOOK_MAX_BYTES: '10' }, 'WEBHOOK_MAX_BYTES must be an integer from 1024 to 10485760, but got: "10".'],
    [{ MAX_DEPTH: '0' }, 'MAX_DEPTH must be an integer from 1 to 100, but got: "0".'],
    [{ MAX_BODY_BYTES: '1kb' }, 'MAX_BODY_BYTES must be an integer from 1024 to 10485760, but got: "1kb".'],
    [{ INTROSPECTION: 'yes' }, 'INTROSPECTION must be true or false, but got: "yes".'],
    [{ CORS_ORIGINS: 'https://shop.example, shop.example' }, 'CORS_ORIGINS must be * or a comma-separated list of origins such as https://shop.example, but got: "shop.example".'],
    [{ TRUSTED_DOCUMENTS: 'strict' }, 'TRUSTED_DOCUMENTS must be one of accept, only, off, but got: "strict".'],
    [{ REDIS_URL: 'http://:hunter2@127.0.0.1:6379' }, 'REDIS_URL must be a redis:// or rediss:// URL (redis://[:password@]host:port[/db]); the value set is not one.'],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET must hold at least 32 characters; the value set holds 5.'],
    [{ AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json' }, 'Set one of AUTH_JWT_SECRET and AUTH_JWKS_URL, not both.'],
    [{ AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: 'jwks.json' }, 'AUTH_JWKS_URL must be an http(s) URL, but got: "jwks.json".'],
    [{ AUTH_JWT_SECRET: '', NODE_ENV: 'production' }, 'AUTH_JWT_SECRET or AUTH_JWKS_URL must be set in production: without one no client token can be checked.'],
    [{ GRAPHIQL_FIRST_OPERATION: '../secrets.txt' }, 'GRAPHIQL_FIRST_OPERATION must name a .graphql file of test/operations/, such as front-page.graphql, but got: "../secrets.txt".'],
    [{ CATALOG_FORWARD_HEADERS: 'accept-language, bad header' }, 'CATALOG_FORWARD_HEADERS must be a comma-separated list of HTTP header names, but got: "bad header".'],
    [{ ADMIN_TOKEN: 'admin' }, 'ADMIN_TOKEN must hold at least 16 characters; the value set holds 5.'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL (http://collector:4318), but got: "collector:4318".'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL (http://collector:4318), but got: "grpc://collector:4317".'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json or http/protobuf (Switchboard sends OTLP over HTTP, with JSON bodies), but got: "grpc".'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, but got: "sometimes".'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 (0.25 records a quarter of the traces), but got: "1.5".'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'Bearer s3cret-collector-key' }, 'OTEL_EXPORTER_OTLP_HEADERS must be a comma-separated list of header=value pairs; one pair is not one (values are never repeated here).'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=1,bad key=s3cret' }, 'OTEL_EXPORTER_OTLP_HEADERS must be a comma-separated list of header=value pairs; the pair of "bad key" is not one (values are never repeated here).'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_BSP_SCHEDULE_DELAY: 'soon' }, 'OTEL_BSP_SCHEDULE_DELAY must be an integer from 1 to 600000, but got: "soon".'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER must be otlp or none (Switchboard exports traces over OTLP), but got: "zipkin".'],
  ])('refuses %o', (change, message) => {
    expect(() => loadConfig({ ...VALID, ...change })).toThrow(message);
  });
});

describe('sources beyond the demo', () => {
  const manifest = (name: string, more: Partial<AddedSource> = {}): AddedSource => ({
    name, kind: 'openapi', contract: 'openapi.yaml', typePrefix: `${name[0]!.toUpperCase()}${name.slice(1)}`, fieldPrefix: `${name}_`,
    credentials: [], policy: {}, idempotentOperations: [], ...more,
  });
  const carrier = manifest('carrier', {
    endpoint: 'https://api.carrier.example/v1',
    credentials: [{ type: 'apiKey', in: 'header', name: 'Authorization', value: 'Token {env.CARRIER_KEY}' }],
    policy: { ratePerSecond: 5 },
  });
  const tax = manifest('tax', { kind: 'soap', contract: 'tax.wsdl' });

  it('reads their endpoint (<NAME>_URL over the manifest), their policy (variables over the manifest) and their credentials from the environment', () => {
    const [added] = loadConfig({ ...VALID, CARRIER_TIMEOUT_MS: '2500', CARRIER_KEY: 'abc' }, [carrier]).added;
    expect(added).toMatchObject({
      name: 'carrier', url: 'https://api.carrier.example/v1', policy: { timeoutMs: 2500, ratePerSecond: 5 },
      credentials: [{ type: 'apiKey', in: 'header', name: 'Authorization', value: 'Token abc' }],
    });
    expect(loadConfig({ ...VALID, CARRIER_KEY: 'abc', CARRIER_URL: 'http://127.0.0.1:9/v1/' }, [carrier]).added[0]!.url).toBe('http://127.0.0.1:9/v1');
  });

  it('refuses two sources whose webhooks publish to one topic', () => {
    const hook = { secret: '{env.S}', signature: { scheme: 'github', header: 'x-hub-signature-256', encoding: 'hex' }, format: 'json', lists: [], topic: 'events', id: 'id', types: [], time: 'at', required: [], invalidates: [] } as const;
    const one = manifest('one', { endpoint: 'https://one.example', webhook: { ...hook, lists: [], types: [], required: [], invalidates: [] } });
    const two = manifest('two', { endpoint: 'https://two.example', webhook: { ...hook, lists: [], types: [], required: [], invalidates: [] } });
    expect(() => loadConfig(VALID, [one, two])).toThrow('two: sources/two/source.json publishes its webhooks to the topic events, as one\'s do; give each source its own topic.');
  });

  it('keeps each type for the freshness its source gives it, one source per type', () => {
    const rates = manifest('rates', { endpoint: 'https://rates.example', cache: { Rate: 30, Currency: 86_400 } });
    expect(loadConfig(VALID, [rates]).entityCache).toEqual({ store: 'memory', maxEntries: 100_000, maxAgeMs: { Rate: 30_000, Currency: 86_400_000 } });
    expect(loadConfig({ ...VALID, ENTITY_CACHE: 'off', ENTITY_CACHE_MAX_ENTRIES: '500' }, [rates]).entityCache).toMatchObject({ store: 'off', maxEntries: 500 });
    expect(() => loadConfig(VALID, [rates, manifest('fx', { endpoint: 'https://fx.example', cache: { Rate: 60 } })]))
      .toThrow('fx: sources/fx/source.json gives Rate a freshness (cache), as rates\'s does; keep it in the manifest of the source that answers it.');
    expect(() => loadConfig({ ...VALID, ENTITY_CACHE: 'disk' }, [rates])).toThrow('ENTITY_CACHE must be one of memory, redis, off, but got: "disk".');
    expect(() => loadConfig({ ...VALID, ENTITY_CACHE: 'redis' }, [rates])).toThrow('ENTITY_CACHE=redis needs REDIS_URL: set it, or use ENTITY_CACHE=memory on a single gateway.');
    // Replicas share it in Redis; memory is the default alone, and may be asked for with replicas.
    expect(loadConfig({ ...VALID }, [rates]).entityCache.store).toBe('memory');
    expect(loadConfig({ ...VALID, REDIS_URL: 'redis://127.0.0.1:6379' }, [rates]).entityCache.store).toBe('redis');
    expect(loadConfig({ ...VALID, REDIS_URL: 'redis://127.0.0.1:6379', ENTITY_CACHE: 'memory' }, [rates]).entityCache.store).toBe('memory');
    expect(loadConfig({ ...VALID, ENTITY_CACHE: 'off' }, [rates]).entityCache.store).toBe('off');
    // The response cache's store, by the same rules.
    expect(loadConfig({ ...VALID }, [rates]).responseCache).toEqual({ store: 'memory', maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
    expect(loadConfig({ ...VALID, REDIS_URL: 'redis://127.0.0.1:6379', RESPONSE_CACHE_MAX_ENTRIES: '50', RESPONSE_CACHE_MAX_MB: '8' }, [rates]).responseCache).toEqual({ store: 'redis', maxEntries: 50, maxBytes: 8 * 1024 * 1024 });
    expect(() => loadConfig({ ...VALID, RESPONSE_CACHE: 'redis' }, [rates])).toThrow('RESPONSE_CACHE=redis needs REDIS_URL: set it, or use RESPONSE_CACHE=memory on a single gateway.');
    expect(() => loadConfig({ ...VALID, RESPONSE_CACHE: 'on' }, [rates])).toThrow('RESPONSE_CACHE must be one of memory, redis, off, but got: "on".');
    expect(() => loadConfig({ ...VALID, RESPONSE_CACHE_MAX_ENTRIES: '0' }, [rates])).toThrow(/^RESPONSE_CACHE_MAX_ENTRIES must be/);
    expect(() => loadConfig({ ...VALID, RESPONSE_CACHE_MAX_MB: 'lots' }, [rates])).toThrow(/^RESPONSE_CACHE_MAX_MB must be/);
  });

  it('keeps automatic persisted queries in memory, in Redis with replicas, and none with TRUSTED_DOCUMENTS=only or AUTOMATIC_PERSISTED_QUERIES=off', () => {
    expect(loadConfig(VALID, []).persistedQueries).toEqual({ store: 'memory', maxEntries: 10_000, maxBytes: 16 * 1024 * 1024, ttlSeconds: 86_400 });
    expect(loadConfig({ ...VALID, REDIS_URL: 'redis://127.0.0.1:6379', PERSISTED_QUERIES_TTL_SECONDS: '3600' }, []).persistedQueries).toMatchObject({ store: 'redis', ttlSeconds: 3600 });
    expect(loadConfig({ ...VALID, TRUSTED_DOCUMENTS: 'only' }, []).persistedQueries).toBeUndefined();
    expect(loadConfig({ ...VALID, AUTOMATIC_PERSISTED_QUERIES: 'off' }, []).persistedQueries).toBeUndefined();
    expect(() => loadConfig({ ...VALID, AUTOMATIC_PERSISTED_QUERIES: 'yes' }, [])).toThrow('AUTOMATIC_PERSISTED_QUERIES must be one of on, off, but got: "yes".');
    expect(() => loadConfig({ ...VALID, PERSISTED_QUERIES_MAX_MB: '0' }, [])).toThrow(/^PERSISTED_QUERIES_MAX_MB must be/);
  });

  it('compresses answers unless COMPRESSION=off, at the levels set', () => {
    expect(loadConfig(VALID, []).compression).toEqual({ minBytes: 1024, gzipLevel: 6, brotliQuality: 5 });
    expect(loadConfig({ ...VALID, COMPRESSION_MIN_BYTES: '0', COMPRESSION_GZIP_LEVEL: '1', COMPRESSION_BROTLI_QUALITY: '11' }, []).compression).toEqual({ minBytes: 0, gzipLevel: 1, brotliQuality: 11 });
    expect(loadConfig({ ...VALID, COMPRESSION: 'off' }, []).compression).toBeUndefined();
    expect(() => loadConfig({ ...VALID, COMPRESSION: 'gzip' }, [])).toThrow('COMPRESSION must be one of on, off, but got: "gzip".');
    expect(() => loadConfig({ ...VALID, COMPRESSION_GZIP_LEVEL: '10' }, [])).toThrow(/^COMPRESSION_GZIP_LEVEL must be/);
  });

  it('records operation usage only where OPERATION_USAGE says', () => {
    expect(loadConfig(VALID, []).operationUsage).toBeUndefined();
    expect(loadConfig({ ...VALID, OPERATION_USAGE: 'file' }, []).operationUsage).toEqual({ store: 'file', file: '.switchboard/operation-usage.json', maxDocuments: 5000, days: 30 });
    expect(loadConfig({ ...VALID, OPERATION_USAGE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', OPERATION_USAGE_MAX_DOCUMENTS: '200', OPERATION_USAGE_DAYS: '7' }, []).operationUsage)
      .toEqual({ store: 'redis', file: '.switchboard/operation-usage.json', maxDocuments: 200, days: 7 });
    expect(() => loadConfig({ ...VALID, OPERATION_USAGE: 'redis' }, [])).toThrow('OPERATION_USAGE=redis needs REDIS_URL: set it, or use OPERATION_USAGE=file on a single gateway.');
    expect(() => loadConfig({ ...VALID, OPERATION_USAGE: 'on' }, [])).toThrow('OPERATION_USAGE must be one of off, file, redis, but got: "on".');
    expect(() => loadConfig({ ...VALID, OPERATION_USAGE: 'file', OPERATION_USAGE_MAX_DOCUMENTS: '0' }, [])).toThrow(/^OPERATION_USAGE_MAX_DOCUMENTS must be/);
  });

  it.each([
    [tax, { TAX_URL: '' }, 'TAX_URL must be set to the http(s) URL of the tax upstream: its manifest names none (see README, "Source manifests").'],
    [carrier, { CARRIER_KEY: '' }, 'CARRIER_KEY must be set: sources/carrier/source.json sends it to carrier (credentials[0].value, of its apiKey credential), but it is missing.'],
    [manifest('ledger', { endpoint: 'http://ledger.example', credentials: [{ type: 'mutualTls', cert: '{env.LEDGER_CERT}', key: '{env.LEDGER_KEY}' }] }), { LEDGER_CERT: 'c', LEDGER_KEY: 'k' },
      'ledger: sources/ledger/source.json declares a mutualTls credential, which needs an https URL, but LEDGER_URL is http://ledger.example.'],
  ])('stops the start with one line: %#', (source, env, message) => {
    expect(() => loadConfig({ ...VALID, ...env }, [source])).toThrow(message);
  });
});

describe('source manifests', () => {
  const read = (manifest: Record<string, unknown>) => {
    const root = mkdtempSync(join(tmpdir(), 'switchboard-manifest-'));
    try {
      mkdirSync(join(root, 'sources', 'shipping'), { recursive: true });
      writeFileSync(join(root, 'sources', 'shipping', 'openapi.json'), '{}');
      writeFileSync(join(root, 'sources', 'shipping', 'source.json'), JSON.stringify({ name: 'shipping', kind: 'openapi', contract: 'openapi.json', ...manifest }));
      return readSourceManifests(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  const fix = '; fix it (README, "Source manifests"), or add the source again with npm run source:add.';
  const HOOK = { secret: '{env.SHIPPING_WEBHOOK_SECRET}', signature: { scheme: 'github' }, format: 'json', topic: 'shipments', id: 'id', type: 'action', time: 'at' };

  it('reads every credential kind, prefixes and policy', () => {
    const credentials = [
      { type: 'apiKey', in: 'query', name: 'api_key', value: '{env.SHIPPING_API_KEY}' },
      { type: 'bearer', token: '{env.SHIPPING_TOKEN}' },
      { type: 'basic', username: 'shop', password: '{env.SHIPPING_PASSWORD}' },
      { type: 'oauth2ClientCredentials', tokenUrl: 'https://id.example/token', clientId: '{env.SHIPPING_CLIENT_ID}', clientSecret: '{env.SHIPPING_CLIENT_SECRET}', scopes: ['rates:read'], audience: 'https://api.shipping.example', clientAuthentication: 'body' },
      { type: 'wsSecurity', username: 'shop', password: '{env.SHIPPING_PASSWORD}', passwordType: 'digest' },
      { type: 'soapHeaders', values: { AuthHeader: { ApiKey: '{env.SHIPPING_API_KEY}' } } },
      { type: 'mutualTls', cert: '{env.SHIPPING_CERT}', key: '{env.SHIPPING_KEY}', ca: '/etc/ssl/shipping-ca.pem' },
    ];
    expect(read({ credentials, typePrefix: 'Shipping', fieldPrefix: 'shipping_', policy: { ratePerSecond: 10 } })).toEqual([{
      name: 'shipping', kind: 'openapi', contract: 'openapi.json', credentials, policy: { ratePerSecond: 10 }, idempotentOperations: [],
      typePrefix: 'Shipping', fieldPrefix: 'shipping_',
    }]);
  });

  it.each([
    [{ credentials: [{ type: 'apiKey', in: 'header', name: 'x-api-key', value: 'sk_live_123' }] }, 'holds a secret in credentials[0].value: write the environment variable that holds it instead, as {env.NAME}'],
    [{ credentials: { type: 'soapHeaders', values: { Auth: { Key: 'plain' } } } }, 'holds a secret in credentials[0].values: write the environment variable that holds it instead, as {env.NAME}'],
    [{ credentials: [{ type: 'kerberos' }] }, 'has credentials[0].type "kerberos", which is none of apiKey, bearer, basic, oauth2ClientCredentials, wsSecurity, soapHeaders, mutualTls'],
    [{ credentials: [{ type: 'apiKey', in: 'cookie', name: 'k', value: '{env.K}' }] }, 'has credentials[0].in "cookie", which is none of header, query'],
    [{ credentials: [{ type: 'apiKey', in: 'header', name: 'x api key', value: '{env.K}' }] }, 'has credentials[0].name "x api key", which is not an HTTP header name'],
    [{ credentials: [{ type: 'bearer', token: '{env.T}', scheme: 'Token' }] }, 'has credentials[0].scheme, which a bearer credential does not take (it takes token)'],
    [{ credentials: [{ type: 'basic', password: '{env.P}' }] }, 'has no credentials[0].username'],
    [{ policy: { retries: 'two' } }, 'has policy.retries that is not a whole number'],
    [{ policy: { speed: 1 } }, 'has policy.speed, which is none of timeoutMs, retries, retryBaseMs, retryMaxDelayMs, maxConcurrent, ratePerSecond, rateBurst, rateMaxWaitMs, breakerFailures, breakerCooldownMs'],
    [{ webhook: { ...HOOK, secret: 'whsec_live' } }, 'holds a secret in webhook.secret: write the environment variable that holds it instead, as {env.NAME}'],
    [{ webhook: { ...HOOK, signature: { scheme: 'svix' } } }, 'has webhook.signature.scheme "svix", which is none of stripe, github, hmac'],
    [{ webhook: { ...HOOK, signature: { scheme: 'hmac' } } }, 'has no valid webhook.signature.header (the hmac scheme names none by default)'],
    [{ webhook: { ...HOOK, format: 'yaml' } }, 'has webhook.format "yaml", which is neither json nor xml'],
    [{ webhook: { ...HOOK, invalidates: [{ type: 'Shipment' }] } }, 'has webhook.invalidates that is not a list of { "type": <public type name>, "key": <path> }'],
    [{ webhook: { ...HOOK, typeValue: 'x' } }, 'has both webhook.type and webhook.typeValue: the type is in the payload, or the same for every event'],
    [{ parameters: ['api-version'] }, 'has "parameters" that is not an object of parameter names and values'],
    [{ parameters: { 'api-version': 2024 } }, 'has parameters.api-version that is not a string value'],
    [{ auth: 'bearer' }, 'has "auth", which a manifest does not take (it takes name, kind, contract, endpoint, typePrefix, fieldPrefix, credentials, policy, idempotentOperations, parameters, webhook, cache, liveContract)'],
    [{ liveContract: true }, 'has a "liveContract" that is neither a path under the source\'s URL ("/openapi.json", "?wsdl"), an http(s) URL, nor false'],
    [{ liveContract: 'openapi.json' }, 'has a "liveContract" that is neither a path under the source\'s URL ("/openapi.json", "?wsdl"), an http(s) URL, nor false'],
    [{ cache: ['Rate'] }, 'has a "cache" that is not an object of type names and seconds'],
    [{ cache: { 'Rate-Card': 60 } }, 'has cache.Rate-Card, which is not a type name'],
    [{ cache: { Rate: 0 } }, 'has cache.Rate that is not a whole number of seconds from 1 to 86400'],
    [{ cache: { Rate: '60s' } }, 'has cache.Rate that is not a whole number of seconds from 1 to 86400'],
  ])('refuses %j in one line', (manifest, why) => {
    expect(() => read(manifest)).toThrow(`shipping: sources/shipping/source.json ${why}${fix}`);
  });
});

describe('checkContracts', () => {
  it('names the source whose contract file is missing', () => {
    const copy = mkdtempSync(join(tmpdir(), 'switchboard-'));
    try {
      cpSync(resolve('.meshrc.yaml'), join(copy, '.meshrc.yaml'));
      cpSync(resolve('sources'), join(copy, 'sources'), { recursive: true });
      rmSync(join(copy, 'sources/catalog/openapi.yaml'));
      expect(() => checkContracts(copy)).toThrow(
        'catalog: the contract file ./sources/catalog/openapi.yaml is missing: restore it, or fix the source\'s path in .meshrc.yaml.',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('npm start', () => {
  it.each([GATEWAY_BUNDLE, DEMO_BUNDLE])('runs a bundle (%s) holding graphql-js once, from its ES modules, in ASCII only', (file) => {
    const bundle = readFileSync(file, 'utf8');
    const graphqlFiles = [...bundle.matchAll(/"node_modules\/graphql\/([\w/]+\.m?js)"/g)].map((match) => match[1]!);
    expect(graphqlFiles).toContain('index.mjs');
    expect(graphqlFiles.filter((file) => !file.endsWith('.mjs'))).toEqual([]);
    expect(bundle.match(/[^\0-\x7f]/g)).toBeNull();
  });

  it('bundles no demo service into the gateway production runs, and that gateway starts none', () => {
    // What only the demo world holds: its services, its credentials, its seeded data.
    const demoOnly = ['startCatalogService', 'startDemoServices', 'createWorld', DEMO_CREDENTIALS.catalogApiKey, DEMO_CREDENTIALS.paymentsWebhookSecret];
    expect(demoOnly.filter((text) => readFileSync(GATEWAY_BUNDLE, 'utf8').includes(text))).toEqual([]);
    expect(demoOnly.filter((text) => readFileSync(DEMO_BUNDLE, 'utf8').includes(text))).toEqual(demoOnly);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    for (const name of ['CATALOG_URL', 'PAYMENTS_URL', 'INVENTORY_URL', 'REVIEWS_URL']) delete env[name];
    const run = spawnSync(process.execPath, [GATEWAY_BUNDLE], { env, encoding: 'utf8', timeout: 30_000 });
    expect([run.status, run.stderr.trim()]).toEqual([1, 'Switchboard did not start: CATALOG_URL must be set to the http(s) URL of the catalog upstream: its manifest names none (see README, "Source manifests").']);
  });

  it('escapes what is not ASCII so that it means the same in a regular expression, a string or a name', () => {
    const source = 'const café = "ü"; export default [café, /^[0-9]{1,3}°$/.test("42°"), /pok[eé]mon/i.test("Pokémon"), /^😀$/u.test("😀"), "😀".length];';
    const escaped = asciiOnly(source);
    expect(escaped).toBe(
      'const caf\\u00e9 = "\\u00fc"; export default [caf\\u00e9, /^[0-9]{1,3}\\u00b0$/.test("42\\u00b0"), /pok[e\\u00e9]mon/i.test("Pok\\u00e9mon"), /^\\ud83d\\ude00$/u.test("\\ud83d\\ude00"), "\\ud83d\\ude00".length];',
    );
    const evaluate = (code: string) => new Function(code.replace('export default', 'return'))() as unknown[];
    expect(evaluate(escaped)).toEqual(['ü', true, true, true, 2]);
    expect(evaluate(escaped)).toEqual(evaluate(source));
  });

  it('moves the source map with asciiOnly, so that a position after an escape still names its source', async () => {
    const source = 'export const matches = /°$/.test(first) && /[é😀]+/u.test(second) ? third(first) : fourth();\n';
    const { outputFiles } = await build({ stdin: { contents: source, sourcefile: 'source.js' }, outfile: 'out.js', write: false, sourcemap: 'external', minifyWhitespace: true, format: 'esm', logLevel: 'silent' });
    const code = outputFiles.find((file) => file.path.endsWith('.js'))!.text;
    const map = new SourceMap(JSON.parse(mapAfterAsciiOnly(outputFiles.find((file) => file.path.endsWith('.map'))!.text, code)));
    const escaped = asciiOnly(code);
    expect(escaped).not.toBe(code);
    for (const name of ['second', 'third', 'fourth']) {
      expect(map.findEntry(0, escaped.indexOf(name))).toMatchObject({ generatedColumn: escaped.indexOf(name), originalColumn: source.indexOf(name) });
    }
  });

  // `npm start`: the demo's launcher, which starts a demo upstream for each demo source left unset.
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, [DEMO_BUNDLE], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });

  it('stops with one line naming a bad variable', () => {
    const run = start({ PORT: 'eighty' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('Switchboard did not start: PORT must be a port number from 0 to 65535, but got: "eighty".');
  });

  it('stops with one line when Redis cannot be reached, without its password', () => {
    const run = start({ PORT: '0', REDIS_URL: 'redis://:hunter2@127.0.0.1:9' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Switchboard did not start: REDIS_URL: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:9: connect ECONNREFUSED 127\.0\.0\.1:9$/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
  });

  it('names an unreachable upstream in one line, and serves anyway', () => {
    // Port 9 (discard) on loopback: nothing listens there. SIGTERM after the warning ends the run.
    const run = spawnSync('bash', ['-c', `node ${DEMO_BUNDLE} & pid=$!; sleep 5; kill $pid; wait $pid`], {
      env: { ...process.env, PORT: '0', CATALOG_URL: 'http://127.0.0.1:9', CATALOG_API_KEY: 'k' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toContain(
      'catalog: CATALOG_URL does not answer (connection failed): start that upstream or point CATALOG_URL at it; its fields fail until it answers.',
    );
    expect(run.stdout).toMatch(/Switchboard is ready in \d+ ms: http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(run.stdout).not.toContain('demo upstream catalog');
  });
});
