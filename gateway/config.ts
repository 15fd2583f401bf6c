/**
 * The gateway's configuration, read from environment variables once, at start-up, and checked there:
 * a bad value stops the start with one line that names the variable and what to do.
 *
 *   const config = loadConfig(process.env);
 *   config.sources.catalog.url; // 'http://127.0.0.1:4101'
 */
import { intFromEnv } from '../sources/world/config.js';

export const SOURCE_NAMES = ['catalog', 'payments', 'inventory', 'reviews'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface SourceConfig {
  name: SourceName;
  /** Where the upstream answers: a REST base URL, the SOAP endpoint, or the GraphQL endpoint. */
  url: string;
}

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  /** GraphQL requests executed at once, and how many more may wait (gateway/use-concurrency-limit.ts). */
  maxConcurrentRequests: number;
  maxQueuedRequests: number;
  sources: {
    catalog: SourceConfig & { apiKey: string };
    payments: SourceConfig & { tokenUrl: string; clientId: string; clientSecret: string };
    inventory: SourceConfig & { username: string; password: string };
    reviews: SourceConfig & { token: string };
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** The variable that points each source at its upstream; unset means "run the demo upstream". */
export const SOURCE_URL_VARIABLES: Record<SourceName, string> = {
  catalog: 'CATALOG_URL',
  payments: 'PAYMENTS_URL',
  inventory: 'INVENTORY_URL',
  reviews: 'REVIEWS_URL',
};

export function loadConfig(env: Env = process.env): GatewayConfig {
  const read = reader(env);
  const paymentsUrl = read.url('PAYMENTS_URL');
  return {
    port: read.port('PORT', 4000),
    host: read.string('HOST', '127.0.0.1'),
    production: read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') === 'production',
    maxConcurrentRequests: read.integer('MAX_CONCURRENT_REQUESTS', 64, 1, 10_000),
    maxQueuedRequests: read.integer('MAX_QUEUED_REQUESTS', 1000, 0, 1_000_000),
    sources: {
      catalog: { name: 'catalog', url: read.url('CATALOG_URL'), apiKey: read.secret('CATALOG_API_KEY') },
      payments: {
        name: 'payments',
        url: paymentsUrl,
        tokenUrl: env.PAYMENTS_TOKEN_URL ? read.url('PAYMENTS_TOKEN_URL') : `${paymentsUrl}/oauth/token`,
        clientId: read.secret('PAYMENTS_CLIENT_ID'),
        clientSecret: read.secret('PAYMENTS_CLIENT_SECRET'),
      },
      inventory: {
        name: 'inventory',
        url: read.url('INVENTORY_URL'),
        username: read.secret('INVENTORY_USERNAME'),
        password: read.secret('INVENTORY_PASSWORD'),
      },
      reviews: { name: 'reviews', url: read.url('REVIEWS_URL'), token: read.secret('REVIEWS_TOKEN') },
    },
  };
}

/** Private: typed readers whose errors all read "`X` must be …, but got: …". */
function reader(env: Env) {
  const required = (name: string, what: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      throw new ConfigError(`${name} must be set to ${what} (see .env.example), but it is missing.`);
    }
    return value.trim();
  };
  return {
    string: (name: string, fallback: string) => env[name]?.trim() || fallback,
    secret: (name: string) => required(name, 'the credential Switchboard uses toward that upstream'),
    url(name: string): string {
      const value = required(name, 'the http(s) URL of that upstream');
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new ConfigError(`${name} must be an http(s) URL, but got: ${JSON.stringify(value)}.`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigError(`${name} must be an http(s) URL, but got: ${JSON.stringify(value)}.`);
      }
      return value.replace(/\/+$/, '');
    },
    port(name: string, fallback: number): number {
      const value = env[name];
      if (value === undefined || value === '') return fallback;
      const port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535) {
        throw new ConfigError(`${name} must be a port number from 0 to 65535, but got: ${JSON.stringify(value)}.`);
      }
      return port;
    },
    integer(name: string, fallback: number, min: number, max: number): number {
      try {
        return intFromEnv(env, name, fallback, min, max);
      } catch (error) {
        throw new ConfigError((error as Error).message);
      }
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = env[name];
      if (value === undefined || value === '') return fallback;
      if (!allowed.includes(value as T)) {
        throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, but got: ${JSON.stringify(value)}.`);
      }
      return value as T;
    },
  };
}
