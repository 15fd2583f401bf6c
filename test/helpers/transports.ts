/**
 * One operation sent over each of the gateway's entries, as each kind of client sends it: an HTTP
 * POST and GET (GraphQL over HTTP), yoga's own SSE at /graphql, the graphql-sse protocol at
 * /graphql/stream, and graphql-ws over a WebSocket. `sendOver` answers with what the client received
 * first: a result (data and errors, as JSON), or, for a WebSocket the gateway closed, the close code;
 * `partsOver` with every result of an answer in parts (`@defer`, `@stream`: over HTTP, as
 * `multipart/mixed`), until it completes.
 *
 *   const answer = await sendOver('graphql-ws', switchboard.url, { query: '{ __typename }' }, { token });
 *   answer.result?.errors?.[0]?.extensions?.code;  // or answer.closed, e.g. 1009
 *   await partsOver('http-post', switchboard.url, { query: '{ product(id: "p") { name ... @defer { rating } } }' });
 *   // [{ data: { product: { name } }, hasNext: true }, { incremental: [{ data: { rating }, path: ['product'] }], hasNext: false }]
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
  const answers = await answersOver(entry, url, params, options, 'first');
  return answers[0]!;
}

/** Every result of an answer in parts, as the client reads them. */
export async function partsOver(entry: Entry, url: string, params: OperationParams, options: SendOptions = {}): Promise<Result[]> {
  const answers = await answersOver(entry, url, params, options, 'all');
  return answers.map((answer) => answer.result ?? { errors: [{ message: `closed with ${answer.closed}` }] });
}

/** Private: what the client read, its first result or all of them. */
async function answersOver(entry: Entry, url: string, params: OperationParams, options: SendOptions, reading: Reading): Promise<Answer[]> {
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
  const accept = reading === 'all' ? 'multipart/mixed, application/graphql-response+json' : 'application/graphql-response+json';
  switch (entry) {
    case 'http-post':
      return resultsOf(await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', accept }, body: JSON.stringify(params), signal }), reading);
    case 'http-get':
      return resultsOf(await fetch(`${url}?${searchOf(params)}`, { headers: { ...headers, 'x-graphql-csrf': '1', accept }, signal }), reading);
    case 'yoga-sse':
      return resultsOf(await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(params), signal }), reading);
    case 'graphql-sse':
      return resultsOf(await fetch(`${url}/stream`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(params), signal }), reading);
    case 'graphql-ws':
      return overWebSocket(url, params, options, reading);
  }
}

type Reading = 'first' | 'all';

/** Private: GraphQL over HTTP's GET parameters. */
function searchOf(params: OperationParams): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return search.toString();
}

/** Private: the answer's JSON, or the results of its stream (SSE events, multipart parts): the first (the stream is then closed), or all. */
async function resultsOf(response: Response, reading: Reading): Promise<Answer[]> {
  const type = response.headers.get('content-type') ?? '';
  const sse = type.startsWith('text/event-stream');
  if (!sse && !type.startsWith('multipart/mixed')) return [{ result: JSON.parse(await response.text()) as Result }];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const answers: Answer[] = [];
  let buffer = '';
  try {
    for (;;) {
      const read = sse ? nextEvent(buffer) : nextPart(buffer);
      if (read) {
        buffer = read.rest;
        if (read.result) answers.push({ result: read.result });
        if (read.result && reading === 'first') return answers;
        if (read.end) {
          if (answers.length === 0) throw new Error('The stream completed without a result.');
          return answers;
        }
        continue;
      }
      const { value, done } = await reader.read();
      if (done) {
        if (answers.length > 0 && reading === 'all') return answers;
        throw new Error('The stream ended without a result.');
      }
      buffer += value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

interface Read {
  result?: Result;
  /** The stream said it is complete. */
  end?: boolean;
  rest: string;
}

/** Private: the first whole SSE event in `buffer`, if there is one. */
function nextEvent(buffer: string): Read | undefined {
  const end = buffer.indexOf('\n\n');
  if (end < 0) return undefined;
  const event = buffer.slice(0, end);
  const rest = buffer.slice(end + 2);
  const data = event.split('\n').find((line) => line.startsWith('data:'));
  if (event.startsWith('event: next') && data) return { result: JSON.parse(data.slice(5)) as Result, rest };
  return { end: event.startsWith('event: complete'), rest };
}

/** Private: the first whole part of a `multipart/mixed` answer in `buffer` (yoga's boundary is `-`), if there is one. */
function nextPart(buffer: string): Read | undefined {
  const start = buffer.indexOf('\r\n\r\n');
  const close = buffer.indexOf('\r\n-----');
  if (close >= 0 && (start < 0 || close < start)) return { end: true, rest: '' };
  if (start < 0) return undefined;
  const next = buffer.indexOf('\r\n---', start);
  if (next < 0) return undefined;
  return { result: JSON.parse(buffer.slice(start + 4, next)) as Result, rest: buffer.slice(next + 2) };
}

/** Private: graphql-ws spoken on a raw socket: init, one subscribe, its first `next` or `error`, or every `next` until `complete`. */
function overWebSocket(url: string, params: OperationParams, options: SendOptions, reading: Reading): Promise<Answer[]> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const answers: Answer[] = [];
  return new Promise<Answer[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('No answer over graphql-ws in time.')), options.timeoutMs ?? 5000);
    const settle = (answer?: Answer) => {
      if (answer) answers.push(answer);
      clearTimeout(timer);
      resolve(answers);
      socket.close();
    };
    socket.on('error', reject);
    socket.on('close', (code) => settle(answers.length === 0 ? { closed: code } : undefined));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: options.authorization ? { authorization: options.authorization } : {} })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: params }));
      if (message.type === 'next' && reading === 'first') settle({ result: message.payload as Result });
      if (message.type === 'next' && reading === 'all') answers.push({ result: message.payload as Result });
      if (message.type === 'complete') settle();
      if (message.type === 'error') settle({ result: { errors: message.payload as Result['errors'] } });
    });
  });
}
