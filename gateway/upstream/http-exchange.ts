/**
 * One HTTP exchange with an upstream, on `node:http`/`node:https` with keep-alive agents, answered
 * with the whole body read (Mesh's handlers and node-soap read it whole anyway). `toResponse` makes a
 * fetch `Response` of it, as many times as callers share the answer.
 * Node's global `fetch` costs about twice the CPU per call on the same connection reuse, and upstream
 * calls are most of what a stitched request does (bench/results.md).
 *
 *   const reply = await exchange('http://127.0.0.1:4101/products?first=2', { headers }, 10_000);
 *   toResponse(reply).json();
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// Enough sockets per upstream host for a burst of concurrent batches; idle ones are kept for reuse.
export const AGENT_OPTIONS = { keepAlive: true, maxSockets: 128, maxFreeSockets: 32 };
const httpAgent = new HttpAgent(AGENT_OPTIONS);
const httpsAgent = new HttpsAgent(AGENT_OPTIONS);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** A complete answer of an upstream. */
export interface UpstreamReply {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
}

/**
 * Rejects with an error named `TimeoutError` when no complete answer came within `timeoutMs`, with
 * `AbortError` when `init.signal` aborts, and with the socket's error when the connection fails or
 * is reset before the body ends. `agent` replaces the shared keep-alive agent (a source with its
 * own client certificate, credentials/mutual-tls.ts).
 */
export function exchange(url: string | URL, init: RequestInit, timeoutMs: number, agent?: HttpAgent): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const target = typeof url === 'string' ? new URL(url) : url;
    const secure = target.protocol === 'https:';
    const headers: Record<string, string> = {};
    // The transport hands over a Headers it built already; building another would be work per call for nothing.
    (init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => {
      headers[name] = value;
    });
    const body = init.body === undefined || init.body === null ? undefined : init.body;
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      reject(new TypeError('The upstream transport sends string and byte bodies only.'));
      return;
    }
    const fail = (error: Error) => {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(Object.assign(new Error('The upstream call was aborted.'), { name: 'AbortError' }));
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      { method: init.method ?? 'GET', headers, agent: agent ?? (secure ? httpsAgent : httpAgent) },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', fail);
        res.once('aborted', () => fail(new Error('The upstream closed the connection before the body ended.')));
        res.once('end', () => {
          clearTimeout(timer);
          init.signal?.removeEventListener('abort', onAbort);
          try {
            resolve(toReply(res, Buffer.concat(chunks)));
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    const timer = setTimeout(() => fail(Object.assign(new Error(`No answer within ${timeoutMs} ms.`), { name: 'TimeoutError' })), timeoutMs);
    if (init.signal?.aborted) return onAbort();
    init.signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', fail);
    req.end(body);
  });
}

/**
 * A fetch `Response` of a reply; each call makes a new one, with its own body stream over the same
 * bytes (a shared read answers many callers: copying its body for each would cost memory for nothing).
 */
export function toResponse(reply: UpstreamReply): Response {
  // A view of the reply's bytes, not a copy (a Buffer lives in a plain ArrayBuffer, never a SharedArrayBuffer).
  const body = NULL_BODY_STATUSES.has(reply.status) ? null : new Uint8Array(reply.body.buffer as ArrayBuffer, reply.body.byteOffset, reply.body.byteLength);
  return new Response(body, { status: reply.status, statusText: reply.statusText, headers: reply.headers });
}

/** Private: the reply of a finished answer; an impossible status is a bad answer. */
function toReply(res: IncomingMessage, body: Buffer): UpstreamReply {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`The upstream answered with HTTP status ${status}.`);
  return { status, statusText: res.statusMessage ?? '', headers, body };
}
