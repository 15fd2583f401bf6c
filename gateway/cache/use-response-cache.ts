/**
 * The response cache: a query's whole answer, kept for the least freshness of the types it holds
 * (cache-policy.ts) and served again without running, until a provider's webhook changes an entity
 * it holds (response-entities.ts) or its freshness runs out. Personal data is kept per viewer: an
 * answer that reads a field an access rule guards is kept under its token's subject, and never for a
 * request without one. The key also holds the client headers the sources are allowed (two clients
 * a source tells apart never share an answer).
 *
 * An answer served from the cache says how old it is (`Age`, in seconds), so that a client or a
 * proxy keeping it for its `max-age` (use-http-caching.ts) counts from when it was kept, not from
 * when it was served. Batched requests and streams are not kept.
 *
 *   plugins: [useResponseCache({ cache, policyOf, keyFields, fieldTypes, variantOf })]
 */
import { createHash } from 'node:crypto';
import { print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../plugins/auth/tokens.js';
import type { UpstreamScope } from '../upstream/index.js';
import type { ResponsePolicyOf } from './cache-policy.js';
import type { ResponseCache } from './response-cache.js';
import { entitiesIn, withEntityKeys, type FieldTypes } from './response-entities.js';

export interface ResponseCacheObserver {
  /** A kept query looked for: served from the cache, or run. */
  looked(outcome: 'hit' | 'miss'): void;
}

export interface ResponseCacheOptions {
  cache: ResponseCache;
  policyOf: ResponsePolicyOf;
  /** Each type's key field (response-entities.ts `entityKeyFields`). */
  keyFields: Readonly<Record<string, string>>;
  fieldTypes: FieldTypes;
  /** What of a request its answer depends on besides its document, variables and viewer: the client headers the sources are allowed. */
  variantOf: (headers: Headers) => string;
  observer?: ResponseCacheObserver;
}

interface RequestState {
  executions: number;
  /** When the answer served from the cache was kept. */
  keptAt?: number;
}

interface CacheContext {
  request?: Request;
  viewer?: Viewer | null;
  params?: { query?: string };
  upstreamScope?: UpstreamScope;
}

const NOT_OBSERVED: ResponseCacheObserver = { looked() {} };

export function useResponseCache(options: ResponseCacheOptions): Plugin {
  const { cache, policyOf, keyFields, fieldTypes, variantOf, observer = NOT_OBSERVED } = options;
  const states = new WeakMap<Request, RequestState>();
  const printed = new WeakMap<DocumentNode, string>();
  const textOf = (document: DocumentNode, context: CacheContext) => {
    if (context.params?.query) return context.params.query;
    let text = printed.get(document);
    if (text === undefined) printed.set(document, (text = print(document)));
    return text;
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as CacheContext;
      const { request } = context;
      if (!request) return undefined;
      const state = states.get(request) ?? { executions: 0 };
      states.set(request, state);
      state.executions += 1;
      const policy = policyOf(args.document, args.operationName);
      if (policy.maxAgeSeconds <= 0 || (policy.scope === 'PRIVATE' && !context.viewer)) return undefined;
      const viewer = policy.scope === 'PRIVATE' ? `${context.viewer!.subject}\n${context.viewer!.staff}` : '';
      const key = createHash('sha256')
        .update([textOf(args.document, context), args.operationName ?? '', JSON.stringify(args.variableValues ?? {}), viewer, variantOf(request.headers)].join('\0'))
        .digest('base64url');
      return cache.read(key, policy.types).then((read) => {
        if (read.held) {
          const { body, keptAt } = read.held;
          observer.looked('hit');
          state.keptAt = keptAt;
          const result = JSON.parse(body) as ExecutionResult;
          setResultAndStopExecution(Object.assign(result, { stringify: (value: unknown) => (value === result ? body : JSON.stringify(value)) }));
          return undefined;
        }
        observer.looked('miss');
        args.document = withEntityKeys(args.document, args.schema, keyFields);
        // Its upstream reads never join one from before an invalidation another replica made (scope.ts).
        if (read.version && context.upstreamScope) context.upstreamScope = { ...context.upstreamScope, dataVersion: read.version };
        return {
          onExecuteDone({ result, setResult }) {
            if (Symbol.asyncIterator in result) return;
            const { data, entities } = entitiesIn(result.data, fieldTypes);
            // Other plugins' serializers (the compiled query's) know the answer with the keys it asked.
            const { stringify: _, ...rest } = result as ExecutionResult & { stringify?: unknown };
            const clean: ExecutionResult = { ...rest, data: data as ExecutionResult['data'] };
            const body = JSON.stringify(clean);
            setResult(Object.assign(clean, { stringify: (value: unknown) => (value === clean ? body : JSON.stringify(value)) }));
            if (result.errors?.length || !result.data) return;
            void read.keep({ body, keptAt: Date.now() }, entities, policy.maxAgeSeconds * 1000);
          },
        };
      });
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (state?.keptAt === undefined || state.executions !== 1 || response.status !== 200) return;
      response.headers.set('age', String(Math.max(0, Math.floor((Date.now() - state.keptAt) / 1000))));
    },
  };
}
