/**
 * Subscribers over each transport Switchboard serves, with the real clients a front end would use:
 * `graphql-ws` (WebSocket), `graphql-sse` (the graphql-sse protocol at /graphql/stream) and yoga's own
 * SSE (a plain `fetch` with `Accept: text/event-stream`, as an EventSource would ask).
 *
 *   const events = subscribe('graphql-ws', switchboard.url, 'subscription { paymentEvents { id } }');
 *   await events.next();   // { data: { paymentEvents: { id: 'evt_…' } } }
 *   events.close();
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

export type Transport = 'graphql-ws' | 'graphql-sse' | 'yoga-sse';
export const TRANSPORTS: readonly Transport[] = ['graphql-ws', 'graphql-sse', 'yoga-sse'];

export interface Result {
  data?: Record<string, any> | null;
  errors?: { message: string; locations?: { line: number; column: number }[]; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface Subscriber {
  /** The next result; rejects after `timeoutMs` with what was awaited, or when the stream failed or ended. */
  next(timeoutMs?: number): Promise<Result>;
  /** The results received so far and not yet taken by `next`. */
  buffered(): Result[];
  close(): void;
}

/**
 * Subscribes to `query` over `transport` against the gateway's GraphQL `url`, with `token` the way
 * each client sends one: an Authorization header over SSE, the connection payload over graphql-ws.
 */
export function subscribe(transport: Transport, url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Subscriber {
  const queue = createQueue();
  const authorization = token ? { authorization: `Bearer ${token}` } : undefined;
  if (transport === 'yoga-sse') return yogaSse(url, query, variables, queue, authorization);
  const sink = {
    next: (result: unknown) => queue.push(result as Result),
    // graphql-ws reports a refused operation (a parse or validation error) as its errors: a result too.
    error: (error: unknown) => (Array.isArray(error) ? (queue.push({ errors: error }), queue.end()) : queue.fail(error)),
    complete: () => queue.end(),
  };
  if (transport === 'graphql-ws') {
    const client = createWsClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: authorization,
      retryAttempts: 0,
      lazy: true,
    });
    const stop = client.subscribe({ query, variables }, sink);
    return { next: queue.next, buffered: queue.buffered, close: () => { stop(); void client.dispose(); } };
  }
  const client = createSseClient({ url: `${url}/stream`, retryAttempts: 0, headers: authorization });
  const stop = client.subscribe({ query, variables }, sink);
  return { next: queue.next, buffered: queue.buffered, close: () => { stop(); client.dispose(); } };
}

/** Private: yoga's own SSE, read line by line from a streaming fetch. */
function yogaSse(url: string, query: string, variables: Record<string, unknown>, queue: Queue, headers: Record<string, string> = {}): Subscriber {
  const controller = new AbortController();
  const opening = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    // A refused subscription still answers its errors on the stream (with its status, 401 say).
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
    void (async () => {
      let buffer = '';
      try {
        for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = message.split('\n').find((line) => line.startsWith('data:'));
            if (message.startsWith('event: next') && data) queue.push(JSON.parse(data.slice(5)));
            if (message.startsWith('event: complete')) queue.end();
          }
        }
        queue.end();
      } catch (error) {
        if (!controller.signal.aborted) queue.fail(error);
      }
    })();
  })();
  opening.catch((error: unknown) => queue.fail(error));
  return { next: queue.next, buffered: queue.buffered, close: () => controller.abort() };
}

type Queue = ReturnType<typeof createQueue>;

function createQueue() {
  const results: Result[] = [];
  let failure: unknown;
  let ended = false;
  let waiter: (() => void) | undefined;
  const wake = () => {
    waiter?.();
    waiter = undefined;
  };
  return {
    push(result: Result) {
      results.push(result);
      wake();
    },
    fail(error: unknown) {
      failure ??= error;
      wake();
    },
    end() {
      ended = true;
      wake();
    },
    buffered: () => [...results],
    async next(timeoutMs = 5000): Promise<Result> {
      const deadline = Date.now() + timeoutMs;
      while (results.length === 0) {
        if (failure) throw failure instanceof Error ? failure : new Error(`The subscription failed: ${JSON.stringify(failure)}`);
        if (ended) throw new Error('The subscription ended.');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`No result within ${timeoutMs} ms.`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, left);
        });
      }
      return results.shift()!;
    },
  };
}
