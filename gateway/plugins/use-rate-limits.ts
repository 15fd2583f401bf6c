/**
 * Rate limits per client on the expensive fields, with `@envelop/rate-limiter`: a client is its
 * token's subject, or its IP address without a token; each limited field allows `max` calls per
 * sliding `window`. Out of the box the library answers a refusal with HTTP 200, an error without a
 * code and `Retry-After: <the window as configured>` ("1m", not a number of seconds). Its shape is
 * fixed here, once: the operation is refused with HTTP 429, `extensions.code: "RATE_LIMITED"`,
 * `extensions.retryAfter` and a `Retry-After` in whole seconds, computed from when the oldest call
 * in the window leaves it (refused calls do not count, so that is exactly when the next one passes).
 *
 * Counters live behind the library's `Store` interface: in memory (createMemoryStore), or in Redis
 * when replicas share it (createRedisStore, the library's RedisStore over ioredis), so that a client
 * has one allowance however many replicas it reaches. Should Redis fail, the limits fail open: a
 * gateway that cannot count still answers.
 *
 *   plugins: [useRateLimits({ limits: [{ type: 'Mutation', field: 'placeOrder', max: 20, windowMs: 60_000 }] })]
 */
import { RedisStore, Store, useRateLimiter, type Identity } from '@envelop/rate-limiter';
import { Redis } from 'ioredis';
import { BREAK, GraphQLError, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from './auth/tokens.js';
import { log } from '../logging/log.js';

export interface FieldRateLimit {
  type: string;
  field: string;
  max: number;
  windowMs: number;
}

export interface RateLimitOptions {
  limits: readonly FieldRateLimit[];
  store?: Store;
}

export function useRateLimits(options: RateLimitOptions): Plugin {
  const store = withRetryAfter(options.store ?? createMemoryStore());
  // The refusal being shaped: the library calls onRateLimitError, then transformError, in one go.
  let refused: { key: string; windowMs: number; field: string } | undefined;
  const windowOf = new Map(options.limits.map((limit) => [`${limit.type}.${limit.field}`, limit.windowMs]));
  const limiter = useRateLimiter({
    identifyFn: (context) => clientOf(context as Record<string, any>),
    store,
    configByField: options.limits.map((limit) => ({
      type: limit.type,
      field: limit.field,
      max: limit.max,
      window: `${limit.windowMs}ms`,
      uncountRejected: true,
    })),
    onRateLimitError: ({ identifier, type, field }) => {
      refused = { key: `${identifier}\n${field.name}`, windowMs: windowOf.get(`${type.name}.${field.name}`) ?? 60_000, field: `${type.name}.${field.name}` };
    },
    transformError: (message) => {
      const retryAfter = String(Math.max(1, Math.ceil(store.retryAfterMs(refused?.key ?? '', refused?.windowMs ?? 60_000) / 1000)));
      const field = refused?.field;
      refused = undefined;
      // The whole operation is refused: the error names the limited field rather than a path.
      return new GraphQLError(message, {
        extensions: { code: 'RATE_LIMITED', field, retryAfter, http: { status: 429, headers: { 'retry-after': retryAfter } } },
      });
    },
    formatError: ({ fieldName, max, window }) =>
      `Too many requests for ${fieldName}: at most ${max} in ${Math.round(window / 1000)} s per client. Try again after Retry-After seconds.`,
  }) as Plugin;
  const asksLimited = askingLimitedFields(options.limits);
  // The library counts executions only: subscriptions are counted here the same way.
  const limit = (payload: Parameters<NonNullable<Plugin['onExecute']>>[0]) => {
    if (!asksLimited(payload.args.document, payload.args.schema)) return undefined;
    // The library rebuilds the document as it visits it, so every request would carry a new one and
    // graphql-jit would compile it again (measured: W2 0.45x -> 0.28x of the aggregator). Refusals
    // are thrown here (transformError), so the visit removes nothing: the original document stays.
    const original = payload.args.document;
    const result = limiter.onExecute!(payload);
    payload.args.document = original;
    return result;
  };
  return {
    ...limiter,
    onExecute: limit,
    // The library's hook returns nothing but its wait for the store: a refusal is thrown from there.
    onSubscribe: (payload) => limit(payload as never) as Promise<void> | void,
  };
}

/**
 * Private: whether a document asks a field that has a limit, by its name on any type, remembered per
 * parsed document: the library visits every document anew with the schema's types, which a product
 * page that asks no limited field need not pay for. A schema that declares the library's own
 * `@rateLimit` directive is visited always, as it may limit any field.
 */
function askingLimitedFields(limits: readonly FieldRateLimit[]): (document: DocumentNode, schema: GraphQLSchema) => boolean {
  const names = new Set(limits.map((limit) => limit.field));
  const asks = new WeakMap<DocumentNode, boolean>();
  return (document, schema) => {
    if (schema.getDirective('rateLimit')) return true;
    let found = asks.get(document);
    if (found === undefined) {
      found = false;
      visit(document, {
        Field(node) {
          if (!names.has(node.name.value)) return undefined;
          found = true;
          return BREAK;
        },
      });
      asks.set(document, found);
    }
    return found;
  };
}

/** Private: who a request counts against: the token's subject, else the client's address. */
function clientOf(context: Record<string, any>): string {
  const viewer = context.viewer as Viewer | null | undefined;
  if (viewer) return `sub:${viewer.subject}`;
  const socket = context.req?.socket ?? context.request?.socket;
  return `ip:${socket?.remoteAddress ?? 'unknown'}`;
}

/** The library's store, in memory, forgetting a client once its calls have left every window. */
export function createMemoryStore(): Store {
  const calls = new Map<string, { timestamps: readonly number[]; until: number }>();
  let sweptAt = Date.now();
  return new (class extends Store {
    setForIdentity(identity: Identity, timestamps: readonly number[], windowMs = 60_000) {
      const now = Date.now();
      calls.set(keyOf(identity), { timestamps: [...timestamps], until: (timestamps.at(-1) ?? now) + windowMs });
      if (now - sweptAt > 60_000) {
        sweptAt = now;
        for (const [key, entry] of calls) if (entry.until < now) calls.delete(key);
      }
    }
    getForIdentity(identity: Identity) {
      return calls.get(keyOf(identity))?.timestamps ?? [];
    }
  })();
}

/** The library's Redis store, under `<keyPrefix>rate:`; counting fails open while Redis is away. */
export function createRedisStore({ url, keyPrefix }: { url: string; keyPrefix: string }, warn = (message: string) => log.warn(message)) {
  const client = new Redis(url, { keyPrefix: `${keyPrefix}rate:`, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1000 });
  let warned = false;
  const failOpen = <T>(fallback: T) => (error: Error): T => {
    if (!warned) warn(`rate limits are not counted while Redis fails: ${error.message}`);
    warned = true;
    return fallback;
  };
  client.on('error', () => undefined);
  client.on('ready', () => (warned = false));
  const redis = new RedisStore(client);
  const store = new (class extends Store {
    setForIdentity(identity: Identity, timestamps: readonly number[], windowMs?: number) {
      return redis.setForIdentity(identity, timestamps, windowMs).catch(failOpen(undefined));
    }
    getForIdentity(identity: Identity) {
      return redis.getForIdentity(identity).catch(failOpen<readonly number[]>([]));
    }
  })();
  return { store, close: () => client.quit().then(() => undefined, () => client.disconnect()) };
}

/**
 * Private: a store that also knows when the oldest call in the window of the client and field it
 * last wrote leaves that window: the wait a refused client is told. The library writes a refused
 * call's counters just before it reports the refusal, so the last write is the refused one; should
 * another write come between (a store that answers asynchronously), the whole window is told.
 */
function withRetryAfter(backing: Store): Store & { retryAfterMs(key: string, windowMs: number): number } {
  let last: { key: string; leavesAt: number } | undefined;
  return new (class extends Store {
    setForIdentity(identity: Identity, timestamps: readonly number[], windowMs = 60_000) {
      last = { key: keyOf(identity), leavesAt: (timestamps[0] ?? Date.now()) + windowMs };
      return backing.setForIdentity(identity, timestamps, windowMs);
    }
    getForIdentity(identity: Identity) {
      return backing.getForIdentity(identity);
    }
    retryAfterMs(key: string, windowMs: number) {
      return last?.key === key ? last.leavesAt - Date.now() : windowMs;
    }
  })();
}

function keyOf(identity: Identity): string {
  return `${identity.contextIdentity}\n${identity.fieldIdentity}`;
}
