/**
 * One pipeline for every transport. An operation that arrives over a streaming transport (graphql-ws,
 * the graphql-sse protocol) is replayed as the HTTP request a client would have sent to the GraphQL
 * endpoint, through yoga's whole handling: the request hooks (admission control, body size, CSRF),
 * the parameter hooks (trusted documents), parse, validation, context (auth), execution and
 * subscription (query limits, rate limits, error shape), and error masking. A rule added to the
 * gateway as a plugin therefore holds on every transport at once; no transport can skip one.
 *
 * Only the last step differs: instead of writing the result into a response body (JSON or events)
 * for the transport to read back, `useReplayedResults` hands the result itself to the replay, which
 * gives it to the transport as the JSON a client receives. Measured with `npm run bench:fanout`
 * (50 subscribers, 400 events): writing and reading back server-sent events cost graphql-ws 1.52x
 * yoga SSE's gateway CPU per delivered event; handed over, about what yoga SSE costs.
 *
 *   plugins: [useReplayedResults()]
 *   const replayed = await replayOperation(gateway.yoga, { method: 'POST', headers, body, serverContext: { req } });
 *   if ('refused' in replayed) return replayed.refused.errors;
 *   for await (const result of replayed.results) send(result);
 */
import { isAsyncIterable } from '@envelop/core';
import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Gateway } from './server.js';

export interface ReplayRequest {
  method: 'GET' | 'POST';
  /** The client's own headers (its token, its trace id, the CSRF header), as they reach the endpoint. */
  headers: Headers;
  /** POST: the JSON body the client sent. */
  body?: string;
  /** GET: the query string the client sent, `?` included. */
  search?: string;
  /** What the server knows of the client's connection (`req`: its address counts for rate limits). */
  serverContext: Record<string, unknown>;
}

/**
 * The results of one operation, as a client receives them; `return()` ends it (a subscription stops
 * at once). It has the shape of an async generator (`throw` too), which graphql-ws and graphql-sse
 * look for before they end one.
 */
export interface ResultStream extends AsyncIterableIterator<FormattedExecutionResult> {
  return(): Promise<IteratorResult<FormattedExecutionResult>>;
  throw(error: unknown): Promise<IteratorResult<FormattedExecutionResult>>;
}

export type ReplayedOperation = { refused: FormattedExecutionResult } | { results: ResultStream };

type Outcome = ExecutionResult | AsyncIterable<ExecutionResult>;

/** Where a replayed request's result is left, in its server context (no client can put one there). */
const SLOT = Symbol('switchboard.replay');
interface Slot {
  outcome?: Outcome;
}

/** Hands a replayed request's result to its replay instead of writing a response body. */
export function useReplayedResults(): Plugin {
  return {
    onResultProcess({ serverContext, setResultProcessor }) {
      const slot = (serverContext as { [SLOT]?: Slot })[SLOT];
      if (!slot) return;
      setResultProcessor((outcome, fetchAPI) => {
        slot.outcome = outcome as Outcome;
        return new fetchAPI.Response(null, { status: 204 });
      }, 'application/graphql-response+json');
    },
  };
}

export async function replayOperation(yoga: Gateway['yoga'], replay: ReplayRequest): Promise<ReplayedOperation> {
  const headers = new Headers(replay.headers);
  // A socket carries results one by one: a query in parts (@defer) as well as a subscription.
  headers.set('accept', 'application/graphql-response+json, text/event-stream;q=0.5');
  headers.delete('content-length');
  if (replay.method === 'POST') headers.set('content-type', 'application/json');
  const url = `http://switchboard${yoga.graphqlEndpoint}${replay.method === 'GET' ? replay.search ?? '' : ''}`;
  const slot: Slot = {};
  const request = new Request(url, { method: replay.method, headers, body: replay.method === 'POST' ? replay.body : undefined });
  const response = await yoga.fetch(request, { ...replay.serverContext, [SLOT]: slot });
  // No result: the request was answered before it reached GraphQL (admission control's 503, say).
  if (!slot.outcome) return { refused: await refusalOf(response) };
  if (isAsyncIterable(slot.outcome)) return { results: streamOf(slot.outcome) };
  const result = forClient(slot.outcome);
  return 'data' in result ? { results: once(result) } : { refused: result };
}

/**
 * Private: a result as the client receives it: errors in their JSON form, without the hints yoga
 * keeps for an HTTP answer (`http`, `unexpected`), which yoga's own processors leave out as well.
 */
function forClient(result: ExecutionResult): FormattedExecutionResult {
  const { http: _http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  return {
    ...(result as FormattedExecutionResult),
    ...(result.errors ? { errors: result.errors.map(formatted) } : {}),
    ...(result.extensions ? { extensions: Object.keys(extensions).length ? extensions : undefined } : {}),
  };
}

/** Private: one error's JSON, without yoga's HTTP hints. */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const json = typeof error.toJSON === 'function' ? error.toJSON() : (error as unknown as GraphQLFormattedError);
  const { http: _http, unexpected: _unexpected, ...extensions } = json.extensions ?? {};
  const { extensions: _all, ...rest } = json;
  return Object.keys(extensions).length ? { ...rest, extensions } : rest;
}

/** Private: an answer that came before any result, as the refusal it is. */
async function refusalOf(response: Response): Promise<FormattedExecutionResult> {
  try {
    const result = JSON.parse(await response.text()) as FormattedExecutionResult;
    if (Array.isArray(result?.errors)) return result;
  } catch {
    // Not a GraphQL answer: said below.
  }
  return { errors: [{ message: `The request was refused (HTTP ${response.status}).`, extensions: { code: 'BAD_REQUEST' } }] };
}

/** Private: one result, then done. */
function once(result: FormattedExecutionResult): ResultStream {
  let given = false;
  const done = { done: true, value: undefined } as IteratorResult<FormattedExecutionResult>;
  return {
    next: async () => (given ? done : ((given = true), { done: false, value: result })),
    return: async () => ((given = true), done),
    throw: async (error) => {
      given = true;
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Private: a subscription's (or an incremental delivery's) results, each as the client receives it. */
function streamOf(outcome: AsyncIterable<ExecutionResult>): ResultStream {
  const source = outcome[Symbol.asyncIterator]();
  const done = { done: true, value: undefined } as IteratorResult<FormattedExecutionResult>;
  const end = async () => {
    await source.return?.();
    return done;
  };
  return {
    async next() {
      const step = await source.next();
      return step.done ? done : { done: false, value: forClient(step.value) };
    },
    return: end,
    async throw(error) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
