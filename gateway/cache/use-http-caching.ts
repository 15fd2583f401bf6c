/**
 * What a client's HTTP cache, a CDN or a proxy may do with an answer (`Cache-Control`, `Vary`),
 * computed from what the answer touched (cache-policy.ts, the same figures the response cache keeps
 * answers for):
 * - a query of public fields only, over GET: `public, max-age=<its least freshness>`, kept and
 *   served without asking for as long as its sources declared it fresh;
 * - a query over GET holding a type no source gives a freshness: `public, no-cache`, kept but asked
 *   again each time (a 304 costs no body: the HTTP layer's ETag, send-answer.ts);
 * - a query over GET that reads anything for a viewer (a field an access rule guards,
 *   `@cacheControl(scope: PRIVATE)`): `private, no-cache`, and `Vary: Authorization`;
 * - a query over POST: `private, no-cache`. Shared caches keep GETs only (RFC 9111), so its policy
 *   is not even computed: a client revalidates it by its ETag, and a webhook never leaves it stale;
 * - a mutation, an answer with errors, a batch, a stream (a subscription, an answer in parts):
 *   `no-store`.
 * `Vary` names what else the answer depends on: `Accept` (which media type it is written in) and
 * the client headers the sources are allowed (their `forwardHeaders`).
 *
 *   plugins: [useHttpCaching({ policyOf, varyOn: ['accept-language'] })]
 *   // GET /graphql?query={products{name}}  →  Cache-Control: public, max-age=300
 */
import { getOperationAST, type DocumentNode, type ExecutionResult, type OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ResponsePolicy, ResponsePolicyOf } from './cache-policy.js';

export interface HttpCachingOptions {
  policyOf: ResponsePolicyOf;
  /** The client headers an answer may depend on besides its document: those the sources are allowed. */
  varyOn: readonly string[];
}

/** What is known of an answer when it is written. */
export interface AnswerFacts {
  method: string;
  /** The operations the request ran (more than one: a batch). */
  executions: number;
  operation?: OperationTypeNode | undefined;
  policy?: ResponsePolicy | undefined;
  errors: boolean;
}

/** The `Cache-Control` of an answer. */
export function cacheControlFor({ method, executions, operation, policy, errors }: AnswerFacts): string {
  if (errors || executions !== 1 || operation !== 'query') return 'no-store';
  // POST keeps its promise of issue 21: never an answer a webhook made stale. GET trades it for a CDN.
  if (method !== 'GET' || !policy || policy.scope === 'PRIVATE') return 'private, no-cache';
  return policy.maxAgeSeconds > 0 ? `public, max-age=${policy.maxAgeSeconds}` : 'public, no-cache';
}

interface RequestState {
  executions: number;
  /** The operation run (the last, in a batch). */
  document?: DocumentNode;
  operationName?: string | null | undefined;
  cacheControl?: string;
}

/** What a GraphQL answer is written in: JSON, or parts (multipart/mixed, SSE). */
const GRAPHQL_ANSWER = /^(application\/(graphql-response\+)?json|multipart\/mixed|text\/event-stream)/;

export function useHttpCaching({ policyOf, varyOn }: HttpCachingOptions): Plugin {
  const states = new WeakMap<Request, RequestState>();
  const vary = ['accept', ...varyOn.map((name) => name.toLowerCase())];
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const state = states.get(request) ?? { executions: 0 };
      states.set(request, state);
      state.executions += 1;
      state.document = args.document;
      state.operationName = args.operationName;
    },
    onResultProcess({ request, result }) {
      const state = states.get(request) ?? { executions: 0 };
      states.set(request, state);
      if (!Array.isArray(result) && Symbol.asyncIterator in (result as object)) {
        state.cacheControl = 'no-store';
        return;
      }
      const errors = !Array.isArray(result) && Boolean((result as ExecutionResult).errors?.length);
      const { document, operationName } = state;
      const operation = document && getOperationAST(document, operationName)?.operation;
      // Computed (once per document) only where a cache may share the answer.
      const policy = document && request.method === 'GET' && !errors ? policyOf(document, operationName) : undefined;
      state.cacheControl = cacheControlFor({ method: request.method, executions: state.executions, operation, policy, errors });
    },
    onResponse({ request, response }) {
      const cacheControl = states.get(request)?.cacheControl;
      if (!cacheControl || !GRAPHQL_ANSWER.test(response.headers.get('content-type') ?? '')) return;
      response.headers.set('cache-control', cacheControl);
      if (cacheControl === 'no-store') return;
      for (const name of new Set(cacheControl.startsWith('private') ? [...vary, 'authorization'] : vary)) response.headers.append('vary', name);
    },
  };
}
