/**
 * One pipeline for every transport. An operation that arrives over a streaming transport (graphql-ws,
 * the graphql-sse protocol) is replayed as the HTTP request a client would have sent to the GraphQL
 * endpoint, through yoga's whole handling: the request hooks (admission control, body size, CSRF),
 * the parameter hooks (trusted documents), parse, validation, context (auth), execution and
 * subscription (query limits, rate limits, error shape), and error masking. A rule added to the
 * gateway as a plugin therefore holds on every transport at once; no transport can skip one.
 *
 * The replay asks for `application/graphql-response+json, text/event-stream`: yoga answers a single
 * result as JSON (a request error then has no `data`, as GraphQL over HTTP defines it) and a stream
 * (a subscription, an incremental delivery) as server-sent events, read back here one result at a time.
 *
 *   const replayed = await replayOperation(gateway.yoga, { method: 'POST', headers, body, serverContext: { req } });
 *   if ('refused' in replayed) return replayed.refused.errors;
 *   for await (const result of replayed.results) send(result);
 */
import type { ExecutionResult } from 'graphql';
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
 * The results of one operation; `return()` ends it (a subscription stops at once). It has the shape
 * of an async generator (`throw` too), which graphql-ws and graphql-sse look for before they end one.
 */
export interface ResultStream extends AsyncIterableIterator<ExecutionResult> {
  return(): Promise<IteratorResult<ExecutionResult>>;
  throw(error: unknown): Promise<IteratorResult<ExecutionResult>>;
}

export type ReplayedOperation = { refused: ExecutionResult } | { results: ResultStream };

const ACCEPT = 'application/graphql-response+json, text/event-stream';

export async function replayOperation(yoga: Gateway['yoga'], replay: ReplayRequest): Promise<ReplayedOperation> {
  const aborted = new AbortController();
  const headers = new Headers(replay.headers);
  headers.set('accept', ACCEPT);
  headers.delete('content-length');
  if (replay.method === 'POST') headers.set('content-type', 'application/json');
  const url = `http://switchboard${yoga.graphqlEndpoint}${replay.method === 'GET' ? replay.search ?? '' : ''}`;
  const response = await yoga.fetch(new Request(url, { method: replay.method, headers, body: replay.method === 'POST' ? replay.body : undefined, signal: aborted.signal }), replay.serverContext);
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) return { results: eventsOf(response.body!, aborted) };
  const result = await singleResult(response);
  if (!('data' in result)) return { refused: result };
  return { results: once(result) };
}

/** Private: a single answer; a body that is not a GraphQL result (none should be) becomes its status. */
async function singleResult(response: Response): Promise<ExecutionResult> {
  const text = await response.text();
  try {
    const result = JSON.parse(text) as ExecutionResult;
    if (typeof result === 'object' && result !== null && ('data' in result || Array.isArray(result.errors))) return result;
  } catch {
    // Not JSON: said below.
  }
  return { errors: [{ message: `The request was refused (HTTP ${response.status}).`, extensions: { code: 'BAD_REQUEST' } }] } as unknown as ExecutionResult;
}

/** Private: one result, then done. */
function once(result: ExecutionResult): ResultStream {
  let given = false;
  const done = { done: true, value: undefined } as IteratorResult<ExecutionResult>;
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

/**
 * Private: the results of yoga's server-sent events (`event: next` with a result as `data`, then
 * `event: complete`; lines starting with `:` keep the connection alive). Not an async generator on
 * purpose: `return()` must stop a subscription that is waiting for its next event, and a generator
 * would queue it behind that wait. Cancelling the body tells yoga, which ends the subscription.
 */
function eventsOf(body: ReadableStream<Uint8Array>, aborted: AbortController): ResultStream {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const done = { done: true, value: undefined } as IteratorResult<ExecutionResult>;
  let buffer = '';
  let finished = false;
  const finish = async () => {
    if (!finished) {
      finished = true;
      await reader.cancel().catch(() => undefined);
      aborted.abort();
    }
    return done;
  };
  return {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      while (!finished) {
        const end = buffer.indexOf('\n\n');
        if (end < 0) {
          const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
          if (chunk.done) return finish();
          buffer += chunk.value;
          continue;
        }
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith('event: complete')) return finish();
        const data = event.split('\n').find((line) => line.startsWith('data:'));
        if (event.startsWith('event: next') && data) return { done: false, value: JSON.parse(data.slice(5)) as ExecutionResult };
      }
      return done;
    },
    return: finish,
    async throw(error) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
