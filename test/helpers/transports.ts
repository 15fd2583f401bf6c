/**
 * One operation sent over each of the gateway's entries, as each kind of client sends it: an HTTP
 * POST and GET (GraphQL over HTTP), yoga's own SSE at /graphql, the graphql-sse protocol at
 * /graphql/stream, and graphql-ws over a WebSocket. Each answers with what the client received
 * first: a result (data and errors, as JSON), or, for a WebSocket the gateway closed, the close code.
 *
 *   const answer = await sendOver('graphql-ws', switchboard.url, { query: '{ __typename }' }, { token });
 *   answer.result?.errors?.[0]?.extensions?.code;  // or answer.closed, e.g. 1009
 */
import WebSocket from 'ws';
import type { Result } from './subscribers.js';

export type Entry = 'http-post' | 'http-get' | 'yoga-sse' | 'graphql-sse' | 'graphql-ws';
export const ENTRIES: readonly Entry[] = ['http-post', 'http-get', 'yoga-sse', 'graphql-sse', 'graphql-ws'];
/** The entries that carry subscriptions. */
export const STREAM_ENTRIES: readonly Entry[] = ['yoga-sse', 'graphql-sse', 'graphql-ws'];

export interface OperationParams {
  /** A string, or not, as a careless client sends it. */
  query?: unknown;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
  documentId?: string;
  /** Anything else a careless client puts in its body (padding, say). */
  [other: string]: unknown;
}

export interface Answer {
  result?: Result;
  /** The WebSocket's close code, when the gateway closed it instead of answering. */
  closed?: number;
}

export interface SendOptions {
  /** Sent as `Authorization` (over graphql-ws, in the connection payload). */
  authorization?: string;
  timeoutMs?: number;
}

export async function sendOver(entry: Entry, url: string, params: OperationParams, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
  switch (entry) {
    case 'http-post':
      return firstResult(await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify(params), signal }));
    case 'http-get':
      return firstResult(await fetch(`${url}?${searchOf(params)}`, { headers: { ...headers, 'x-graphql-csrf': '1', accept: 'application/graphql-response+json' }, signal }));
    case 'yoga-sse':
      return firstResult(await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(params), signal }));
    case 'graphql-sse':
      return firstResult(await fetch(`${url}/stream`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(params), signal }));
    case 'graphql-ws':
      return overWebSocket(url, params, options);
  }
}

/** Private: GraphQL over HTTP's GET parameters. */
function searchOf(params: OperationParams): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return search.toString();
}

/** Private: the answer's JSON, or the first `next` event of its stream (which is then closed). */
async function firstResult(response: Response): Promise<Answer> {
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return { result: JSON.parse(await response.text()) as Result };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').find((line) => line.startsWith('data:'));
        if (event.startsWith('event: next') && data) return { result: JSON.parse(data.slice(5)) as Result };
        if (event.startsWith('event: complete')) throw new Error('The stream completed without a result.');
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('The stream ended without a result.');
      buffer += value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Private: graphql-ws spoken on a raw socket: init, one subscribe, its first `next` or `error`. */
function overWebSocket(url: string, params: OperationParams, options: SendOptions): Promise<Answer> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  return new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('No answer over graphql-ws in time.')), options.timeoutMs ?? 5000);
    const settle = (answer: Answer) => {
      clearTimeout(timer);
      resolve(answer);
      socket.close();
    };
    socket.on('error', reject);
    socket.on('close', (code) => settle({ closed: code }));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: options.authorization ? { authorization: options.authorization } : {} })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: params }));
      if (message.type === 'next') settle({ result: message.payload as Result });
      if (message.type === 'error') settle({ result: { errors: message.payload as Result['errors'] } });
    });
  });
}
